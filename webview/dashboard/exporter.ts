import { chartPng, type ChartRegistry } from '../shared/chartKit';
import type { DashboardToHost } from '../../src/protocol/dashboard';

/** Exports go through the extension, which owns the save dialog and the file system. */
export class Exporter {
  constructor(
    private readonly charts: ChartRegistry,
    private readonly post: (m: DashboardToHost) => void,
  ) {}

  png(chartId: string, name: string): void {
    const chart = this.charts.get(chartId);
    if (!chart) return;
    this.post({ type: 'exportPng', name, dataUrl: chartPng(chart) });
  }

  table(name: string, format: 'csv' | 'markdown', content: string): void {
    this.post({ type: 'exportTable', name, format, content });
  }
}

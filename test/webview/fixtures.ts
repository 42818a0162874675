// Fixed data for the webview tests, computed with the engine (src/core) exactly as the extension host would send
// it: the brain-scale energy view, the fixture workspace's runs, the dashboard's init message and a streamed
// analog-training comparison (digital SGD, Analog SGD, Tiki-Taka).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOUND_PRESETS, HARDWARE_PROFILES, chartSweeps, computeEnergyBounds, findBoundPreset, formatSci, resolveBoundInputs } from '../../src/core';
import { runSimulation } from '../../src/core/analog';
import { analyzeDocumentSync } from '../../src/core/estimate';
import { DEFAULT_SIMULATION_SETTINGS, EXPERIMENT_CHOICES, presetLabel, type CurvePoint, type EnergyView, type HostToDashboard, type SimulationSettings } from '../../src/protocol/dashboard';
import type { HardwareOption, RunSummary } from '../../src/protocol/runs';
import type { HostToSidebar } from '../../src/protocol/sidebar';
import { configFor, deviceChoices, summarizeSimulation } from '../../src/worker/simulationPlan';
import { runFigures } from '../../src/worker/summarize';
import { ROOT } from '../harness/paths';
import { diskSiblings } from '../harness/siblings';
import { FIXTURE_CONFIGS } from '../harness/workspaceConfigs';

export const BRAIN_SCALE_TITLE = 'Brain-scale model (1e15 parameters)';

export function brainScaleView(): EnergyView {
  const preset = findBoundPreset('brain-scale');
  if (!preset) throw new Error('no brain-scale preset');
  const inputs = resolveBoundInputs(preset.inputs);
  return { selection: 'preset:brain-scale', title: BRAIN_SCALE_TITLE, bounds: computeEnergyBounds(inputs), sweeps: chartSweeps(inputs) };
}

export const FIXTURE_FILES = FIXTURE_CONFIGS;

/** The runs of test/fixtures/workspace as the workspace index summarises them (src/worker/summarize.ts). */
export function fixtureRuns(): RunSummary[] {
  const base = join(ROOT, 'test', 'fixtures', 'workspace');
  return FIXTURE_FILES.map((rel) => {
    const path = join(base, rel);
    const analysis = analyzeDocumentSync({ path, text: readFileSync(path, 'utf8') }, { readSibling: diskSiblings(path) });
    const figures = runFigures(analysis);
    if (!figures) throw new Error(`${rel} is not recognised`);
    const uri = `file://${path}`;
    return { ...figures, id: uri, uri, relativePath: `workspace/${rel}` };
  });
}

export function hardwareOptions(): HardwareOption[] {
  return HARDWARE_PROFILES.map((p) => ({ id: p.id, name: p.name, detail: `${formatSci(p.peakFlops, 4)} FLOP/s ${p.peakPrecision}, ${p.tdpW} W` }));
}

export function initMessage(): Extract<HostToDashboard, { type: 'init' }> {
  return {
    type: 'init',
    hardware: hardwareOptions(),
    hardwareId: 'h100',
    presets: BOUND_PRESETS.map((p) => ({ id: p.id, label: presetLabel(p.id) })),
    simulation: {
      devices: deviceChoices().map((d) => ({ id: d.id, label: d.label })),
      experiments: EXPERIMENT_CHOICES.map((e) => ({ ...e })),
      defaults: DEFAULT_SIMULATION_SETTINGS,
    },
  };
}

export function sidebarState(runs: RunSummary[], patch: Partial<Extract<HostToSidebar, { type: 'state' }>> = {}): Extract<HostToSidebar, { type: 'state' }> {
  return {
    type: 'state',
    workspaceOpen: true,
    scanning: false,
    runs,
    hardware: hardwareOptions(),
    hardwareId: 'h100',
    assumptions: { utilization: 0.4, pue: 1.1, gridKgPerKwh: 0.385, tokensPerParameter: 20 },
    patterns: ['**/*.json', '**/*.{yaml,yml}', '**/*.sh'],
    ...patch,
  };
}

export interface StreamedSimulation {
  label: string;
  messages: HostToDashboard[];
  points: CurvePoint[];
  finalLoss: number;
}

/**
 * The messages the host sends for one batch (src/extension/dashboardPanel.ts: simulate): per algorithm simStarted,
 * the curve in chunks of simPoints, simDone; computed by the simulator itself.
 */
export function simulationBatch(settings: SimulationSettings = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['sgd', 'analog-sgd', 'tiki-taka'] }, chunk = 40): StreamedSimulation[] {
  const labels: Record<string, string> = { sgd: 'Digital SGD', 'analog-sgd': 'Analog SGD', 'tiki-taka': 'Tiki-Taka', ttv2: 'TTv2', 'c-ttv2': 'c-TTv2' };
  return settings.algorithms.map((algorithm, index) => {
    const simId = `sim-${index + 1}`;
    const result = runSimulation(configFor(settings, algorithm));
    const points: CurvePoint[] = result.curve.map((p) => ({ step: p.step, loss: p.loss, ...(p.accuracy !== null && p.accuracy !== undefined ? { accuracy: p.accuracy } : {}) }));
    const messages: HostToDashboard[] = [{ type: 'simStarted', simId, series: labels[algorithm], settings, algorithm, index, total: settings.algorithms.length }];
    for (let i = 0; i < points.length; i += chunk) messages.push({ type: 'simPoints', simId, points: points.slice(i, i + chunk) });
    messages.push({ type: 'simDone', simId, summary: summarizeSimulation(result) });
    return { label: labels[algorithm], messages, points, finalLoss: result.final.loss };
  });
}

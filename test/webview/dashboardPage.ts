// A dashboard page as both dashboard suites start it: opened at a size, themed, given init, the runs and an energy view,
// and drawn (the energy tab's two charts).
import type { EnergyView } from '../../src/protocol/dashboard';
import type { RunSummary } from '../../src/protocol/runs';
import { initMessage } from './fixtures';
import type { Message, WebviewPage } from './harness';
import type { Theme } from './themes';

export async function openDashboardPage(
  pages: { open(script: string, title?: string): Promise<WebviewPage> },
  theme: Theme,
  size: { width: number; height: number },
  runs: RunSummary[],
  view: EnergyView,
): Promise<{ p: WebviewPage; rendered: Message; posted: number }> {
  const p = await pages.open('dashboard', 'LIM Lens Dashboard');
  await p.page.setViewportSize(size);
  await p.waitForMessage('ready');
  await p.setTheme(theme);
  await p.post(initMessage());
  await p.post({ type: 'runs', runs });
  const posted = Date.now();
  await p.post({ type: 'energy', view });
  const rendered = await p.waitForMessage('rendered', { accept: (m) => m.tab === 'energy' && (m.charts as unknown[]).length === 2 });
  return { p, rendered, posted };
}

import { HostToSidebar, type SidebarToHost } from '../../src/protocol/sidebar';
import type { RunSummary } from '../../src/protocol/runs';
import { plainText } from '../../src/core/text/escape';
import { formatBound, formatCO2, formatCount, formatDuration, formatEnergy, formatSci } from '../../src/core/units/format';
import { timeText } from '../../src/core/estimate/headline';
import { h, icon } from '../shared/dom';
import { button, select, toolbarButton } from '../shared/elements';
import { vscodeApi } from '../vscodeApi';

/** What the LIM bound is, in plain words: the header line's tooltip. */
export const LIM_BOUND_EXPLAINED =
  'The LIM bound is a physical floor: the least energy that hypothetical learning-in-memory hardware, which trains where the weights are stored, would need for the same training. It is not an estimate of this run; the gap says how far today’s accelerators are from that floor.';

const KIND_LABELS: Record<NonNullable<RunSummary['kind']>, { text: string; title: string }> = {
  pretrain: { text: 'pretraining', title: 'Trains the model from scratch (sized as pretraining)' },
  finetune: { text: 'fine-tune', title: 'Fine-tunes a pretrained model (SFT, LoRA …)' },
  preference: { text: 'preference', title: 'Preference tuning of a pretrained model (DPO, ORPO, reward model …)' },
};

/**
 * A path cut in the middle, where runs rarely differ, keeping the first folder and as many of the last parts as fit:
 * `models/…/llama-2-7b/config.json`. The file name is always kept whole.
 */
export function truncateMiddle(path: string, max = 40): string {
  if (path.length <= max) return path;
  const parts = path.split('/');
  if (parts.length <= 2) return path;
  const head = parts[0];
  const tail = [parts[parts.length - 1]];
  for (let i = parts.length - 2; i > 0; i--) {
    const next = [parts[i], ...tail];
    if (`${head}/…/${next.join('/')}`.length > max) break;
    tail.unshift(parts[i]);
  }
  if (tail.length === parts.length - 1) return path;
  return `${head}/…/${tail.join('/')}`;
}

/**
 * What the run's own record measured, in one line: "measured 337 Wh · 50 min · 7.12e16 FLOP"; undefined when no
 * record joins the run. The record's label (free text from the file) is the caller's to escape.
 */
export function measuredLine(r: RunSummary): string | undefined {
  if (r.measuredLabel === undefined) return undefined;
  const parts = [
    r.measuredEnergyJ !== undefined ? formatEnergy(r.measuredEnergyJ) : undefined,
    r.measuredHours !== undefined ? formatDuration(r.measuredHours) : undefined,
    r.measuredFlops !== undefined ? `${formatSci(r.measuredFlops, 3)} FLOP` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? `measured ${parts.join(' · ')}` : 'measured: no energy, time or FLOPs recorded';
}

/** Why a run has no estimate: the first error, else the first warning, else the one reason left. */
export function missingEstimateReason(r: RunSummary): string {
  const d = r.diagnostics.find((x) => x.severity === 'error') ?? r.diagnostics.find((x) => x.severity === 'warning');
  if (d) return d.message;
  return r.paramsTotal === undefined ? 'No energy estimate: the model is not known.' : 'No energy estimate: the run size is unknown.';
}

/** "accelerators run 7.1–7.3 orders of magnitude above the LIM bound", over the runs that have both figures. */
export function ordersLine(runs: RunSummary[]): string | undefined {
  const orders = runs.map((r) => r.ordersAboveLim).filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (orders.length === 0) return undefined;
  const lo = Math.min(...orders).toFixed(1);
  const hi = Math.max(...orders).toFixed(1);
  return `Accelerators run ${lo === hi ? lo : `${lo}–${hi}`} orders of magnitude above the LIM bound`;
}

type SortKey = 'energy' | 'params' | 'name' | 'file';
interface SavedState {
  filter: string;
  sort: SortKey;
}

const SORTS: Array<{ value: SortKey; label: string }> = [
  { value: 'energy', label: 'Energy (high first)' },
  { value: 'params', label: 'Parameters (large first)' },
  { value: 'name', label: 'Model name' },
  { value: 'file', label: 'File path' },
];

/** The "Training runs" view: every config in the workspace with its key figures. */
export class SidebarApp {
  private readonly vscode = vscodeApi<SavedState>();
  private state: SavedState;
  private data: Extract<HostToSidebar, { type: 'state' }> | undefined;
  private progress: { done: number; total: number } | undefined;
  private readonly toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Runs toolbar' });
  private readonly status = h('div', { class: 'scan-status', 'aria-live': 'polite' });
  private readonly header = h('div', { class: 'runs-header muted' });
  private readonly list = h('ul', { class: 'runs', role: 'list', 'aria-label': 'Training runs' });

  constructor(private readonly root: HTMLElement) {
    this.state = this.vscode.getState() ?? { filter: '', sort: 'energy' };
  }

  start(): void {
    this.root.replaceChildren(this.toolbar, this.status, this.header, this.list);
    this.root.append(h('div', { class: 'placeholder' }, h('vscode-progress-ring'), ' Looking for configs…'));
    window.addEventListener('message', (e: MessageEvent<unknown>) => {
      // What the host sent, as the protocol's schema reads it (extra fields dropped, text cut, null figures NaN).
      const m = HostToSidebar.parse(e.data);
      if (m.ok) this.handle(m.value);
      else this.post({ type: 'log', level: 'warn', message: `dropped a malformed message (${m.reason}): ${JSON.stringify(e.data)?.slice(0, 120)}` });
    });
    this.post({ type: 'ready' });
  }

  private post(m: SidebarToHost): void {
    this.vscode.postMessage(m);
  }

  private handle(m: HostToSidebar): void {
    if (m.type === 'progress') {
      this.progress = m;
      this.renderStatus();
      return;
    }
    this.data = m;
    if (!m.scanning) this.progress = undefined;
    this.render();
  }

  private visibleRuns(): RunSummary[] {
    const runs = this.data?.runs ?? [];
    const f = this.state.filter.trim().toLowerCase();
    const filtered = f ? runs.filter((r) => `${r.label} ${r.relativePath} ${r.modelType ?? ''} ${r.format}`.toLowerCase().includes(f)) : runs;
    const by: Record<SortKey, (a: RunSummary, b: RunSummary) => number> = {
      energy: (a, b) => (b.energyJ ?? -1) - (a.energyJ ?? -1),
      params: (a, b) => (b.paramsTotal ?? -1) - (a.paramsTotal ?? -1),
      name: (a, b) => a.label.localeCompare(b.label),
      file: (a, b) => a.relativePath.localeCompare(b.relativePath),
    };
    return [...filtered].sort(by[this.state.sort]);
  }

  private render(): void {
    const d = this.data;
    if (!d) return;
    this.root.querySelector(':scope > .placeholder')?.remove();
    const a = d.assumptions;
    const filter = h('vscode-textfield', { placeholder: 'Filter by model, file or type', value: this.state.filter, 'aria-label': 'Filter runs', id: 'runs-filter' });
    filter.addEventListener('input', () => {
      this.state = { ...this.state, filter: (filter as unknown as { value: string }).value };
      this.vscode.setState(this.state);
      this.renderList();
    });
    const sortSelect = select(SORTS, this.state.sort, (v) => {
      this.state = { ...this.state, sort: v as SortKey };
      this.vscode.setState(this.state);
      this.renderList();
    }, 'Sort runs');
    sortSelect.classList.add('sort');
    this.toolbar.replaceChildren(
      h(
        'div',
        { class: 'row' },
        select(d.hardware.map((x) => ({ value: x.id, label: x.name })), d.hardwareId, (v) => this.post({ type: 'setHardware', hardwareId: v }), 'Hardware profile'),
        toolbarButton('refresh', 'Rescan the workspace', () => this.post({ type: 'refresh' })),
        toolbarButton('graph', 'Open the dashboard', () => this.post({ type: 'openDashboard' })),
      ),
      h(
        'div',
        { class: 'assumptions' },
        h('a', { href: '#', title: 'Edit the assumptions in the settings', onclick: (e: Event) => (e.preventDefault(), this.post({ type: 'editAssumptions' })) },
          icon('settings-gear'),
          ` ${Math.round(a.utilization * 100)} % utilisation · PUE ${a.pue} · ${a.gridKgPerKwh} kg CO₂/kWh${a.powerW ? ` · ${a.powerW} W` : ''}`,
        ),
      ),
      h('div', { class: 'row' }, filter, sortSelect),
    );
    this.renderStatus();
    this.renderList();
  }

  private renderStatus(): void {
    const d = this.data;
    if (d?.scanning || this.progress) {
      const p = this.progress;
      this.status.replaceChildren(
        h('vscode-progress-bar', { 'aria-label': 'Scanning', ...(p && p.total > 0 ? { value: String(p.done), max: String(p.total) } : { indeterminate: true }) }),
        h('span', { class: 'muted' }, p ? `Scanning ${p.done} of ${p.total} files…` : 'Scanning…'),
      );
    } else this.status.replaceChildren();
  }

  private renderList(): void {
    const d = this.data;
    if (!d) return;
    const runs = this.visibleRuns();
    const line = ordersLine(d.runs);
    if (line) this.header.replaceChildren(h('span', { class: 'lim-gap', title: LIM_BOUND_EXPLAINED }, icon('info'), ` ${line}`));
    else this.header.replaceChildren();
    if ((d.runs.length === 0 && !d.scanning) || !d.workspaceOpen) {
      this.list.replaceChildren(this.emptyState(d.workspaceOpen, d.patterns));
    } else if (runs.length === 0) {
      this.list.replaceChildren(h('li', { class: 'muted' }, d.scanning ? 'Scanning…' : `No run matches “${this.state.filter}”.`));
    } else {
      this.list.replaceChildren(...runs.map((r) => this.item(r)));
    }
    this.post({ type: 'rendered', rows: runs.length, empty: d.runs.length === 0, scanning: d.scanning });
  }

  private item(r: RunSummary): HTMLElement {
    const errors = r.diagnostics.filter((x) => x.severity === 'error').length;
    const warnings = r.diagnostics.length - errors;
    const figures = [
      r.paramsTotal !== undefined ? `N ${formatCount(r.paramsTotal)}${r.paramsActive && r.paramsActive !== r.paramsTotal ? ` (${formatCount(r.paramsActive)} active)` : ''}` : undefined,
      r.tokens !== undefined ? `D ${formatCount(r.tokens)}` : undefined,
      r.flops !== undefined ? `${formatSci(r.flops, 3)} FLOP` : undefined,
    ].filter(Boolean);
    const open = () => this.post({ type: 'openRun', runId: r.id });
    const measured = measuredLine(r);
    // Names, paths and messages come from the workspace's files: shown as safe text (plainText), never markup.
    const path = plainText(r.relativePath, 300);
    const kind = r.kind ? KIND_LABELS[r.kind] : undefined;
    const type = r.modelType ? ` · ${plainText(r.modelType, 80)}` : '';
    return h(
      'li',
      { class: 'run', tabindex: 0, role: 'listitem', 'data-run-id': r.id, title: `Open ${path} at the model definition`, onclick: open, onkeydown: (e: Event) => ((e as KeyboardEvent).key === 'Enter' ? open() : undefined) },
      h(
        'div',
        { class: 'run-head' },
        h('span', { class: 'run-label' }, plainText(r.label, 120)),
        errors ? h('vscode-badge', { variant: 'counter', title: `${errors} error${errors === 1 ? '' : 's'}` }, String(errors)) : null,
        kind ? h('span', { class: `run-kind run-kind-${r.kind}`, title: kind.title }, kind.text) : null,
        r.measuredLabel !== undefined
          ? h('span', { class: 'run-kind run-measured', title: `The run's own record: ${plainText(r.measuredLabel, 120)} (what it measured, beside the estimate)` }, 'measured')
          : null,
        warnings ? h('span', { class: 'warn', title: r.diagnostics.slice(0, 20).map((x) => plainText(x.message, 300)).join('\n') }, icon('warning', `${warnings} warnings`)) : null,
        h('span', { class: 'spacer' }),
        h('vscode-icon', { name: 'graph', 'action-icon': true, label: 'Open in dashboard', title: 'Open in dashboard', onclick: (e: Event) => (e.stopPropagation(), this.post({ type: 'openDashboard', runId: r.id })) }),
      ),
      // Text only (the hostile-workspace test checks these hold no elements); the whole path in the tooltip. A
      // screen reader gets the whole path instead of the cut one (a title is not reliably read out).
      h('div', { class: 'run-path muted', title: path, 'aria-hidden': 'true' }, truncateMiddle(path), type),
      h('span', { class: 'visually-hidden' }, `${path}${type}`),
      figures.length ? h('div', { class: 'run-figures' }, figures.join(' · ')) : null,
      r.energyJ !== undefined
        ? h(
            'div',
            { class: 'run-energy' },
            h('strong', {}, `≈ ${formatEnergy(r.energyJ)}`),
            // The time as the hover and the CodeLens say it: a wall-clock time only where the device count is known.
            ` · ${plainText(timeText(r))}`,
            r.co2Kg !== undefined ? ' · ' : '',
            r.co2Kg !== undefined ? h('span', { class: 'nowrap' }, formatCO2(r.co2Kg)) : '',
          )
        : r.perUnitEnergyJ !== undefined && r.perUnit
          ? h(
              'div',
              { class: 'run-energy run-per-unit' },
              h('strong', {}, `≈ ${formatEnergy(r.perUnitEnergyJ)} ${plainText(r.perUnit, 60)}`),
              // The hardware as every surface names it; no device count (the views are not told whether it is assumed).
              ` ${plainText(timeText({ hardwareName: r.hardwareName }))}`,
            )
          : null,
      measured ? h('div', { class: 'run-measured-figures', title: plainText(r.measuredLabel, 120) }, measured) : null,
      // A record on its own estimates nothing, and that is no problem: only a warning or an error says why.
      r.energyJ === undefined && !(measured && r.diagnostics.length === 0) ? this.reason(r) : null,
      r.limJ !== undefined ? h('div', { class: 'run-bound muted', title: LIM_BOUND_EXPLAINED }, `LIM bound ${formatBound(r.limJ)}`) : null,
    );
  }

  /** Why there is no total, in at most four lines; the whole message in the tooltip. */
  private reason(r: RunSummary): HTMLElement {
    const text = plainText(missingEstimateReason(r), 1000);
    return h('div', { class: 'run-reason muted', title: text }, text);
  }

  private emptyState(workspaceOpen: boolean, patterns: string[]): HTMLElement {
    if (!workspaceOpen) {
      return h('li', { class: 'empty' }, h('p', {}, 'Open a folder with model or training configs to see what training them costs.'));
    }
    return h(
      'li',
      { class: 'empty' },
      h('p', {}, 'No model or training configs found in this workspace.'),
      h('p', { class: 'muted' }, 'LIM Lens reads Hugging Face config.json files, TrainingArguments, Megatron-LM argument scripts, NeMo, DeepSpeed, torchtune, Axolotl and LitGPT configs, and its own *.lim.yaml run files.'),
      h('p', { class: 'muted' }, `Files looked at: ${patterns.join(', ')}`),
      button('Create example run file', () => this.post({ type: 'createExample' }), { icon: 'new-file', id: 'create-example' }),
    );
  }
}

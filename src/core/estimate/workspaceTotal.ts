import type { Source } from '../configs/types';
import { formatEnergy } from '../units/format';
import type { DocumentAnalysis } from './report';

/**
 * What a workspace's runs cost in all, counting each run once and only runs whose size is known. A total that adds
 * the same model three times (three copies of one config.json), a fine-tune with figures per 1,000 rows, or a run
 * whose tokens were defaulted (20 per parameter for a bare model config) is a number nobody ran: those are left out,
 * and the result says how many and why.
 */
export type ExclusionReason = 'no-estimate' | 'per-unit' | 'size-defaulted' | 'duplicate';

export const EXCLUSION_LABELS: Record<ExclusionReason, string> = {
  'no-estimate': 'without an estimate',
  'per-unit': 'fine-tunes without a total (figures per unit of data)',
  'size-defaulted': 'with a defaulted size (tokens or parameters not in their files)',
  duplicate: 'duplicates of a run already counted',
};

/** The same reasons in a few words, for a notification. */
export const EXCLUSION_SHORT: Record<ExclusionReason, string> = {
  'no-estimate': 'no estimate',
  'per-unit': 'no total (per-unit fine-tune)',
  'size-defaulted': 'size defaulted',
  duplicate: 'duplicate',
};

export interface WorkspaceTotal {
  /** Accelerator energy of the counted runs, joules (0 when none). */
  energyJ: number;
  co2Kg: number;
  /** The files counted, in the order given. */
  counted: string[];
  /** Each file left out, with why (for a duplicate, `of` is the file it repeats). */
  excluded: Array<{ file: string; reason: ExclusionReason; of?: string }>;
}

const isDefault = (s: Source | undefined) => s?.kind === 'default';

/** The same run: one model (type and size), one data size, one amount of compute, on the same hardware. */
function runKey(a: DocumentAnalysis): string {
  const r = a.report;
  if (!r) return '';
  const sig = (x: number | undefined) => (x === undefined ? '' : x.toPrecision(6));
  return [r.modelType ?? '', sig(r.params.total), sig(r.params.active), sig(r.tokens), sig(r.samples), sig(r.flops), r.accelerator.id, r.accelerator.devices, sig(r.accelerator.energyJ)].join('|');
}

/** Why a run's energy does not count toward a total, or undefined when it does (duplicates aside). */
export function exclusionOf(a: DocumentAnalysis): Exclude<ExclusionReason, 'duplicate'> | undefined {
  const r = a.report;
  if (!r || !Number.isFinite(r.accelerator.energyJ)) return 'no-estimate';
  if (r.perRows) return 'per-unit';
  // A stated time (hours, device-hours) fixes the energy whatever the tokens; otherwise the size must be the file's.
  if (r.accelerator.route === 'time') return undefined;
  const run = r.run;
  // Tokens from the tokens-per-parameter rule (20 per parameter by default) are an assumption about a run nobody
  // described, not its size.
  const tokensAssumed = r.assumptions.some((x) => x.name === 'tokensPerParameter' && x.origin !== 'override');
  if (tokensAssumed || isDefault(run.params.total.source) || isDefault(run.tokens?.source) || isDefault(run.samples?.source)) return 'size-defaulted';
  return undefined;
}

export function workspaceTotal(analyses: readonly DocumentAnalysis[]): WorkspaceTotal {
  const out: WorkspaceTotal = { energyJ: 0, co2Kg: 0, counted: [], excluded: [] };
  const seen = new Map<string, string>();
  for (const a of analyses) {
    const reason = exclusionOf(a);
    if (reason) {
      out.excluded.push({ file: a.file, reason });
      continue;
    }
    const key = runKey(a);
    const of = seen.get(key);
    if (of !== undefined) {
      out.excluded.push({ file: a.file, reason: 'duplicate', of });
      continue;
    }
    seen.set(key, a.file);
    const acc = a.report!.accelerator;
    out.counted.push(a.file);
    out.energyJ += acc.energyJ;
    out.co2Kg += acc.co2Kg;
  }
  return out;
}

/** "12 left out: 5 without an estimate, 4 duplicates …", in the order of EXCLUSION_LABELS; empty when none. */
export function exclusionSummary(t: WorkspaceTotal, short = false): string {
  if (t.excluded.length === 0) return '';
  const parts = (Object.keys(EXCLUSION_LABELS) as ExclusionReason[])
    .map((k) => [k, t.excluded.filter((e) => e.reason === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${(short ? EXCLUSION_SHORT : EXCLUSION_LABELS)[k]}`);
  return `${t.excluded.length} left out of the total: ${parts.join(', ')}`;
}

/** Estimate Workspace's one-line result: configs, the total of distinct runs of known size, what it leaves out. */
export function workspaceMessage(configs: number, estimated: number, total: WorkspaceTotal, withProblems: number): string {
  return (
    `LIM Lens: ${configs} config${configs === 1 ? '' : 's'}, ${estimated} with an estimate` +
    (total.counted.length > 0 ? ` · ≈ ${formatEnergy(total.energyJ)} on accelerators for ${total.counted.length} distinct run${total.counted.length === 1 ? '' : 's'}` : ' · no run of known size to total') +
    (total.excluded.length ? ` · ${exclusionSummary(total, true)}` : '') +
    (withProblems ? ` · ${withProblems} with problems` : '')
  );
}

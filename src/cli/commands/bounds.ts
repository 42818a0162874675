import {
  BOUND_DEFAULTS,
  BOUND_PRESETS,
  computeEnergyBounds,
  findBoundPreset,
  findHardware,
  hardwareIds,
  resolveBoundInputs,
  validateBoundInputs,
  SECONDS_PER_YEAR,
  PROVENANCE,
  BARRIER_CHARGES,
  OPS_COUNTS,
  provenanceTag,
  formatBound,
  formatSci,
  formatSig,
  type BarrierCharge,
  type EnergyBounds,
  type OpsCount,
  type PartialBoundInputs,
} from '../../core';
import { numberFlag, parseFlags, stringFlag, type FlagSpecs } from '../args';
import { renderTable } from '../table';
import { UsageError } from '../usage';
import { commandFlags } from './flags';

const FLAGS: FlagSpecs = commandFlags(
  undefined,
  [
    'params', 'flops', 'tokens', 'bits', 'temperature', 'alpha', 'tau', 'cu', 'f0', 'retention-years',
    'barrier-charge', 'ops-count', 'hardware', 'utilization', 'pue', 'power-w', 'preset',
  ],
  ['json'],
);

export const BOUNDS_HELP = `lim-lens bounds — energy bounds of training (learning-in-memory, Landauer, static barrier, accelerator)

Usage: lim-lens bounds --params N (--flops F | --tokens D) [options]
       lim-lens bounds --preset brain-scale [options]

Model and run:
  --params N          trained parameters (1e15, 7B, 300B …)
  --flops F           training operations; or
  --tokens D          training tokens, OPS = 6·N·D
  --bits B            precision per parameter in bits (default ${BOUND_DEFAULTS.bits})
  --cu C              operations per parameter update (default ${BOUND_DEFAULTS.opsPerUpdate})
Physics:
  --temperature K     temperature in kelvin (default ${BOUND_DEFAULTS.temperatureK})
  --alpha A           power-law plasticity schedule P_n ∝ n^-α (default ${BOUND_DEFAULTS.alpha}); or
  --tau T             exponential schedule P_n = exp(-n/τ), τ in updates
  --f0 HZ             attempt frequency of the memory (default 1e13)
  --retention-years Y retention required of consolidated memory (default 10)
Reconstruction choices (where the paper leaves the model open):
  --barrier-charge C  ${BARRIER_CHARGES.join(' | ')}: each update pays the full plasticity barrier, or
                      only the barrier's rises are paid (default ${BOUND_DEFAULTS.barrierCharge})
  --ops-count K       ${OPS_COUNTS.join(' | ')}: OPS counts FLOPs (paper v1, v2), or model updates at
                      6 FLOPs per parameter per token (paper v3) (default ${BOUND_DEFAULTS.opsCount})
Accelerator:
  --hardware ID       ${hardwareIds().join(', ')} (default ${BOUND_DEFAULTS.hardwareId})
  --utilization U     model FLOP utilisation, 0–1 (default ${BOUND_DEFAULTS.utilization})
  --pue P             data-centre power usage effectiveness (default ${BOUND_DEFAULTS.pue})
  --power-w W         device power instead of the profile's TDP
Other:
  --preset ID         ${BOUND_PRESETS.map((p) => p.id).join(', ')}; flags given with it override it
  --json              machine-readable output

Provenance: every bound except the accelerator projection is the ${PROVENANCE.limModel.label}: a physical floor for
hypothetical learning-in-memory hardware, not an estimate of a run.`;

/** Turns the flags into bound inputs; every problem is a UsageError naming its flag. */
export function boundsInputsFromArgs(argv: string[]): { inputs: PartialBoundInputs; preset?: string; json: boolean } | 'help' {
  const { values } = parseFlags(argv, FLAGS);
  if (values.help) return 'help';
  const presetId = stringFlag(values, 'preset');
  const preset = presetId === undefined ? undefined : findBoundPreset(presetId);
  if (presetId !== undefined && !preset) {
    throw new UsageError(`--preset: unknown preset "${presetId}" (known: ${BOUND_PRESETS.map((p) => p.id).join(', ')})`);
  }
  const base: Partial<PartialBoundInputs> = { ...(preset?.inputs ?? {}) };

  const params = numberFlag(values, 'params') ?? base.params;
  if (params === undefined) throw new UsageError('--params is required (or use --preset brain-scale)');
  const flops = numberFlag(values, 'flops');
  const tokens = numberFlag(values, 'tokens');
  if (flops !== undefined && tokens !== undefined) throw new UsageError('--flops and --tokens are alternatives; give one');
  const totalFlops = flops ?? (tokens !== undefined ? 6 * params * tokens : base.flops);
  if (totalFlops === undefined) throw new UsageError('--flops or --tokens is required');

  const alpha = numberFlag(values, 'alpha', { min: 0 });
  const tau = numberFlag(values, 'tau');
  if (alpha !== undefined && tau !== undefined) throw new UsageError('--alpha and --tau choose different schedules; give one');

  const hardwareId = stringFlag(values, 'hardware');
  if (hardwareId !== undefined && !findHardware(hardwareId)) {
    throw new UsageError(`--hardware: unknown hardware "${hardwareId}" (known: ${hardwareIds().join(', ')})`);
  }
  const retentionYears = numberFlag(values, 'retention-years');
  const barrierCharge = choiceFlag(stringFlag(values, 'barrier-charge'), '--barrier-charge', BARRIER_CHARGES);
  const opsCount = choiceFlag(stringFlag(values, 'ops-count'), '--ops-count', OPS_COUNTS);
  const inputs: PartialBoundInputs = {
    ...base,
    params,
    flops: totalFlops,
    bits: numberFlag(values, 'bits', { min: 0, exclusive: true, max: 64 }) ?? base.bits,
    temperatureK: numberFlag(values, 'temperature', { min: 0, exclusive: true, max: 1e4 }) ?? base.temperatureK,
    opsPerUpdate: numberFlag(values, 'cu') ?? base.opsPerUpdate,
    schedule:
      alpha !== undefined ? { kind: 'power-law', alpha } : tau !== undefined ? { kind: 'exponential', tau } : base.schedule,
    attemptFrequencyHz: numberFlag(values, 'f0') ?? base.attemptFrequencyHz,
    retentionS: retentionYears !== undefined ? retentionYears * SECONDS_PER_YEAR : base.retentionS,
    barrierCharge: barrierCharge ?? base.barrierCharge,
    opsCount: opsCount ?? base.opsCount,
    hardwareId: hardwareId ?? base.hardwareId,
    utilization: numberFlag(values, 'utilization', { min: 0, exclusive: true, max: 1 }) ?? base.utilization,
    pue: numberFlag(values, 'pue', { min: 1 }) ?? base.pue,
    powerW: numberFlag(values, 'power-w') ?? base.powerW,
  };
  return { inputs, preset: preset?.id, json: values.json === true };
}

/** A flag that takes one of a few words; a UsageError naming the flag and the words otherwise. */
function choiceFlag<T extends BarrierCharge | OpsCount>(raw: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  const found = allowed.find((a) => a === raw.trim().toLowerCase());
  if (!found) throw new UsageError(`${flag}: unknown value "${raw}" (known: ${allowed.join(', ')})`);
  return found;
}

/** Maps a core field path back to the flag a user typed, for error messages. */
const FIELD_TO_FLAG: Record<string, string> = {
  params: '--params',
  flops: '--flops',
  bits: '--bits',
  temperatureK: '--temperature',
  opsPerUpdate: '--cu',
  'schedule.alpha': '--alpha',
  'schedule.tau': '--tau',
  attemptFrequencyHz: '--f0',
  retentionS: '--retention-years',
  barrierCharge: '--barrier-charge',
  opsCount: '--ops-count',
  'accelerator.peakFlops': '--hardware',
  'accelerator.powerW': '--power-w',
  'accelerator.utilization': '--utilization',
  'accelerator.pue': '--pue',
};

export function boundsJson(b: EnergyBounds, preset?: string) {
  const x = b.inputs;
  const lim = b.results.find((r) => r.modelId === 'lim-reconstructed') ?? b.results[1];
  return {
    ...(preset ? { preset } : {}),
    inputs: {
      params: x.params,
      flops: x.flops,
      bits: x.bits,
      temperatureK: x.temperatureK,
      opsPerUpdate: x.opsPerUpdate,
      schedule: x.schedule,
      attemptFrequencyHz: x.attemptFrequencyHz,
      retentionS: x.retentionS,
      barrierCharge: x.barrierCharge,
      opsCount: x.opsCount,
      hardware: x.accelerator,
      updatesPerParameter: b.derived.updatesPerParameter,
    },
    model: { id: lim.modelId, name: lim.name, label: lim.provenance.label, provenance: lim.provenance.kind, source: lim.provenance.source },
    energy: b.energy,
    derived: b.derived,
    models: b.results.map((r) => ({
      id: r.modelId,
      name: r.name,
      provenance: r.provenance,
      totalJ: r.totalJ,
      terms: r.terms,
    })),
    walls: b.walls,
    paper: {
      claim: PROVENANCE.paperHeadline.label,
      source: PROVENANCE.paperHeadline.source,
      versions: PROVENANCE.paperHeadline.paperVersions,
    },
  };
}

export function boundsTable(b: EnergyBounds): string {
  const x = b.inputs;
  const e = b.energy;
  const sched = x.schedule.kind === 'power-law' ? `α = ${x.schedule.alpha}` : `τ = ${formatSci(x.schedule.tau, 3)} updates`;
  const header = [
    'LIM Lens — energy bounds of training',
    `  N = ${formatSci(x.params, 4)} parameters · OPS = ${formatSci(x.flops, 4)} FLOP · U = ${formatSci(b.derived.updatesPerParameter, 4)} updates/parameter`,
    `  b = ${x.bits} bit · T = ${x.temperatureK} K · ${sched} · c_u = ${x.opsPerUpdate} · retention barrier ${formatSig(b.derived.retentionBarrierKT, 4)} kT`,
    ...(x.barrierCharge !== BOUND_DEFAULTS.barrierCharge || x.opsCount !== BOUND_DEFAULTS.opsCount
      ? [`  reconstruction: barrier charged ${x.barrierCharge === 'rises-only' ? 'on its rises only' : 'in full on every update'} · OPS counted as ${x.opsCount === 'model-updates' ? 'model updates (FLOPs / 6 per parameter)' : 'FLOPs'}`]
      : []),
    '',
  ];
  const acc = x.accelerator;
  const rows = [
    ['Landauer (adiabatic) E_L', e.landauer, 'model'],
    ['LIM non-equilibrium E_neq', e.limNonEquilibrium, 'model'],
    ['LIM bound E_LIM = E_neq + E_L', e.lim, 'model'],
    ['Static-barrier memory E_static', e.staticBarrier, 'model'],
    [`${acc.name} (${formatSig(acc.utilization * 100, 3)} % util., PUE ${acc.pue})`, e.accelerator, 'data'],
  ] as const;
  // The bounds in the one notation every surface uses (formatBound: the estimates' adaptive units), with the exact
  // joules beside them for comparison with the paper's figures.
  const table = renderTable(
    [{ header: 'energy' }, { header: 'value', align: 'right' }, { header: 'joules', align: 'right' }, { header: '× E_L', align: 'right' }, { header: 'kind' }],
    rows.map(([label, j, kind]) => [label, formatBound(j), formatSci(j, 4), j / e.landauer < 1e4 ? formatSig(j / e.landauer, 3) : formatSci(j / e.landauer, 3), `[${kind}]`]),
  );
  const walls = renderTable(
    [{ header: 'paradigm' }, { header: 'memory wall', align: 'right' }, { header: 'update wall', align: 'right' }, { header: 'consolidation', align: 'right' }, { header: 'total', align: 'right' }],
    b.walls.map((w) => [w.label, w.memoryJ === 0 ? '—' : formatBound(w.memoryJ), formatBound(w.updateJ), formatBound(w.consolidationJ), formatBound(w.totalJ)]),
  );
  return [
    ...header,
    table,
    '',
    `  Accelerator / LIM: ${b.derived.ordersAcceleratorOverLim.toFixed(2)} orders of magnitude · LIM / Landauer: ${formatSig(b.derived.limOverLandauer, 3)}×`,
    '',
    '  Walls by paradigm:',
    walls,
    '',
    `  [model] ${PROVENANCE.limModel.label}; [data] hardware profile and utilisation.`,
    `  ${provenanceTag(PROVENANCE.paperHeadline)} ${PROVENANCE.paperHeadline.label.replace(/^Paper headline: /, '')}.`,
  ].join('\n');
}

export function runBounds(argv: string[], out: (s: string) => void): number {
  const parsed = boundsInputsFromArgs(argv);
  if (parsed === 'help') {
    out(BOUNDS_HELP);
    return 0;
  }
  const inputs = resolveBoundInputs(parsed.inputs);
  const issues = validateBoundInputs(inputs);
  if (issues.length > 0) {
    const first = issues[0];
    throw new UsageError(`${FIELD_TO_FLAG[first.field] ?? first.field}: ${first.message}`);
  }
  const bounds = computeEnergyBounds(inputs);
  out(parsed.json ? JSON.stringify(boundsJson(bounds, parsed.preset), null, 2) : boundsTable(bounds));
  return 0;
}

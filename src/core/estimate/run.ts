import type { Schedule } from '../bounds/inputs';
import { embeddingParams, type RunFacts } from '../configs/facts';
import type { Architecture, ModelShape } from '../configs/shape';
import type { ConfigDiagnostic, ConfigFormat, FieldLocation, Source, Sourced } from '../configs/types';
import { DEFAULT_REASONS, ESTIMATE_DEFAULTS, type Assumption, type EstimateAssumptions, type EstimateSettings, type RunOverrides } from './assumptions';
import { adapterParams, trainingFlops, type FlopsBreakdown } from './flops';
import { compact } from '../configs/formats/context';
import { sizeFinetune } from './datasets';

/** A training run with every number resolved and each one's provenance (read, defaulted, set or computed). */
export interface TrainingRun {
  file: string;
  format: ConfigFormat;
  name?: string;
  model?: {
    family: string;
    modelType: string;
    architecture: Architecture;
    convention: string;
    formula: string;
    source: Source;
    anchor?: FieldLocation;
    layers: number;
    heads: number;
    headDim: number;
    /** Token, position and output embeddings. */
    embeddingParams: number;
  };
  params: { total: Sourced<number>; active: Sourced<number>; trained: Sourced<number> };
  tokens?: Sourced<number>;
  samples?: Sourced<number>;
  epochs?: Sourced<number>;
  sequenceLength?: Sourced<number>;
  flops: Sourced<number>;
  flopsBreakdown: FlopsBreakdown;
  precisionBits: Sourced<number>;
  hardware: Sourced<string>;
  devices: Sourced<number>;
  hours?: Sourced<number>;
  deviceHours?: Sourced<number>;
  utilization: Sourced<number>;
  powerW?: Sourced<number>;
  pue: Sourced<number>;
  gridKgPerKwh: Sourced<number>;
  temperatureK: Sourced<number>;
  schedule: Schedule;
  lora?: {
    method: 'lora' | 'qlora' | 'dora';
    rank: Sourced<number>;
    targets: string[] | 'all-linear';
    /** The adapters of the blocks' linears. */
    adapterParams: Sourced<number>;
    /** The embedding matrices trained besides them (in full, or through adapters of their own); in `params.trained`. */
    embeddingParams?: Sourced<number>;
    baseBits?: Sourced<number>;
  };
  /** Fine-tunes and preference runs: what makes them one, and what in the file bounds their size. */
  finetune?: {
    evidence: string;
    objective: 'sft' | 'preference';
    pairs: boolean;
    rows?: Sourced<number>;
    epochs?: Sourced<number>;
    tokensPerRow?: Sourced<number>;
  };
  /**
   * Set when nothing in the file bounds the run: there is no total, and `flops` (and the energy computed from it) is
   * that of one unit of data: 1,000 rows, one epoch of `rows` rows, or a million tokens when the length of a row is
   * unknown. `tokens` is then absent.
   */
  perRows?: PerRows;
}

export interface PerRows {
  unit: 'rows' | 'epoch' | 'tokens';
  /** Rows in the unit (1,000, or one epoch's rows); absent for the million-token unit. */
  rows?: number;
  tokensPerRow?: Sourced<number>;
  /** Tokens in the unit. */
  tokens: Sourced<number>;
  /** "per 1,000 rows", "per epoch (2,000 rows)", "per million tokens". */
  label: string;
  /** What the file would need to say for a total. */
  missing: string;
}

export interface ResolvedRun {
  run?: TrainingRun;
  assumptions: Assumption[];
  diagnostics: ConfigDiagnostic[];
}

/** Chooses override > file > setting > built-in default for each value and records which was used. */
class Resolver {
  readonly assumptions: Assumption[] = [];
  private readonly a: EstimateAssumptions;

  constructor(private readonly settings: EstimateSettings) {
    this.a = Object.assign({}, ESTIMATE_DEFAULTS, stripUndefined(settings.assumptions ?? {}));
  }

  override<K extends keyof RunOverrides>(key: K): Sourced<NonNullable<RunOverrides[K]>> | undefined {
    const v = this.settings.overrides?.[key];
    if (v === undefined) return undefined;
    const name = this.settings.overrideLabel?.(key) ?? `override ${key}`;
    this.assumptions.push({ name: key, value: v, origin: 'override', reason: `set by ${name}` });
    return { value: v as NonNullable<RunOverrides[K]>, source: { kind: 'setting', name } };
  }

  fallback<K extends keyof EstimateAssumptions>(key: K, why?: string): Sourced<EstimateAssumptions[K]> {
    const user = this.settings.assumptions?.[key] !== undefined;
    const value = this.a[key];
    const reason = why ?? DEFAULT_REASONS[key];
    if (user) {
      const name = this.settings.settingLabel?.(key) ?? `setting ${key}`;
      this.assumptions.push({ name: key, value, origin: 'setting', reason: `set by ${name}` });
      return { value, source: { kind: 'setting', name } };
    }
    this.assumptions.push({ name: key, value, origin: 'built-in default', reason });
    return { value, source: { kind: 'default', name: key, reason } };
  }

  pick<K extends keyof RunOverrides & keyof EstimateAssumptions>(key: K, fromFile: Sourced<number> | Sourced<string> | undefined): Sourced<NonNullable<EstimateAssumptions[K]>> {
    return (this.override(key) ?? fromFile ?? this.fallback(key)) as Sourced<NonNullable<EstimateAssumptions[K]>>;
  }

  get values(): EstimateAssumptions {
    return this.a;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const computed = (value: number, formula: string): Sourced<number> => ({ value, source: { kind: 'computed', formula } });

function diagnostic(file: string, code: string, message: string, severity: ConfigDiagnostic['severity'] = 'warning', at?: FieldLocation): ConfigDiagnostic {
  return { file, line: at?.line ?? 1, column: at?.column ?? 1, field: at?.path.join('.') ?? '', severity, code, message, offset: at?.offset ?? 0, length: at?.length ?? 0 };
}

// toLocaleString goes through ICU and costs microseconds; formulas are built for every file of a scan.
const fmt = (x: number) => (Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x).replace(/\B(?=(\d{3})+$)/g, ',') : x.toPrecision(4));

/** Resolves a file's facts into a TrainingRun; a run without any model size gives diagnostics instead. */
export function resolveRun(facts: RunFacts, settings: EstimateSettings = {}): ResolvedRun {
  const res = new Resolver(settings);
  const diagnostics: ConfigDiagnostic[] = [];
  for (const a of facts.assumptions ?? []) res.assumptions.push({ name: a.name, value: a.value, origin: 'built-in default', reason: a.reason });
  const shape: ModelShape | undefined = facts.model?.shape;
  const anchor = facts.model?.anchor;

  let total: Sourced<number>;
  let active: Sourced<number>;
  if (facts.params) {
    total = facts.params;
    active = facts.activeParams ?? facts.params;
  } else if (shape) {
    total = computed(shape.params.total, shape.formula);
    active =
      shape.params.active === shape.params.total
        ? total
        : computed(shape.params.active, `active per token: ${shape.experts?.perToken} of ${shape.experts?.total} experts (${shape.formula})`);
  } else {
    if (facts.modelRef) {
      diagnostics.push(
        diagnostic(facts.file, 'unknown-model', `model ${JSON.stringify(facts.modelRef.value)} is not in the bundled table of known shapes and no config.json was found beside this file`, 'warning', locOf(facts.modelRef.source)),
      );
    }
    return { assumptions: res.assumptions, diagnostics };
  }

  const vision = shape?.forwardMacsPerSample !== undefined;
  const devices = res.pick('devices', facts.devices);
  const bits = res.override('bits') ?? facts.precisionBits ?? res.fallback('bits');
  const hardware = res.pick('hardwareId', facts.hardware) as Sourced<string>;

  let sequenceLength = facts.sequenceLength ?? facts.batch?.sequenceLength;
  let tokens: Sourced<number> | undefined;
  let samples: Sourced<number> | undefined;
  let epochs: Sourced<number> | undefined;
  const tokensOverride = res.override('tokens');
  const flopsOverride = res.override('flops');
  const givenFlops = flopsOverride ?? facts.flops;

  if (vision) {
    samples = facts.samples ?? res.fallback('visionSamples');
    epochs = facts.epochs ?? res.fallback('visionEpochs');
  } else if (tokensOverride ?? facts.tokens) {
    tokens = tokensOverride ?? facts.tokens;
  } else if (facts.batch) {
    const b = facts.batch;
    if (!sequenceLength && shape?.maxPositions) {
      const reason = `sequence length not set: the model's context length ${shape.maxPositions}`;
      res.assumptions.push({ name: 'sequenceLength', value: shape.maxPositions, origin: 'built-in default', reason });
      sequenceLength = { value: shape.maxPositions, source: { kind: 'default', name: 'sequenceLength', reason } };
    }
    if (sequenceLength) {
      const perDevice = b.perDevice ? devices.value : 1;
      // A preference pair is two sequences (chosen and rejected), each up to the sequence length.
      const pairs = facts.finetune?.pairs ? 2 : 1;
      tokens = computed(
        b.steps.value * b.sequencesPerStep.value * perDevice * sequenceLength.value * pairs,
        `steps (${fmt(b.steps.value)}) × sequences per step (${fmt(b.sequencesPerStep.value)})${b.perDevice ? ` × devices (${devices.value})` : ''} × sequence length (${fmt(sequenceLength.value)})${pairs === 2 ? ' × 2 (chosen + rejected)' : ''}`,
      );
    }
  }
  if (!vision && !tokens && givenFlops) tokens = computed(givenFlops.value / (6 * active.value), `D = FLOPs / (6·N_active) = ${fmt(givenFlops.value)} / (6 × ${fmt(active.value)})`);
  // A fine-tune is sized by what bounds it in the file (epochs × rows × length cap), never by the pretraining rule;
  // when nothing does, there is no total: the estimate is per unit of data, and a warning says what to add.
  let finetune: TrainingRun['finetune'];
  let perRows: PerRows | undefined;
  if (facts.finetune) {
    const ft = facts.finetune;
    const size = sizeFinetune(ft);
    finetune = compact({ evidence: ft.evidence, objective: ft.objective, pairs: ft.pairs, rows: size.rows, epochs: size.epochs, tokensPerRow: size.tokensPerRow });
    // A per-epoch step cap (torchtune) stops an epoch early but never runs past the data: both are upper bounds.
    if (tokens && !tokensOverride && !facts.tokens && facts.batch && ft.stepsWithinEpochs && size.tokens && size.tokens.value < tokens.value) {
      tokens = computed(size.tokens.value, `the lesser of the step cap's ${fmt(tokens.value)} and the data's ${size.tokens.source.kind === 'computed' ? size.tokens.source.formula : fmt(size.tokens.value)}`);
    }
    if (!vision && !tokens) {
      if (size.tokens) tokens = size.tokens;
      else {
        perRows = unitOfData(size.rows, size.tokensPerRow, size.missing, ft.sizeHint);
        const known = [
          size.rows ? `${fmt(size.rows.value)} training rows` : undefined,
          size.epochs ? `${size.epochs.value} epoch${size.epochs.value === 1 ? '' : 's'}` : undefined,
          size.tokensPerRow ? `at most ${fmt(size.tokensPerRow.value)} tokens per row` : undefined,
        ].filter(Boolean);
        diagnostics.push(
          diagnostic(
            facts.file,
            'finetune-unsized',
            `${ft.evidence}: a ${ft.objective === 'preference' ? 'preference run' : 'fine-tune'}, not sized as pretraining, but nothing in the file bounds its size (${size.missing.join('; ')}${known.length ? `; known: ${known.join(', ')}` : ''}). No total: the energy is given ${perRows.label}. Add ${ft.sizeHint}, or give tokens: in a *.lim.yaml with config: pointing at this file`,
          ),
        );
      }
    }
  }
  if (!vision && !tokens && !perRows) {
    // The rule is a compute-optimal budget for decoder language models, per parameter that does work on each token:
    // a mixture of experts is sized on its active parameters (at a fixed top-k, more experts add no FLOPs per token,
    // so they must not add tokens either). Encoders and encoder-decoders were not in the fit, and the reason says so.
    const moe = active.value !== total.value;
    const arch = shape?.architecture;
    const notes = [
      facts.epochsWithoutDataset ? 'the epoch count alone does not give D without the dataset size' : undefined,
      moe ? 'counted on the active parameters of the mixture of experts' : undefined,
      arch === 'encoder' || arch === 'encoder-decoder' ? `the rule is for decoder language models; this is an ${arch} model, for which it is only a rough guess` : undefined,
    ].filter(Boolean);
    const tpp = res.fallback('tokensPerParameter', notes.length ? `${DEFAULT_REASONS.tokensPerParameter}; ${notes.join('; ')}` : undefined);
    const n = moe ? active.value : total.value;
    tokens = computed(tpp.value * n, `D = ${tpp.value} tokens per parameter × ${moe ? 'N_active' : 'N'} (${fmt(n)})`);
  }

  let lora: TrainingRun['lora'];
  let trained = total;
  if (facts.lora && shape) {
    const n = adapterParams(shape, facts.lora.rank.value, facts.lora.targets);
    const emb = facts.lora.embeddings ? embeddingParams(shape, facts.lora.rank.value, facts.lora.embeddings) : undefined;
    if (n > 0 || emb) {
      const blockTargets = facts.lora.targets === 'all-linear' ? 'every linear layer' : facts.lora.targets.filter((t) => t !== 'embed_tokens' && t !== 'lm_head').join(', ');
      const adapter = computed(n, `LoRA: Σ rank (${facts.lora.rank.value}) × (in + out) over ${blockTargets} × ${shape.layers} layers`);
      const embedding = emb ? computed(emb.params, emb.formula) : undefined;
      lora = compact({ method: facts.lora.method, rank: facts.lora.rank, targets: facts.lora.targets, adapterParams: adapter, embeddingParams: embedding, baseBits: facts.lora.baseBits });
      trained = embedding ? computed(n + embedding.value, `adapters (${fmt(n)}) + embeddings (${fmt(embedding.value)}): ${emb!.formula}`) : adapter;
    } else {
      diagnostics.push(diagnostic(facts.file, 'lora-targets', `no LoRA target module matches this model's layers (${shape.linears.map((l) => l.name).join(', ')}); counted as full training`, 'warning'));
    }
  }

  const { flops, breakdown } = trainingFlops({
    given: givenFlops,
    shape,
    activeParams: active.value,
    totalParams: total.value,
    tokens: tokens?.value ?? perRows?.tokens.value,
    samples: samples?.value,
    epochs: epochs?.value,
    sequenceLength: sequenceLength?.value,
    // Weight gradients for every trained weight: the adapters and the embedding matrices trained besides them.
    adapterParams: lora ? trained.value : undefined,
  });

  const run: TrainingRun = {
    file: facts.file,
    format: facts.format,
    name: facts.name,
    model: shape
      ? {
          family: shape.family,
          modelType: shape.modelType,
          architecture: shape.architecture,
          convention: shape.convention,
          formula: shape.formula,
          source: facts.model!.source,
          anchor,
          layers: shape.layers,
          heads: shape.heads,
          headDim: shape.headDim,
          embeddingParams: shape.params.embedding,
        }
      : undefined,
    params: { total, active, trained },
    tokens,
    samples,
    epochs,
    sequenceLength,
    flops,
    flopsBreakdown: breakdown,
    precisionBits: bits,
    hardware,
    devices,
    hours: res.override('hours') ?? facts.hours,
    deviceHours: res.override('deviceHours') ?? facts.deviceHours,
    utilization: res.pick('utilization', facts.utilization),
    powerW: res.override('powerW') ?? facts.powerW ?? (res.values.powerW !== undefined ? (res.fallback('powerW') as Sourced<number>) : undefined),
    pue: res.pick('pue', facts.pue),
    gridKgPerKwh: res.pick('gridKgPerKwh', facts.gridKgPerKwh),
    temperatureK: facts.temperatureK ?? res.fallback('temperatureK'),
    schedule: res.fallback('schedule').value,
    lora,
    finetune,
    perRows,
  };
  return { run: compact(run), assumptions: res.assumptions, diagnostics };
}

const MILLION = 1_000_000;
const ROWS_UNIT = 1000;

/** The unit of data an unsized fine-tune is estimated for: one epoch of known rows, 1,000 rows, or a million tokens. */
function unitOfData(rows: Sourced<number> | undefined, tokensPerRow: Sourced<number> | undefined, missing: string[], hint: string): PerRows {
  const why = `${missing.join('; ')}: add ${hint}`;
  if (!tokensPerRow) {
    return { unit: 'tokens', tokens: computed(MILLION, 'one million training tokens (the length of a row is unknown)'), label: 'per million training tokens', missing: why };
  }
  if (rows && rows.value > 0) {
    return {
      unit: 'epoch',
      rows: rows.value,
      tokensPerRow,
      tokens: computed(rows.value * tokensPerRow.value, `one epoch: rows (${fmt(rows.value)}) × at most ${fmt(tokensPerRow.value)} tokens per row`),
      label: `per epoch (${fmt(rows.value)} rows)`,
      missing: why,
    };
  }
  return {
    unit: 'rows',
    rows: ROWS_UNIT,
    tokensPerRow,
    tokens: computed(ROWS_UNIT * tokensPerRow.value, `1,000 rows × at most ${fmt(tokensPerRow.value)} tokens per row`),
    label: 'per 1,000 rows',
    missing: why,
  };
}

function locOf(s: Source): FieldLocation | undefined {
  return s.kind === 'read' ? { path: s.field.split('.'), line: s.line, column: s.column, offset: s.offset, length: s.length } : undefined;
}

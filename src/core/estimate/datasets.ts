/**
 * Well-known public fine-tuning datasets: their published sizes, so that a fine-tune that names one and caps its
 * sequence length can be sized from the file (epochs × rows × length cap) instead of the pretraining default.
 *
 * Every row count is the one the dataset's card (or the tool's own documentation) publishes, with that source; a
 * dataset without a published size is not here. No mean tokens per row is listed: none of these cards publishes
 * one, so the length cap of the file bounds each row instead.
 */
import type { FinetuneFacts } from '../configs/facts';
import type { Sourced } from '../configs/types';

export interface KnownDataset {
  /** The Hub id (or the tool's own name for a dataset that lives in its repository). */
  id: string;
  /** Other names configs use for the same data: torchtune builders, LitGPT data classes, LLaMA-Factory names. */
  aliases: readonly string[];
  /** Rows per split, as published. */
  splits: Readonly<Record<string, number>>;
  /** The split a trainer reads when the config names none. */
  defaultSplit: string;
  /** Preference pairs (chosen + rejected) rather than single demonstrations. */
  pairs: boolean;
  /** Where the sizes are published. */
  source: string;
}

/** A dataset of demonstrations published as one `train` split. */
const trainSplit = (id: string, aliases: readonly string[], train: number, source: string): KnownDataset => ({ id, aliases, splits: { train }, defaultSplit: 'train', pairs: false, source });

export const KNOWN_DATASETS: readonly KnownDataset[] = [
  trainSplit('tatsu-lab/alpaca', ['torchtune.datasets.alpaca_dataset', 'alpaca_dataset'], 52_002, 'https://huggingface.co/datasets/tatsu-lab/alpaca (dataset card: train, 52,002 rows)'),
  trainSplit('yahma/alpaca-cleaned', ['torchtune.datasets.alpaca_cleaned_dataset', 'alpaca_cleaned_dataset'], 51_760, 'https://huggingface.co/datasets/yahma/alpaca-cleaned (dataset viewer: train, 51,760 rows)'),
  trainSplit('litgpt.data.Alpaca', ['Alpaca'], 51_759, 'LitGPT tutorials/prepare_dataset.md: Alpaca (cleaned archive), 51,759 samples'),
  trainSplit('mhenrichsen/alpaca_2k_test', ['litgpt.data.Alpaca2k', 'Alpaca2k'], 2_000, 'https://huggingface.co/datasets/mhenrichsen/alpaca_2k_test (alpaca_2000.parquet; LitGPT tutorials/prepare_dataset.md: Alpaca-2k, 2000 samples)'),
  trainSplit('litgpt.data.AlpacaGPT4', ['AlpacaGPT4'], 52_002, 'LitGPT tutorials/prepare_dataset.md: Alpaca-GPT4, 52,002 samples'),
  trainSplit('databricks/databricks-dolly-15k', ['litgpt.data.Dolly', 'Dolly'], 15_011, 'LitGPT tutorials/prepare_dataset.md: Dolly, 15,011 samples (the databricks-dolly-15k card: train, 15,011 rows)'),
  trainSplit('GAIR/lima', ['litgpt.data.LIMA', 'LIMA'], 1_084, 'LitGPT tutorials/prepare_dataset.md: LIMA, 1,084 samples'),
  trainSplit('HuggingFaceH4/deita-10k-v0-sft', ['litgpt.data.Deita', 'Deita'], 9_500, 'LitGPT tutorials/prepare_dataset.md: Deita, 9,500 samples (first turns only, the LitGPT default)'),
  { id: 'akoksal/LongForm', aliases: ['litgpt.data.LongForm', 'LongForm'], splits: { train: 23_652, validation: 2_042, test: 2_045 }, defaultSplit: 'train', pairs: false, source: 'LitGPT tutorials/prepare_dataset.md: LongForm, 23,652 training samples' },
  { id: 'HuggingFaceH4/ultrachat_200k', aliases: [], splits: { train_sft: 207_865, test_sft: 23_110, train_gen: 256_032, test_gen: 28_304 }, defaultSplit: 'train_sft', pairs: false, source: 'https://huggingface.co/datasets/HuggingFaceH4/ultrachat_200k (dataset card: train_sft 207,865, test_sft 23,110, train_gen 256,032, test_gen 28,304)' },
  { id: 'HuggingFaceH4/ultrafeedback_binarized', aliases: [], splits: { train_prefs: 61_135, test_prefs: 2_000, train_sft: 61_135, test_sft: 1_000, train_gen: 61_135, test_gen: 1_000 }, defaultSplit: 'train_prefs', pairs: true, source: 'https://huggingface.co/datasets/HuggingFaceH4/ultrafeedback_binarized (dataset card: train_prefs 61,135, test_prefs 2,000)' },
  { id: 'argilla/distilabel-capybara-dpo-7k-binarized', aliases: [], splits: { train: 7_563 }, defaultSplit: 'train', pairs: true, source: 'https://huggingface.co/datasets/argilla/distilabel-capybara-dpo-7k-binarized (dataset viewer: train, 7,563 rows)' },
  { id: 'HuggingFaceH4/orca_dpo_pairs', aliases: [], splits: { train_prefs: 12_359, test_prefs: 500 }, defaultSplit: 'train_prefs', pairs: true, source: 'https://huggingface.co/datasets/HuggingFaceH4/orca_dpo_pairs (dataset card: train_prefs 12,359, test_prefs 500)' },
  trainSplit('teknium/OpenHermes-2.5', [], 1_001_551, 'https://huggingface.co/datasets/teknium/OpenHermes-2.5 (train, 1,001,551 rows)'),
  trainSplit('identity', [], 91, 'LLaMA-Factory data/identity.json (91 examples)'),
  // A subset (configuration) of a Hub dataset is named <repository>/<subset>, as the Hub's parquet conversion lays it out.
  { id: 'ought/raft/twitter_complaints', aliases: [], splits: { train: 50, test: 3_399 }, defaultSplit: 'train', pairs: false, source: 'https://huggingface.co/datasets/ought/raft (subset twitter_complaints: train 50 rows, the RAFT benchmark\'s 50 labelled examples per task; test 3,399 rows)' },
];

const group = (x: number) => String(x).replace(/\B(?=(\d{3})+$)/g, ',');

const norm = (s: string) => s.trim().toLowerCase().replace(/^hf:\/\//, '').replace(/^datasets\//, '');

const INDEX: ReadonlyMap<string, KnownDataset> = (() => {
  const m = new Map<string, KnownDataset>();
  for (const d of KNOWN_DATASETS) for (const name of [d.id, ...d.aliases]) m.set(norm(name), d);
  return m;
})();

/** A dataset of the table by Hub id, builder, LitGPT class or LLaMA-Factory name (case ignored). */
export function findDataset(name: string): KnownDataset | undefined {
  const n = norm(name);
  return INDEX.get(n) ?? (n.includes('.') && !n.includes('/') ? INDEX.get(n.slice(n.lastIndexOf('.') + 1)) : undefined);
}

/**
 * Rows of a split expression as the Hugging Face `datasets` library slices them: `train`, `train[:95%]`,
 * `train[95%:]`, `train[:1000]`, `train[10%:20%]`. Undefined when the split is not in the table or not parsable.
 */
export function splitRows(d: KnownDataset, split: string | undefined): { rows: number; formula: string } | undefined {
  const expr = (split ?? d.defaultSplit).replace(/\s+/g, '');
  const m = /^([A-Za-z0-9_-]+)(?:\[(-?\d+%?)?:(-?\d+%?)?\])?$/.exec(expr);
  if (!m) return undefined;
  const total = d.splits[m[1]];
  if (total === undefined) return undefined;
  if (m[2] === undefined && m[3] === undefined && !expr.includes('[')) return { rows: total, formula: `${d.id} ${m[1]} (${group(total)} rows)` };
  const at = (s: string | undefined, fallback: number) => {
    if (s === undefined) return fallback;
    const v = s.endsWith('%') ? Math.round((Number(s.slice(0, -1)) / 100) * total) : Number(s);
    const abs = v < 0 ? total + v : v;
    return Math.min(total, Math.max(0, abs));
  };
  const rows = Math.max(0, at(m[3], total) - at(m[2], 0));
  return { rows, formula: `${d.id} ${expr} (${group(rows)} of ${group(total)} rows)` };
}

/** How far the file bounds a fine-tune: rows per epoch, epochs, tokens per row, and the total when all three are known. */
export interface FinetuneSize {
  rows?: Sourced<number>;
  epochs?: Sourced<number>;
  /** At most the length cap per sequence (× 2 for chosen + rejected pairs). */
  tokensPerRow?: Sourced<number>;
  /** epochs × rows × tokens per row: an upper bound, since rows may be shorter than the cap. */
  tokens?: Sourced<number>;
  /** What the file leaves unknown, in words. */
  missing: string[];
}

const computedSource = (value: number, formula: string): Sourced<number> => ({ value, source: { kind: 'computed', formula } });

/** Sizes a fine-tune from what bounds it in the file and the table of known datasets. */
export function sizeFinetune(ft: FinetuneFacts): FinetuneSize {
  const missing: string[] = [];
  const parts: string[] = [];
  let total = 0;
  let rowsKnown = ft.datasets.length > 0;
  if (!rowsKnown) missing.push('the file names no dataset');
  const cap = ft.maxSamplesPerDataset?.value;
  for (const ref of ft.datasets) {
    const d = findDataset(ref.name.value);
    let rows: number | undefined;
    let label: string | undefined;
    if (ref.rows !== undefined) {
      rows = ref.rows;
      label = `${ref.name.value}: ${group(ref.rows)} rows (as the mixer gives them)`;
    } else if (d) {
      const s = splitRows(d, ref.split);
      if (s) {
        rows = Math.floor(s.rows * (ref.fraction ?? 1));
        label = ref.fraction !== undefined ? `${s.formula} × ${ref.fraction}` : s.formula;
      } else if (cap === undefined) missing.push(`split ${JSON.stringify(ref.split)} of ${d.id} is not in the table of known datasets`);
    }
    if (cap !== undefined && (rows === undefined || rows > cap)) {
      rows = cap;
      label = `${ref.name.value}: at most max_samples (${group(cap)})`;
    }
    if (rows === undefined || label === undefined) {
      rowsKnown = false;
      if (!d && ref.rows === undefined) missing.push(`dataset ${JSON.stringify(ref.name.value)} is not in the table of known datasets, so its row count is unknown`);
      continue;
    }
    total += rows;
    parts.push(label);
  }
  let rows: Sourced<number> | undefined;
  if (rowsKnown) {
    const h = ft.heldOut?.value;
    if (h !== undefined) {
      const kept = h < 1 ? Math.floor(total * (1 - h)) : Math.max(0, total - h);
      parts.push(h < 1 ? `less ${h} held out` : `less ${group(h)} rows held out`);
      total = kept;
    }
    rows = computedSource(total, `${parts.join(' + ')} = ${group(total)} rows`);
  }
  let tokensPerRow: Sourced<number> | undefined;
  if (ft.lengthCap) {
    const field = ft.lengthCap.source.kind === 'read' ? ft.lengthCap.source.field : 'the length cap';
    tokensPerRow = computedSource(ft.lengthCap.value * (ft.pairs ? 2 : 1), `at most ${group(ft.lengthCap.value)} tokens per sequence (${field})${ft.pairs ? ' × 2 (chosen + rejected)' : ''}${ft.packed ? ', packed' : ''}`);
  } else missing.push('no length cap per row');
  if (!ft.epochs) missing.push('no epoch count');
  const epochs = ft.epochs;
  let tokens: Sourced<number> | undefined;
  if (rows && epochs && tokensPerRow) {
    tokens = computedSource(
      epochs.value * rows.value * tokensPerRow.value,
      `at most epochs (${epochs.value}) × rows (${rows.source.kind === 'computed' ? rows.source.formula : group(rows.value)}) × tokens per row (${tokensPerRow.source.kind === 'computed' ? tokensPerRow.source.formula : group(tokensPerRow.value)})`,
    );
  }
  return { ...(rows ? { rows } : {}), ...(epochs ? { epochs } : {}), ...(tokensPerRow ? { tokensPerRow } : {}), ...(tokens ? { tokens } : {}), missing };
}

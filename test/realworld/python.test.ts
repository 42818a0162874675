// The real-files stage for Python: every training script and notebook of the shared corpus of real files from public
// repositories (../shared/data/realworld-python, never copied into this repository), analysed as `lim-lens estimate`
// analyses it and checked against the corpus's expected.json (written by hand from the files, independently of LIM
// Lens): exact parameter counts, the kind of run, LoRA rank and adapter size, the batch, accumulation, steps, epochs
// and sequence length the file fixes, tokens, and every value the file takes from the command line listed as an
// assumption. Skips, saying so, where the corpus is absent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimatePaths } from '../../src/cli/commands/estimate';
import { analyzeConfig } from '../../src/core/configs';
import type { DocumentAnalysis } from '../../src/core/estimate';
import { loadPythonParser } from '../../src/node/pythonParser';

const SHARED = process.env.LIM_SHARED_DIR ?? join(__dirname, '..', '..', '..', 'shared');
const DIR = join(SHARED, 'data', 'realworld-python');
const present = existsSync(join(DIR, 'expected.json'));

/**
 * Checks LIM Lens does not pass, each with the reason. A listed check that starts to pass fails the stage until it
 * is taken off this list, so the list stays true.
 */
export const PYTHON_KNOWN_GAPS: ReadonlyArray<readonly [file: string, check: string, reason: string]> = [];

interface Expected {
  kind?: string;
  params?: number | null;
  tokens?: number;
  tokens_upper_bound?: number;
  lora?: { r?: number; trainable_params?: number } | null;
  devices?: number | string;
  training?: Record<string, unknown>;
  runs?: Array<{ kind?: string; params?: number | null; max_steps?: number; per_device_train_batch_size?: number; gradient_accumulation_steps?: number; max_seq_length?: number }>;
  from_command_line?: string[];
}

/** Names of run figures a file fixes, as the expected.json's `training` lists them, and the fields that hold them. */
const FIGURES: Record<string, string[]> = {
  per_device_train_batch_size: ['per_device_train_batch_size'],
  gradient_accumulation_steps: ['gradient_accumulation_steps'],
  max_steps: ['max_steps'],
  num_train_epochs: ['num_train_epochs'],
  max_length: ['max_length'],
  max_seq_length: ['max_seq_length'],
  max_iters: ['max_iters'],
  // A plain loop's batch_size (or a micro-batch) is the per-device batch, read under the Trainer's name.
  batch_size: ['batch_size', 'per_device_train_batch_size'],
  block_size: ['block_size'],
  max_seq_len: ['max_seq_len'],
  micro_batch_size: ['micro_batch_size', 'per_device_train_batch_size'],
  accumulate_grad_batches: ['gradient_accumulation_steps'],
  max_epochs: ['num_train_epochs'],
  train_steps: ['train_steps'],
  sequence_length: ['sequence_length'],
};

const STOP = new Set(['all', 'or', 'and', 'the', 'every', 'default', 'above', 'from', 'for', 'with', 'only', 'values', 'value', 'sizes', 'via', 'launcher', 'required', 'config', 'devices', 'precision', 'positional', 'argument']);

/** The words of an expected.json "from_command_line" entry that name something (model_name_or_path, TrainingArguments …). */
function namesIn(entry: string): string[] {
  return entry
    .split(/[\s,/()]+/)
    .map((w) => w.replace(/-/g, '_').replace(/[^A-Za-z0-9_]/g, '').toLowerCase())
    .filter((w) => w.length >= 2 && !STOP.has(w) && !/^\d/.test(w));
}

interface Checked {
  name: string;
  ok: boolean;
  detail: string;
}

function kindOf(a: ReturnType<typeof analyzeConfig>): string {
  const f = a.facts;
  if (!f) return 'none';
  if (f.finetune?.objective === 'preference') return 'preference';
  if (f.lora) return 'lora';
  if (f.finetune) return 'finetune';
  return 'pretrain';
}

function expectedKind(kind: string): string | undefined {
  if (kind.startsWith('pretrain')) return 'pretrain';
  if (kind.startsWith('finetune-full')) return 'finetune';
  if (kind.startsWith('finetune-lora') || kind.startsWith('finetune-qlora') || kind.startsWith('continued-pretrain-lora')) return 'lora';
  if (kind.startsWith('preference')) return 'preference';
  return undefined;
}

export function checkEntry(key: string, exp: Expected): Checked[] {
  const out: Checked[] = [];
  const add = (name: string, ok: boolean, detail: string) => out.push({ name, ok, detail });
  const path = join(DIR, key);
  const text = readFileSync(path, 'utf8');
  let doc: DocumentAnalysis | undefined;
  let facts: ReturnType<typeof analyzeConfig> | undefined;
  try {
    doc = estimatePaths([path], {}).analyses[0];
    facts = analyzeConfig({ path, text }, { readSibling: () => undefined, explicit: true });
    add('no crash', true, '');
  } catch (e) {
    add('no crash', false, e instanceof Error ? (e.stack ?? e.message) : String(e));
    return out;
  }
  const report = doc?.report;
  const format = key.endsWith('.ipynb') ? 'notebook' : 'python';
  add('read as a Python run', facts.format === format, `expected format ${format}, got ${facts.format}; ${doc?.diagnostics.map((d) => d.message).join(' | ')}`);
  add('not silent', report !== undefined || (doc?.diagnostics.length ?? 0) > 0, `no estimate and no message`);
  const first = exp.runs?.[0];
  const kind = first?.kind ?? exp.kind ?? '';
  const wantKind = expectedKind(kind);
  if (wantKind) add('kind', kindOf(facts) === wantKind, `expected ${kind} (${wantKind}), got ${kindOf(facts)} (${facts.facts?.finetune?.evidence ?? 'no fine-tune evidence'})`);
  const params = first?.params ?? exp.params;
  if (typeof params === 'number') add('params', report?.params.total === params, `expected ${params}, got ${report?.params.total} (${doc?.diagnostics.map((d) => d.message).join(' | ')})`);
  if (exp.lora && typeof exp.lora.r === 'number') add('LoRA rank', facts.facts?.lora?.rank.value === exp.lora.r, `expected r = ${exp.lora.r}, got ${facts.facts?.lora?.rank.value}`);
  if (exp.lora && typeof exp.lora.trainable_params === 'number') add('LoRA adapter parameters', report?.params.trained === exp.lora.trainable_params, `expected ${exp.lora.trainable_params}, got ${report?.params.trained}`);
  if (typeof exp.devices === 'number') add('devices', report?.accelerator.devices === exp.devices, `expected ${exp.devices}, got ${report?.accelerator.devices}`);
  if (typeof exp.tokens === 'number') add('tokens', report?.tokens === exp.tokens, `expected ${exp.tokens}, got ${report?.tokens}`);
  if (typeof exp.tokens_upper_bound === 'number') add('tokens', report?.tokens === exp.tokens_upper_bound, `expected the bound ${exp.tokens_upper_bound}, got ${report?.tokens}`);
  // Each figure the file fixes is read, with its value, from the file.
  const figures = { ...(exp.training ?? {}), ...(first ? Object.fromEntries(Object.entries(first).filter(([k]) => k in FIGURES)) : {}) };
  // A figure counts as read when a field of that name holds it, or when the run uses it as a whole: an effective
  // batch the file writes as micro-batch × accumulation, a sequence length passed on under another name.
  const f = facts.facts;
  // The effective batch a file writes as micro-batch × accumulation (alpaca-lora's batch_size 128 = 4 × 32).
  const readValue = (name: string) => facts.fields.find((x) => x.path[x.path.length - 1] === name && typeof x.value === 'number')?.value as number | undefined;
  const perDevice = readValue('per_device_train_batch_size');
  const accumulation = readValue('gradient_accumulation_steps');
  const used: Record<string, Array<number | undefined>> = {
    batch: [f?.batch?.sequencesPerStep.value, perDevice !== undefined && accumulation !== undefined ? perDevice * accumulation : undefined],
    seq: [f?.sequenceLength?.value, f?.finetune?.lengthCap?.value, f?.batch?.sequenceLength?.value],
    steps: [f?.batch?.steps.value === undefined ? undefined : f.batch.steps.value - 1, f?.batch?.steps.value],
    epochs: [f?.finetune?.epochs?.value, f?.epochsWithoutDataset?.value],
  };
  const role: Record<string, keyof typeof used> = {
    batch_size: 'batch', per_device_train_batch_size: 'batch', micro_batch_size: 'batch', max_length: 'seq', max_seq_length: 'seq', block_size: 'seq', max_seq_len: 'seq',
    sequence_length: 'seq', max_steps: 'steps', max_iters: 'steps', train_steps: 'steps', num_train_epochs: 'epochs', max_epochs: 'epochs',
  };
  for (const [k, v] of Object.entries(figures)) {
    if (typeof v !== 'number' || !(k in FIGURES)) continue;
    const fields = facts.fields.filter((x) => FIGURES[k].includes(x.path[x.path.length - 1]));
    const ok = fields.some((x) => x.value === v) || (role[k] !== undefined && used[role[k]].includes(v));
    add(`reads ${k}`, ok, `expected ${k} = ${v} read from the file, got ${fields.map((x) => `${x.field} = ${JSON.stringify(x.value)}`).join(', ') || 'nothing'}`);
  }
  // A file that trains in stages (expected.json's later `runs`): each later stage's figures are read from its own
  // training arguments, as stages.<n>.<name> (n counted from 1).
  (exp.runs ?? []).slice(1).forEach((stage, i) => {
    for (const [k, v] of Object.entries(stage)) {
      if (typeof v !== 'number' || !(k in FIGURES)) continue;
      const fields = facts.fields.filter((x) => x.path[0] === 'stages' && x.path[1] === String(i + 2) && FIGURES[k].includes(x.path[x.path.length - 1]));
      add(`stage ${i + 2} reads ${k}`, fields.some((x) => x.value === v), `expected ${k} = ${v} read from stage ${i + 2}'s training arguments, got ${fields.map((x) => `${x.field} = ${JSON.stringify(x.value)}`).join(', ') || 'nothing'}`);
    }
  });
  // Every value the file takes from the command line is an assumption that says so.
  const assumptions = facts.facts?.assumptions ?? [];
  const names = assumptions.map((a) => `${a.name} ${a.reason}`.toLowerCase().replace(/-/g, '_'));
  for (const entry of exp.from_command_line ?? []) {
    const words = namesIn(entry);
    if (words.length === 0) continue;
    const hit = words.some((w) => names.some((n) => n.includes(w)));
    add(`command line: ${entry}`, hit && assumptions.some((a) => /command line|environment/.test(a.reason)), `expected an assumption naming one of ${words.join(', ')}; got ${assumptions.map((a) => a.name).join(', ') || 'none'}`);
  }
  return out;
}

describe('real Python training scripts and notebooks from public repositories', { skip: present ? false : `the corpus is not at ${DIR} (it is test data of this workplace; set LIM_SHARED_DIR to run it)` }, async () => {
  if (!present) return;
  assert.ok(await loadPythonParser(), 'the tree-sitter Python parser loads');
  const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;
  const keys = Object.keys(expected).filter((k) => k.startsWith('python/') || k.startsWith('notebooks/')).sort();
  const gaps = new Map(PYTHON_KNOWN_GAPS.map(([f, c, why]) => [`${f}\n${c}`, why]));
  const results = keys.map((k) => ({ key: k, checks: checkEntry(k, expected[k]) }));
  for (const r of results) {
    describe(r.key, () => {
      for (const c of r.checks) {
        const why = gaps.get(`${r.key}\n${c.name}`);
        test(c.name, why ? { todo: `known gap: ${why}` } : {}, () => assert.ok(c.ok, c.detail));
      }
    });
  }
  test('every known gap names a check that exists and still fails', () => {
    const byKey = new Map(results.flatMap((r) => r.checks.map((c) => [`${r.key}\n${c.name}`, c] as const)));
    assert.deepEqual(PYTHON_KNOWN_GAPS.filter(([f, c]) => !byKey.has(`${f}\n${c}`)).map(([f, c]) => `${f}: ${c}`), [], 'gaps that name no check');
    assert.deepEqual(PYTHON_KNOWN_GAPS.filter(([f, c]) => byKey.get(`${f}\n${c}`)?.ok).map(([f, c]) => `${f}: ${c}`), [], 'gaps that pass now: take them off the list');
  });
  test('figures', () => {
    const all = results.flatMap((r) => r.checks);
    console.log(`  real Python files: ${results.length} entries, ${all.filter((c) => c.ok).length} of ${all.length} checks pass, ${PYTHON_KNOWN_GAPS.length} known gaps`);
    assert.ok(results.length >= 33, `the corpus has ${results.length} Python entries`);
  });
});

/**
 * The corpus of real configs from public repositories (the workplace's shared test data, never copied into this
 * repository), and the checks each file must pass: the expected values come with the corpus, computed independently
 * of LIM Lens (`expected-params.json`, `expected-runs.json`). Used by the real-files test stage and by
 * `npm run bench -- realworld`, which prints the figures.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { estimatePaths } from '../../src/cli/commands/estimate';
import type { DocumentAnalysis } from '../../src/core/estimate';

/** `../shared/data/realworld-configs` beside the checkout (or LIM_REALWORLD_CONFIGS). */
export const CORPUS_DIR = process.env.LIM_REALWORLD_CONFIGS ?? join(__dirname, '..', '..', '..', 'shared', 'data', 'realworld-configs');

export const corpusPresent = () => existsSync(join(CORPUS_DIR, 'expected-runs.json'));

export interface ExpectedRun {
  kind: string;
  note: string;
  params: number | null;
  params_tol?: number;
  active?: number | null;
  tokens: number | null;
  tokens_tol?: number;
  tokens_max?: number | null;
  bits?: number;
  lora_rank?: number | null;
  devices?: number;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface FileResult {
  /** Path inside the corpus, e.g. `hf-config/…__config.json`; a folder for a checkpoint folder. */
  file: string;
  kind: string;
  analyses: DocumentAnalysis[];
  estimated: boolean;
  checks: Check[];
}

/** Kinds whose files LIM Lens claims to estimate (the coverage target counts these). */
const NOT_CLAIMED = new Set(['other-format', 'no-model']);

const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(CORPUS_DIR, name), 'utf8')) as T;

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesOf(p) : [p];
  });
}

/** Every corpus entry: each file of the format folders, and each checkpoint folder of `workspace/` as one entry. */
export function corpusEntries(): string[] {
  const out: string[] = [];
  for (const top of readdirSync(CORPUS_DIR).sort()) {
    const p = join(CORPUS_DIR, top);
    if (!statSync(p).isDirectory()) continue;
    if (top === 'workspace') out.push(...readdirSync(p).sort().map((d) => `workspace/${d}`));
    else out.push(...filesOf(p).map((f) => relative(CORPUS_DIR, f)).sort());
  }
  return out;
}

const close = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
const fmt = (x: number | undefined | null) => (x === undefined || x === null ? String(x) : x.toExponential(4));

/** Analyses one entry as `lim-lens estimate <entry>` does, and checks it against what the corpus expects. */
export function evaluate(entry: string, expectedRuns = readJson<Record<string, ExpectedRun>>('expected-runs.json'), expectedParams = readJson<Record<string, { params: number }>>('expected-params.json')): FileResult {
  const exp = expectedRuns[entry];
  const kind = exp?.kind ?? (expectedParams[entry] ? 'model' : 'unlabelled');
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  let analyses: DocumentAnalysis[] = [];
  try {
    analyses = estimatePaths([join(CORPUS_DIR, entry)], {}).analyses;
    add('no crash', true, '');
  } catch (e) {
    add('no crash', false, e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
  const reports = analyses.filter((a) => a.report);
  const report = reports[0]?.report;
  const estimated = report !== undefined;

  // Never silent: a file LIM Lens reads either estimates or says why not.
  if (!NOT_CLAIMED.has(kind) || analyses.length > 0) {
    const silent = analyses.length === 0 ? ['(not read as a config)'] : analyses.filter((a) => !a.report && a.diagnostics.length === 0).map((a) => a.file);
    add('not silent', silent.length === 0, silent.length ? `no estimate and no message: ${silent.join(', ')}` : '');
  }
  if (kind === 'trainer-state' || entry.startsWith('workspace/')) {
    add('one run per folder', reports.length <= 1, `${reports.length} runs: ${reports.map((a) => a.file).join(', ')}`);
  }

  const params = exp?.params ?? expectedParams[entry]?.params ?? null;
  if (params !== null) {
    const tol = exp?.params_tol ?? 0;
    add('params', report !== undefined && close(report.params.total, params, tol), `expected ${params}${tol ? ` ±${tol * 100} %` : ''}, got ${report?.params.total}`);
  }
  if (exp?.active !== undefined && exp.active !== null) add('active params', report !== undefined && close(report.params.active, exp.active, exp.params_tol ?? 0), `expected ${exp.active}, got ${report?.params.active}`);
  if (exp?.tokens !== null && exp?.tokens !== undefined) {
    const tol = exp.tokens_tol ?? 0.01;
    add('tokens', report?.tokens !== undefined && close(report.tokens, exp.tokens, tol), `expected ${fmt(exp.tokens)} ±${tol * 100} %, got ${fmt(report?.tokens)}`);
  }
  if (exp?.tokens_max !== null && exp?.tokens_max !== undefined) {
    const max = exp.tokens_max * (1 + (exp.tokens_tol ?? 0.01));
    add('tokens under the file’s bound', report?.tokens === undefined || report.tokens <= max, `at most ${fmt(exp.tokens_max)}, got ${fmt(report?.tokens)}`);
  }
  if (/^(finetune|preference)/.test(kind)) {
    const chinchilla = report?.assumptions.find((x) => x.name === 'tokensPerParameter');
    add('not sized as pretraining', !chinchilla, chinchilla ? `tokens defaulted: ${chinchilla.reason}` : '');
  }
  if (exp?.lora_rank !== null && exp?.lora_rank !== undefined) add('LoRA rank', report?.run.lora?.rank.value === exp.lora_rank, `expected ${exp.lora_rank}, got ${report?.run.lora?.rank.value}`);
  if (exp?.bits !== undefined) add('precision', report?.precisionBits === exp.bits, `expected ${exp.bits}-bit, got ${report?.precisionBits}`);
  if (exp?.devices !== undefined) add('devices', report?.accelerator.devices === exp.devices, `expected ${exp.devices}, got ${report?.accelerator.devices}`);
  if (kind === 'no-model') {
    const d = analyses.flatMap((a) => a.diagnostics);
    add('says it names no model', !estimated && d.length > 0 && d.every((x) => x.severity !== 'error'), d.map((x) => `${x.severity}: ${x.message}`).join(' | ') || 'no message');
  }
  return { file: entry, kind, analyses, estimated, checks };
}

export interface CorpusSummary {
  files: number;
  claimed: number;
  estimatedClaimed: number;
  checks: number;
  passed: number;
}

export function summarize(results: FileResult[]): CorpusSummary {
  const claimed = results.filter((r) => !NOT_CLAIMED.has(r.kind));
  const all = results.flatMap((r) => r.checks);
  return { files: results.length, claimed: claimed.length, estimatedClaimed: claimed.filter((r) => r.estimated).length, checks: all.length, passed: all.filter((c) => c.ok).length };
}

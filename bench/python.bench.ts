// Python scripts and notebooks as the worker analyses them (src/worker/analysisJobs.ts: parse, read, estimate):
// a 2,000-line training script parsed cold (a document the worker has not seen) and after a one-character edit (the
// kept tree reparsed incrementally), and a 5 MB notebook whose outputs the reader must skip. Also the one-time load
// of the WebAssembly parser. CPU time per call, as bench/configs.bench.ts measures it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPythonParser } from '../src/node/pythonParser';
import { pythonParser } from '../src/core/python/syntax';
import { analyzeDocuments, fieldInfo } from '../src/worker/analysisJobs';
import type { AnalyzeRequest } from '../src/protocol/analysis';
import { percentile, record } from './harness';

function timeCpuCalls(fn: (i: number) => unknown, samples: number, warmup = 20): number[] {
  for (let i = 0; i < warmup; i++) fn(-1 - i);
  const out = new Array<number>(samples);
  for (let i = 0; i < samples; i++) {
    const c0 = process.cpuUsage();
    fn(i);
    const c = process.cpuUsage(c0);
    out[i] = (c.user + c.system) / 1000;
  }
  return out.sort((a, b) => a - b);
}

const head = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'python', 'sft_lora.py'), 'utf8');

/** A 2,000-line training script: the fixture's run, then helpers of the kind real scripts carry. */
function script(lines: number): string {
  const out = [head];
  let n = head.split('\n').length;
  for (let i = 0; n < lines; i++) {
    const block = [
      `def preprocess_${i}(batch, tokenizer, max_length=512):`,
      `    texts = [f"### Instruction: {x}\\n### Response: {y}" for x, y in zip(batch["instruction"], batch["output"])]`,
      '    out = tokenizer(texts, truncation=True, max_length=max_length, padding="max_length")',
      '    out["labels"] = [ids[:] for ids in out["input_ids"]]',
      `    if len(texts) > ${i % 7 + 1}:`,
      `        out["weight"] = [1.0 / (k + ${i}) for k in range(len(texts))]`,
      '    return out',
      '',
    ];
    out.push(block.join('\n'));
    n += block.length;
  }
  return out.join('\n');
}

const request = (path: string, text: string): AnalyzeRequest => ({ docs: [{ path, text }], files: {}, assumptions: {}, detail: 'full' }) as unknown as AnalyzeRequest;

void (async () => {
  const t0 = performance.now();
  if (!(await loadPythonParser())) throw new Error('the Python parser did not load');
  record({ name: 'python parser load (tree-sitter + Python grammar, once per worker)', value: performance.now() - t0, unit: 'ms' });

  const text = script(2000);
  const lines = text.split('\n').length;
  // The first documents a fresh worker parses. V8 runs tree-sitter's WebAssembly first as baseline (Liftoff) code and
  // compiles the hot functions with TurboFan, on background threads, as they run: the first parses pay for that. One
  // sample each (distinct paths and texts), CPU of every thread of the process and wall time.
  const firsts = [1, 2, 3, 10].map(() => 0).map((_, k) => {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    analyzeDocuments(request(`/bench/first-${k}.py`, text.replace('max_steps=1_000', `max_steps=${1_000 + k + 1}`)));
    const c = process.cpuUsage(c0);
    return { cpu: (c.user + c.system) / 1000, wall: performance.now() - w0 };
  });
  for (let k = 4; k < 9; k++) analyzeDocuments(request(`/bench/first-${k}.py`, text.replace('max_steps=1_000', `max_steps=${1_000 + k + 1}`)));
  firsts[3] = (() => {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    analyzeDocuments(request('/bench/first-9.py', text.replace('max_steps=1_000', 'max_steps=1_010')));
    const c = process.cpuUsage(c0);
    return { cpu: (c.user + c.system) / 1000, wall: performance.now() - w0 };
  })();
  const said = (f: { cpu: number; wall: number }) => `${f.cpu.toFixed(1)} CPU / ${f.wall.toFixed(1)} wall`;
  record({
    name: `python script, ${lines} lines: the 1st document a fresh parser analyses (then the 2nd, 3rd, 10th in the note)`,
    value: firsts[0].cpu, unit: 'ms CPU', samples: 1,
    note: `1st ${said(firsts[0])}; 2nd ${said(firsts[1])}; 3rd ${said(firsts[2])}; 10th ${said(firsts[3])} ms`,
  });
  // The tree-sitter parse alone, without reading the tree (no key: nothing kept).
  const parse = pythonParser()!;
  const parseOnly = timeCpuCalls(() => parse(text, undefined, () => 0), 100);
  record({ name: `python script, ${lines} lines: tree-sitter parse alone`, value: percentile(parseOnly, 50), unit: 'ms p50', p50Ms: percentile(parseOnly, 50), p99Ms: percentile(parseOnly, 99), samples: parseOnly.length });
  // Cold: a path the worker has never seen, so no kept tree and no cached parse.
  const cold = timeCpuCalls((i) => {
    const r = analyzeDocuments(request(`/bench/cold-${i}.py`, text));
    if (!r[0].figures) throw new Error('no estimate for the benchmark script');
  }, 200);
  record({ name: `python script, ${lines} lines: parse + analyse, cold`, value: percentile(cold, 50), unit: 'ms p50', p50Ms: percentile(cold, 50), p99Ms: percentile(cold, 99), samples: cold.length, note: 'target < 10 ms' });

  // Incremental: the same document edited one character at a time (alternating a digit of max_steps).
  let flip = false;
  const edit = timeCpuCalls(() => {
    flip = !flip;
    const edited = text.replace('max_steps=1_000', flip ? 'max_steps=1_001' : 'max_steps=1_002');
    analyzeDocuments(request('/bench/edited.py', edited));
  }, 300);
  record({ name: `python script, ${lines} lines: one-character edit, incremental reparse + analyse`, value: percentile(edit, 50), unit: 'ms p50', p50Ms: percentile(edit, 50), p99Ms: percentile(edit, 99), samples: edit.length, note: 'target < 2 ms' });

  // A hover on `r=8` after the edit: the field and how halving or doubling it moves the estimate (the parse is the
  // worker's cached one, as for the hover that follows an analysis).
  const offset = text.indexOf('r=8') + 1;
  const hover = timeCpuCalls(() => {
    const info = fieldInfo({ doc: { path: '/bench/edited.py', text }, files: {}, assumptions: {}, offset } as never);
    if (!info.field) throw new Error('no field under the hover');
  }, 200);
  record({ name: `python script, ${lines} lines: hover on LoraConfig(r=8) (field + sensitivity)`, value: percentile(hover, 50), unit: 'ms p50', p50Ms: percentile(hover, 50), p99Ms: percentile(hover, 99), samples: hover.length });

  // A 5 MB notebook: a dozen code cells and 5 MB of outputs (a base64 image, as plots leave them).
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: ['# QLoRA fine-tune\n'] },
    ...head.split('\n\n').map((chunk, i) => ({ cell_type: 'code', metadata: {}, execution_count: i + 1, source: chunk.split(/(?<=\n)/), outputs: [] as unknown[] })),
  ];
  (cells[2] as { outputs: unknown[] }).outputs.push({ output_type: 'display_data', metadata: {}, data: { 'image/png': 'iVBORw0KGgo'.padEnd(5 * 1024 * 1024, 'A'), 'text/plain': ['<Figure>'] } });
  const nb = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }, null, 1);
  const nbRuns = timeCpuCalls((i) => {
    const r = analyzeDocuments(request(`/bench/nb-${i}.ipynb`, nb));
    if (!r[0].figures) throw new Error('no estimate for the benchmark notebook');
  }, 40, 5);
  record({ name: `notebook, ${(nb.length / 2 ** 20).toFixed(1)} MB (outputs skipped): parse + analyse`, value: percentile(nbRuns, 50), unit: 'ms p50', p50Ms: percentile(nbRuns, 50), p99Ms: percentile(nbRuns, 99), samples: nbRuns.length, note: 'target < 50 ms' });
})();

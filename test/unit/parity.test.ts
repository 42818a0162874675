// The CLI and the editor list the same runs with the same figures for the same folder. The CLI side is
// `lim-lens estimate <folder>` in process (estimatePaths); the editor side is what its workspace index does without
// VS Code: the files the file policy takes as candidates, read under its size and binary rules, analysed by the
// worker's analyzeDocuments in the editor's rounds (src/core/files/rounds.ts), which fetch the sibling files each
// round reports missing, then summarised as the sidebar's RunFigures.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { estimatePaths } from '../../src/cli/commands/estimate';
import { analyzeInRounds, binaryOffset, DEFAULT_FILE_POLICY, isInside, type FilePolicy } from '../../src/core/files';
import { analyzeDocuments, pythonReady } from '../../src/worker/analysisJobs';
import { runFigures } from '../../src/worker/summarize';
import { loadPythonParser } from '../../src/node/pythonParser';
import type { RunFigures } from '../../src/protocol/runs';
import { withoutJoinedRecords } from '../../src/core/measured/shownElsewhere';
import { REALWORLD, realworldSkip } from './estimate/realFiles';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'workspace');
const PYTHON_CORPUS = join(process.env.LIM_SHARED_DIR ?? join(__dirname, '..', '..', '..', 'shared'), 'data', 'realworld-python');
const pythonSkip: string | false = existsSync(join(PYTHON_CORPUS, 'expected.json'))
  ? false
  : `the real Python corpus is not at ${PYTHON_CORPUS} (the workplace's shared test data; set LIM_SHARED_DIR to run it)`;

/** What findFiles + the policy give the workspace index: candidates under the folder, excluded folders not entered. */
function indexCandidates(root: string, policy: FilePolicy, rel = ''): string[] {
  const dir = rel === '' ? root : join(root, rel);
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (!policy.skipsFolder(r)) out.push(...indexCandidates(root, policy, r));
    } else if (e.isFile() && policy.isCandidate(r)) out.push(join(root, r));
  }
  return out;
}

/** The editor's read rules (src/extension/files.ts): inside the workspace, a regular file, within the limit, not binary. */
function editorRead(path: string, root: string, maxBytes: number): string | null {
  try {
    if (!isInside(realpathSync(path), root)) return null;
    const st = statSync(path);
    if (!st.isFile() || st.size > maxBytes) return null;
    const bytes = readFileSync(path);
    return binaryOffset(bytes) === -1 ? bytes.toString('utf8') : null;
  } catch {
    return null;
  }
}

/** The editor's analysis of a folder: every candidate through the rounds, with the files each depends on. */
async function editorAnalysis(root: string) {
  const policy = DEFAULT_FILE_POLICY;
  const docs = indexCandidates(root, policy).flatMap((path) => {
    const text = editorRead(path, root, policy.maxBytes);
    return text === null ? [] : [{ path, text }];
  });
  await pythonReady(docs.map((d) => d.path));
  // The editor's rounds (the function src/extension/analysisService.ts runs), over the worker's analyzeDocuments,
  // reading what each round reports missing under the editor's read rules.
  return analyzeInRounds(docs, {
    pathOf: (d) => d.path,
    analyze: async (pending, files) => analyzeDocuments({ docs: pending, files, assumptions: {}, detail: 'figures' }),
    read: async (wanted) => Object.fromEntries(wanted.map(({ path }) => [path, editorRead(path, root, policy.maxBytes)])),
  });
}

async function editorRuns(folder: string): Promise<Map<string, RunFigures>> {
  const root = realpathSync(folder);
  const analysed = await editorAnalysis(root);
  const deps = new Map(analysed.map((r) => [r.path, r.dependencies]));
  const runs = new Map<string, RunFigures>();
  for (const r of analysed) if (r.recognised && r.figures) runs.set(relative(root, r.path), r.figures);
  // The Training Runs view lists what WorkspaceIndex.list() gives: without the records that joined another run.
  const key = (path: string) => relative(root, path);
  const shown = withoutJoinedRecords(
    [...runs],
    ([k, f]) => ({ path: join(root, k), format: f.format, measured: f.measuredLabel !== undefined }),
    (path) => deps.get(path) ?? [],
  );
  return new Map(shown.map(([k, f]) => [key(join(root, k)), f]));
}

/** The CLI's runs (a record that joined a run of its folder is printed inside that run only). */
function cliRuns(folder: string): { runs: Map<string, RunFigures> } {
  const root = realpathSync(folder);
  const { analyses } = estimatePaths([root], {});
  const runs = new Map<string, RunFigures>();
  for (const a of analyses) {
    const f = runFigures(a);
    if (f) runs.set(relative(root, resolve(a.file)), f);
  }
  return { runs };
}

/** The figures both show; diagnostics by severity and text with the folder's path taken out (the CLI prints relative paths). */
function comparable(f: RunFigures, root: string): unknown {
  const strip = (s: string) => s.split(`${root}/`).join('').split(`${relative(process.cwd(), root)}/`).join('');
  return { ...f, diagnostics: f.diagnostics.map((d) => ({ ...d, message: strip(d.message) })) };
}

async function assertParity(folder: string, atLeast: number): Promise<void> {
  const root = realpathSync(folder);
  // The CLI loads the Python parser before it scans a folder (src/cli/commands/estimate.ts); in process, so does this.
  assert.ok(await loadPythonParser(), 'the Python parser loads');
  const [{ runs: cli }, editor] = [cliRuns(folder), await editorRuns(folder)];
  assert.deepEqual([...editor.keys()].filter((k) => !cli.has(k)), [], 'the sidebar lists no run that lim-lens estimate leaves out');
  assert.deepEqual([...cli.keys()].filter((k) => !editor.has(k)), [], 'lim-lens estimate lists no run the sidebar leaves out');
  assert.ok(cli.size >= atLeast, `${cli.size} runs in ${folder}, expected at least ${atLeast}`);
  for (const [file, f] of cli) assert.deepEqual(comparable(editor.get(file)!, root), comparable(f, root), `figures of ${file}`);
}

describe('the CLI and the editor: one file policy, one pipeline, the same runs', () => {
  test('the fixture workspace the integration tests open', async () => {
    assert.ok(existsSync(join(FIXTURES, 'models')), `fixture workspace missing at ${FIXTURES}`);
    await assertParity(FIXTURES, 7);
  });

  for (const [name, min] of [['configs', 20], ['measured', 1], ['python', 1]] as const) {
    test(`test/fixtures/${name}`, async () => {
      await assertParity(resolve(__dirname, '..', 'fixtures', name), min);
    });
  }

  test('the real-config corpus (read only)', { skip: realworldSkip }, async () => {
    await assertParity(REALWORLD, 80);
  });

  test('the real Python scripts, notebooks and measured records (read only)', { skip: pythonSkip }, async () => {
    await assertParity(PYTHON_CORPUS, 40);
  });

  test('a chain of siblings read by two documents: run file → training config → model folder', async () => {
    // train/args.json reads models/tiny/config.json in the first round; the run file learns it needs the same file
    // only in the second, once it has read train/args.json.
    const dir = mkdtempSync(join(tmpdir(), 'lim-parity-'));
    try {
      mkdirSync(join(dir, 'runs'));
      mkdirSync(join(dir, 'train'));
      mkdirSync(join(dir, 'models', 'tiny'), { recursive: true });
      writeFileSync(join(dir, 'runs', 'tiny.lim.yaml'), 'config: ../train/args.json\nhardware: a100\n');
      writeFileSync(join(dir, 'train', 'args.json'), JSON.stringify({ model_name_or_path: '../models/tiny', per_device_train_batch_size: 2, max_steps: 10, block_size: 128, output_dir: 'o' }));
      writeFileSync(join(dir, 'models', 'tiny', 'config.json'), JSON.stringify({ model_type: 'gpt2', vocab_size: 1000, n_embd: 64, n_layer: 2, n_head: 4, n_positions: 128 }));
      await assertParity(dir, 3);
      // The run file reads models/tiny/config.json, fetched for train/args.json in the same round, without reporting
      // it missing: it still depends on it, so an edit of that config.json reaches the run's figures.
      const root = realpathSync(dir);
      const deps = new Map((await editorAnalysis(root)).map((r) => [relative(root, r.path), r.dependencies.map((p) => relative(root, p)).sort()]));
      // (Each also depends on files it looked for and found absent, such as the measured records of its folder.)
      for (const [doc, dep] of [['runs/tiny.lim.yaml', 'train/args.json'], ['runs/tiny.lim.yaml', 'models/tiny/config.json'], ['train/args.json', 'models/tiny/config.json']]) {
        assert.ok(deps.get(doc)?.includes(dep), `${doc} depends on ${dep}: ${deps.get(doc)?.join(', ')}`);
      }
      // Three levels, the middle ones outside the scan (an excluded folder) and so read only for the run file; the
      // model folder is read in the first round for another training config.
      mkdirSync(join(dir, 'venv'));
      writeFileSync(join(dir, 'runs', 'deep.lim.yaml'), 'config: ../venv/outer.lim.yaml\nhardware: a100\n');
      writeFileSync(join(dir, 'venv', 'outer.lim.yaml'), 'config: inner.json\nhardware: a100\n');
      writeFileSync(join(dir, 'venv', 'inner.json'), JSON.stringify({ model_name_or_path: '../models/tiny', per_device_train_batch_size: 4, max_steps: 10, block_size: 128, output_dir: 'o' }));
      await assertParity(dir, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the policy leaves out what neither lists: dependencies, tokenizers, package.json; keeps emissions records', () => {
    const p = DEFAULT_FILE_POLICY;
    assert.deepEqual(
      ['models/config.json', 'node_modules/x/config.json', 'models/tokenizer.json', 'package.json', 'runs/my_emissions.csv', 'data/train.csv', '.venv/lib/a.py', 'nb/.ipynb_checkpoints/a.ipynb', 'a/b.yaml'].map((f) => p.isCandidate(f)),
      [true, false, false, false, true, false, false, false, true],
    );
    assert.equal(p.maxBytes, 1024 * 1024, 'the registry default of files.maxSizeKB');
  });
});

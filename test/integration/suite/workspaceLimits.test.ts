// Resource limits of the workspace index in hostile workspaces (docs/architecture.md, "How the editor gets its
// numbers", steps 1 and 4): symbolic-link loops and links out of the workspace, a 1 GB config, and a file
// rewritten 100 times a second. Each builds its files inside the (throwaway) fixture workspace, rescans, and
// removes them again, so the suites after it see the fixture workspace as it was. Named to run last.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { generateFifo, generateHugeFile, generateSymlinkLoops } from '../../../bench/hostileWorkspace';
import type { RunSummary } from '../../../src/protocol/runs';
import { activateExtension, closeAllEditors, codeLenses, fixtureUri, hoverTexts, messagesSince, positionOf, setSetting, sleep, waitFor, waitForPosted } from './helpers';

type Exports = Awaited<ReturnType<typeof activateExtension>>;

const rel = (r: RunSummary) => r.relativePath.replace(/^[^/]+\//, '');
const under = (runs: RunSummary[], dir: string) => runs.filter((r) => rel(r).startsWith(`${dir}/`));
const notRead = (r: RunSummary | undefined) => r?.diagnostics.find((d) => d.message.startsWith('not read'))?.message;

/**
 * Counts, by path, the worker's analyze jobs that carry a document (an analysis may take two rounds, two jobs) and
 * the analyses the index asks for (AnalysisService.analyze calls), by wrapping both (test-only).
 */
function countAnalyses(exports: Exports): { counts: Map<string, number>; analyses: Map<string, number>; dispose(): void } {
  const worker = exports.worker as unknown as { run: (kind: string, input: unknown, options?: unknown) => Promise<unknown> };
  const analysis = exports.analysis as unknown as { analyze: (docs: Array<{ uri: vscode.Uri }>, ...rest: unknown[]) => Promise<unknown> };
  const run = worker.run;
  const analyze = analysis.analyze;
  const counts = new Map<string, number>();
  const analyses = new Map<string, number>();
  worker.run = function (this: unknown, kind: string, input: unknown, options?: unknown) {
    if (kind === 'analyze') for (const d of (input as { docs: Array<{ path: string }> }).docs) counts.set(d.path, (counts.get(d.path) ?? 0) + 1);
    return run.call(this, kind, input, options);
  };
  analysis.analyze = function (this: unknown, docs: Array<{ uri: vscode.Uri }>, ...rest: unknown[]) {
    for (const d of docs) analyses.set(d.uri.path, (analyses.get(d.uri.path) ?? 0) + 1);
    return analyze.call(this, docs, ...rest);
  };
  return {
    counts,
    analyses,
    dispose: () => {
      worker.run = run;
      analysis.analyze = analyze;
    },
  };
}

suite('workspace limits: hostile and huge workspaces', () => {
  let exports: Exports;
  const made: string[] = [];
  suiteSetup(async () => {
    exports = await activateExtension();
    await closeAllEditors();
  });
  suiteTeardown(async () => {
    for (const p of made) rmSync(p, { recursive: true, force: true });
    await exports.index.rescan();
    await closeAllEditors();
  });

  test('symbolic-link loops: the scan ends, nothing is read through a link out of the workspace, no file twice', async function () {
    this.timeout(60_000);
    const outside = mkdtempSync(join(tmpdir(), 'lim-lens-outside-'));
    made.push(outside);
    writeFileSync(join(outside, 'config.json'), JSON.stringify({ model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, vocab_size: 50257, n_positions: 1024 }));
    const dir = fixtureUri('hostile-links').fsPath;
    made.push(dir);
    generateSymlinkLoops(dir, outside);
    generateFifo(dir);
    const t0 = Date.now();
    await exports.index.rescan();
    const runs = under(exports.index.list(), 'hostile-links');
    const paths = runs.map(rel).sort();
    console.log(`symlink workspace scanned in ${Date.now() - t0} ms: ${paths.join(', ')}`);
    // The real model config once, not again as models/self/m/…, models/self/self/…, models/m/up/m/… (the same file).
    assert.equal(paths.filter((p) => p.endsWith('/config.json')).length, 1, paths.join(', '));
    assert.ok(paths.includes('hostile-links/models/m/config.json'), paths.join(', '));
    // Nothing from the folder the `outside` link points to.
    assert.deepEqual(paths.filter((p) => p.startsWith('hostile-links/outside/')), [], 'files reached through a link out of the workspace');
    // The run file whose config: leaves the workspace gets no numbers from it; the one through the self-link does.
    const escape = runs.find((r) => rel(r) === 'hostile-links/escape.lim.yaml');
    assert.ok(escape, paths.join(', '));
    assert.equal(escape.paramsTotal, undefined, `escape.lim.yaml read the config outside the workspace: ${JSON.stringify(escape)}`);
    const self = runs.find((r) => rel(r) === 'hostile-links/selflink.lim.yaml');
    assert.ok(self?.paramsTotal, `selflink.lim.yaml: ${JSON.stringify(self?.diagnostics)}`);
    const loop = runs.find((r) => rel(r) === 'hostile-links/loop.lim.yaml');
    assert.ok(loop && loop.paramsTotal === undefined, `loop.lim.yaml: ${JSON.stringify(loop)}`);
    // A config: that names a pipe reads nothing (a read would wait for a writer for ever).
    const pipe = runs.find((r) => rel(r) === 'hostile-links/pipe.lim.yaml');
    assert.ok(pipe && pipe.paramsTotal === undefined, `pipe.lim.yaml: ${JSON.stringify(pipe)}`);
    rmSync(dir, { recursive: true, force: true });
  });

  test('an editor open on a config over the size limit: not copied, not analysed, one Information in Problems', async () => {
    const dir = join(fixtureUri('').fsPath, 'oversize-open');
    mkdirSync(dir, { recursive: true });
    made.push(dir);
    const file = join(dir, 'config.json');
    // A valid Llama config padded past a 1 KB limit with a long field the estimate does not read.
    const llama = JSON.parse(readFileSync(fixtureUri('models/llama-2-7b/config.json').fsPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...llama, notes: 'x'.repeat(3000) }, null, 2));
    const restore = await setSetting('files.maxSizeKB', 1);
    const counter = countAnalyses(exports);
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc);
      const problems = await waitFor('the size message in Problems', () => {
        const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'LIM Lens');
        return d.length ? d : undefined;
      });
      assert.equal(problems.length, 1, problems.map((p) => p.message).join(' | '));
      assert.equal(problems[0].severity, vscode.DiagnosticSeverity.Information);
      assert.match(problems[0].message, /^LIM Lens does not read this file: it is [2-9] KB, over the 1 KB limit \(limLens\.files\.maxSizeKB\)$/);
      assert.deepEqual(await codeLenses(doc.uri), [], 'no CodeLens');
      assert.equal((await hoverTexts(doc.uri, positionOf(doc, '"hidden_size"'))).filter((t) => t.includes('LIM Lens')).length, 0, 'no hover');
      await sleep(300);
      assert.equal(counter.counts.get(doc.uri.path) ?? 0, 0, 'the worker was sent the text');
    } finally {
      counter.dispose();
      await restore();
      await closeAllEditors();
    }
  });

  test('a 1 GB config is never read: one message names it with its size and the setting, and memory stays flat', async function () {
    this.timeout(60_000);
    const dir = fixtureUri('hostile-huge').fsPath;
    made.push(dir);
    // A training config that grew to 1 GB, and a 1 GB data file (not named like a config), both sparse.
    generateHugeFile(dir, 'train.yaml', 1024 ** 3);
    generateHugeFile(dir, 'data.json', 1024 ** 3);
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      await exports.index.rescan();
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`1 GB files: extension host rss ${(rss0 / 2 ** 20).toFixed(0)} MB before the scan, peak ${(peak / 2 ** 20).toFixed(0)} MB`);
    assert.ok(peak - rss0 < 100 * 2 ** 20, `the extension host grew by ${((peak - rss0) / 2 ** 20).toFixed(0)} MB`);
    const reason = 'is 1.0 GB, over the 1,024 KB limit (limLens.files.maxSizeKB)';
    // Each file once in what the index could not read, with its reason…
    const unread = exports.index.unread().filter((u) => u.relativePath.includes('hostile-huge/'));
    assert.deepEqual(unread.map((u) => [u.relativePath.replace(/^[^/]+\//, ''), u.reason]).sort(), [
      ['hostile-huge/data.json', reason],
      ['hostile-huge/train.yaml', reason],
    ]);
    // …and the config among them as a run in the view, with that one message.
    const runs = under(exports.index.list(), 'hostile-huge');
    const big = runs.find((r) => rel(r) === 'hostile-huge/train.yaml');
    assert.deepEqual(big?.diagnostics.map((d) => d.message), [`not read: file ${reason}`]);
    assert.equal(notRead(runs.find((r) => rel(r) === 'hostile-huge/data.json')), undefined, 'a data file is not listed as a run');
    // The ordinary config beside them is read as usual.
    assert.ok(runs.find((r) => rel(r) === 'hostile-huge/config.json')?.paramsTotal);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a file rewritten 100 times a second: analyses are coalesced, nothing else is re-read, and the index and the view settle on the last write', async function () {
    this.timeout(90_000);
    await vscode.commands.executeCommand('limLens.runs.focus');
    await exports.index.ensureScanned();
    const dir = fixtureUri('hostile-storm').fsPath;
    made.push(dir);
    mkdirSync(dir, { recursive: true });
    // At the workspace root, where a training job's state file often is: every config is in its folder or below.
    const file = fixtureUri('config.json').fsPath;
    made.push(file);
    const model = (layers: number) => JSON.stringify({ model_type: 'gpt2', n_embd: 768, n_layer: layers, n_head: 12, vocab_size: 50257, n_positions: 1024 }, null, 2);
    writeFileSync(file, model(1));
    const uri = vscode.Uri.file(file);
    await waitFor('the new config in the index', () => exports.index.byUri(uri));
    // A second config, changed once early in the storm: its change must not wait for the storm to end.
    const other = join(dir, 'config.json');
    writeFileSync(other, model(2));
    const otherUri = vscode.Uri.file(other);
    await waitFor('the second config in the index', () => exports.index.byUri(otherUri));
    const [otherExpected] = await exports.analysis.analyze([{ uri: otherUri, text: model(48) }], 'figures');
    let otherSeenAt: number | undefined;
    const counter = countAnalyses(exports);
    const since = Date.now();
    const writes = 300;
    let last = 0;
    try {
      // 300 writes, one every 10 ms (3 s), each a different layer count: 2 … 301.
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          last++;
          writeFileSync(file, model(1 + last));
          if (last === 50) writeFileSync(other, model(48));
          if (otherSeenAt === undefined && exports.index.byUri(otherUri)?.paramsTotal === otherExpected.figures?.paramsTotal) otherSeenAt = last;
          if (last === writes) {
            clearInterval(timer);
            resolve();
          }
        }, 10);
      });
      // Settled: nothing more analysed for a second.
      let n = -1;
      await waitFor(
        'the analyses to stop',
        async () => {
          const now = counter.counts.get(uri.path) ?? 0;
          const same = now === n;
          n = now;
          await sleep(1_000);
          return same;
        },
        30_000,
        0,
      );
      const analyses = counter.counts.get(uri.path) ?? 0;
      console.log(`storm: ${writes} writes, ${analyses} analyze jobs with the file (${counter.analyses.get(uri.path)} analyses); the other config's change seen at write ${otherSeenAt ?? 'never (after the storm)'}`);
      assert.ok(otherSeenAt !== undefined && otherSeenAt < writes, 'the other config was updated while the storm went on');
      // No run reads the root config.json, so no other file was analysed again (the other config once, for its change).
      const others = [...counter.counts].filter(([p]) => p !== uri.path && p !== otherUri.path);
      assert.deepEqual(others, [], 'files analysed again although nothing they read changed');
      assert.equal(counter.analyses.get(otherUri.path), 1, 'the other config, written once, analysed once');
      assert.ok(analyses >= 1, 'the file was analysed again');
      assert.ok(analyses <= writes / 10, `${analyses} analyses for ${writes} writes`);
      // The entry is the last write's (301 layers): the same figures as an analysis of that text.
      const [direct] = await exports.analysis.analyze([{ uri, text: model(1 + writes) }], 'figures');
      assert.ok(direct.figures?.paramsTotal);
      assert.equal(exports.index.byUri(uri)?.paramsTotal, direct.figures.paramsTotal, 'the index shows the last write');
      // …and so does the last state the view was sent.
      await waitForPosted('sidebar', 'state', { since, accept: (m) => (m as { runs: RunSummary[] }).runs.some((r) => r.uri === uri.toString()) });
      const states = await messagesSince('posted', 'sidebar', 'state', since);
      const lastRun = (states.at(-1)?.message as { runs: RunSummary[] } | undefined)?.runs.find((r) => r.uri === uri.toString());
      assert.equal(lastRun?.paramsTotal, direct.figures.paramsTotal, 'the view shows the last write');
    } finally {
      counter.dispose();
      rmSync(dir, { recursive: true, force: true });
      rmSync(file, { force: true });
    }
  });
});

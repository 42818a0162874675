// The editor's analysis rounds (src/core/files/rounds.ts), over a stand-in analyser whose documents and files are
// lists of the paths they name: a round reports as missing every named file it was not sent, and follows the ones
// it was sent. The parity test (test/unit/parity.test.ts) runs the same rounds over the real worker analysis.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeInRounds, MAX_ANALYSIS_ROUNDS, type AnalysisRounds } from '../../../src/core/files';

interface Doc {
  path: string;
  text: string;
}

/** A disk of files, each naming others; `calls` records each round's documents and the files sent with them. */
function world(disk: Record<string, string>) {
  const calls: Array<{ docs: string[]; files: string[] }> = [];
  const reads: string[][] = [];
  const rounds: AnalysisRounds<Doc, { path: string; missing: string[]; read: string[] }> = {
    pathOf: (d) => d.path,
    analyze: async (docs, files) => {
      calls.push({ docs: docs.map((d) => d.path), files: Object.keys(files).sort() });
      return docs.map((d) => {
        const missing: string[] = [];
        const read: string[] = [];
        const walk = (text: string) => {
          for (const name of text.split(' ').filter(Boolean)) {
            if (!(name in files)) missing.push(name);
            else if (files[name] !== null) {
              read.push(name);
              walk(files[name]!);
            }
          }
        };
        walk(d.text);
        return { path: d.path, missing, read };
      });
    },
    read: async (wanted) => {
      reads.push(wanted.map((w) => `${w.doc.path}→${w.path}`));
      return Object.fromEntries(wanted.map(({ path }) => [path, disk[path] ?? null]));
    },
  };
  return { rounds, calls, reads };
}

describe('analysis rounds', () => {
  test('a chain of siblings is followed one link a round, each file fetched once, with the document that needed it', async () => {
    const w = world({ 'a.json': 'b.json', 'b.json': 'model.json', 'model.json': '' });
    const docs = [
      { path: 'run.yaml', text: 'a.json' },
      { path: 'other.yaml', text: 'model.json' },
      { path: 'plain.json', text: '' },
    ];
    const out = await analyzeInRounds(docs, w.rounds);
    assert.deepEqual(
      out.map((r) => [r.path, r.read, r.missing, r.dependencies]),
      [
        ['run.yaml', ['a.json', 'b.json', 'model.json'], [], ['a.json', 'b.json', 'model.json']],
        ['other.yaml', ['model.json'], [], ['model.json']],
        ['plain.json', [], [], []],
      ],
      'results in the order given, each with every file it read',
    );
    // run.yaml learns it needs model.json in the third round, after other.yaml, which had it fetched, was finished:
    // it is analysed once more with it, not left without it.
    assert.deepEqual(w.calls, [
      { docs: ['run.yaml', 'other.yaml', 'plain.json'], files: [] },
      { docs: ['run.yaml', 'other.yaml'], files: ['a.json', 'model.json'] },
      { docs: ['run.yaml'], files: ['a.json', 'b.json'] },
      { docs: ['run.yaml'], files: ['a.json', 'b.json', 'model.json'] },
    ]);
    assert.deepEqual(w.reads, [['run.yaml→a.json', 'other.yaml→model.json'], ['run.yaml→b.json']], 'model.json is fetched once');
  });

  test('a document that reads a file fetched for another document of its round depends on it', async () => {
    // runs/tiny.lim.yaml → train/args.json → models/tiny/config.json, scanned together: in the second round the run
    // file is sent the config.json fetched for train/args.json and reads it without ever reporting it missing.
    const w = world({ 'train/args.json': 'models/tiny/config.json', 'models/tiny/config.json': '' });
    const docs = [
      { path: 'runs/tiny.lim.yaml', text: 'train/args.json' },
      { path: 'train/args.json', text: 'models/tiny/config.json' },
      { path: 'models/tiny/config.json', text: '' },
    ];
    const out = await analyzeInRounds(docs, w.rounds);
    assert.deepEqual(w.calls[1], { docs: ['runs/tiny.lim.yaml', 'train/args.json'], files: ['models/tiny/config.json', 'train/args.json'] });
    assert.equal(w.calls.length, 2, 'nothing is missing after the second round');
    assert.deepEqual(
      out.map((r) => [r.path, r.missing, r.dependencies]),
      [
        ['runs/tiny.lim.yaml', [], ['train/args.json', 'models/tiny/config.json']],
        ['train/args.json', [], ['models/tiny/config.json']],
        ['models/tiny/config.json', [], []],
      ],
    );
  });

  test('a file that cannot be read is sent as null and not asked for again', async () => {
    const w = world({});
    const out = await analyzeInRounds([{ path: 'run.yaml', text: 'gone.json' }], w.rounds);
    assert.deepEqual(out[0]?.dependencies, ['gone.json']);
    assert.equal(w.calls.length, 2);
    assert.equal(w.reads.length, 1);
  });

  test(`after ${MAX_ANALYSIS_ROUNDS} rounds the last result stands, still missing what it names`, async () => {
    const disk: Record<string, string> = {};
    for (let i = 0; i < 10; i++) disk[`f${i}`] = `f${i + 1}`;
    const w = world(disk);
    const finished: number[] = [];
    const out = await analyzeInRounds([{ path: 'deep.yaml', text: 'f0' }], { ...w.rounds, onDone: (n) => finished.push(n) });
    assert.equal(w.calls.length, MAX_ANALYSIS_ROUNDS);
    assert.deepEqual(out[0]?.read, ['f0', 'f1', 'f2']);
    assert.deepEqual(out[0]?.missing, ['f3']);
    assert.deepEqual(out[0]?.dependencies, ['f0', 'f1', 'f2', 'f3']);
    assert.deepEqual(finished, [1]);
  });

  test('stopped rounds return the documents finished before', async () => {
    const w = world({ 'a.json': '' });
    let round = 0;
    const docs = [
      { path: 'done.yaml', text: '' },
      { path: 'cut.yaml', text: 'a.json' },
    ];
    const out = await analyzeInRounds(docs, { ...w.rounds, analyze: async (pending, sent) => (round++ === 0 ? w.rounds.analyze(pending, sent) : undefined) });
    assert.deepEqual(
      out.map((r) => r.path),
      ['done.yaml'],
    );
    assert.deepEqual(w.reads, [['cut.yaml→a.json']]);
  });

  test('files an earlier call fetched are sent without being read again, and the caller keeps what this call fetched', async () => {
    const w = world({ 'a.json': '', 'b.json': 'never read' });
    const files = new Map<string, string | null>([['b.json', '']]);
    const out = await analyzeInRounds([{ path: 'run.yaml', text: 'a.json b.json' }], { ...w.rounds, files });
    assert.deepEqual(out[0]?.read, ['a.json', 'b.json']);
    assert.deepEqual(out[0]?.dependencies, ['a.json', 'b.json']);
    assert.deepEqual(w.reads, [['run.yaml→a.json']]);
    assert.deepEqual([...files.keys()].sort(), ['a.json', 'b.json']);
  });
});

// Every message family of the protocol (src/protocol: host ⇄ sidebar, host ⇄ dashboard, host ⇄ worker), tested from
// its schema: each message type round-trips over its channel (JSON for the webviews, structured clone for the worker)
// with real data the engine computed; and for every field of every message type, each mutation a sender could make
// (wrong type, missing, undefined, null, NaN, ±Infinity, a huge string, markup and formulas, an extra key, too many
// items) is refused or arrives inert, as mutations.ts derives it from the field's schema. A field added to a schema
// is covered here without a new line.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveBoundInputs } from '../../../src/core';
import { DEFAULT_SIMULATION_SETTINGS, DashboardToHost, HostToDashboard, MAX_COMPARED, MAX_PNG_DATA_URL, MAX_TABLE_EXPORT, type SimulationSettings } from '../../../src/protocol/dashboard';
import { JOB_INPUTS, JOB_KINDS, JOB_PARTIALS, parseJobInput, parseJobPartial } from '../../../src/protocol/jobs';
import { LatestRequest } from '../../../src/protocol/requests';
import * as v from 'valibot';
import { MAX_ID, MAX_TEXT, type Family } from '../../../src/protocol/schema';
import { HostToSidebar, SidebarToHost } from '../../../src/protocol/sidebar';
import { HostToWorker, WORKER_ERROR_CODES, WorkerToHost } from '../../../src/protocol/worker';
import { HANDLERS } from '../../../src/worker/handlers';
import { brainScaleView, fixtureRuns, initMessage, sidebarState, simulationBatch } from '../../webview/fixtures';
import { HUGE_STRING, getAt, mutations, sample, setAt } from './mutations';

/** One example per message type: the compiler demands an entry for every type of the union, and no other. */
type ByType<U extends { type: string }> = { [K in U['type']]: Extract<U, { type: K }> };

const SETTINGS: SimulationSettings = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['tiki-taka'], steps: 120 };
const runs = fixtureRuns();
const [streamed] = simulationBatch(SETTINGS, 40);
const simMessage = <T extends 'simStarted' | 'simPoints' | 'simDone'>(type: T) => streamed.messages.find((m): m is Extract<HostToDashboard, { type: T }> => m.type === type) as Extract<HostToDashboard, { type: T }>;
const bounds = HANDLERS.bounds(resolveBoundInputs({ params: 7e9, flops: 6 * 7e9 * 1.4e11, hardwareId: 'h100' }), undefined as never);

const HOST_TO_SIDEBAR: ByType<HostToSidebar> = {
  state: sidebarState(runs),
  progress: { type: 'progress', done: 120, total: 348 },
};

const SIDEBAR_TO_HOST: ByType<SidebarToHost> = {
  ready: { type: 'ready' },
  openRun: { type: 'openRun', runId: runs[0].id },
  openDashboard: { type: 'openDashboard', runId: runs[1].id },
  setHardware: { type: 'setHardware', hardwareId: 'a100' },
  refresh: { type: 'refresh' },
  createExample: { type: 'createExample' },
  editAssumptions: { type: 'editAssumptions' },
  rendered: { type: 'rendered', rows: runs.length, empty: false, scanning: false },
  log: { type: 'log', level: 'warn', message: 'dropped a malformed message' },
};

const HOST_TO_DASHBOARD: ByType<HostToDashboard> = {
  init: initMessage(),
  runs: { type: 'runs', runs },
  comparison: { type: 'comparison', runs: runs.slice(0, 3) },
  energy: { type: 'energy', view: brainScaleView(), requestId: 4 },
  showTab: { type: 'showTab', tab: 'analog' },
  simStarted: simMessage('simStarted'),
  simPoints: simMessage('simPoints'),
  simDone: simMessage('simDone'),
  simProgress: { type: 'simProgress', simId: 'sim-1', fraction: 0.42 },
  dataChosen: { type: 'dataChosen', path: '/home/someone/datasets/mnist', folder: true },
  simError: { type: 'simError', simId: 'sim-2', message: 'the simulate job did not finish within its deadline of 900000 ms and was cancelled' },
  error: { type: 'error', message: 'no estimate for models/broken/config.json', requestId: 5 },
};

const DASHBOARD_TO_HOST: ByType<DashboardToHost> = {
  ready: { type: 'ready' },
  select: { type: 'select', selection: 'preset:gpt-3', requestId: 1 },
  setHardware: { type: 'setHardware', hardwareId: 'h100' },
  openRun: { type: 'openRun', runId: runs[0].id },
  simulate: { type: 'simulate', settings: DEFAULT_SIMULATION_SETTINGS, sweep: { param: 'tau', values: [0.3, 0.6, 1.2] } },
  cancelSimulation: { type: 'cancelSimulation' },
  chooseData: { type: 'chooseData', folder: false },
  exportPng: { type: 'exportPng', name: 'energy-ladder', dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' },
  exportTable: { type: 'exportTable', name: 'bounds', format: 'csv', content: 'bound,joules\nLandauer,1.654e8\n' },
  exportAihwkit: { type: 'exportAihwkit', settings: SETTINGS },
  stateChanged: { type: 'stateChanged', tab: 'scaling', selection: runs[0].id },
  showGlossary: { type: 'showGlossary' },
  compare: { type: 'compare' },
  rendered: { type: 'rendered', tab: 'energy', title: 'Brain-scale model (1e15 parameters)', charts: [{ id: 'chart-ladder', datasets: 1, points: 4, painted: 51234 }], drawnAt: 1765000000000 },
  log: { type: 'log', level: 'error', message: 'chart.js: canvas has no size' },
};

const HOST_TO_WORKER: ByType<HostToWorker> = {
  job: { type: 'job', id: 7, kind: 'bounds', input: { params: 7e9, flops: 5.88e21, hardwareId: 'h100' }, cancelFlag: new SharedArrayBuffer(4) },
  cancel: { type: 'cancel', id: 7 },
};

const WORKER_TO_HOST: ByType<WorkerToHost> = {
  ready: { type: 'ready' },
  progress: { type: 'progress', id: 7, fraction: 0.42, message: 'epoch 3 of 30' },
  partial: { type: 'partial', id: 7, data: streamed.points.slice(0, 5) },
  result: { type: 'result', id: 7, data: bounds },
  error: { type: 'error', id: 7, message: 'params: must be a positive number', code: 'invalid-input' },
};

interface Channel {
  name: string;
  family: Family<v.GenericSchema>;
  examples: Record<string, { type: string }>;
  /** How a message crosses: VS Code passes webview messages as JSON; worker_threads clone them. */
  wire: 'json' | 'clone';
}

const CHANNELS: Channel[] = [
  { name: 'host → sidebar', family: HostToSidebar, examples: HOST_TO_SIDEBAR, wire: 'json' },
  { name: 'sidebar → host', family: SidebarToHost, examples: SIDEBAR_TO_HOST, wire: 'json' },
  { name: 'host → dashboard', family: HostToDashboard, examples: HOST_TO_DASHBOARD, wire: 'json' },
  { name: 'dashboard → host', family: DashboardToHost, examples: DASHBOARD_TO_HOST, wire: 'json' },
  { name: 'host → worker', family: HostToWorker, examples: HOST_TO_WORKER, wire: 'clone' },
  { name: 'worker → host', family: WorkerToHost, examples: WORKER_TO_HOST, wire: 'clone' },
];

/**
 * A message with every list cut to its first two items: the items of a list share one schema, so two are walked as
 * well as two hundred (the sampled message has every field), and the mutations stay a few thousand per type.
 */
function thin(x: unknown): unknown {
  if (Array.isArray(x)) return x.slice(0, 2).map(thin);
  if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, thin(e)]));
  return x;
}

const cross = (c: Channel, m: unknown): unknown => (c.wire === 'json' ? JSON.parse(JSON.stringify(m)) : structuredClone(m));

/** The schema of one message type of a family. */
const optionOf = (c: Channel, type: string): v.GenericSchema =>
  (c.family.schema as unknown as { options: Array<v.ObjectSchema<v.ObjectEntries, undefined>> }).options.find((o) => (o.entries.type as v.LiteralSchema<string, undefined>).literal === type) as v.GenericSchema;

/** Values that are no message at all. */
const NOT_MESSAGES: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['NaN', NaN],
  ['a string', 'ready'],
  ['a boolean', true],
  ['a function', () => ({ type: 'ready' })],
  ['an array holding a message', [{ type: 'ready' }]],
  ['an array carrying a type', Object.assign([], { type: 'ready', id: 1 })],
  ['an empty object', {}],
  ['a JSON "__proto__" key carrying the type', JSON.parse('{"__proto__": {"type": "ready"}}')],
];

for (const c of CHANNELS) {
  describe(`protocol ${c.name}`, () => {
    test('has an example of each of its message types, and each type is one option of the schema', () => {
      assert.deepEqual(Object.keys(c.examples).sort(), [...c.family.types].sort());
      for (const [type, m] of Object.entries(c.examples)) assert.equal(m.type, type);
    });

    test('every message type round-trips with real data: what arrives is what was sent', () => {
      for (const m of Object.values(c.examples)) {
        const r = c.family.parse(cross(c, m));
        assert.ok(r.ok, `${m.type}: ${r.ok ? '' : r.reason}`);
        assert.deepEqual(c.wire === 'json' ? JSON.parse(JSON.stringify(r.value)) : r.value, c.wire === 'json' ? JSON.parse(JSON.stringify(m)) : m, m.type);
      }
    });

    test('a message with every field its schema declares (optional ones too) round-trips', () => {
      for (const type of c.family.types) {
        const m = sample(optionOf(c, type));
        const r = c.family.parse(cross(c, m));
        assert.ok(r.ok, `${type}: ${r.ok ? '' : r.reason}`);
        assert.deepEqual(r.value, cross(c, m), type);
      }
    });

    test('refuses what is not a message, an unknown or mangled type, and the other direction’s types', () => {
      const cases: Array<[string, unknown]> = [...NOT_MESSAGES];
      for (const bad of [undefined, null, 1, '', 'READY', ' ready', 'noSuchMessage', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) cases.push([`type ${String(bad)}`, { type: bad }]);
      const other = CHANNELS.filter((o) => o !== c && o.wire === c.wire).flatMap((o) => Object.values(o.examples)).filter((m) => !c.family.types.includes(m.type));
      for (const m of other) cases.push([`"${m.type}" of another channel`, m]);
      for (const [label, m] of cases) {
        const r = c.family.parse(m);
        assert.equal(r.ok, false, `should refuse ${label}`);
        if (!r.ok) assert.ok(r.reason.length > 0 && r.reason.length < 400, 'the reason is short and said');
      }
    });

    // Mutations of the sampled messages (every field, optional ones included) and of the real examples.
    for (const type of c.family.types) {
      test(`${type}: every mutation of every field is refused or arrives inert`, () => {
        const schema = optionOf(c, type);
        let checked = 0;
        for (const original of [sample(schema), c.examples[type]]) {
          const m = thin(original);
          for (const mu of mutations(schema, m, c.wire)) {
            const r = c.family.parse(cross(c, mu.message));
            if (!mu.expect.accept) {
              assert.equal(r.ok, false, `${type} ${mu.label}: should be refused`);
              if (!r.ok) assert.ok(r.reason.startsWith(String(mu.path[0])), `${type} ${mu.label}: the reason names the field (${r.reason})`);
            } else {
              assert.ok(r.ok, `${type} ${mu.label}: should be accepted (${r.ok ? '' : r.reason})`);
              if (r.ok) assert.ok(mu.expect.check(getAt(r.value, mu.path)), `${type} ${mu.label}: ${mu.expect.note}`);
            }
            checked++;
          }
        }
        assert.ok(checked > 0, 'no mutation was checked');
      });
    }
  });
}

describe('protocol: the bounds a view receives are the text and numbers sent, cut where they must be', () => {
  test('display text is cut to its bound; identifiers over theirs refuse the message', () => {
    const long = 'é'.repeat(MAX_TEXT + 500);
    const r = HostToDashboard.parse({ type: 'error', message: long });
    assert.ok(r.ok);
    assert.equal(Array.from(r.value.type === 'error' ? r.value.message : '').length, MAX_TEXT);
    assert.equal(DashboardToHost.parse({ type: 'openRun', runId: 'f'.repeat(MAX_ID + 1) }).ok, false);
    assert.equal(DashboardToHost.parse({ type: 'openRun', runId: 'f'.repeat(MAX_ID) }).ok, true);
  });

  test('a figure JSON turned into null arrives as NaN; a count or a setting that is null refuses the message', () => {
    const view = JSON.parse(JSON.stringify({ ...brainScaleView(), bounds: { ...brainScaleView().bounds, energy: { ...brainScaleView().bounds.energy, lim: Infinity } } }));
    const r = HostToDashboard.parse({ type: 'energy', view });
    assert.ok(r.ok && r.value.type === 'energy');
    assert.ok(Number.isNaN(r.value.view.bounds.energy.lim));
    assert.equal(DashboardToHost.parse({ type: 'simulate', settings: { ...SETTINGS, tau: null } }).ok, false);
    assert.equal(HostToSidebar.parse({ type: 'progress', done: null, total: 3 }).ok, false);
  });

  test('an exported chart or table over its bound is refused, just under it is taken', () => {
    const png = (n: number) => `data:image/png;base64,${'A'.repeat(n - 'data:image/png;base64,'.length)}`;
    assert.equal(DashboardToHost.parse({ type: 'exportPng', name: 'chart', dataUrl: png(MAX_PNG_DATA_URL) }).ok, true);
    assert.equal(DashboardToHost.parse({ type: 'exportPng', name: 'chart', dataUrl: png(MAX_PNG_DATA_URL + 1) }).ok, false);
    assert.equal(DashboardToHost.parse({ type: 'exportTable', name: 't', format: 'csv', content: 'x'.repeat(MAX_TABLE_EXPORT + 1) }).ok, false);
  });

  test('a comparison holds at most MAX_COMPARED runs', () => {
    const run = runs[0];
    assert.equal(HostToDashboard.parse({ type: 'comparison', runs: Array.from({ length: MAX_COMPARED }, () => run) }).ok, true);
    assert.equal(HostToDashboard.parse({ type: 'comparison', runs: Array.from({ length: MAX_COMPARED + 1 }, () => run) }).ok, false);
  });

  test('a run with perUnit but no perUnitEnergyJ (or the reverse) is refused: the two go together', () => {
    const run = runs[0];
    assert.equal(HostToSidebar.parse(sidebarState([{ ...run, perUnit: 'per 1,000 rows', perUnitEnergyJ: 3.2e6 }])).ok, true);
    assert.equal(HostToSidebar.parse(sidebarState([{ ...run, perUnit: 'per 1,000 rows' }])).ok, false);
    assert.equal(HostToSidebar.parse(sidebarState([{ ...run, perUnitEnergyJ: 3.2e6 }])).ok, false);
  });

  test('the reason for a refusal names the path of the first bad field', () => {
    const bad = setAt(sidebarState(runs), ['runs', 1, 'diagnostics', 0], { severity: 'fatal', message: 'x', line: 0, character: 0 });
    const r = HostToSidebar.parse(bad);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /^runs\.1\.diagnostics\.0\.severity: /);
  });
});

describe('protocol: partial results are typed and checked per job kind', () => {
  test('every kind with a partial schema is a job kind; the simulate job streams curve points', () => {
    for (const k of Object.keys(JOB_PARTIALS)) assert.ok((JOB_KINDS as readonly string[]).includes(k), k);
    const r = parseJobPartial('simulate', streamed.points.slice(0, 3));
    assert.deepEqual(r, { ok: true, value: streamed.points.slice(0, 3) });
  });

  test('a partial of the wrong shape for its kind, or from a kind that streams nothing, is refused', () => {
    assert.equal(parseJobPartial('simulate', { done: 3 }).ok, false);
    assert.equal(parseJobPartial('simulate', [{ step: 'one', loss: 1 }]).ok, false);
    assert.equal(parseJobPartial('analyze', streamed.points).ok, false);
    assert.deepEqual(parseJobPartial('analyze', { done: 3 }), { ok: true, value: { done: 3 } });
    for (const k of JOB_KINDS.filter((x) => !(x in JOB_PARTIALS))) assert.equal(parseJobPartial(k, []).ok, false, k);
  });

  test('a diverged run’s NaN loss crosses the worker boundary as NaN', () => {
    const r = parseJobPartial('simulate', structuredClone([{ step: 10, loss: NaN }]));
    assert.ok(r.ok && Number.isNaN(r.value[0].loss));
  });

  test('the real simulate job streams partials its kind accepts, and its result is the summary the dashboard accepts', async () => {
    const [plan] = await HANDLERS.planSimulations({ settings: SETTINGS }, undefined as never);
    const partials: unknown[] = [];
    const ctx = { isCancelled: () => false, throwIfCancelled() {}, progress() {}, partial: (d: unknown) => partials.push(structuredClone(d)) };
    const summary = await HANDLERS.simulate({ config: plan.config }, ctx);
    assert.ok(partials.length > 0);
    for (const p of partials) assert.ok(parseJobPartial('simulate', p).ok);
    const done = HostToDashboard.parse(JSON.parse(JSON.stringify({ type: 'simDone', simId: 'sim-1', summary })));
    assert.ok(done.ok, done.ok ? '' : done.reason);
  });

  test('every worker error code is one the host accepts', () => {
    for (const code of WORKER_ERROR_CODES) assert.ok(WorkerToHost.parse({ type: 'error', id: 1, message: 'x', code }).ok, code);
  });
});

describe('protocol: job inputs the protocol declares are read with their schema in the worker', () => {
  const real = {
    planSimulations: { settings: SETTINGS, sweep: { param: 'noise' as const, values: [0, 0.1] } },
    aihwkitScript: { settings: SETTINGS, algorithm: 'tiki-taka' },
  };

  test('real inputs of each kind round-trip; a kind without a schema passes as it is', () => {
    for (const [kind, input] of Object.entries(real)) assert.deepEqual(parseJobInput(kind as keyof typeof JOB_INPUTS, structuredClone(input)), { ok: true, value: input }, kind);
    assert.deepEqual(Object.keys(real).sort(), Object.keys(JOB_INPUTS).sort());
    const bounds = { params: 7e9 };
    const passed = parseJobInput('bounds', bounds);
    assert.ok(passed.ok && passed.value === bounds, 'the engine checks bound inputs itself (validateBoundInputs)');
  });

  for (const kind of Object.keys(JOB_INPUTS) as Array<keyof typeof JOB_INPUTS>) {
    test(`${kind}: every mutation of every field of its input is refused or arrives inert`, () => {
      let checked = 0;
      for (const original of [sample(JOB_INPUTS[kind]), real[kind]]) {
        for (const mu of mutations(JOB_INPUTS[kind], original, 'clone')) {
          const r = parseJobInput(kind, mu.message);
          if (!mu.expect.accept) assert.equal(r.ok, false, `${kind} ${mu.label}: should be refused`);
          else {
            assert.ok(r.ok, `${kind} ${mu.label}: should be accepted (${r.ok ? '' : r.reason})`);
            if (r.ok) assert.ok(mu.expect.check(getAt(r.value, mu.path)), `${kind} ${mu.label}: ${mu.expect.note}`);
          }
          checked++;
        }
      }
      assert.ok(checked > 100, `${checked} mutations`);
    });
  }

  test('the worker’s planner refuses, naming the field, an input the schema refuses', () => {
    const r = parseJobInput('planSimulations', { settings: { ...SETTINGS, algorithms: ['adam'] } });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /^settings\.algorithms\.0: /);
  });
});

describe('protocol: latest request wins', () => {
  test('an answer a newer request overtook is stale, whatever order the answers arrive in', async () => {
    const slot = new LatestRequest();
    const answers: Array<(v: string) => void> = [];
    const first = slot.run(() => new Promise<string>((r) => answers.push(r)));
    const second = slot.run(() => new Promise<string>((r) => answers.push(r)));
    answers[1]('B'); // the newer answer first
    answers[0]('A');
    assert.deepEqual(await second, { stale: false, id: 2, value: 'B' });
    assert.deepEqual(await first, { stale: true, id: 1 });
  });

  test('the same request asked twice (a hardware change re-selects the same run): the older answer is dropped', async () => {
    const slot = new LatestRequest();
    let resolveOld!: (v: string) => void;
    const old = slot.run(() => new Promise<string>((r) => (resolveOld = r)));
    const fresh = slot.run(async () => 'A100 view');
    assert.deepEqual(await fresh, { stale: false, id: 2, value: 'A100 view' });
    resolveOld('H100 view');
    assert.deepEqual(await old, { stale: true, id: 1 });
  });

  test('an error of a stale request is dropped; the latest request’s error is thrown', async () => {
    const slot = new LatestRequest();
    let failOld!: (e: Error) => void;
    const old = slot.run(() => new Promise<string>((_, f) => (failOld = f)));
    const latest = slot.run(() => Promise.reject(new Error('no estimate')));
    await assert.rejects(latest, /no estimate/);
    failOld(new Error('worker died'));
    assert.deepEqual(await old, { stale: true, id: 1 });
  });

  test('ids count up from 1; only the last is latest (the page tags its select requests with them)', () => {
    const slot = new LatestRequest();
    assert.equal(slot.latest, 0);
    const a = slot.next();
    const b = slot.next();
    assert.deepEqual([a, b], [1, 2]);
    assert.equal(slot.isLatest(a), false);
    assert.equal(slot.isLatest(b), true);
  });
});

test('the huge string of the mutations exceeds the bound of every text and id field', () => {
  assert.ok(HUGE_STRING.length > Math.max(MAX_TEXT, MAX_ID));
});

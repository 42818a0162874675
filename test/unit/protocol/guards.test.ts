// The validators that guard every message crossing a thread or frame boundary (src/protocol): each accepts a
// well-formed message of every type its union declares, and rejects what a consumer could not use safely.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeEnergyBounds, resolveBoundInputs } from '../../../src/core';
import { defaultSimulationConfig } from '../../../src/core/analog';
import { checkMessage, hasNumber, hasString, isOneOf, isRecord } from '../../../src/protocol/guards';
import {
  DASHBOARD_TABS,
  DEFAULT_SIMULATION_SETTINGS,
  SWEEPABLE,
  isDashboardToHost,
  isHostToDashboard,
  type DashboardToHost,
  type EnergyView,
  type HostToDashboard,
  type SimulationSettings,
} from '../../../src/protocol/dashboard';
import { isHostToSidebar, isSidebarToHost, type HostToSidebar, type SidebarToHost } from '../../../src/protocol/sidebar';
import { WORKER_ERROR_CODES, isHostToWorker, isWorkerToHost, type HostToWorker, type WorkerErrorCode, type WorkerToHost } from '../../../src/protocol/worker';
import { JOB_KINDS, type JobInput, type JobKind } from '../../../src/protocol/jobs';
import type { HardwareOption, RunSummary } from '../../../src/protocol/runs';

type Message = { type: string };
type Validator = (m: unknown) => boolean;
type Loose = Record<string, unknown>;

/**
 * One example per message type, keyed by that type. The mapped type makes the compiler demand an entry for every
 * member of the union (and refuse entries for types it does not declare), so a new message type fails `tsc` here.
 */
type ByType<U extends Message> = { [K in U['type']]: Extract<U, { type: K }> };

/** A shallow copy without the given keys. */
function without(m: object, ...keys: string[]): Loose {
  const copy: Loose = { ...m };
  for (const k of keys) delete copy[k];
  return copy;
}

/** A shallow copy with one field replaced (or added). */
function withField(m: object, key: string, value: unknown): Loose {
  return { ...m, [key]: value };
}

function acceptsAll(validate: Validator, messages: readonly Message[]): void {
  for (const m of messages) assert.equal(validate(m), true, `should accept ${JSON.stringify(m)?.slice(0, 160)}`);
}

function rejectsAll(validate: Validator, cases: ReadonlyArray<[string, unknown]>): void {
  assert.ok(cases.length > 0, 'no cases given');
  for (const [label, m] of cases) assert.equal(validate(m), false, `should reject: ${label}`);
}

/** Asserts that every example sits under its own type and that the union has the expected number of types. */
function assertCoverage(examples: Record<string, Message>, expectedTypes: readonly string[]): void {
  for (const [key, m] of Object.entries(examples)) assert.equal(m.type, key, `example filed under "${key}" has type "${m.type}"`);
  assert.deepEqual(Object.keys(examples).sort(), [...expectedTypes].sort());
}

/** Values that are not plain objects: every validator must refuse them before reading a field. */
const NOT_OBJECTS: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['zero', 0],
  ['a number', 42],
  ['NaN', NaN],
  ['an empty string', ''],
  ['a type name as a bare string', 'ready'],
  ['true', true],
  ['false', false],
  ['a bigint', 1n],
  ['a symbol', Symbol('ready')],
  ['a function', () => ({ type: 'ready' })],
  ['an empty array', []],
  ['an array holding a message', [{ type: 'ready' }]],
  ['an array carrying a type property', Object.assign([], { type: 'ready', id: 1 })],
];

/** `type` missing, not a string, or not a known type (property names of Object.prototype included). */
function badTypes(valid: Loose): Array<[string, unknown]> {
  return [
    ['an empty object', {}],
    ['a valid message without its type', without(valid, 'type')],
    ['type undefined', withField(valid, 'type', undefined)],
    ['type null', withField(valid, 'type', null)],
    ['type a number', withField(valid, 'type', 1)],
    ['type an array', withField(valid, 'type', [valid.type])],
    ['type an object', withField(valid, 'type', { type: valid.type })],
    ['type in upper case', withField(valid, 'type', String(valid.type).toUpperCase())],
    ['type with surrounding space', withField(valid, 'type', ` ${String(valid.type)} `)],
    ['an empty type', withField(valid, 'type', '')],
    ['an unknown type', withField(valid, 'type', 'noSuchMessage')],
    ['type "toString" (inherited, not a message)', withField(valid, 'type', 'toString')],
    ['type "constructor"', withField(valid, 'type', 'constructor')],
    ['type "__proto__"', withField(valid, 'type', '__proto__')],
    ['type "hasOwnProperty"', withField(valid, 'type', 'hasOwnProperty')],
    ['a JSON "__proto__" key carrying the type', JSON.parse(`{"__proto__": {"type": ${JSON.stringify(valid.type)}}}`)],
  ];
}

/** Messages of the opposite direction whose type this validator does not also declare. */
function otherDirection(examples: Record<string, Message>, ownTypes: readonly string[]): Array<[string, unknown]> {
  return Object.values(examples)
    .filter((m) => !ownTypes.includes(m.type))
    .map((m): [string, unknown] => [`"${m.type}" from the other direction`, m]);
}

/**
 * The tests every validator gets: each example accepted, the examples covering every type of the union, values that
 * are not messages (or whose type is mangled) refused, and the other direction's messages refused.
 */
function contractTests(c: {
  validate: Validator;
  direction: string;
  examples: Record<string, Message>;
  types: readonly string[];
  count: number;
  /** Valid messages whose `type` badTypes() mangles. */
  typeProbes: Loose[];
  otherDirection: string;
  other: Record<string, Message>;
  alsoOther?: Array<[string, unknown]>;
}): void {
  test(`accepts a well-formed example of every ${c.direction} message type`, () => {
    acceptsAll(c.validate, Object.values(c.examples));
  });

  test(`the examples cover all ${c.count} ${c.direction} message types`, () => {
    assert.equal(c.types.length, c.count);
    assertCoverage(c.examples, c.types);
  });

  test('rejects values that are not objects, and a missing, non-string or unknown type', () => {
    rejectsAll(c.validate, [...NOT_OBJECTS, ...c.typeProbes.flatMap((m) => badTypes(m))]);
  });

  test(`rejects ${c.otherDirection} messages`, () => {
    rejectsAll(c.validate, [...otherDirection(c.other, c.types), ...(c.alsoOther ?? [])]);
  });
}

// ——— Shared, type-checked building blocks ———

const SETTINGS: SimulationSettings = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: [...DEFAULT_SIMULATION_SETTINGS.algorithms] };
const NUMERIC_SETTINGS = ['tau', 'lr', 'fastLr', 'transferLr', 'noise', 'steps', 'epochs', 'seed'] as const satisfies ReadonlyArray<keyof SimulationSettings>;
const LOG_LEVELS = ['info', 'warn', 'error'] as const;

/** Settings that must be refused wherever SimulationSettings are expected (simulate, exportAihwkit, simStarted). */
function badSettings(): Array<[string, unknown]> {
  const cases: Array<[string, unknown]> = [
    ['settings null', null],
    ['settings an array', [SETTINGS]],
    ['settings a string', 'least-squares'],
    ['experiment outside the enum', withField(SETTINGS, 'experiment', 'mnist')],
    ['experiment a number', withField(SETTINGS, 'experiment', 1)],
    ['no algorithm', withField(SETTINGS, 'algorithms', [])],
    ['algorithms a bare string', withField(SETTINGS, 'algorithms', 'sgd')],
    ['an algorithm outside the enum', withField(SETTINGS, 'algorithms', ['sgd', 'adam'])],
    ['an algorithm of the wrong type', withField(SETTINGS, 'algorithms', ['sgd', 7])],
    ['device a number', withField(SETTINGS, 'device', 3)],
    ['mode outside the enum', withField(SETTINGS, 'mode', 'continuous')],
    ['mode missing', without(SETTINGS, 'mode')],
  ];
  for (const key of Object.keys(SETTINGS)) cases.push([`settings without ${key}`, without(SETTINGS, key)]);
  for (const key of NUMERIC_SETTINGS) {
    cases.push([`${key} as a string`, withField(SETTINGS, key, '1')]);
    cases.push([`${key} NaN`, withField(SETTINGS, key, NaN)]);
    cases.push([`${key} Infinity`, withField(SETTINGS, key, Infinity)]);
    cases.push([`${key} -Infinity`, withField(SETTINGS, key, -Infinity)]);
    cases.push([`${key} null`, withField(SETTINGS, key, null)]);
  }
  return cases;
}

const BOUNDS = computeEnergyBounds(resolveBoundInputs({ params: 7e9, flops: 6 * 7e9 * 1.4e11, hardwareId: 'h100' }));
const ENERGY_VIEW: EnergyView = {
  selection: 'preset:llama-7b',
  title: 'Llama 7B',
  bounds: BOUNDS,
  sweeps: {
    size: [{ x: 7e9, landauer: 1e-3, lim: 1e-1, staticBarrier: 1e2, accelerator: 1e12 }],
    precision: [{ x: 16, landauer: 5e-4, lim: 5e-2, staticBarrier: 5e1, accelerator: 1e12 }],
    alpha: [{ x: 1, landauer: 1e-3, lim: 1e-1, staticBarrier: 1e2, accelerator: 1e12 }],
    barrier: [{ n: 1, barrierKT: 32 }, { n: 1000, barrierKT: 39 }],
  },
};
const HARDWARE: HardwareOption[] = [{ id: 'h100', name: 'NVIDIA H100', detail: '989 TFLOP/s BF16, 700 W' }];
const RUN: RunSummary = {
  id: 'file:///w/configs/llama.yaml#0',
  uri: 'file:///w/configs/llama.yaml',
  relativePath: 'configs/llama.yaml',
  label: 'Llama 7B',
  format: 'yaml',
  kind: 'finetune',
  paramsTotal: 7e9,
  hardwareId: 'h100',
  hardwareName: 'NVIDIA H100',
  energyJ: 3.7e12,
  definition: { line: 2, character: 0 },
  diagnostics: [{ severity: 'warning', message: 'tokens assumed', line: 4, character: 2, field: 'tokens' }],
};

// ——— guards.ts ———

describe('protocol guards', () => {
  test('isRecord accepts objects and refuses null, arrays, primitives and functions', () => {
    const records: Array<[string, unknown]> = [['{}', {}], ['a message', { type: 'ready' }], ['a null-prototype object', Object.create(null)], ['a class instance (Date)', new Date(0)]];
    for (const [label, x] of records) assert.equal(isRecord(x), true, label);
    for (const [label, x] of NOT_OBJECTS) assert.equal(isRecord(x), false, label);
  });

  test('hasString accepts any primitive string, the empty one included, and nothing else', () => {
    assert.equal(hasString({ k: '' }, 'k'), true);
    assert.equal(hasString({ k: 'x' }, 'k'), true);
    for (const v of [undefined, null, 0, 1n, true, ['x'], { toString: () => 'x' }, new String('x')]) assert.equal(hasString({ k: v }, 'k'), false, String(v));
    assert.equal(hasString({}, 'k'), false, 'missing key');
  });

  test('hasNumber accepts finite numbers only: NaN and ±Infinity are refused', () => {
    for (const v of [0, -0, 1, -1.5, 1e-300, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER]) assert.equal(hasNumber({ k: v }, 'k'), true, String(v));
    for (const v of [NaN, Infinity, -Infinity, '1', '', 1n, null, undefined, true, [1], new Number(1)]) assert.equal(hasNumber({ k: v }, 'k'), false, String(v));
    assert.equal(hasNumber({}, 'k'), false, 'missing key');
  });

  test('isOneOf matches the listed strings exactly (case, type and list membership)', () => {
    const levels = ['info', 'warn', 'error'] as const;
    for (const v of levels) assert.equal(isOneOf(v, levels), true, v);
    for (const v of ['INFO', 'debug', '', ' info', 'toString', 'length', 0, null, undefined, ['info'], { info: true }]) assert.equal(isOneOf(v, levels), false, String(v));
    assert.equal(isOneOf('info', []), false, 'empty list');
  });

  test('checkMessage runs the check of the message’s own type, and only for a known type of a record', () => {
    const calls: string[] = [];
    const checks = {
      ping: (m: Loose) => {
        calls.push(`ping:${String(m.n)}`);
        return hasNumber(m, 'n');
      },
      bye: () => {
        calls.push('bye');
        return true;
      },
    };
    type Msg = { type: 'ping'; n: number } | { type: 'bye' };
    assert.equal(checkMessage<Msg>({ type: 'ping', n: 3 }, checks), true);
    assert.equal(checkMessage<Msg>({ type: 'ping', n: 'three' }, checks), false, 'the type’s check decides');
    assert.equal(checkMessage<Msg>({ type: 'bye' }, checks), true);
    assert.deepEqual(calls, ['ping:3', 'ping:three', 'bye']);
    calls.length = 0;
    for (const [label, m] of [...NOT_OBJECTS, ...badTypes({ type: 'ping', n: 3 })]) assert.equal(checkMessage<Msg>(m, checks), false, label);
    assert.deepEqual(calls, [], 'no check runs for a message that is not a record with a known type');
  });
});

// ——— dashboard.ts ———

const DASHBOARD_TO_HOST: ByType<DashboardToHost> = {
  ready: { type: 'ready' },
  select: { type: 'select', selection: 'preset:llama-7b' },
  setHardware: { type: 'setHardware', hardwareId: 'h100' },
  openRun: { type: 'openRun', runId: RUN.id },
  simulate: { type: 'simulate', settings: SETTINGS, sweep: { param: 'tau', values: [0.5, 1, 2] } },
  cancelSimulation: { type: 'cancelSimulation' },
  exportPng: { type: 'exportPng', name: 'energy-bounds', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
  exportTable: { type: 'exportTable', name: 'energy-bounds', format: 'csv', content: 'bound,joules\nlim,0.1\n' },
  exportAihwkit: { type: 'exportAihwkit', settings: SETTINGS },
  stateChanged: { type: 'stateChanged', tab: 'scaling', selection: 'preset:llama-7b' },
  showGlossary: { type: 'showGlossary' },
  compare: { type: 'compare' },
  rendered: { type: 'rendered', tab: 'energy', title: 'Llama 7B', charts: [{ id: 'bounds', datasets: 4, points: 4, painted: 12_345 }], drawnAt: 1_700_000_000_000 },
  log: { type: 'log', level: 'warn', message: 'chart too small to draw' },
};
const DASHBOARD_TO_HOST_TYPES = ['ready', 'select', 'setHardware', 'openRun', 'simulate', 'cancelSimulation', 'exportPng', 'exportTable', 'exportAihwkit', 'stateChanged', 'showGlossary', 'compare', 'rendered', 'log'] as const;

const HOST_TO_DASHBOARD: ByType<HostToDashboard> = {
  init: {
    type: 'init',
    hardware: HARDWARE,
    hardwareId: 'h100',
    presets: [{ id: 'llama-7b', label: 'Llama 7B' }],
    simulation: { devices: [{ id: 'soft-bounds', label: 'Soft bounds' }], experiments: [{ id: 'least-squares', label: 'Least squares' }], defaults: SETTINGS },
  },
  runs: { type: 'runs', runs: [RUN] },
  comparison: { type: 'comparison', runs: [RUN, RUN] },
  energy: { type: 'energy', view: ENERGY_VIEW },
  showTab: { type: 'showTab', tab: 'analog' },
  simStarted: { type: 'simStarted', simId: 'sim-1', series: 'Tiki-Taka', settings: SETTINGS, algorithm: 'tiki-taka', index: 0, total: 3 },
  simPoints: { type: 'simPoints', simId: 'sim-1', points: [{ step: 0, loss: 1 }, { step: 10, loss: 0.4, accuracy: 0.8 }] },
  simDone: { type: 'simDone', simId: 'sim-1', summary: { finalLoss: 0.01, pulses: 12_000, energyJ: 1e-9, wallMs: 120, cancelled: false, saturation: { edges: [0, 0.5, 1], counts: [10, 2] } } },
  simError: { type: 'simError', simId: 'sim-1', message: 'the worker stopped' },
  error: { type: 'error', message: 'unknown hardware profile "tpu-v9"' },
};
const HOST_TO_DASHBOARD_TYPES = ['init', 'runs', 'comparison', 'energy', 'showTab', 'simStarted', 'simPoints', 'simDone', 'simError', 'error'] as const;

describe('isDashboardToHost', () => {
  const ex = DASHBOARD_TO_HOST;
  contractTests({ validate: isDashboardToHost, direction: 'dashboard → host', examples: ex, types: DASHBOARD_TO_HOST_TYPES, count: 14, typeProbes: [ex.select], otherDirection: 'host → dashboard', other: HOST_TO_DASHBOARD });

  test('accepts optional fields left out and every value of each enum field', () => {
    const ok: DashboardToHost[] = [
      { type: 'simulate', settings: SETTINGS },
      { type: 'stateChanged', tab: 'energy' },
      { type: 'rendered', tab: 'analog', title: 'Analog training', charts: [], drawnAt: 0 },
      { type: 'exportTable', name: 't', format: 'markdown', content: '| a |\n|---|\n' },
      { type: 'select', selection: '' },
      { type: 'simulate', settings: { ...SETTINGS, experiment: 'mlp-digits', algorithms: ['sgd', 'analog-sgd', 'tiki-taka', 'ttv2', 'c-ttv2'], mode: 'pulsed' } },
      { type: 'simulate', settings: SETTINGS, sweep: { param: 'lr', values: Array.from({ length: 12 }, (_, i) => 10 ** -i) } },
      ...SWEEPABLE.map((param): DashboardToHost => ({ type: 'simulate', settings: SETTINGS, sweep: { param, values: [1] } })),
      ...DASHBOARD_TABS.map((tab): DashboardToHost => ({ type: 'stateChanged', tab })),
      ...DASHBOARD_TABS.map((tab): DashboardToHost => ({ type: 'rendered', tab, title: '', charts: [], drawnAt: 1 })),
      ...LOG_LEVELS.map((level): DashboardToHost => ({ type: 'log', level, message: '' })),
    ];
    acceptsAll(isDashboardToHost, ok);
  });

  test('select, setHardware and openRun: rejects the id missing or not a string', () => {
    rejectsAll(isDashboardToHost, [
      ['select without selection', without(ex.select, 'selection')],
      ['select with a numeric selection', withField(ex.select, 'selection', 42)],
      ['select with a null selection', withField(ex.select, 'selection', null)],
      ['setHardware without hardwareId', without(ex.setHardware, 'hardwareId')],
      ['setHardware with a numeric hardwareId', withField(ex.setHardware, 'hardwareId', 100)],
      ['openRun without runId', without(ex.openRun, 'runId')],
      ['openRun with a numeric runId', withField(ex.openRun, 'runId', 7)],
      ['openRun with an object runId', withField(ex.openRun, 'runId', { id: RUN.id })],
    ]);
  });

  test('simulate and exportAihwkit: rejects settings missing, of the wrong type, non-finite or outside their enums', () => {
    const bad = badSettings();
    rejectsAll(isDashboardToHost, [
      ['simulate without settings', without(ex.simulate, 'settings')],
      ['exportAihwkit without settings', without(ex.exportAihwkit, 'settings')],
      ...bad.map(([label, s]): [string, unknown] => [`simulate: ${label}`, withField(ex.simulate, 'settings', s)]),
      ...bad.map(([label, s]): [string, unknown] => [`exportAihwkit: ${label}`, withField(ex.exportAihwkit, 'settings', s)]),
    ]);
  });

  test('simulate: rejects a sweep that is null, of an unsweepable parameter, empty, longer than 12 or with non-finite values', () => {
    const sweep = (s: unknown) => withField(ex.simulate, 'sweep', s);
    rejectsAll(isDashboardToHost, [
      ['sweep null', sweep(null)],
      ['sweep an array', sweep([0.5, 1])],
      ['sweep a string', sweep('tau')],
      ['sweep without param', sweep({ values: [1] })],
      ['sweep of an unsweepable parameter', sweep({ param: 'seed', values: [1, 2] })],
      ['sweep param a number', sweep({ param: 0, values: [1] })],
      ['sweep without values', sweep({ param: 'tau' })],
      ['sweep values not an array', sweep({ param: 'tau', values: 1 })],
      ['sweep with no values', sweep({ param: 'tau', values: [] })],
      ['sweep with 13 values', sweep({ param: 'tau', values: Array.from({ length: 13 }, (_, i) => i + 1) })],
      ['sweep with a NaN value', sweep({ param: 'noise', values: [0.1, NaN] })],
      ['sweep with an Infinity value', sweep({ param: 'noise', values: [Infinity] })],
      ['sweep with a string value', sweep({ param: 'lr', values: ['0.1'] })],
      ['sweep with a null value', sweep({ param: 'lr', values: [null] })],
    ]);
  });

  test('exportPng and exportTable: rejects names and contents missing or not strings, a non-PNG data URL and an unknown format', () => {
    rejectsAll(isDashboardToHost, [
      ['exportPng without name', without(ex.exportPng, 'name')],
      ['exportPng with a numeric name', withField(ex.exportPng, 'name', 1)],
      ['exportPng without dataUrl', without(ex.exportPng, 'dataUrl')],
      ['exportPng with a numeric dataUrl', withField(ex.exportPng, 'dataUrl', 0)],
      ['exportPng with a JPEG data URL', withField(ex.exportPng, 'dataUrl', 'data:image/jpeg;base64,/9j/4AAQ')],
      ['exportPng with a non-base64 PNG data URL', withField(ex.exportPng, 'dataUrl', 'data:image/png,raw')],
      ['exportPng with an http URL', withField(ex.exportPng, 'dataUrl', 'https://example.com/chart.png')],
      ['exportPng with an upper-case data URL', withField(ex.exportPng, 'dataUrl', 'DATA:IMAGE/PNG;BASE64,iVBOR')],
      ['exportTable without name', without(ex.exportTable, 'name')],
      ['exportTable without format', without(ex.exportTable, 'format')],
      ['exportTable with format html', withField(ex.exportTable, 'format', 'html')],
      ['exportTable with format CSV (case)', withField(ex.exportTable, 'format', 'CSV')],
      ['exportTable without content', without(ex.exportTable, 'content')],
      ['exportTable with content an array of rows', withField(ex.exportTable, 'content', ['a,b'])],
    ]);
  });

  test('stateChanged and rendered: rejects a tab outside DASHBOARD_TABS, a non-string selection or title, charts not an array, drawnAt missing or not finite', () => {
    rejectsAll(isDashboardToHost, [
      ['stateChanged without tab', without(ex.stateChanged, 'tab')],
      ['stateChanged with an unknown tab', withField(ex.stateChanged, 'tab', 'settings')],
      ['stateChanged with a tab index', withField(ex.stateChanged, 'tab', 0)],
      ['stateChanged with a numeric selection', withField(ex.stateChanged, 'selection', 5)],
      ['stateChanged with a null selection', withField(ex.stateChanged, 'selection', null)],
      ['rendered without tab', without(ex.rendered, 'tab')],
      ['rendered with an unknown tab', withField(ex.rendered, 'tab', 'all')],
      ['rendered without title', without(ex.rendered, 'title')],
      ['rendered with a numeric title', withField(ex.rendered, 'title', 1)],
      ['rendered without charts', without(ex.rendered, 'charts')],
      ['rendered with charts an object', withField(ex.rendered, 'charts', { bounds: {} })],
      ['rendered without drawnAt', without(ex.rendered, 'drawnAt')],
      ['rendered with drawnAt a string', withField(ex.rendered, 'drawnAt', '1700000000000')],
      ['rendered with drawnAt a Date', withField(ex.rendered, 'drawnAt', new Date(0))],
      ['rendered with drawnAt NaN', withField(ex.rendered, 'drawnAt', NaN)],
      ['rendered with drawnAt Infinity', withField(ex.rendered, 'drawnAt', Infinity)],
      ['rendered with drawnAt null', withField(ex.rendered, 'drawnAt', null)],
    ]);
  });

  test('log: rejects a level outside info/warn/error and a message missing or not a string', () => {
    rejectsAll(isDashboardToHost, [
      ['log without level', without(ex.log, 'level')],
      ['log at level debug', withField(ex.log, 'level', 'debug')],
      ['log at level WARN (case)', withField(ex.log, 'level', 'WARN')],
      ['log without message', without(ex.log, 'message')],
      ['log with an object message', withField(ex.log, 'message', { text: 'x' })],
    ]);
  });
});

describe('isHostToDashboard', () => {
  const ex = HOST_TO_DASHBOARD;
  contractTests({ validate: isHostToDashboard, direction: 'host → dashboard', examples: ex, types: HOST_TO_DASHBOARD_TYPES, count: 10, typeProbes: [ex.error], otherDirection: 'dashboard → host', other: DASHBOARD_TO_HOST });

  test('accepts optional fields left out, empty lists and every tab and algorithm', () => {
    const ok: HostToDashboard[] = [
      { type: 'simStarted', simId: 's', series: 'SGD', settings: SETTINGS },
      { type: 'runs', runs: [] },
      { type: 'simPoints', simId: 's', points: [] },
      { type: 'simDone', simId: 's', summary: { finalLoss: 1, pulses: 0, energyJ: 0, wallMs: 0, cancelled: true } },
      ...DASHBOARD_TABS.map((tab): HostToDashboard => ({ type: 'showTab', tab })),
      ...(['sgd', 'analog-sgd', 'tiki-taka', 'ttv2', 'c-ttv2'] as const).map((algorithm, index): HostToDashboard => ({ type: 'simStarted', simId: `s${index}`, series: algorithm, settings: SETTINGS, algorithm, index, total: 5 })),
    ];
    acceptsAll(isHostToDashboard, ok);
  });

  test('init: rejects hardware, presets or simulation options missing or of the wrong shape, and a non-string hardwareId', () => {
    rejectsAll(isHostToDashboard, [
      ['init without hardware', without(ex.init, 'hardware')],
      ['init with hardware an object', withField(ex.init, 'hardware', { h100: HARDWARE[0] })],
      ['init without hardwareId', without(ex.init, 'hardwareId')],
      ['init with a numeric hardwareId', withField(ex.init, 'hardwareId', 100)],
      ['init without presets', without(ex.init, 'presets')],
      ['init with presets null', withField(ex.init, 'presets', null)],
      ['init without simulation', without(ex.init, 'simulation')],
      ['init with simulation an array', withField(ex.init, 'simulation', [])],
      ['init with simulation null', withField(ex.init, 'simulation', null)],
    ]);
  });

  test('runs, energy and showTab: rejects lists that are not arrays, a view without bounds, sweeps or title, and an unknown tab', () => {
    rejectsAll(isHostToDashboard, [
      ['runs without runs', without(ex.runs, 'runs')],
      ['runs with a single run instead of a list', withField(ex.runs, 'runs', RUN)],
      ['energy without view', without(ex.energy, 'view')],
      ['energy with view null', withField(ex.energy, 'view', null)],
      ['energy with view an array', withField(ex.energy, 'view', [ENERGY_VIEW])],
      ['energy view without bounds', withField(ex.energy, 'view', without(ENERGY_VIEW, 'bounds'))],
      ['energy view with bounds a number', withField(ex.energy, 'view', withField(ENERGY_VIEW, 'bounds', 1))],
      ['energy view without sweeps', withField(ex.energy, 'view', without(ENERGY_VIEW, 'sweeps'))],
      ['energy view with sweeps null', withField(ex.energy, 'view', withField(ENERGY_VIEW, 'sweeps', null))],
      ['energy view without title', withField(ex.energy, 'view', without(ENERGY_VIEW, 'title'))],
      ['energy view with a numeric title', withField(ex.energy, 'view', withField(ENERGY_VIEW, 'title', 7))],
      ['showTab without tab', without(ex.showTab, 'tab')],
      ['showTab with an unknown tab', withField(ex.showTab, 'tab', 'settings')],
    ]);
  });

  test('simStarted: rejects ids missing, invalid settings, an unknown algorithm, and index or total not finite numbers', () => {
    rejectsAll(isHostToDashboard, [
      ['simStarted without simId', without(ex.simStarted, 'simId')],
      ['simStarted with a numeric simId', withField(ex.simStarted, 'simId', 1)],
      ['simStarted without series', without(ex.simStarted, 'series')],
      ['simStarted without settings', without(ex.simStarted, 'settings')],
      ...badSettings().map(([label, s]): [string, unknown] => [`simStarted: ${label}`, withField(ex.simStarted, 'settings', s)]),
      ['simStarted with an unknown algorithm', withField(ex.simStarted, 'algorithm', 'adam')],
      ['simStarted with algorithm null', withField(ex.simStarted, 'algorithm', null)],
      ['simStarted with index a string', withField(ex.simStarted, 'index', '0')],
      ['simStarted with index NaN', withField(ex.simStarted, 'index', NaN)],
      ['simStarted with index null', withField(ex.simStarted, 'index', null)],
      ['simStarted with total Infinity', withField(ex.simStarted, 'total', Infinity)],
      ['simStarted with total a string', withField(ex.simStarted, 'total', '3')],
    ]);
  });

  test('simPoints, simDone, simError and error: rejects ids and messages missing or not strings, points not an array, summary not an object', () => {
    rejectsAll(isHostToDashboard, [
      ['simPoints without simId', without(ex.simPoints, 'simId')],
      ['simPoints without points', without(ex.simPoints, 'points')],
      ['simPoints with a single point', withField(ex.simPoints, 'points', { step: 0, loss: 1 })],
      ['simDone without simId', without(ex.simDone, 'simId')],
      ['simDone without summary', without(ex.simDone, 'summary')],
      ['simDone with summary a string', withField(ex.simDone, 'summary', 'done')],
      ['simDone with summary null', withField(ex.simDone, 'summary', null)],
      ['simDone with summary an array', withField(ex.simDone, 'summary', [])],
      ['simError without simId', without(ex.simError, 'simId')],
      ['simError without message', without(ex.simError, 'message')],
      ['simError with an Error object as message', withField(ex.simError, 'message', new Error('x'))],
      ['error without message', without(ex.error, 'message')],
      ['error with a numeric message', withField(ex.error, 'message', 500)],
    ]);
  });
});

// ——— sidebar.ts ———

const SIDEBAR_TO_HOST: ByType<SidebarToHost> = {
  ready: { type: 'ready' },
  openRun: { type: 'openRun', runId: RUN.id },
  openDashboard: { type: 'openDashboard', runId: RUN.id },
  setHardware: { type: 'setHardware', hardwareId: 'a100' },
  refresh: { type: 'refresh' },
  createExample: { type: 'createExample' },
  editAssumptions: { type: 'editAssumptions' },
  rendered: { type: 'rendered', rows: 3, empty: false, scanning: true },
  log: { type: 'log', level: 'error', message: 'render failed' },
};
const SIDEBAR_TO_HOST_TYPES = ['ready', 'openRun', 'openDashboard', 'setHardware', 'refresh', 'createExample', 'editAssumptions', 'rendered', 'log'] as const;

const HOST_TO_SIDEBAR: ByType<HostToSidebar> = {
  state: {
    type: 'state',
    workspaceOpen: true,
    scanning: false,
    runs: [RUN],
    hardware: HARDWARE,
    hardwareId: 'h100',
    assumptions: { utilization: 0.4, pue: 1.1, gridKgPerKwh: 0.4, tokensPerParameter: 20 },
    patterns: ['**/*.lim.{yaml,yml,json}', '**/config.json'],
  },
  progress: { type: 'progress', done: 3, total: 10 },
};
const HOST_TO_SIDEBAR_TYPES = ['state', 'progress'] as const;

describe('isSidebarToHost', () => {
  const ex = SIDEBAR_TO_HOST;
  contractTests({ validate: isSidebarToHost, direction: 'sidebar → host', examples: ex, types: SIDEBAR_TO_HOST_TYPES, count: 9, typeProbes: [ex.openRun], otherDirection: 'host → sidebar', other: HOST_TO_SIDEBAR });

  test('accepts openDashboard without a run, an empty list rendered, and every log level', () => {
    const ok: SidebarToHost[] = [
      { type: 'openDashboard' },
      { type: 'rendered', rows: 0, empty: true, scanning: false },
      ...LOG_LEVELS.map((level): SidebarToHost => ({ type: 'log', level, message: 'm' })),
    ];
    acceptsAll(isSidebarToHost, ok);
  });

  test('openRun, openDashboard and setHardware: rejects ids missing (where required) or not strings', () => {
    rejectsAll(isSidebarToHost, [
      ['openRun without runId', without(ex.openRun, 'runId')],
      ['openRun with a numeric runId', withField(ex.openRun, 'runId', 0)],
      ['openDashboard with a numeric runId', withField(ex.openDashboard, 'runId', 5)],
      ['openDashboard with runId null', withField(ex.openDashboard, 'runId', null)],
      ['setHardware without hardwareId', without(ex.setHardware, 'hardwareId')],
      ['setHardware with hardwareId an array', withField(ex.setHardware, 'hardwareId', ['h100'])],
    ]);
  });

  test('rendered: rejects rows missing or not a finite number, and empty or scanning missing or not booleans', () => {
    rejectsAll(isSidebarToHost, [
      ['rendered without rows', without(ex.rendered, 'rows')],
      ['rendered with rows a string', withField(ex.rendered, 'rows', '3')],
      ['rendered with rows NaN', withField(ex.rendered, 'rows', NaN)],
      ['rendered with rows Infinity', withField(ex.rendered, 'rows', Infinity)],
      ['rendered without empty', without(ex.rendered, 'empty')],
      ['rendered with empty a string', withField(ex.rendered, 'empty', 'false')],
      ['rendered with empty 0', withField(ex.rendered, 'empty', 0)],
      ['rendered without scanning', without(ex.rendered, 'scanning')],
      ['rendered with scanning 1', withField(ex.rendered, 'scanning', 1)],
      ['rendered with scanning null', withField(ex.rendered, 'scanning', null)],
    ]);
  });

  test('log: rejects a level outside info/warn/error and a message missing or not a string', () => {
    rejectsAll(isSidebarToHost, [
      ['log without level', without(ex.log, 'level')],
      ['log at level trace', withField(ex.log, 'level', 'trace')],
      ['log without message', without(ex.log, 'message')],
      ['log with a numeric message', withField(ex.log, 'message', 1)],
    ]);
  });
});

describe('isHostToSidebar', () => {
  const ex = HOST_TO_SIDEBAR;
  contractTests({ validate: isHostToSidebar, direction: 'host → sidebar', examples: ex, types: HOST_TO_SIDEBAR_TYPES, count: 2, typeProbes: [ex.progress], otherDirection: 'sidebar → host', other: SIDEBAR_TO_HOST });

  test('accepts an empty workspace state and zero progress', () => {
    const ok: HostToSidebar[] = [
      { ...ex.state, workspaceOpen: false, scanning: true, runs: [], hardware: [], patterns: [] },
      { type: 'progress', done: 0, total: 0 },
    ];
    acceptsAll(isHostToSidebar, ok);
  });

  test('state: rejects runs, hardware or patterns missing or not arrays, a non-string hardwareId and assumptions not an object', () => {
    rejectsAll(isHostToSidebar, [
      ['state without runs', without(ex.state, 'runs')],
      ['state with runs an object', withField(ex.state, 'runs', { [RUN.id]: RUN })],
      ['state without hardware', without(ex.state, 'hardware')],
      ['state with hardware a string', withField(ex.state, 'hardware', 'h100')],
      ['state without hardwareId', without(ex.state, 'hardwareId')],
      ['state with a numeric hardwareId', withField(ex.state, 'hardwareId', 1)],
      ['state without assumptions', without(ex.state, 'assumptions')],
      ['state with assumptions null', withField(ex.state, 'assumptions', null)],
      ['state with assumptions an array', withField(ex.state, 'assumptions', [])],
      ['state without patterns', without(ex.state, 'patterns')],
      ['state with patterns a single glob', withField(ex.state, 'patterns', '**/*.json')],
    ]);
  });

  test('progress: rejects done and total missing or not finite numbers', () => {
    rejectsAll(isHostToSidebar, [
      ['progress without done', without(ex.progress, 'done')],
      ['progress with done a string', withField(ex.progress, 'done', '3')],
      ['progress with done NaN', withField(ex.progress, 'done', NaN)],
      ['progress without total', without(ex.progress, 'total')],
      ['progress with total Infinity', withField(ex.progress, 'total', Infinity)],
      ['progress with total null', withField(ex.progress, 'total', null)],
    ]);
  });
});

// ——— worker.ts ———

/** A real input for every job kind; the mapped type makes the compiler demand one per kind of JobMap. */
const JOB_INPUTS: { [K in JobKind]: JobInput<K> } = {
  bounds: { params: 7e9, flops: 5.9e21 },
  energyView: { inputs: { params: 7e9, flops: 5.9e21, hardwareId: 'h100' }, selection: 'preset:llama-7b', title: 'Llama 7B' },
  analyze: { docs: [{ path: '/w/config.json', text: '{"model_type": "llama"}' }], files: { '/w/tokenizer.json': null }, assumptions: {}, detail: 'figures' },
  fieldInfo: { doc: { path: '/w/config.json', text: '{"hidden_size": 4096}' }, files: {}, assumptions: { utilization: 0.4 }, offset: 3 },
  planSimulations: { settings: SETTINGS, sweep: { param: 'noise', values: [0.01, 0.1] } },
  simulate: { config: defaultSimulationConfig('quadratic', 'tiki-taka') },
  aihwkitScript: { settings: SETTINGS, algorithm: 'tiki-taka' },
  calibrate: { analyses: [], current: { utilization: 0.4 } },
};

const HOST_TO_WORKER: ByType<HostToWorker> = {
  job: { type: 'job', id: 1, kind: 'bounds', input: JOB_INPUTS.bounds, cancelFlag: new SharedArrayBuffer(4) },
  cancel: { type: 'cancel', id: 1 },
};
const HOST_TO_WORKER_TYPES = ['job', 'cancel'] as const;

const WORKER_TO_HOST: ByType<WorkerToHost> = {
  ready: { type: 'ready' },
  progress: { type: 'progress', id: 2, fraction: 0.5, message: '3 of 6 files' },
  partial: { type: 'partial', id: 2, data: [{ step: 0, loss: 1 }] },
  result: { type: 'result', id: 2, data: { finalLoss: 0.01 } },
  error: { type: 'error', id: 2, message: 'params must be positive', code: 'invalid-input' },
};
const WORKER_TO_HOST_TYPES = ['ready', 'progress', 'partial', 'result', 'error'] as const;

/** Every WorkerErrorCode; `satisfies` makes the compiler demand exactly the union's members. */
const ERROR_CODES = Object.keys({ 'invalid-input': true, cancelled: true, failed: true, 'unknown-job': true, 'worker-died': true, timeout: true } satisfies Record<WorkerErrorCode, true>) as WorkerErrorCode[];

describe('isHostToWorker', () => {
  const ex = HOST_TO_WORKER;
  contractTests({
    validate: isHostToWorker,
    direction: 'host → worker',
    examples: ex,
    types: HOST_TO_WORKER_TYPES,
    count: 2,
    typeProbes: [ex.cancel, ex.job],
    otherDirection: 'worker → host',
    other: WORKER_TO_HOST,
    alsoOther: [['ready with an id', { type: 'ready', id: 1 }]],
  });

  test('the job inputs cover every JOB_KINDS kind', () => {
    assert.deepEqual(Object.keys(JOB_INPUTS).sort(), [...JOB_KINDS].sort());
  });

  test('accepts a job of every kind, with and without a cancel flag', () => {
    const ok: HostToWorker[] = JOB_KINDS.flatMap((kind, i): HostToWorker[] => [
      { type: 'job', id: i, kind, input: JOB_INPUTS[kind] },
      { type: 'job', id: i + 100, kind, input: JOB_INPUTS[kind], cancelFlag: new SharedArrayBuffer(4) },
    ]);
    acceptsAll(isHostToWorker, ok);
  });

  test('cancel and job: rejects an id missing or not a finite number', () => {
    const cases: Array<[string, unknown]> = [];
    for (const m of [ex.cancel, ex.job]) {
      cases.push([`${m.type} without id`, without(m, 'id')]);
      for (const id of ['1', NaN, Infinity, -Infinity, null, 1n]) cases.push([`${m.type} with id ${String(id)}`, withField(m, 'id', id)]);
    }
    rejectsAll(isHostToWorker, cases);
  });

  test('job: rejects an unknown or missing kind, an input that is not an object, and a cancel flag that is not a SharedArrayBuffer', () => {
    rejectsAll(isHostToWorker, [
      ['job without kind', without(ex.job, 'kind')],
      ['job of an unknown kind', withField(ex.job, 'kind', 'train')],
      ['job of kind "toString"', withField(ex.job, 'kind', 'toString')],
      ['job without input', without(ex.job, 'input')],
      ['job with input null', withField(ex.job, 'input', null)],
      ['job with input an array', withField(ex.job, 'input', [JOB_INPUTS.bounds])],
      ['job with input a string', withField(ex.job, 'input', '{"params":7e9}')],
      ['job with an ArrayBuffer cancel flag', withField(ex.job, 'cancelFlag', new ArrayBuffer(4))],
      ['job with an Int32Array cancel flag', withField(ex.job, 'cancelFlag', new Int32Array(new SharedArrayBuffer(4)))],
      ['job with cancelFlag null', withField(ex.job, 'cancelFlag', null)],
      ['job with cancelFlag true', withField(ex.job, 'cancelFlag', true)],
    ]);
  });
});

describe('isWorkerToHost', () => {
  const ex = WORKER_TO_HOST;
  contractTests({ validate: isWorkerToHost, direction: 'worker → host', examples: ex, types: WORKER_TO_HOST_TYPES, count: 5, typeProbes: [ex.ready, ex.result], otherDirection: 'host → worker', other: HOST_TO_WORKER });

  test('the error codes are the six the host knows', () => {
    assert.deepEqual([...ERROR_CODES].sort(), [...WORKER_ERROR_CODES].sort());
    assert.equal(ERROR_CODES.length, 6);
  });

  test('accepts progress without a message, any data (undefined and null included) and every error code', () => {
    const ok: WorkerToHost[] = [
      { type: 'progress', id: 0, fraction: 0 },
      { type: 'progress', id: 0, fraction: 1 },
      { type: 'partial', id: 1, data: undefined },
      { type: 'result', id: 1, data: null },
      { type: 'result', id: 1, data: 'script' },
      ...ERROR_CODES.map((code): WorkerToHost => ({ type: 'error', id: 3, message: '', code })),
    ];
    acceptsAll(isWorkerToHost, ok);
  });

  test('progress, partial, result and error: rejects an id missing or not a finite number', () => {
    const cases: Array<[string, unknown]> = [];
    for (const m of [ex.progress, ex.partial, ex.result, ex.error]) {
      cases.push([`${m.type} without id`, without(m, 'id')]);
      for (const id of ['2', NaN, Infinity, null]) cases.push([`${m.type} with id ${String(id)}`, withField(m, 'id', id)]);
    }
    rejectsAll(isWorkerToHost, cases);
  });

  test('progress: rejects fraction missing or not a finite number', () => {
    rejectsAll(isWorkerToHost, [
      ['progress without fraction', without(ex.progress, 'fraction')],
      ['progress with fraction a string', withField(ex.progress, 'fraction', '0.5')],
      ['progress with fraction NaN', withField(ex.progress, 'fraction', NaN)],
      ['progress with fraction Infinity', withField(ex.progress, 'fraction', Infinity)],
    ]);
  });

  test('partial and result: rejects a message without a data key', () => {
    rejectsAll(isWorkerToHost, [
      ['partial without data', without(ex.partial, 'data')],
      ['result without data', without(ex.result, 'data')],
    ]);
  });

  test('error: rejects message or code missing or not strings', () => {
    rejectsAll(isWorkerToHost, [
      ['error without message', without(ex.error, 'message')],
      ['error with a numeric message', withField(ex.error, 'message', 500)],
      ['error without code', without(ex.error, 'code')],
      ['error with a numeric code', withField(ex.error, 'code', 1)],
      ['error with code null', withField(ex.error, 'code', null)],
    ]);
  });
});

// ——— Element by element: what a view maps over or indexes into ———

describe('deeper shapes: a message whose inner lists or tables a view reads is checked down to them', () => {
  const view = (patch: Loose): Loose => ({ type: 'energy', view: { ...ENERGY_VIEW, ...patch } });
  const bounds = (patch: Loose): Loose => view({ bounds: { ...BOUNDS, ...patch } });

  test('energy: a view with empty bounds and sweeps, which crashed the scaling and trade-offs tabs, is refused', () => {
    rejectsAll(isHostToDashboard, [
      ['the minimal view that passed before', { type: 'energy', view: { title: 'x', bounds: {}, sweeps: {} } }],
      ['view without selection', { type: 'energy', view: without(ENERGY_VIEW, 'selection') }],
      ['bounds without inputs', bounds({ inputs: undefined })],
      ['bounds.energy without lim', bounds({ energy: without(BOUNDS.energy, 'lim') })],
      ['bounds.energy.accelerator a string', bounds({ energy: { ...BOUNDS.energy, accelerator: '1e12' } })],
      ['bounds.derived without updatesPerParameter', bounds({ derived: without(BOUNDS.derived, 'updatesPerParameter') })],
      ['bounds.walls holding null', bounds({ walls: [null] })],
      ['bounds.results not a list', bounds({ results: {} })],
      ['sweeps.size missing', view({ sweeps: without(ENERGY_VIEW.sweeps, 'size') })],
      ['sweeps.precision holding a number', view({ sweeps: { ...ENERGY_VIEW.sweeps, precision: [1] } })],
      ['sweeps.barrier point without barrierKT', view({ sweeps: { ...ENERGY_VIEW.sweeps, barrier: [{ n: 1 }] } })],
    ]);
    assert.equal(isHostToDashboard(view({})), true, 'the full view still passes');
  });

  test('init: null in the hardware, presets or device lists, or simulation defaults that are not settings, are refused', () => {
    const init = HOST_TO_DASHBOARD.init;
    rejectsAll(isHostToDashboard, [
      ['hardware [null] (renderHeader maps over it)', withField(init, 'hardware', [null])],
      ['a hardware option without its name', withField(init, 'hardware', [without(HARDWARE[0], 'name')])],
      ['a preset without its label', withField(init, 'presets', [{ id: 'llama-7b' }])],
      ['simulation {}', withField(init, 'simulation', {})],
      ['devices [null]', withField(init, 'simulation', { ...init.simulation, devices: [null] })],
      ['an experiment with a numeric id', withField(init, 'simulation', { ...init.simulation, experiments: [{ id: 1, label: 'x' }] })],
      ['defaults without lr', withField(init, 'simulation', { ...init.simulation, defaults: without(SETTINGS, 'lr') })],
    ]);
  });

  test('runs: each kind, no kind, and a per-unit energy with its unit are accepted', () => {
    for (const kind of ['pretrain', 'finetune', 'preference', undefined]) {
      assert.equal(isHostToDashboard({ type: 'runs', runs: [{ ...RUN, kind }] }), true, String(kind));
    }
    assert.equal(isHostToDashboard({ type: 'runs', runs: [without(RUN, 'kind')] }), true, 'kind left out');
    assert.equal(isHostToDashboard({ type: 'runs', runs: [{ ...without(RUN, 'energyJ'), perUnit: 'per 1,000 rows', perUnitEnergyJ: 4.2e6 }] }), true);
  });

  test('runs, simPoints and simDone: null elements, runs without ids or positions, points without a loss and partial summaries are refused', () => {
    rejectsAll(isHostToDashboard, [
      ['runs [null]', { type: 'runs', runs: [null] }],
      ['a run without its id', { type: 'runs', runs: [without(RUN, 'id')] }],
      ['a run without its definition position', { type: 'runs', runs: [without(RUN, 'definition')] }],
      ['a run with energyJ a string', { type: 'runs', runs: [withField(RUN, 'energyJ', '3.7e12')] }],
      ['a run of an unknown kind', { type: 'runs', runs: [withField(RUN, 'kind', 'distillation')] }],
      ['a run with kind a number', { type: 'runs', runs: [withField(RUN, 'kind', 1)] }],
      ['a per-unit energy without its unit', { type: 'runs', runs: [withField(RUN, 'perUnitEnergyJ', 4.2e6)] }],
      ['a per-unit label without its energy', { type: 'runs', runs: [withField(RUN, 'perUnit', 'per 1,000 rows')] }],
      ['a per-unit energy a string', { type: 'runs', runs: [{ ...RUN, perUnit: 'per 1,000 rows', perUnitEnergyJ: '4.2e6' }] }],
      ['a run diagnostic of an unknown severity', { type: 'runs', runs: [withField(RUN, 'diagnostics', [{ ...RUN.diagnostics[0], severity: 'fatal' }])] }],
      ['points [null]', withField(HOST_TO_DASHBOARD.simPoints, 'points', [null])],
      ['a point without its loss', withField(HOST_TO_DASHBOARD.simPoints, 'points', [{ step: 1 }])],
      ['a point with accuracy a string', withField(HOST_TO_DASHBOARD.simPoints, 'points', [{ step: 1, loss: 0.1, accuracy: '90 %' }])],
      ['summary {}', withField(HOST_TO_DASHBOARD.simDone, 'summary', {})],
      ['summary without cancelled', withField(HOST_TO_DASHBOARD.simDone, 'summary', without(HOST_TO_DASHBOARD.simDone.summary, 'cancelled'))],
      ['saturation counts holding a string', withField(HOST_TO_DASHBOARD.simDone, 'summary', { ...HOST_TO_DASHBOARD.simDone.summary, saturation: { edges: [0, 1], counts: ['2'] } })],
    ]);
    // A figure the engine could not bound is NaN, and null once VS Code has passed it through JSON: the run stays
    // in the list, and a stopped run's summary (its loss NaN) still reaches the page.
    assert.equal(isHostToDashboard({ type: 'runs', runs: [withField(RUN, 'limJ', NaN)] }), true, 'a NaN figure keeps the run');
    assert.equal(isHostToDashboard(JSON.parse(JSON.stringify({ type: 'runs', runs: [withField(RUN, 'limJ', NaN)] }))), true, 'so does its JSON null');
    const stoppedSummary = JSON.parse(JSON.stringify({ ...HOST_TO_DASHBOARD.simDone, summary: { ...HOST_TO_DASHBOARD.simDone.summary, finalLoss: NaN, cancelled: true } }));
    assert.equal(stoppedSummary.summary.finalLoss, null);
    assert.equal(isHostToDashboard(stoppedSummary), true, 'a stopped run’s summary, its loss null after JSON');
    assert.equal(isHostToDashboard(JSON.parse(JSON.stringify({ type: 'simPoints', simId: 's', points: [{ step: 3, loss: NaN }] }))), true, 'a diverged point');
  });

  test('sidebar state: workspaceOpen and scanning must be booleans; runs, hardware, assumptions and patterns are checked inside', () => {
    const state = HOST_TO_SIDEBAR.state;
    rejectsAll(isHostToSidebar, [
      ['without scanning (the sidebar echoed scanning: undefined, which the host then dropped)', without(state, 'scanning')],
      ['without workspaceOpen (the sidebar showed "no workspace")', without(state, 'workspaceOpen')],
      ['scanning "no"', withField(state, 'scanning', 'no')],
      ['runs [null]', withField(state, 'runs', [null])],
      ['hardware [null]', withField(state, 'hardware', [null])],
      ['assumptions {} (the toolbar showed "NaN % utilisation")', withField(state, 'assumptions', {})],
      ['assumptions with pue a string', withField(state, 'assumptions', { ...state.assumptions, pue: '1.1' })],
      ['a numeric pattern', withField(state, 'patterns', ['**/config.json', 7])],
    ]);
  });

  test('worker: an error code outside the six the host knows, and a progress message that is not a string, are refused', () => {
    rejectsAll(isWorkerToHost, [
      ['error code "segfault"', withField(WORKER_TO_HOST.error, 'code', 'segfault')],
      ['error code in upper case', withField(WORKER_TO_HOST.error, 'code', 'FAILED')],
      ['progress message 42', { type: 'progress', id: 1, fraction: 0.5, message: 42 }],
    ]);
    for (const code of WORKER_ERROR_CODES) assert.equal(isWorkerToHost(withField(WORKER_TO_HOST.error, 'code', code)), true, code);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PARAMS,
  configurationBlock,
  defaultReasons,
  docsTables,
  emptyText,
  estimateDefaults,
  flagParam,
  flagsOf,
  formatDefault,
  helpLine,
  invalidParamSettings,
  isValidValue,
  numberRule,
  param,
  readParamSettings,
  reasonText,
  replaceMarkedBlock,
  settingId,
  sweepNames,
  userParamAssumptions,
  withConfigurationBlock,
  type ParamSpec,
} from '../../src/core/params';
import { DEFAULT_REASONS, ESTIMATE_DEFAULTS, analyzeDocumentSync } from '../../src/core/estimate';
import { BOUND_DEFAULTS } from '../../src/core/bounds/inputs';
import { SWEEP_PARAMS, defaultSimulationConfig, runSimulation, withParam } from '../../src/core/analog';
import { configFor, planSimulations } from '../../src/worker/simulationPlan';
import { DEFAULT_SIMULATION_SETTINGS, SWEEPABLE } from '../../src/protocol/dashboard';
import { ESTIMATE_HELP, estimateHelp } from '../../src/cli/commands/estimate';
import { SIMULATE_HELP } from '../../src/cli/commands/simulate';
import { numberFlag } from '../../src/cli/args';
import { UsageError } from '../../src/cli/usage';
import { HOSTILE_STRINGS } from '../hostileStrings';
import { REALWORLD, realworldSkip } from './estimate/realFiles';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** A copy of the registry with some defaults changed, as an edit of registry.ts would. */
function withDefaults(changes: Record<string, ParamSpec['default']>): ParamSpec[] {
  return PARAMS.map((p) => (p.key in changes ? { ...p, default: changes[p.key] } : p));
}

/** Reads a field of a SimulationConfig by its dotted path. */
function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

describe('parameter registry: what is checked in is what the registry generates', () => {
  test("package.json's contributes.configuration is the registry's (else: npm run gen)", () => {
    const text = read('package.json');
    assert.equal(withConfigurationBlock(text), text, 'package.json is not what src/core/params/registry.ts generates: run npm run gen');
    // Only the settings block is generated: every other key keeps its value and its place.
    const pkg = JSON.parse(text);
    assert.deepEqual(pkg.contributes.configuration, configurationBlock());
    assert.deepEqual(Object.keys(pkg.contributes), ['commands', 'menus', 'viewsContainers', 'views', 'configuration', 'walkthroughs'].filter((k) => k in pkg.contributes));
  });

  test("docs/settings.md's tables are the registry's (else: npm run gen)", () => {
    const text = read('docs/settings.md');
    assert.equal(replaceMarkedBlock(text, docsTables()), text, 'docs/settings.md is not what src/core/params/registry.ts generates: run npm run gen');
  });

  test('every key, setting and flag is declared once', () => {
    const dupes = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);
    assert.deepEqual(dupes(PARAMS.map((p) => p.key)), []);
    assert.deepEqual(dupes(PARAMS.filter((p) => p.setting).map((p) => settingId(p)!)), []);
    assert.deepEqual(dupes(PARAMS.filter((p) => p.cli).map((p) => `${p.cli!.command} --${p.cli!.flag}`)), []);
    assert.deepEqual(dupes(PARAMS.filter((p) => p.setting).map((p) => String(p.setting!.order))), []);
  });

  test('every default is a valid value of its own parameter, and every documented line is one line', () => {
    for (const p of PARAMS) {
      if (p.default !== undefined) assert.ok(isValidValue(p, p.default), `${p.key}: default ${formatDefault(p.default)} breaks its own range`);
      else assert.ok(p.emptyMeans, `${p.key}: no default and no word on what its absence means`);
      assert.ok(p.doc.length > 10 && !p.doc.includes('\n'), `${p.key}: one line of documentation`);
      assert.doesNotMatch(p.doc, /spec 0|§/, `${p.key}: cites no document outside the repository`);
    }
  });

  test('the one internal spelling of the grid intensity is gridKgPerKwh; the public setting stays limLens.gridKgPerKWh', () => {
    const grid = param('gridKgPerKwh');
    assert.equal(settingId(grid), 'limLens.gridKgPerKWh');
    assert.ok('limLens.gridKgPerKWh' in configurationBlock().properties);
    assert.equal(readParamSettings((k) => (k === 'gridKgPerKWh' ? 0.2 : undefined)).gridKgPerKwh, 0.2);
    assert.deepEqual(userParamAssumptions((k) => (k === 'gridKgPerKWh' ? 0.2 : undefined), (k) => k === 'gridKgPerKWh'), { gridKgPerKwh: 0.2 });
    const offenders = ['src', 'webview'].flatMap((dir) => walk(join(root, dir))).filter((f) => /gridKgPerKWh/.test(readFileSync(f, 'utf8').replace(/['"`]limLens\.gridKgPerKWh['"`]|key: 'gridKgPerKWh'/g, '')));
    assert.deepEqual(offenders.map((f) => f.slice(root.length + 1)), [], 'only the public setting key is spelled gridKgPerKWh');
  });
});

describe('parameter registry: every surface says the same default', () => {
  test("the settings reader's value of an unset setting is the registry's default, and so is VS Code's contributed default", () => {
    const contributed = configurationBlock().properties as Record<string, { default: unknown }>;
    const fromVsCode = readParamSettings((k) => contributed[`limLens.${k}`]?.default);
    const unset = readParamSettings(() => undefined);
    assert.deepEqual(fromVsCode, unset);
    const expect = estimateDefaults();
    assert.equal(unset.hardwareId, expect.hardwareId);
    assert.equal(unset.utilization, expect.utilization);
    assert.equal(unset.pue, expect.pue);
    assert.equal(unset.gridKgPerKwh, expect.gridKgPerKwh);
    assert.equal(unset.tokensPerParameter, expect.tokensPerParameter);
    assert.equal(unset.temperatureK, expect.temperatureK);
    assert.deepEqual(unset.schedule, expect.schedule);
    // Empty by default: the config decides, else the estimate's built-in value.
    assert.equal(unset.devices, undefined);
    assert.equal(unset.powerW, undefined);
    assert.equal(unset.precisionBits, undefined);
    for (const [field, key] of Object.entries({ device: 'simulation.device', mode: 'simulation.mode', tau: 'simulation.tau', lr: 'simulation.lr', noise: 'simulation.noise', steps: 'simulation.steps', seed: 'simulation.seed', energyPerPulseJ: 'simulation.energyPerPulseJ' })) {
      assert.equal(unset.simulation[field as keyof typeof unset.simulation], param(key).default, key);
    }
    assert.equal(unset.maxFileSizeKB, param('files.maxSizeKB').default);
    assert.deepEqual(unset.include, param('files.include').default);
    assert.equal(unset.hoverEnabled, true);
  });

  test("the estimate's built-in defaults and the bounds' are the registry's", () => {
    assert.deepEqual({ ...ESTIMATE_DEFAULTS }, estimateDefaults());
    for (const k of ['bits', 'temperatureK', 'hardwareId', 'utilization', 'pue'] as const) assert.equal(BOUND_DEFAULTS[k], estimateDefaults()[k], k);
    assert.equal(BOUND_DEFAULTS.alpha, param('schedule.alpha').default);
  });

  test("the estimate's reason texts are the registry's", () => {
    assert.deepEqual({ ...DEFAULT_REASONS }, defaultReasons());
  });

  test('each reason text names the default it explains', () => {
    for (const p of PARAMS) {
      if (!p.reason || p.default === undefined) continue;
      assert.ok(reasonText(p)!.includes(formatDefault(p.default)), `${p.key}: "${reasonText(p)}" does not say ${formatDefault(p.default)}`);
    }
    const reasons = defaultReasons();
    for (const key of Object.keys(ESTIMATE_DEFAULTS)) assert.ok(reasons[key as keyof typeof reasons], `no reason for ${key}`);
  });

  test('the defaults are the published figures they cite', () => {
    // Touvron et al. 2023 (LLaMA), "Carbon footprint": the US national average of 0.385 kg CO2eq/kWh.
    assert.equal(param('gridKgPerKwh').default, 0.385);
    assert.match(reasonText(param('gridKgPerKwh'))!, /0\.385 kg CO2e\/kWh, as used in the LLaMA papers/);
    // Hoffmann et al. 2022 (Chinchilla): about 20 training tokens per parameter is compute-optimal.
    assert.equal(param('tokensPerParameter').default, 20);
    // ImageNet-1k (ILSVRC 2012) training set: 1,281,167 images; He et al. 2016 trained ResNets for 90 epochs.
    assert.equal(reasonText(param('visionSamples')), 'no dataset size: ImageNet-1k training set, 1,281,167 images');
    assert.equal(param('visionEpochs').default, 90);
    // The H100 SXM's dense bf16 peak and TDP, as the settings editor lists them.
    assert.ok(configurationBlock().properties['limLens.hardware'] && (configurationBlock().properties['limLens.hardware'] as { enumDescriptions: string[] }).enumDescriptions.includes('NVIDIA H100 SXM: 989.4 TFLOP/s bf16, 700 W'));
  });

  test("the CLI's help names every registry flag with its default, and every help flag is known", () => {
    for (const [command, help] of [['estimate', ESTIMATE_HELP], ['simulate', SIMULATE_HELP]] as const) {
      for (const p of flagsOf(command)) {
        const line = help.split('\n').find((l) => l.trimStart().startsWith(`--${p.cli!.flag} `));
        assert.ok(line, `lim-lens ${command} --help has no line for --${p.cli!.flag}`);
        const said = p.default !== undefined ? formatDefault(p.default) : undefined;
        if (said !== undefined) assert.ok(line.includes(said), `--${p.cli!.flag}: "${line.trim()}" does not say the default ${said}`);
        else assert.match(line, /\(default/, `--${p.cli!.flag}: "${line.trim()}" says nothing of its default`);
      }
    }
  });

  test("the CLI's range checks are the settings' (one rule per parameter)", () => {
    for (const p of flagsOf('estimate').filter((x) => x.type === 'number' || x.type === 'integer')) {
      const rule = numberRule(p);
      for (const v of [p.min, p.max, p.min !== undefined ? p.min - 1e-9 : undefined, p.max !== undefined ? p.max * 1.01 + 1 : undefined, 2.5]) {
        if (v === undefined) continue;
        let cli: boolean;
        try {
          numberFlag({ [p.cli!.flag]: String(v) }, p.cli!.flag, rule);
          cli = true;
        } catch (err) {
          assert.ok(err instanceof UsageError);
          assert.match(err.message, new RegExp(`^--${p.cli!.flag}`), 'the message names the flag');
          cli = false;
        }
        assert.equal(cli, isValidValue(p, v), `--${p.cli!.flag} ${v}: the flag and the setting disagree`);
      }
    }
  });

  test("the simulation settings' defaults are the dashboard's starting experiment in the simulator (least squares, Analog SGD)", () => {
    const c = defaultSimulationConfig('least-squares', 'analog-sgd');
    for (const p of PARAMS.filter((x) => x.setting && x.configPath)) assert.equal(at(c, p.configPath!), p.default, `${p.key} vs the simulator's ${p.configPath}`);
    for (const k of ['device', 'mode', 'tau', 'lr', 'noise', 'steps', 'seed'] as const) assert.equal(DEFAULT_SIMULATION_SETTINGS[k], param(`simulation.${k}`).default, k);
  });

  test("a sweep's parameters are the registry's: the CLI's --sweep and the dashboard's menu", () => {
    assert.deepEqual([...sweepNames()].sort(), [...SWEEP_PARAMS].sort());
    for (const s of SWEEPABLE) assert.ok(PARAMS.some((p) => p.sweep === s && p.setting), `the dashboard sweeps ${s}, a setting of the registry`);
    for (const p of PARAMS.filter((x) => x.sweep)) assert.ok(at(defaultSimulationConfig('quadratic', 'tiki-taka'), p.configPath!) !== undefined || ['offset', 'gamma-res', 'up-down', 'epochs', 'batch', 'hidden', 'tau'].includes(p.sweep!), `${p.sweep}: no field ${p.configPath}`);
  });
});

describe('a τ sweep means one thing: the dashboard\'s as the CLI\'s', () => {
  const base = { ...DEFAULT_SIMULATION_SETTINGS, algorithms: ['analog-sgd' as const], steps: 400 };

  test('on a response device it sets τ, on a technology preset the bounds ±τ (the dashboard left a preset unchanged)', () => {
    const soft = planSimulations(base, { param: 'tau', values: [0.5, 2] });
    assert.deepEqual(soft.map((r) => r.config), [0.5, 2].map((v) => configFor({ ...base, tau: v }, 'analog-sgd')));
    assert.deepEqual(soft.map((r) => r.config), [0.5, 2].map((v) => withParam(configFor(base, 'analog-sgd'), 'tau', v)));
    const preset = { ...base, device: 'reram-sb' };
    const runs = planSimulations(preset, { param: 'tau', values: [0.2, 2] });
    assert.deepEqual(runs.map((r) => r.config), [0.2, 2].map((v) => withParam(configFor(preset, 'analog-sgd'), 'tau', v)));
    assert.deepEqual(
      runs.map((r) => ('wMax' in r.config.device ? [r.config.device.wMin, r.config.device.wMax] : [])),
      [[-0.2, 0.2], [-2, 2]],
    );
  });

  test('so the runs of a preset\'s τ sweep differ: bounds ±0.2 cannot hold the least-squares solution (x* = 0.3·N(0,1)), ±2 can', () => {
    const [narrow, wide] = planSimulations({ ...base, device: 'reram-sb' }, { param: 'tau', values: [0.2, 2] }).map((r) => runSimulation(r.config).final.loss);
    assert.ok(narrow > 2 * wide, `final loss at τ = 0.2: ${narrow}, at τ = 2: ${wide}`);
  });
});

describe('parameter registry: one change of a default changes every surface', () => {
  const mod = withDefaults({ gridKgPerKwh: 0.5, tokensPerParameter: 40, 'simulation.steps': 5000, utilization: 0.3 });

  test('the setting, the docs table, the help, the reason and the estimate follow a changed default', () => {
    const before = configurationBlock().properties as Record<string, { default: unknown }>;
    const after = configurationBlock(mod).properties as Record<string, { default: unknown }>;
    assert.equal(before['limLens.gridKgPerKWh'].default, 0.385);
    assert.equal(after['limLens.gridKgPerKWh'].default, 0.5);
    assert.equal(after['limLens.simulation.steps'].default, 5000);
    assert.equal(after['limLens.pue'].default, before['limLens.pue'].default, 'nothing else moves');

    const row = (md: string, key: string) => md.split('\n').find((l) => l.startsWith(`| \`${key}\` |`)) ?? '';
    assert.match(row(docsTables(), 'gridKgPerKwh'), /`0\.385` kg CO₂e\/kWh/);
    assert.match(row(docsTables(mod), 'gridKgPerKwh'), /`0\.5` kg CO₂e\/kWh/);
    assert.match(row(docsTables(mod), 'simulation.steps'), /`5,000`/);

    assert.match(helpLine(flagParam('estimate', 'grid-kg-per-kwh', mod)), /\(default 0\.5\)$/);
    const help = estimateHelp(mod);
    assert.match(help, /--grid-kg-per-kwh G .*\(default 0\.5\)/);
    assert.match(help, /--utilization U .*\(default 0\.3\)/);
    assert.match(help, /40 tokens per parameter/);
    assert.doesNotMatch(help, /default 0\.385/);

    assert.equal(defaultReasons(mod).gridKgPerKwh, 'US average grid intensity 0.5 kg CO2e/kWh, as used in the LLaMA papers');
    assert.match(defaultReasons(mod).tokensPerParameter, /^no run size in the config: 40 tokens per parameter/);
    assert.equal(estimateDefaults(mod).gridKgPerKwh, 0.5);
    assert.equal(readParamSettings(() => undefined, mod).gridKgPerKwh, 0.5);
    assert.equal(readParamSettings(() => undefined, mod).simulation.steps, 5000);
  });

  const corpus = join(REALWORLD, 'hf-config', 'Avent-IQ__pythia-410m-chatbot__config.json');
  test(
    'a real config (Pythia-410M config.json) is estimated with the changed defaults: 2× the tokens, 2× the FLOPs, CO2 × 2 × 0.5/0.385 × 0.4/0.3',
    { skip: realworldSkip || (existsSync(corpus) ? false : `${corpus} is not in the real-config corpus`) },
    () => {
      const text = readFileSync(corpus, 'utf8');
      const base = analyzeDocumentSync({ path: 'config.json', text }).report!;
      const changed = analyzeDocumentSync({ path: 'config.json', text }, { settings: { assumptions: estimateDefaults(mod) } }).report!;
      // Pythia-410M: 405M parameters (Biderman et al. 2023 list 405,334,016), so 20 tokens per parameter is ~8.1B tokens.
      assert.ok(Math.abs(base.params.total - 405_334_016) / 405_334_016 < 0.01, `params ${base.params.total}`);
      assert.ok(Math.abs(base.tokens! / base.params.total - 20) < 1e-9);
      assert.ok(Math.abs(changed.tokens! / base.tokens! - 2) < 1e-9);
      assert.ok(Math.abs(changed.flops / base.flops - 2) < 1e-9);
      const ratio = changed.accelerator.co2Kg / base.accelerator.co2Kg;
      assert.ok(Math.abs(ratio - (2 * (0.5 / 0.385) * (0.4 / 0.3))) < 1e-9, `CO2 ratio ${ratio}`);
    },
  );
});

describe('parameter registry: settings that are refused', () => {
  const get = (values: Record<string, unknown>) => (k: string) => values[k];

  test('an out-of-range or mistyped setting falls back to the default and is named with the rule it broke', () => {
    const values = { utilization: 1.5, pue: 0.5, gridKgPerKWh: -1, 'simulation.steps': 2.5, 'simulation.seed': -3, hardware: 'h200', 'simulation.mode': 'fast', devices: 0, powerW: 'lots', 'hover.enabled': 'no' };
    const s = readParamSettings(get(values));
    assert.equal(s.utilization, 0.4);
    assert.equal(s.pue, 1.1);
    assert.equal(s.gridKgPerKwh, 0.385);
    assert.equal(s.simulation.steps, 2500);
    assert.equal(s.simulation.seed, 1);
    assert.equal(s.hardwareId, 'h100');
    assert.equal(s.simulation.mode, 'expected');
    assert.equal(s.devices, undefined);
    assert.equal(s.powerW, undefined);
    assert.equal(s.hoverEnabled, true);
    assert.deepEqual(invalidParamSettings(get(values)), [
      'limLens.hardware = "h200": not a known hardware profile',
      'limLens.devices = 0: must be a whole number in [1, 1e7]',
      'limLens.utilization = 1.5: must be a number in (0, 1]',
      'limLens.pue = 0.5: must be a number in [1, 10]',
      'limLens.powerW = "lots": must be a number in (0, 1,000,000]',
      'limLens.gridKgPerKWh = -1: must be a number in [0, 10]',
      'limLens.simulation.mode = "fast": must be one of expected, pulsed',
      'limLens.simulation.steps = 2.5: must be a whole number in [1, 1e7]',
      'limLens.simulation.seed = -3: must be a whole number in [0, 4,294,967,295]',
      'limLens.hover.enabled = "no": must be true or false',
    ]);
  });

  test('a hardware name is read as its profile; valid values pass through unchanged', () => {
    const s = readParamSettings(get({ hardware: 'NVIDIA V100', utilization: 1, pue: 10, 'simulation.seed': 2 ** 32 - 1, 'files.include': ['**/*.json', '', '  '] }));
    assert.equal(s.hardwareId, 'v100');
    assert.equal(s.utilization, 1);
    assert.equal(s.pue, 10);
    assert.equal(s.simulation.seed, 2 ** 32 - 1);
    assert.deepEqual(s.include, ['**/*.json'], 'blank patterns are dropped');
  });

  test('hostile values (crafted strings, NaN, Infinity, objects, a megabyte) give a short message naming the setting, never a crash', () => {
    const weird: unknown[] = [...Object.values(HOSTILE_STRINGS), NaN, Infinity, -Infinity, {}, [], [1, 2], { toString: 1 }, 'x'.repeat(1 << 20), true];
    for (const v of weird) {
      for (const p of PARAMS.filter((x) => x.setting)) {
        const values = { [p.setting!.key]: v };
        const s = readParamSettings(get(values));
        assert.ok(s, 'read');
        const problems = invalidParamSettings(get(values));
        assert.ok(problems.length <= 1);
        if (problems.length === 1) {
          assert.ok(problems[0].startsWith(`${settingId(p)} = `), problems[0]);
          assert.ok(problems[0].length < 200, `short: ${problems[0].length}`);
        } else assert.ok(isValidValue(p, v), `${p.key}: ${String(v).slice(0, 20)} accepted without a problem must be valid`);
      }
    }
  });

  test('only what the user set becomes an assumption "set by setting …", a schedule from any of its three settings', () => {
    assert.deepEqual(userParamAssumptions(() => undefined, () => false), {});
    const values = { 'schedule.kind': 'exponential', 'schedule.tau': 1e9, precisionBits: 16, powerW: null };
    const set = (k: string) => k in values;
    assert.deepEqual(userParamAssumptions(get(values), set), { schedule: { kind: 'exponential', tau: 1e9 }, bits: 16 });
  });

  test('an empty setting says what empty means, with the default in it', () => {
    assert.equal(emptyText(param('devices')), "the config's device count, else 1");
    assert.match((configurationBlock().properties['limLens.devices'] as { markdownDescription: string }).markdownDescription, /Empty: the config's device count, else 1\.$/);
  });
});

/** Every .ts file under a folder. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

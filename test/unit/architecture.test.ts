/**
 * The dependency rules of docs/architecture.md, checked: the core type-checks with neither Node nor DOM types,
 * ESLint refuses the imports each layer may not make, the extension host bundle carries no simulator code, and the
 * host's copy of the simulator's choices equals what the simulator offers.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { ALGORITHM_KINDS } from '../../src/core/analog';
import { DEVICE_CHOICES, SIMULATION_ALGORITHMS } from '../../src/protocol/simulationChoices';
import { deviceChoices } from '../../src/worker/simulationPlan';

const root = join(__dirname, '..', '..');

describe('the core and the protocol type-check without Node and DOM (src/core/tsconfig.json)', () => {
  const configPath = join(root, 'src/core/tsconfig.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, join(root, 'src/core'));

  /** Type-checks one virtual file placed in `dir` under the core's own compiler options. */
  function diagnosticsOf(code: string, dir = 'src/core'): string[] {
    const probe = join(root, dir, '__probe__.ts');
    const host = ts.createCompilerHost(parsed.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => (name === probe ? ts.createSourceFile(name, code, lang) : getSourceFile(name, lang, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === probe || fileExists(name);
    const program = ts.createProgram([probe], parsed.options, host);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  test('npm run check-types runs it', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts['check-types'], /tsc --noEmit -p src\/core\/tsconfig\.json/);
  });

  test('it covers every file of src/core/ and src/protocol/', () => {
    const covered = new Set(parsed.fileNames.map((f) => f.slice(root.length + 1)));
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
    const files = [...walk('src/core'), ...walk('src/protocol')];
    assert.ok(files.length > 50, `${files.length} files`);
    assert.deepEqual(files.filter((f) => !covered.has(f)), []);
  });

  test('a Node global, a Node module and a DOM global do not compile there', () => {
    assert.ok(diagnosticsOf('export const argv = process.argv;').some((m) => /Cannot find name 'process'/.test(m)));
    assert.ok(diagnosticsOf('export const b = Buffer.from("x");', 'src/protocol').some((m) => /Cannot find name 'Buffer'/.test(m)));
    assert.ok(diagnosticsOf('export const w = window.innerWidth;', 'src/protocol').some((m) => /Cannot find name 'window'/.test(m)));
    assert.ok(diagnosticsOf("import { readFileSync } from 'node:fs';\nexport const f = readFileSync;").some((m) => /node:fs/.test(m)));
    assert.ok(diagnosticsOf('export const t = document.title;').some((m) => /Cannot find name 'document'/.test(m)));
  });

  test('plain ES2022 does compile there', () => {
    assert.deepEqual(diagnosticsOf('export const m = new Map<string, number>([["a", 1]]);\nexport const x = [1, 2].at(-1);'), []);
  });
});

describe('ESLint refuses the imports a layer may not make (eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: root });
  /** The no-restricted-imports messages for one line of code placed at `file`. */
  async function restricted(file: string, code: string): Promise<string[]> {
    const [r] = await eslint.lintText(code, { filePath: join(root, file) });
    return r.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
  }

  const refused: Array<[string, string, RegExp]> = [
    ['src/worker/probe.ts', "import { loadDigits } from '../cli/data';\nloadDigits();", /only the CLI imports src\/cli/],
    ['src/core/probe.ts', "import { readFileSync } from 'fs';\nreadFileSync('x');", /no Node-only modules/],
    ['src/core/probe.ts', "import { readFile } from 'fs/promises';\nvoid readFile('x');", /no Node-only modules/],
    ['src/core/probe.ts', "import { readFileSync } from 'node:fs';\nreadFileSync('x');", /no Node-only modules/],
    ['src/core/probe.ts', "import * as vscode from 'vscode';\nvoid vscode;", /editor API/],
    ['src/core/probe.ts', "import { JOB_KINDS } from '../protocol/jobs';\nvoid JOB_KINDS;", /knows nothing of the messages/],
    ['src/protocol/probe.ts', "import { cpus } from 'os';\ncpus();", /no Node-only modules/],
    ['webview/dashboard/probe.ts', "import { loadDigits } from '../../src/node/data';\nloadDigits();", /src\/node\/ is Node-only/],
    ['src/extension/probe.ts', "import { DEVICE_PRESETS } from '../core/analog';\nvoid DEVICE_PRESETS;", /free of the simulator/],
    ['src/extension/probe.ts', "import { defaultDevice } from '../core/analog/devices/config';\nvoid defaultDevice;", /free of the simulator/],
    ['src/extension/probe.ts', "import { deviceChoices } from '../worker/simulationPlan';\ndeviceChoices();", /only the worker imports src\/worker/],
    ['src/cli/probe.ts', "import { handlers } from '../worker/handlers';\nvoid handlers;", /only the worker imports src\/worker/],
  ];
  for (const [file, code, message] of refused) {
    test(`${file}: ${code.split('\n')[0]}`, async () => {
      const messages = await restricted(file, code);
      assert.ok(messages.some((m) => message.test(m)), `expected a no-restricted-imports error matching ${message}, got ${JSON.stringify(messages)}`);
    });
  }

  const allowed: Array<[string, string]> = [
    ['src/core/probe.ts', "import { LN2 } from './physics/constants';\nvoid LN2;"],
    ['src/worker/probe.ts', "import { loadDigits } from '../node/data';\nloadDigits();"],
    ['src/cli/probe.ts', "import { loadDigits } from '../node/data';\nloadDigits();"],
    ['src/extension/probe.ts', "import type { DevicePreset } from '../core/analog';\nexport type P = DevicePreset;"],
    ['src/extension/probe.ts', "import { JOB_SCHEDULE } from '../protocol/jobs';\nvoid JOB_SCHEDULE;"],
    ['src/extension/probe.ts', "import type { WorkerToHost } from '../protocol/worker';\nexport type W = WorkerToHost;"],
  ];
  for (const [file, code] of allowed) {
    test(`allowed: ${file}: ${code.split('\n')[0]}`, async () => {
      assert.deepEqual(await restricted(file, code), []);
    });
  }
});

describe('each bundle holds only the layers it may (dist/meta/*.json, the metafiles the build writes)', () => {
  type Meta = { outputs: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }> };
  /** Per metafile: the outputs it must describe, and the source folders none of them may contain code from. */
  const rules: Array<{ meta: string; outputs: string[]; forbidden: RegExp; what: string }> = [
    { meta: 'extension', outputs: ['dist/extension.js'], forbidden: /^src\/(core\/analog|worker|cli|node)\//, what: 'the simulator, the worker, the CLI or src/node' },
    { meta: 'worker', outputs: ['dist/worker.js'], forbidden: /^src\/(extension|cli)\//, what: 'the extension or the CLI' },
    { meta: 'cli', outputs: ['dist/cli.js'], forbidden: /^src\/(extension|worker)\//, what: 'the extension or the worker' },
    { meta: 'simulate-worker', outputs: ['dist/simulate-worker.js'], forbidden: /^src\/(extension|worker|cli)\//, what: 'the extension, the worker or the CLI' },
    { meta: 'webview', outputs: ['dist/webview/dashboard.js', 'dist/webview/sidebar.js'], forbidden: /^src\/(extension|worker|cli|node)\//, what: 'the extension, the worker, the CLI or src/node' },
  ];
  for (const { meta: name, outputs, forbidden, what } of rules) {
    const metaPath = join(root, 'dist/meta', `${name}.json`);
    // npm test builds before the unit tests run; alone, the unit tests need `npm run build` first.
    const skip = existsSync(metaPath) ? false : `dist/meta/${name}.json is not there: run \`npm run build\` first (npm test builds before this stage)`;
    test(`${outputs.join(', ')}: no code from ${what}`, { skip }, () => {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
      assert.deepEqual(Object.keys(meta.outputs).filter((o) => o.endsWith('.js')).sort(), [...outputs].sort(), 'the metafile describes these bundles');
      for (const out of outputs) {
        // Written by the same build as the bundle it describes (the build writes it after the bundle).
        assert.ok(statSync(metaPath).mtimeMs >= statSync(join(root, out)).mtimeMs - 5_000, `${name}.json is older than ${out}`);
        const inputs = Object.entries(meta.outputs[out].inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k);
        assert.ok(inputs.some((i) => i === meta.outputs[out].entryPoint), `${out}: the metafile lists its entry point`);
        assert.deepEqual(inputs.filter((i) => forbidden.test(i)), [], `${out} contains code it may not`);
      }
    });
  }

  test('the extension bundle is built from src/extension/extension.ts', { skip: existsSync(join(root, 'dist/meta/extension.json')) ? false : 'not built' }, () => {
    const meta = JSON.parse(readFileSync(join(root, 'dist/meta/extension.json'), 'utf8')) as Meta;
    assert.equal(meta.outputs['dist/extension.js'].entryPoint, 'src/extension/extension.ts');
  });
});

describe("the extension's copy of the simulator's choices (src/protocol/simulationChoices.ts)", () => {
  test('its algorithms are the simulator’s, in order', () => {
    assert.deepEqual([...SIMULATION_ALGORITHMS], [...ALGORITHM_KINDS]);
  });

  test('its devices are what the worker offers, entry for entry', () => {
    const offered = deviceChoices();
    assert.deepEqual(
      DEVICE_CHOICES,
      offered,
      `src/protocol/simulationChoices.ts is out of date; DEVICE_CHOICES should be:\n${offered.map((d) => `  { id: ${JSON.stringify(d.id)}, label: ${JSON.stringify(d.label)}, detail: ${JSON.stringify(d.detail)} },`).join('\n')}`,
    );
  });
});

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/**
 * What a layer may not import, by name. Patterns are matched against the import's text (gitignore syntax), so the
 * worker's pattern catches '../worker/x' and '../../src/worker/x' alike. A type-only import of the simulator is
 * allowed where noted: it is erased from the bundle.
 */
const RULES = {
  editor: { group: ['vscode'], message: 'only src/extension/ may use the editor API' },
  node: {
    group: ['node:*'],
    // Bare built-in names ('fs', 'path', 'fs/promises'), matched exactly: as patterns, 'constants' would catch
    // '../physics/constants'.
    paths: builtinModules.filter((m) => !m.startsWith('_')),
    message: 'core, protocol and webview code runs in a browser too: no Node-only modules (Node-side code lives in src/node/)',
  },
  cli: { group: ['**/cli/**'], message: 'only the CLI imports src/cli/; code the CLI shares with the worker belongs in src/node/' },
  worker: { group: ['**/worker/**'], message: 'only the worker imports src/worker/; talk to it through src/protocol/ messages' },
  extension: { group: ['**/extension/**'], message: 'only the extension imports src/extension/' },
  nodeSide: { group: ['**/node/**'], message: 'src/node/ is Node-only: the core, the protocol and the webviews cannot import it' },
  protocol: { group: ['**/protocol/**'], message: 'the core knows nothing of the messages that carry its results' },
  simulator: {
    group: ['**/core/analog', '**/core/analog/**'],
    allowTypeImports: true,
    message: 'the extension host bundle stays free of the simulator: take the choices from src/protocol/simulationChoices.ts or ask the worker',
  },
};

/** Who may import what (docs/architecture.md, "Layers"); test/unit/architecture.test.ts checks that these hold. */
const LAYER_RULES = [
  { files: ['src/core/**/*.ts'], forbid: ['editor', 'node', 'nodeSide', 'protocol', 'worker', 'extension', 'cli'] },
  { files: ['src/protocol/**/*.ts'], forbid: ['editor', 'node', 'nodeSide', 'worker', 'extension', 'cli'] },
  { files: ['webview/**/*.ts'], forbid: ['editor', 'node', 'nodeSide', 'worker', 'extension', 'cli'] },
  { files: ['src/node/**/*.ts'], forbid: ['editor', 'worker', 'extension', 'cli'] },
  { files: ['src/worker/**/*.ts'], forbid: ['editor', 'extension', 'cli'] },
  { files: ['src/cli/**/*.ts'], forbid: ['editor', 'worker', 'extension'] },
  { files: ['src/extension/**/*.ts'], forbid: ['simulator', 'worker', 'cli', 'nodeSide'] },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'out/**', 'test-output/**', 'test/fixtures/**', '**/*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'readonly', __dirname: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  // The dependency rules of docs/architecture.md ("Layers"), one block per folder. A later block's
  // no-restricted-imports replaces an earlier one's for the same file, so each folder lists all of its rules.
  ...LAYER_RULES.map(({ files, forbid }) => ({
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: forbid.flatMap((f) => (RULES[f].paths ?? []).map((name) => ({ name, message: RULES[f].message }))),
          patterns: forbid.map((f) => ({ group: RULES[f].group, message: RULES[f].message, allowTypeImports: RULES[f].allowTypeImports ?? false })),
        },
      ],
    },
  })),
);

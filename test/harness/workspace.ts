// The workspace the editor tests open: a throwaway copy of test/fixtures/workspace/ (tests may edit files),
// with test/fixtures/editor-overlay/ copied over it (test-only files such as a .vscode/settings.json).
import { cpSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Sandbox } from './lifecycle';
import { EDITOR_OVERLAY, FIXTURE_WORKSPACE } from './paths';

export function prepareWorkspace(sb: Sandbox, folder = FIXTURE_WORKSPACE): string {
  if (!existsSync(folder)) throw new Error(`the fixture workspace ${folder} does not exist`);
  const workspace = join(sb.dir('ws'), basename(folder));
  cpSync(folder, workspace, { recursive: true });
  if (existsSync(EDITOR_OVERLAY)) cpSync(EDITOR_OVERLAY, workspace, { recursive: true, filter: (src) => basename(src) !== 'README.md' });
  return workspace;
}

import * as vscode from 'vscode';
import type { EstimateAssumptions } from '../core/estimate';
import { invalidParamSettings, readParamSettings, SETTINGS_SECTION, userParamAssumptions, type LimLensSettings } from '../core/params';

export type { LimLensSettings };

/**
 * The `limLens.*` settings, read fresh on each use so a change applies at once. What each setting is, its default
 * and its valid range come from the parameter registry (src/core/params/registry.ts), as does package.json's
 * settings block, so the reader, the validation and the settings editor cannot disagree.
 */
export const SECTION = SETTINGS_SECTION;

/**
 * Reads the settings for a resource (folder-level overrides apply). Out-of-range values fall back to the
 * defaults; `invalidSettings` reports them so the user is told rather than silently corrected.
 */
export function readSettings(scope?: vscode.Uri): LimLensSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return readParamSettings((key) => c.get(key));
}

/** Settings whose value was refused, with the rule they broke, for a warning the user can act on. */
export function invalidSettings(scope?: vscode.Uri): string[] {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return invalidParamSettings((key) => c.get(key));
}

export async function updateSetting(key: string, value: unknown, scope?: vscode.Uri): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const inspect = c.inspect(key);
  // Write where the user keeps it: the folder or workspace when overridden there, else the user settings.
  const target =
    inspect?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspect?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await c.update(key, value, target);
}

/** True when the user (or the workspace or folder) set the key, as opposed to the contributed default. */
function isUserSet(c: vscode.WorkspaceConfiguration, key: string): boolean {
  const i = c.inspect(key);
  return i !== undefined && (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
}

/**
 * The estimate assumptions the user chose, and only those: the engine reports everything else as its
 * documented built-in default, so a hover can say "default" rather than "set by you".
 */
export function userAssumptions(scope?: vscode.Uri): Partial<EstimateAssumptions> {
  // Kept until a setting changes: `inspect` costs about 0.1 ms a key, and every analysis (each hover after an edit,
  // each CodeLens) asks; measured 1 ms a call on the large config of bench/editor/suite.ts.
  const key = (scope && vscode.workspace.getWorkspaceFolder(scope)?.uri.toString()) ?? '';
  const hit = assumptionsByFolder.get(key);
  if (hit) return hit;
  const out = Object.freeze(readUserAssumptions(scope));
  assumptionsByFolder.set(key, out);
  return out;
}

const assumptionsByFolder = new Map<string, Readonly<Partial<EstimateAssumptions>>>();

/**
 * Forgets cached settings when `limLens.*` changes. activate() registers it before any other listener, so
 * listeners that re-read settings on the same change already read the new values.
 */
export function watchSettings(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) assumptionsByFolder.clear();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => assumptionsByFolder.clear()),
  );
}

function readUserAssumptions(scope?: vscode.Uri): Partial<EstimateAssumptions> {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return userParamAssumptions(
    (key) => c.get(key),
    (key) => isUserSet(c, key),
  );
}

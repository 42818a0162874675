import * as vscode from 'vscode';
import { notificationText } from '../core/text/escape';
import { testHooks } from './testHooks';

/** The folder exports are offered in: the first workspace folder, else the home of the active file. */
function defaultFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.window.activeTextEditor?.document.uri.with({ path: vscode.window.activeTextEditor.document.uri.path.replace(/\/[^/]*$/, '') });
}

/**
 * Asks where to save, every time, and writes through `workspace.fs`; returns the chosen file, or undefined if the
 * user cancelled. Never overwrites without the save dialog's own confirmation, and never takes a path from a
 * command's arguments or a file's content.
 */
export async function saveBytes(fileName: string, bytes: Uint8Array, filters: Record<string, string[]>): Promise<vscode.Uri | undefined> {
  const folder = defaultFolder();
  const defaultUri = folder ? vscode.Uri.joinPath(folder, fileName) : undefined;
  testHooks.saveDialog.asked.push({ defaultUri: defaultUri?.toString(), filters });
  const target = testHooks.saveDialog.answers.length > 0 ? testHooks.saveDialog.answers.shift() : await vscode.window.showSaveDialog({ defaultUri, filters, saveLabel: 'Export' });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  const open = 'Open';
  void vscode.window.showInformationMessage(`LIM Lens: saved ${notificationText(vscode.workspace.asRelativePath(target), 300)}`, open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('vscode.open', target);
  });
  return target;
}

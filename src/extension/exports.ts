import * as vscode from 'vscode';

/** The folder exports are offered in: the first workspace folder, else the home of the active file. */
function defaultFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.window.activeTextEditor?.document.uri.with({ path: vscode.window.activeTextEditor.document.uri.path.replace(/\/[^/]*$/, '') });
}

/**
 * Asks where to save and writes through `workspace.fs`; returns the chosen file, or undefined if the user
 * cancelled. Never overwrites without the save dialog's own confirmation.
 */
export async function saveBytes(fileName: string, bytes: Uint8Array, filters: Record<string, string[]>): Promise<vscode.Uri | undefined> {
  const folder = defaultFolder();
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters,
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  const open = 'Open';
  void vscode.window.showInformationMessage(`LIM Lens: saved ${vscode.workspace.asRelativePath(target)}`, open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('vscode.open', target);
  });
  return target;
}

import * as vscode from 'vscode';

/**
 * Reading files for the analysis: always through `workspace.fs` (virtual workspaces included), never more than
 * the size limit, and never as an exception — an unreadable file is reported, not thrown.
 */
export type ReadOutcome = { ok: true; text: string } | { ok: false; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: false });

export async function readTextFile(uri: vscode.Uri, maxBytes: number): Promise<ReadOutcome> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { ok: false, reason: 'is a folder' };
    if (stat.size > maxBytes) return { ok: false, reason: `is ${formatKB(stat.size)}, above the ${formatKB(maxBytes)} limit (setting limLens.files.maxSizeKB)` };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (looksBinary(bytes)) return { ok: false, reason: 'is a binary file' };
    return { ok: true, text: decoder.decode(bytes) };
  } catch (e) {
    return { ok: false, reason: e instanceof vscode.FileSystemError ? e.code || e.message : e instanceof Error ? e.message : String(e) };
  }
}

function formatKB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** A NUL byte in the first 8 KB: what git and most editors take as "binary". */
function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** The document's path as the engine sees it (the URI path, POSIX), and back. */
export function enginePath(uri: vscode.Uri): string {
  return uri.path;
}

export function uriForPath(like: vscode.Uri, path: string): vscode.Uri {
  return like.with({ path, query: '', fragment: '' });
}

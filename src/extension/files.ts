import { open, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { binaryOffset, isInside } from '../core/files/policy';
import { formatInteger } from '../core/units/format';
import { hubCacheDirFrom, hubConfigFile, hubRefFile, hubRevision, parseHubCachePath } from '../core/configs/hubCache';

/**
 * Reading files for the analysis: always through `workspace.fs` (virtual workspaces included), never more than
 * the size limit, and never as an exception — an unreadable file is reported, not thrown.
 *
 * Workspaces are untrusted, so before any byte is read:
 * - the size comes from `workspace.fs.stat`, and a file over `limLens.files.maxSizeKB` is refused (a 1 GB config
 *   costs one stat); a local file is then read with a bounded read, so one that grew since the stat is still
 *   not read whole;
 * - only regular files are read: a named pipe would block the read for ever, a device never ends;
 * - a local file is read only when its real path (symbolic links resolved) lies inside a workspace folder, so a
 *   `config:` of `../../../etc/passwd` or a link out of the workspace reads nothing (without a folder open there
 *   is no workspace to leave, and nothing is refused for that reason).
 */
export type ReadOutcome = { ok: true; text: string } | { ok: false; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: false });

export async function readTextFile(uri: vscode.Uri, maxBytes: number): Promise<ReadOutcome> {
  // The engine asks for a Hub model's config.json under a virtual path: answered from the Hugging Face cache or not at all.
  if (parseHubCachePath(uri.path)) return readHubCache(uri.path, maxBytes);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { ok: false, reason: 'is a folder' };
    if (!(stat.type & vscode.FileType.File)) return { ok: false, reason: 'is not a regular file (a pipe, socket or device)' };
    if (stat.size > maxBytes) return { ok: false, reason: tooLarge(stat.size, maxBytes) };
    const outside = await outsideWorkspace(uri);
    if (outside) return { ok: false, reason: outside };
    const bytes = uri.scheme === 'file' ? await readBounded(uri.fsPath, maxBytes) : await vscode.workspace.fs.readFile(uri);
    if (bytes.length > maxBytes) return { ok: false, reason: `grew over the ${formatKB(maxBytes)} limit while it was read (limLens.files.maxSizeKB)` };
    if (looksBinary(bytes)) return { ok: false, reason: 'is a binary file' };
    return { ok: true, text: decoder.decode(bytes) };
  } catch (e) {
    return { ok: false, reason: e instanceof vscode.FileSystemError ? e.code || e.message : e instanceof Error ? e.message : String(e) };
  }
}

/** "is 1.0 GB, over the 1,024 KB limit (limLens.files.maxSizeKB)". */
export function tooLarge(bytes: number, maxBytes: number): string {
  return `is ${formatSize(bytes)}, over the ${formatKB(maxBytes)} limit (limLens.files.maxSizeKB)`;
}

/** At most `maxBytes + 1` bytes of a local file: one more than the limit says it is over it. */
async function readBounded(path: string, maxBytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buf = new Uint8Array(Math.min(maxBytes + 1, 64 * 1024));
    let out = buf;
    let length = 0;
    for (;;) {
      if (length === out.length) {
        if (out.length > maxBytes) break;
        const bigger = new Uint8Array(Math.min(maxBytes + 1, out.length * 2));
        bigger.set(out);
        out = bigger;
      }
      const { bytesRead } = await handle.read(out, length, out.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return out.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** Real paths of the workspace folders (local ones), resolved once per set of folders. */
let folderRoots: { key: string; roots: Promise<string[]> } | undefined;

function workspaceRoots(): Promise<string[]> | undefined {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) return undefined;
  const key = folders.map((f) => f.uri.fsPath).join('\n');
  if (folderRoots?.key !== key) folderRoots = { key, roots: Promise.all(folders.map((f) => realpath(f.uri.fsPath).catch(() => f.uri.fsPath))) };
  return folderRoots.roots;
}

/**
 * Why a local file must not be read as part of this workspace (its real path is outside every workspace
 * folder), or undefined when it may be read. Other schemes have no symbolic links to follow out.
 */
export async function outsideWorkspace(uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme !== 'file') return undefined;
  const roots = await workspaceRoots();
  if (!roots) return undefined;
  const real = await realpath(uri.fsPath);
  if (roots.some((r) => isInside(real, r))) return undefined;
  return real === uri.fsPath ? 'is outside the workspace' : `is outside the workspace (a symbolic link to ${real})`;
}

/** The real path of a local file, for telling two names of one file apart; the URI's path otherwise. */
export async function realPathOf(uri: vscode.Uri): Promise<string> {
  if (uri.scheme !== 'file') return uri.path;
  return realpath(uri.fsPath).catch(() => uri.fsPath);
}

/** "1,024 KB": the limit as the setting gives it. */
function formatKB(bytes: number): string {
  return `${formatInteger(Math.ceil(bytes / 1024))} KB`;
}

/** "1.0 GB", "12.5 MB", "800 KB": a file's size. */
function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return formatKB(bytes);
}

/** A NUL byte in the first 8 KB: the file policy's binary check (src/core/files/policy.ts), the CLI's too. */
function looksBinary(bytes: Uint8Array): boolean {
  return binaryOffset(bytes) !== -1;
}

/** The document's path as the engine sees it (the URI path, POSIX), and back. */
export function enginePath(uri: vscode.Uri): string {
  return uri.path;
}

export function uriForPath(like: vscode.Uri, path: string): vscode.Uri {
  return like.with({ path, query: '', fragment: '' });
}

/**
 * The config.json of a Hub model from the user's Hugging Face cache (the virtual path of src/core/configs/hubCache.ts),
 * read only and only when the user's own settings turn it on: a workspace's settings can neither enable it nor point
 * it at another folder (untrusted workspaces). Two files are read, each through workspace.fs, each a regular file
 * within the size limit whose real path lies inside the cache folder: `models--org--name/refs/main` (a 40-digit
 * revision) and that revision's `snapshots/<revision>/config.json`. Nothing else outside the workspace is read.
 */
export async function readHubCache(virtualPath: string, maxBytes: number): Promise<ReadOutcome> {
  const entry = parseHubCachePath(virtualPath);
  if (!entry) return { ok: false, reason: 'is not a model of the Hugging Face cache' };
  const config = vscode.workspace.getConfiguration('limLens');
  if (config.inspect<boolean>('huggingFaceCache.enabled')?.globalValue !== true) return { ok: false, reason: 'is in the Hugging Face cache, which is not read (limLens.huggingFaceCache.enabled is off)' };
  const given = config.inspect<string | null>('huggingFaceCache.path')?.globalValue;
  const dir = typeof given === 'string' && given.trim() !== '' ? given.trim() : hubCacheDirFrom(process.env, homedir());
  const root = await realpath(dir).catch(() => undefined);
  if (!root) return { ok: false, reason: `is not there: the Hugging Face cache ${dir} does not exist` };
  const ref = await readInCache(root, hubRefFile(entry), maxBytes);
  if (!ref.ok) return ref;
  const revision = hubRevision(ref.text);
  if (!revision) return { ok: false, reason: `is not there: ${hubRefFile(entry)} in the Hugging Face cache names no revision` };
  return readInCache(root, hubConfigFile(entry, revision), maxBytes);
}

async function readInCache(root: string, rel: string, maxBytes: number): Promise<ReadOutcome> {
  const path = join(root, ...rel.split('/'));
  try {
    const real = await realpath(path);
    if (!isInside(real, root)) return { ok: false, reason: `is not read: ${rel} leads outside the Hugging Face cache (to ${real})` };
    const uri = vscode.Uri.file(real);
    const stat = await vscode.workspace.fs.stat(uri);
    if (!(stat.type & vscode.FileType.File) || stat.type & vscode.FileType.Directory) return { ok: false, reason: `is not read: ${rel} is not a regular file` };
    if (stat.size > maxBytes) return { ok: false, reason: `is not read: ${rel} ${tooLarge(stat.size, maxBytes)}` };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.length > maxBytes) return { ok: false, reason: `is not read: ${rel} ${tooLarge(bytes.length, maxBytes)}` };
    if (looksBinary(bytes)) return { ok: false, reason: `is not read: ${rel} is a binary file` };
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, reason: `is not there: ${rel} is not in the Hugging Face cache` };
  }
}

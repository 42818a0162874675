import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync, constants as fsConstants } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ConfigDiagnostic } from '../core/configs';
import { binaryOffset, BINARY_PROBE_BYTES, DEFAULT_FILE_POLICY, formatFileSize, isInside, siblingReader as coreSiblingReader, type FilePolicy } from '../core/files';

/**
 * The file-system side of `lim-lens estimate`: which files to look at, which to refuse (too large, binary,
 * unreadable, not a regular file) and how a config reads the files beside it. The core never touches the disk.
 *
 * Folders are untrusted: symbolic links to folders are not followed (they can loop), a link to a file is read
 * only when its real path is inside the folder given on the command line, and a file that a config found there
 * names only when its real path is inside that folder or the current directory (`config: ../hf/config.json`
 * from a `runs/` folder works; `config: ../../../etc/passwd` reads nothing). Files named on the command line
 * are the user's choice: they and the files they name are read wherever they are.
 */

/** The size limit of the file policy (src/core/files/policy.ts): the registry's `files.maxSizeKB`, as the editor's. */
export { DEFAULT_MAX_FILE_BYTES } from '../core/files';

export interface ScanEntry {
  path: string;
  /** Given by name on the command line (a non-config is then reported, not skipped). */
  explicit: boolean;
  /** The real path of the folder scanned that found it: it and the files it names must stay inside. */
  root?: string;
}

export function fileDiagnostic(file: string, code: string, message: string): ConfigDiagnostic {
  return { file, line: 1, column: 1, field: '', severity: 'error', code, message, offset: 0, length: 0 };
}

/**
 * Expands the command line's files and folders; folders recursively, in a stable order, keeping the files the
 * file policy takes as candidates (the editor's workspace index keeps the same ones).
 */
export function collectFiles(args: string[], diagnostics: ConfigDiagnostic[], policy: FilePolicy = DEFAULT_FILE_POLICY): ScanEntry[] {
  const out: ScanEntry[] = [];
  for (const arg of args) {
    let st;
    try {
      st = statSync(arg);
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      diagnostics.push(fileDiagnostic(arg, missing ? 'not-found' : 'unreadable', `cannot read ${arg}: ${errorText(e)}`));
      continue;
    }
    if (st.isDirectory()) walk(arg, '', out, diagnostics, realOrSelf(arg), policy);
    else out.push({ path: arg, explicit: true });
  }
  return out;
}

/** `rel` is `dir` relative to the folder given on the command line: what the policy's patterns are matched against. */
function walk(dir: string, rel: string, out: ScanEntry[], diagnostics: ConfigDiagnostic[], root: string, policy: FilePolicy): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    diagnostics.push(fileDiagnostic(dir, 'unreadable', `cannot list ${dir}: ${errorText(e)}`));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    // Symbolic links to folders are not followed: they can loop.
    if (e.isDirectory()) {
      if (!policy.skipsFolder(r)) walk(p, r, out, diagnostics, root, policy);
    } else if (policy.isCandidate(r)) {
      if (e.isFile()) out.push({ path: p, explicit: false, root });
      else if (e.isSymbolicLink()) {
        try {
          if (!statSync(p).isFile()) continue;
          const real = realpathSync(p);
          if (isInside(real, root)) out.push({ path: p, explicit: false, root });
          else diagnostics.push(fileDiagnostic(p, 'outside', `a symbolic link to ${real}, outside the folder scanned; not read`));
        } catch (err) {
          diagnostics.push(fileDiagnostic(p, 'unreadable', `cannot read ${p}: ${errorText(err)}`));
        }
      }
      // Pipes, sockets and devices are not configs (a read of a pipe waits for a writer for ever).
    }
  }
}

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: ConfigDiagnostic };

/**
 * Reads a file as UTF-8 text unless it is too large, binary, not a regular file or unreadable; never throws.
 * The size check comes from the open file's stat before any byte is read, the binary check reads 8 KB first,
 * and no read goes past the limit (a file that grows meanwhile is not read whole either).
 */
export function readTextFile(path: string, maxBytes: number): ReadResult {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a named pipe would otherwise wait for a writer; it is refused below as not a file.
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, diagnostic: fileDiagnostic(path, 'unreadable', `cannot read ${path}: is a directory`) };
    if (!st.isFile()) return { ok: false, diagnostic: fileDiagnostic(path, 'not-a-file', `not a regular file (${kindOf(st)}); not read`) };
    const size = st.size;
    if (size > maxBytes) {
      return { ok: false, diagnostic: fileDiagnostic(path, 'too-large', `file is ${formatFileSize(size)}, above the ${formatFileSize(maxBytes)} limit for configs (--max-file-size); not read`) };
    }
    const buf = Buffer.alloc(size);
    // The first 8 KB decide whether it is text; only then the rest (no further than the size stat gave).
    let read = readInto(fd, buf, 0, Math.min(size, BINARY_PROBE_BYTES));
    const nul = binaryOffset(buf.subarray(0, read));
    if (nul !== -1) return { ok: false, diagnostic: fileDiagnostic(path, 'binary', `binary file (NUL byte at offset ${nul}); configs are text`) };
    if (read === Math.min(size, BINARY_PROBE_BYTES)) read += readInto(fd, buf, read, size);
    return { ok: true, text: buf.subarray(0, read).toString('utf8') };
  } catch (e) {
    return { ok: false, diagnostic: fileDiagnostic(path, 'unreadable', `cannot read ${path}: ${errorText(e)}`) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads into buf[from, to) until it is full or the file ends; returns the bytes read. */
function readInto(fd: number, buf: Buffer, from: number, to: number): number {
  let at = from;
  while (at < to) {
    const n = readSync(fd, buf, at, to - at, at);
    if (n === 0) break;
    at += n;
  }
  return at - from;
}

function kindOf(st: ReturnType<typeof statSync>): string {
  if (st?.isFIFO()) return 'a named pipe';
  if (st?.isSocket()) return 'a socket';
  if (st?.isCharacterDevice() || st?.isBlockDevice()) return 'a device';
  return 'not a file';
}

/**
 * Sibling reads for the core, relative to the document's folder and cached across a scan. With a `root` (the
 * folder scanned), a sibling whose real path is outside it and outside the current directory is not read: the
 * core then says it was not found.
 */
export function siblingReader(file: string, cache: Map<string, string | undefined>, maxBytes: number, root?: string): (rel: string) => string | undefined {
  return coreSiblingReader(file, (joined) => {
    const p = resolve(joined);
    if (root !== undefined) {
      const real = realOrSelf(p);
      if (!isInside(real, root) && !isInside(real, realOrSelf(process.cwd()))) return undefined;
    }
    if (!cache.has(p)) {
      const r = readTextFile(p, maxBytes);
      cache.set(p, r.ok ? r.text : undefined);
    }
    return cache.get(p);
  });
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'EISDIR') return 'is a directory';
  if (err.code === 'ELOOP') return 'too many levels of symbolic links';
  return err.message ?? String(e);
}

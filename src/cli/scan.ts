import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ConfigDiagnostic } from '../core/configs';

/**
 * The file-system side of `lim-lens estimate`: which files to look at, which to refuse (too large, binary,
 * unreadable) and how a config reads the files beside it. The core never touches the disk.
 */

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', '.tox']);
// Files that sit next to model configs but are never configs themselves, some of them many megabytes.
const SKIP_FILES = /^(tokenizer\.json|tokenizer_config\.json|vocab\.json|special_tokens_map\.json|generation_config\.json|package(-lock)?\.json|.*\.(safetensors|bin)\.index\.json)$/i;
const CANDIDATE = /\.(json|jsonc|ya?ml|sh)$/i;

export interface ScanEntry {
  path: string;
  /** Given by name on the command line (a non-config is then reported, not skipped). */
  explicit: boolean;
}

export function fileDiagnostic(file: string, code: string, message: string): ConfigDiagnostic {
  return { file, line: 1, column: 1, field: '', severity: 'error', code, message, offset: 0, length: 0 };
}

/** Expands the command line's files and folders; folders recursively, in a stable order. */
export function collectFiles(args: string[], diagnostics: ConfigDiagnostic[]): ScanEntry[] {
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
    if (st.isDirectory()) walk(arg, out, diagnostics);
    else out.push({ path: arg, explicit: true });
  }
  return out;
}

function walk(dir: string, out: ScanEntry[], diagnostics: ConfigDiagnostic[]): void {
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
    // Symbolic links to folders are not followed: they can loop.
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, out, diagnostics);
    } else if (CANDIDATE.test(e.name) && !SKIP_FILES.test(e.name)) {
      if (e.isFile()) out.push({ path: p, explicit: false });
      else if (e.isSymbolicLink()) {
        try {
          if (statSync(p).isFile()) out.push({ path: p, explicit: false });
        } catch (err) {
          diagnostics.push(fileDiagnostic(p, 'unreadable', `cannot read ${p}: ${errorText(err)}`));
        }
      }
    }
  }
}

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: ConfigDiagnostic };

/** Reads a file as UTF-8 text unless it is too large, binary or unreadable; never throws. */
export function readTextFile(path: string, maxBytes: number): ReadResult {
  let fd: number | undefined;
  try {
    const size = statSync(path).size;
    if (size > maxBytes) {
      return { ok: false, diagnostic: fileDiagnostic(path, 'too-large', `file is ${formatBytes(size)}, above the ${formatBytes(maxBytes)} limit for configs (--max-file-size); not read`) };
    }
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    const bytes = buf.subarray(0, read);
    const nul = bytes.subarray(0, 8192).indexOf(0);
    if (nul !== -1) return { ok: false, diagnostic: fileDiagnostic(path, 'binary', `binary file (NUL byte at offset ${nul}); configs are text`) };
    return { ok: true, text: bytes.toString('utf8') };
  } catch (e) {
    return { ok: false, diagnostic: fileDiagnostic(path, 'unreadable', `cannot read ${path}: ${errorText(e)}`) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Sibling reads for the core, relative to the document's folder and cached across a scan. */
export function siblingReader(file: string, cache: Map<string, string | undefined>, maxBytes: number): (rel: string) => string | undefined {
  const dir = dirname(file);
  return (rel) => {
    const p = resolve(dir, rel);
    if (!cache.has(p)) {
      const r = readTextFile(p, maxBytes);
      cache.set(p, r.ok ? r.text : undefined);
    }
    return cache.get(p);
  };
}

export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'EISDIR') return 'is a directory';
  if (err.code === 'ELOOP') return 'too many levels of symbolic links';
  return err.message ?? String(e);
}

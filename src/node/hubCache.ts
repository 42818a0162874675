import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { hubCacheDirFrom, hubConfigFile, hubRefFile, hubRevision, parseHubCachePath } from '../core/configs/hubCache';

/** This process's Hugging Face cache folder (hubCacheDirFrom with its environment and home folder). */
export const defaultHubCacheDir = (): string => hubCacheDirFrom(process.env, homedir());

/** What the CLI read from the cache for one virtual path, or why nothing. */
export type HubCacheRead = { ok: true; text: string; file: string } | { ok: false; reason: string };

/**
 * Reads the config.json of the model a virtual path names (see src/core/configs/hubCache.ts) from a Hugging Face
 * cache folder, read only: `refs/main`, then `snapshots/<revision>/config.json`, each a regular file of at most
 * `maxBytes` whose real path (the snapshot's file is a link into `blobs/`) lies inside the cache folder.
 */
export function readHubCacheSync(cacheDir: string, virtualPath: string, maxBytes: number): HubCacheRead {
  const entry = parseHubCachePath(virtualPath);
  if (!entry) return { ok: false, reason: 'not a model of the Hugging Face cache' };
  let root: string;
  try {
    root = realpathSync(resolve(cacheDir));
  } catch {
    return { ok: false, reason: `the Hugging Face cache ${cacheDir} does not exist` };
  }
  const ref = readInside(root, hubRefFile(entry), maxBytes);
  if (!ref.ok) return ref;
  const revision = hubRevision(ref.text);
  if (!revision) return { ok: false, reason: `${hubRefFile(entry)} does not name a revision` };
  return readInside(root, hubConfigFile(entry, revision), maxBytes);
}

function readInside(root: string, rel: string, maxBytes: number): HubCacheRead {
  const path = join(root, ...rel.split('/'));
  try {
    const real = realpathSync(path);
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) return { ok: false, reason: `${rel} leads outside the cache folder` };
    const st = statSync(real);
    if (!st.isFile()) return { ok: false, reason: `${rel} is not a regular file` };
    if (st.size > maxBytes) return { ok: false, reason: `${rel} is over the size limit` };
    const fd = openSync(real, 'r');
    try {
      const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
      const n = readSync(fd, buf, 0, buf.length, 0);
      if (n > maxBytes) return { ok: false, reason: `${rel} is over the size limit` };
      if (buf.subarray(0, Math.min(n, 8192)).includes(0)) return { ok: false, reason: `${rel} is a binary file` };
      return { ok: true, text: buf.subarray(0, n).toString('utf8'), file: real };
    } finally {
      closeSync(fd);
    }
  } catch {
    return { ok: false, reason: `${rel} is not in the cache` };
  }
}

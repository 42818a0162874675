/** POSIX-style relative paths for sibling lookups; the core cannot use node:path. */

export function dirnameOf(path: string): string {
  const i = path.replace(/\\/g, '/').lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basenameOf(path: string): string {
  const p = path.replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Joins and normalises ("a/b", "../c.json" → "a/c.json"); leading ".." segments are kept. */
export function joinPath(base: string, rel: string): string {
  const r = rel.replace(/\\/g, '/');
  const joined = r.startsWith('/') || base === '' ? r : `${base.replace(/\\/g, '/')}/${r}`;
  const parts = joined.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(p);
  }
  return (joined.startsWith('/') ? '/' : '') + out.join('/');
}

/**
 * The user's local Hugging Face cache, read only and only when the user turned it on
 * (`limLens.huggingFaceCache.enabled`, the CLI's `--hf-cache`). The engine never sees where the cache is: a model
 * it cannot count from the bundled table or the workspace is asked for under a virtual path,
 * `/[huggingface-cache]/<org>/<name>/config.json`, and the host (the extension, the CLI) answers it from the cache —
 * `<cache>/models--<org>--<name>/refs/main` names the snapshot, `snapshots/<revision>/config.json` is the file — or
 * answers nothing. Nothing is ever downloaded or written. The rule is in docs/security.md.
 */

/** The virtual folder the engine asks the Hugging Face cache through. */
export const HUB_CACHE_ROOT = '/[huggingface-cache]';

/** One segment of a Hub id, as the Hub allows them: letters, digits, `-`, `_`, `.`, not starting with `.` or `-`. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;

/** A Hub repository id ("org/name", or a legacy "name" such as "gpt2"): its segments, or undefined. */
export function hubIdParts(id: string): string[] | undefined {
  const parts = id.split('/');
  if (parts.length > 2 || parts.some((p) => !SEGMENT.test(p) || p.includes('..'))) return undefined;
  return parts;
}

/** The virtual path the engine reads a Hub model's config.json under, or undefined when `id` is not a Hub id. */
export function hubCachePath(id: string): string | undefined {
  const parts = hubIdParts(id);
  return parts ? `${HUB_CACHE_ROOT}/${parts.join('/')}/config.json` : undefined;
}

export interface HubCacheEntry {
  /** The Hub id, "org/name". */
  id: string;
  /** Its folder in the cache: "models--org--name". */
  folder: string;
}

/** The Hub model a virtual path names, or undefined for any other path (only the exact form is accepted). */
export function parseHubCachePath(path: string): HubCacheEntry | undefined {
  if (!path.startsWith(`${HUB_CACHE_ROOT}/`) || !path.endsWith('/config.json')) return undefined;
  const id = path.slice(HUB_CACHE_ROOT.length + 1, -'/config.json'.length);
  const parts = hubIdParts(id);
  return parts ? { id, folder: `models--${parts.join('--')}` } : undefined;
}

/** The two files read for an entry, relative to the cache folder: the ref, then the snapshot's config.json. */
export const hubRefFile = (e: HubCacheEntry) => `${e.folder}/refs/main`;
export const hubConfigFile = (e: HubCacheEntry, revision: string) => `${e.folder}/snapshots/${revision}/config.json`;

/** The revision a `refs/main` file names: a 40-digit commit hash, nothing else (no path can be smuggled in). */
export function hubRevision(refText: string): string | undefined {
  const r = refText.trim();
  return /^[0-9a-f]{40}$/.test(r) ? r : undefined;
}

/**
 * Where the Hugging Face libraries keep their cache, as they decide it: $HF_HUB_CACHE, else $HF_HOME/hub, else
 * $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. The host passes its environment and home folder.
 */
export function hubCacheDirFrom(env: Record<string, string | undefined>, home: string): string {
  const under = (dir: string, ...rest: string[]) => [dir.replace(/[\\/]+$/, ''), ...rest].join('/');
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return under(env.HF_HOME, 'hub');
  return under(env.XDG_CACHE_HOME || under(home, '.cache'), 'huggingface', 'hub');
}

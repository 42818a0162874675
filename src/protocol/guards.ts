/** Small structural checks for messages that cross a thread or frame boundary, where types cannot be trusted. */

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function hasString<K extends string>(x: Record<string, unknown>, key: K): x is Record<K, string> & Record<string, unknown> {
  return typeof x[key] === 'string';
}

export function hasNumber<K extends string>(x: Record<string, unknown>, key: K): x is Record<K, number> & Record<string, unknown> {
  return typeof x[key] === 'number' && Number.isFinite(x[key]);
}

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

/**
 * A figure as it reaches a webview: VS Code passes webview messages as JSON, so NaN and ±Infinity (a cancelled run's
 * loss, a bound that overflowed) arrive as null. They pass: the view prints them, rather than dropping the message.
 */
export function isFigure(x: unknown): x is number | null {
  return typeof x === 'number' || x === null;
}

/** A figure, or absent. */
export function isOptionalNumber(x: unknown): x is number | null | undefined {
  return x === undefined || isFigure(x);
}

/** An array whose every element passes `check`: one bad element would crash the view that maps over them. */
export function isArrayOf<T>(x: unknown, check: (e: unknown) => e is T): x is T[] {
  return Array.isArray(x) && x.every((e) => check(e));
}

/** A record whose listed keys all hold figures (the numeric tables of the engine's results; see isFigure). */
export function hasFigures(x: unknown, keys: readonly string[]): x is Record<string, number> {
  return isRecord(x) && keys.every((k) => isFigure(x[k]));
}

export function isOneOf<T extends string>(x: unknown, values: readonly T[]): x is T {
  return typeof x === 'string' && (values as readonly string[]).includes(x);
}

/**
 * Validates a message against a table of per-type checks: the `type` must be known and its check must pass.
 * Unknown or malformed messages return false; callers log and drop them.
 */
export function checkMessage<T extends { type: string }>(
  m: unknown,
  checks: { [K in T['type']]: (m: Record<string, unknown>) => boolean },
): m is T {
  if (!isRecord(m) || typeof m.type !== 'string' || !Object.prototype.hasOwnProperty.call(checks, m.type)) return false;
  return (checks as Record<string, (m: Record<string, unknown>) => boolean>)[m.type](m);
}

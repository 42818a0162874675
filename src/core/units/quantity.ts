/**
 * Parses the sizes people write in configs and on command lines: "1e15", "1.8e27", "7B", "300B", "125M",
 * "1_000_000", "1,024". Suffixes follow ML usage and are case-insensitive: k = 1e3, m = 1e6 (million, as in
 * "125m"), b/g = 1e9, t = 1e12, p = 1e15, e = 1e18.
 */

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12, p: 1e15, e: 1e18 };

export type ParsedQuantity = { ok: true; value: number } | { ok: false; reason: string };

const NUMBER_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)([kmbgtpe])?$/i;

export function parseQuantity(text: string): ParsedQuantity {
  const raw = text.trim();
  if (raw === '') return { ok: false, reason: 'an empty value is not a number' };
  const lower = raw.toLowerCase();
  if (lower === 'nan') return { ok: false, reason: 'NaN is not a number' };
  if (/^[+-]?inf(inity)?$/.test(lower)) return { ok: false, reason: `${raw} is not finite` };
  // Digit group separators only between digits, so "1,5" style decimals are not silently misread.
  const compact = /^[+-]?\d{1,3}([,_]\d{3})+(\.\d+)?([kmbgtpe])?$/i.test(raw) || /^[+-]?\d+(_\d+)+$/.test(raw)
    ? raw.replace(/[,_]/g, '')
    : raw;
  const m = NUMBER_RE.exec(compact);
  if (!m) return { ok: false, reason: `"${raw}" is not a number (examples: 1e15, 7B, 300B, 125M)` };
  const value = Number(m[1]) * (m[2] ? SUFFIX[m[2].toLowerCase()] : 1);
  if (!Number.isFinite(value)) return { ok: false, reason: `"${raw}" is too large` };
  return { ok: true, value };
}

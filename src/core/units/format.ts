import { JOULES_PER_WH } from '../physics/constants';

/** "3.683e8" — scientific notation with `digits` significant digits, no "+" in the exponent. */
export function formatSci(x: number, digits = 4): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const [mantissa, exp] = x.toExponential(digits - 1).split('e');
  return `${mantissa}e${Number(exp)}`;
}

/** Rounds to `digits` significant digits and groups thousands: 1234.5 → "1,235", 0.01234 → "0.0123". */
export function formatSig(x: number, digits = 3): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1e21 || abs < 1e-6) return formatSci(x, digits);
  const decimals = Math.min(20, Math.max(0, digits - 1 - Math.floor(Math.log10(abs))));
  return grouping(decimals).format(x);
}

// Building an Intl formatter costs microseconds; a scan formats tens of thousands of numbers, so keep one per
// number of decimals.
const formatters: Intl.NumberFormat[] = [];
function grouping(decimals: number): Intl.NumberFormat {
  return (formatters[decimals] ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: decimals }));
}

const SI_PREFIXES: Array<[number, string]> = [
  [1e-21, 'z'],
  [1e-18, 'a'],
  [1e-15, 'f'],
  [1e-12, 'p'],
  [1e-9, 'n'],
  [1e-6, 'µ'],
  [1e-3, 'm'],
  [1, ''],
  [1e3, 'k'],
  [1e6, 'M'],
  [1e9, 'G'],
  [1e12, 'T'],
  [1e15, 'P'],
  [1e18, 'E'],
];

/** An SI-prefixed value: 3.68e8 J → "368 MJ". Values outside the prefix range fall back to scientific. */
export function formatSI(x: number, unit: string, digits = 3): string {
  if (x === 0) return `0 ${unit}`;
  if (!Number.isFinite(x)) return `${x} ${unit}`;
  const abs = Math.abs(x);
  let chosen: [number, string] | undefined;
  for (const p of SI_PREFIXES) if (abs >= p[0] * 0.9995) chosen = p;
  if (!chosen || abs >= 1e21) return `${formatSci(x, digits)} ${unit}`;
  return `${formatSig(x / chosen[0], digits)} ${chosen[1]}${unit}`;
}

/**
 * Energy the way people read it: watt-hours from 1 Wh up (kWh, MWh, GWh, TWh — what electricity bills and
 * published training energies use), SI joules below.
 */
export function formatEnergy(joules: number, digits = 3): string {
  if (!Number.isFinite(joules) || Math.abs(joules) < JOULES_PER_WH) return formatSI(joules, 'J', digits);
  return formatSI(joules / JOULES_PER_WH, 'Wh', digits);
}

/** Parameter and token counts: 6.74e9 → "6.74B", 124_439_808 → "124M". */
export function formatCount(n: number, digits = 3): string {
  const abs = Math.abs(n);
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  // Past trillions, suffixes stop being familiar ("P" reads as peta): scientific notation.
  if (abs >= 1e15 * 0.9995) return formatSci(n, digits);
  for (const [scale, suffix] of units) if (abs >= scale * 0.9995) return `${formatSig(n / scale, digits)}${suffix}`;
  return formatSig(n, digits);
}

/** Whole numbers with thousands separators: 46702792704 → "46,702,792,704". */
export function formatInteger(n: number): string {
  return grouping(0).format(Math.round(n));
}

/** Joules for a short label: "846 J" below 10 kJ, "3.7e8 J" above (the paper's own notation). */
export function formatJoules(j: number, digits = 2): string {
  const abs = Math.abs(j);
  if (abs >= 1 && abs < 1e4) return `${formatSig(j, Math.max(digits, 3))} J`;
  return `${formatSci(j, digits)} J`;
}

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
  return grouped(x, decimals);
}

/**
 * `x` with at most `decimals` fraction digits (trailing zeros dropped) and en-US thousands separators: exactly what
 * `Intl.NumberFormat('en-US', { maximumFractionDigits: decimals })` prints, which the unit tests check on random
 * values. Not Intl itself: the first Intl formatter of a process or page loads ICU data (30–40 ms), which landed
 * on the first hover, the CLI's start and each webview's first draw. Like Intl, it rounds the shortest decimal
 * form of the double (1.005 → "1.01", where toFixed gives "1.00"), half away from zero.
 */
export function grouped(x: number, decimals: number): string {
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e');
  let digits = mantissa.replace('.', '');
  let intLength = Number(exponent) + 1;
  if (intLength <= 0) {
    digits = '0'.repeat(1 - intLength) + digits;
    intLength = 1;
  }
  const keep = intLength + decimals;
  if (digits.length <= keep) digits = digits.padEnd(keep, '0');
  else {
    const roundUp = digits.charCodeAt(keep) >= 53; // '5'
    const kept = digits.slice(0, keep).split('');
    let i = keep - 1;
    if (roundUp) {
      for (; i >= 0 && kept[i] === '9'; i--) kept[i] = '0';
      if (i >= 0) kept[i] = String(Number(kept[i]) + 1);
      else {
        kept.unshift('1');
        intLength++;
      }
    }
    digits = kept.join('');
  }
  const integer = digits.slice(0, intLength).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(intLength).replace(/0+$/, '');
  return `${x < 0 ? '-' : ''}${integer.replace(/\B(?=(\d{3})+$)/g, ',')}${fraction ? `.${fraction}` : ''}`;
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

/** Parameter and token counts: 6.74e9 → "6.74B", 124_439_808 → "124M"; whole numbers below 10,000 in full ("2,048"). */
export function formatCount(n: number, digits = 3): string {
  const abs = Math.abs(n);
  if (Number.isInteger(n) && abs < 1e4) return formatInteger(n);
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
  return grouped(Math.round(n), 0);
}

/**
 * The one notation for the physical bounds (LIM, Landauer, static barrier) on every surface: the same adaptive units
 * as the estimates beside them (`formatEnergy`), so a bound and an accelerator energy can be read against each other
 * ("LIM bound 102 kWh" next to "≈ 84.1 MWh"), never one in "3.7e8 J" and the other in watt-hours.
 */
export function formatBound(joules: number, digits = 3): string {
  return formatEnergy(joules, digits);
}

/**
 * A duration from hours, in the unit a person would say: seconds below a minute, minutes below an hour, hours below
 * two days, days below two years, years above ("32 s", "45 min", "17.3 h", "9.8 days", "3.4 years").
 */
export function formatDuration(hours: number, digits = 3): string {
  if (!Number.isFinite(hours)) return `${hours} h`;
  const abs = Math.abs(hours);
  if (abs === 0) return '0 h';
  if (abs * 60 < 0.9995) return `${formatSig(hours * 3600, Math.min(digits, 2))} s`;
  if (abs < 1) return `${formatSig(hours * 60, Math.min(digits, 2))} min`;
  if (abs < 48) return `${formatSig(hours, digits)} h`;
  if (abs < 24 * 365.25 * 2) return `${formatSig(hours / 24, digits)} days`;
  return `${formatSig(hours / 24 / 365.25, digits)} years`;
}

/**
 * Accelerator time, compact: "13.4 device-seconds", "1.06 device-minutes", "52.3 device-hours", "3.82K device-hours",
 * "1.72M device-hours".
 */
export function formatDeviceHours(hours: number, digits = 3): string {
  if (Number.isFinite(hours) && hours !== 0 && Math.abs(hours) * 60 < 0.9995) return `${formatSig(hours * 3600, digits)} device-seconds`;
  if (Number.isFinite(hours) && hours !== 0 && Math.abs(hours) < 1) return `${formatSig(hours * 60, digits)} device-minutes`;
  return `${formatCount(hours, digits)} device-hours`;
}

/**
 * A relative change as people read it, with a real minus sign: 0.12 → "+12 %", −0.7412 → "−74 %", 0.0018 → "+0.18 %".
 * `digits` significant digits.
 */
export function formatChange(fraction: number, digits = 2): string {
  if (!Number.isFinite(fraction)) return `${fraction}`;
  const p = fraction * 100;
  if (p === 0) return '0 %';
  const text = formatSig(Math.abs(p), digits);
  return `${p > 0 ? '+' : '−'}${text} %`;
}

/**
 * A CO₂ mass from kilograms, in the unit that keeps it readable: grams below 1 kg, kilograms below 1 t, tonnes
 * above ("46.2 g CO₂", "1.79 kg CO₂", "31.2 t CO₂"), never "0.0000462 t".
 */
export function formatCO2(kg: number, digits = 3): string {
  if (!Number.isFinite(kg)) return `${kg} kg CO₂`;
  const abs = Math.abs(kg);
  if (abs === 0) return '0 kg CO₂';
  // Decide on the rounded value, so 999.97 kg reads "1 t", not "1,000 kg".
  const roundedKg = Number(formatSig(kg, digits).replace(/,/g, ''));
  if (Math.abs(roundedKg) < 1) return `${formatSig(kg * 1000, digits)} g CO₂`;
  if (Math.abs(roundedKg) < 1000) return `${formatSig(kg, digits)} kg CO₂`;
  return `${formatSig(kg / 1000, digits)} t CO₂`;
}

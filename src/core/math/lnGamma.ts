/**
 * ln Γ(x) for x > 0, accurate to a few ulps in float64 over the whole range.
 *
 * The bound models need ln Γ(U + 1) = Σ_{n=1..U} ln n for U from 1 to ~1e13 and for non-integer U. A short
 * Lanczos approximation is only good to ~1e-7 absolute, which shows at six significant digits, so:
 *  - x ≥ 16: the Stirling series with its Bernoulli terms up to x^-13 (first omitted term < 1e-20 relative);
 *  - 1.5 ≤ x < 2.5: the Taylor series of ln Γ(2 + z) in ζ(k) − 1, which keeps full relative accuracy next to
 *    the zero at x = 2 (E_neq must stay ≥ 0 when U is barely above one update);
 *  - 2.5 ≤ x < 16: the recurrence down into [1.5, 2.5), adding logs of positive factors (no cancellation);
 *  - x < 1.5: the recurrence up, ln Γ(x) = ln Γ(x + 1) − ln x.
 */

const HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const EULER_GAMMA = 0.5772156649015329;

// B_{2k} / (2k (2k − 1)), k = 1..7: the Stirling series coefficients.
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156] as const;

// ζ(k) − 1 for k = 2..39 (computed with mpmath at 30 digits). ln Γ(2 + z) = (1 − γ) z + Σ (−1)^k (ζ(k) − 1) z^k / k.
const ZETA_MINUS_ONE = [
  0.6449340668482264, 0.2020569031595943, 0.08232323371113819, 0.03692775514336993, 0.01734306198444914,
  0.008349277381922827, 0.00407735619794434, 0.0020083928260822143, 0.0009945751278180853, 0.0004941886041194645,
  0.0002460865533080483, 0.00012271334757848915, 0.00006124813505870483, 0.00003058823630702049,
  0.00001528225940865187, 0.000007637197637899763, 0.00000381729326499984, 0.000001908212716553939,
  9.539620338727962e-7, 4.769329867878064e-7, 2.38450502727733e-7, 1.1921992596531106e-7, 5.960818905125948e-8,
  2.980350351465228e-8, 1.490155482836504e-8, 7.45071178983543e-9, 3.725334024788457e-9, 1.862659723513049e-9,
  9.313274324196682e-10, 4.656629065033784e-10, 2.3283118336765053e-10, 1.164155017270052e-10, 5.820772087902701e-11,
  2.9103850444971e-11, 1.4551921891041985e-11, 7.275959835057482e-12, 3.637979547378651e-12, 1.818989650307066e-12,
] as const;

function lnGammaStirling(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  let series = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inv2 + STIRLING[k];
  return (x - 0.5) * Math.log(x) - x + HALF_LN_TWO_PI + series * inv;
}

/** ln Γ(2 + z) for |z| ≤ 0.5. */
function lnGammaNearTwo(z: number): number {
  let sum = 0;
  for (let i = ZETA_MINUS_ONE.length - 1; i >= 0; i--) {
    const k = i + 2;
    sum = sum * z + ((k % 2 === 0 ? 1 : -1) * ZETA_MINUS_ONE[i]) / k;
  }
  return z * ((1 - EULER_GAMMA) + z * sum);
}

export function lnGamma(x: number): number {
  if (x === Infinity) return Infinity;
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`lnGamma is defined here for finite x > 0, got ${x}`);
  if (x >= 16) return lnGammaStirling(x);
  if (x >= 2.5) {
    let product = 1;
    let y = x;
    while (y >= 2.5) {
      y -= 1;
      product *= y;
    }
    return Math.log(product) + lnGammaNearTwo(y - 2);
  }
  if (x >= 1.5) return lnGammaNearTwo(x - 2);
  if (x >= 0.5) return lnGammaNearTwo(x - 1) - Math.log1p(x - 1);
  return lnGammaNearTwo(x) - Math.log(x) - Math.log1p(x);
}

/** ln(n!) = ln Γ(n + 1), for real n ≥ 0. */
export function lnFactorial(n: number): number {
  return lnGamma(n + 1);
}

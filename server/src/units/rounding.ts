// The one rounding rule for converted quantities (docs/units.md, "Rounding").
// UCUM computes in binary floating point, so 0.4 10*9/L comes back as
// 400.00000000000006 /uL. Rounding every result to 12 significant decimal digits
// removes that noise (doubles hold 15-17 digits; UCUM's error stays far below the
// 12th) while keeping far more precision than any clinical value carries.

export const SIGNIFICANT_DIGITS = 12;

/** Rounds to 12 significant decimal digits; NaN and infinities pass through, -0 becomes 0. */
export function roundSignificant(x: number): number {
  if (x === 0) return 0;
  // Whole numbers below 10^12 are already exact to 12 digits (the common case, and fast).
  if (Number.isInteger(x) && Math.abs(x) < 1e12) return x;
  if (!Number.isFinite(x)) return x;
  return Number(x.toPrecision(SIGNIFICANT_DIGITS));
}

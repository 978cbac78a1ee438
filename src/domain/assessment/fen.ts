/**
 * Integer division rounded half away from zero: 7 ÷ 2 = 4, −7 ÷ 2 = −4, 5 ÷ 3 = 2. Exact for safe integers,
 * never through a fractional float that could land on the wrong side of a half.
 */
export function divideRounded(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError(`cannot divide ${numerator} by ${denominator}`);
  }
  const magnitude = Math.abs(numerator);
  let quotient = Math.floor(magnitude / denominator);
  let remainder = magnitude - quotient * denominator;
  // The float quotient of two large integers can round across a whole number; settle it exactly.
  while (remainder < 0) {
    quotient -= 1;
    remainder += denominator;
  }
  while (remainder >= denominator) {
    quotient += 1;
    remainder -= denominator;
  }
  const rounded = remainder * 2 >= denominator ? quotient + 1 : quotient;
  return numerator < 0 ? -rounded : rounded;
}

/** 建筑面积 (hundredths of m²) × 权利份额 (hundredths of a percent, 10 000 = 100 %), before dividing. */
export const FULL_SHARE = 10_000;

/**
 * Amounts are stored in fen (分, integers); people enter and read them in yuan (元). The conversion is done
 * on the digits, never through a floating-point multiplication, so 0.29 元 is 29 分 and not 28.999….
 */

const YUAN_PATTERN = /^(?:(\d+)(?:\.(\d{0,2}))?|\.(\d{1,2}))$/;

/** Fen as yuan with two decimals and no grouping: 50000 → "500.00", 5 → "0.05". */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) return String(fen);
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const cents = abs % 100;
  return `${negative ? '-' : ''}${yuan}.${String(cents).padStart(2, '0')}`;
}

/** Fen as yuan with thousands separators for reading: 100000000 → "1,000,000.00". */
export function formatYuan(fen: number): string {
  const [whole = '', cents = '00'] = fenToYuan(fen).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/**
 * A non-negative yuan amount typed by a person ("500", "500.5", "500.05", ".5", " 1,000 ") as fen, or null when it
 * is not such an amount (negative, more than two decimals, letters, too large to be exact).
 */
export function yuanToFen(input: string): number | null {
  const text = input.trim().replaceAll(',', '').replaceAll('，', '');
  const match = YUAN_PATTERN.exec(text);
  if (!match) return null;
  const whole = match[1] ?? '0';
  const cents = (match[2] ?? match[3] ?? '').padEnd(2, '0');
  // Strip leading zeros so the digit count below measures the magnitude.
  const digits = `${whole}${cents}`.replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return null;
  const fen = Number.parseInt(digits, 10);
  return Number.isSafeInteger(fen) ? fen : null;
}

import type { AssessmentWindow, MonthAmount } from './types.ts';

/**
 * The look-back window and the spreading of multi-month amounts. Months are `YYYY-MM`; all arithmetic is on
 * integer fen.
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** `YYYY-MM-DD` with a day that exists in its month. */
export function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Months since year 0: consecutive months differ by one. */
export function monthIndex(month: string): number {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export function monthOfIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function addMonths(month: string, count: number): string {
  return monthOfIndex(monthIndex(month) + count);
}

/** Every month from `from` to `to`, both inclusive; empty when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const first = monthIndex(from);
  const last = monthIndex(to);
  const months: string[] = [];
  for (let index = first; index <= last; index++) months.push(monthOfIndex(index));
  return months;
}

/** The `length` months ending at `asOfMonth`, inclusive: 12 months to 2025-06 are 2024-07 … 2025-06. */
export function lookBackWindow(asOfMonth: string, length: number): AssessmentWindow {
  if (!Number.isInteger(length) || length < 1)
    throw new RangeError(`a window needs ≥ 1 month, not ${length}`);
  const firstMonth = addMonths(asOfMonth, -(length - 1));
  return { firstMonth, lastMonth: asOfMonth, months: monthsBetween(firstMonth, asOfMonth) };
}

export function windowContains(window: AssessmentWindow, month: string): boolean {
  return month >= window.firstMonth && month <= window.lastMonth && isMonth(month);
}

/**
 * An amount spread evenly over the months `from`–`to`, in whole fen, summing exactly to the amount.
 *
 * Rule (largest remainder): every month gets ⌊|amount| ÷ n⌋; the r = |amount| mod n fen left over go one
 * each to the months with the largest fractional remainder. All months have the same remainder, so the tie is
 * broken by calendar order: the first r months get one fen more. 1 000.00 元 over three months is
 * 333.34 + 333.33 + 333.33. A negative amount is spread by its magnitude and keeps its sign.
 */
export function spreadEvenly(amountFen: number, from: string, to: string): MonthAmount[] {
  if (!Number.isSafeInteger(amountFen)) throw new RangeError(`not a whole number of fen: ${amountFen}`);
  const months = monthsBetween(from, to);
  if (months.length === 0) throw new RangeError(`period ends (${to}) before it starts (${from})`);
  const sign = amountFen < 0 ? -1 : 1;
  const magnitude = Math.abs(amountFen);
  const base = Math.floor(magnitude / months.length);
  const remainder = magnitude - base * months.length;
  // `+ 0` turns the -0 of a zero negative part into 0.
  return months.map((month, index) => ({
    month,
    amountFen: sign * (base + (index < remainder ? 1 : 0)) + 0,
  }));
}

/** The even spread of an amount, split into the parts inside the window and those outside it. */
export function spreadOverWindow(
  amountFen: number,
  from: string,
  to: string,
  window: AssessmentWindow,
): { inside: MonthAmount[]; outside: MonthAmount[] } {
  const inside: MonthAmount[] = [];
  const outside: MonthAmount[] = [];
  for (const part of spreadEvenly(amountFen, from, to)) {
    (windowContains(window, part.month) ? inside : outside).push(part);
  }
  return { inside, outside };
}

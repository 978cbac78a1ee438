import { fileErrorMessage } from './messages.ts';
import type { Frequency, ParsedPeriod, PeriodGranularity } from './types.ts';

/**
 * Batch periods (`2025-06`, `2025-Q2`, `2025-H1`, `2025`) and the delivery schedule of C§4: every period is due
 * on the 10th of the month after it ends (monthly: the next month; quarterly: Apr/Jul/Oct/Jan; half-yearly:
 * Jul/Jan; yearly: January of the next year).
 */

export type PeriodResult =
  | { ok: true; value: ParsedPeriod }
  | { ok: false; code: 'INVALID_PERIOD'; message: string };

export interface PeriodDeadline {
  period: ParsedPeriod;
  /** `YYYY-MM-DD`: the delivery is on time up to and including this day. */
  dueDate: string;
}

const EARLIEST_YEAR = 1900;
const DUE_DAY = '10';

const GRANULARITY_OF: Readonly<Record<Frequency, PeriodGranularity>> = {
  monthly: 'month',
  quarterly: 'quarter',
  half_yearly: 'half',
  yearly: 'year',
};

const MONTHS_IN: Readonly<Record<PeriodGranularity, number>> = { month: 1, quarter: 3, half: 6, year: 12 };

const FREQUENCY_NAMES: Readonly<Record<Frequency, string>> = {
  monthly: '按月',
  quarterly: '按季度',
  half_yearly: '按半年',
  yearly: '按年',
};

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function monthLabel(year: number, month: number): string {
  return `${year}-${pad2(month)}`;
}

function periodOf(label: string, granularity: PeriodGranularity, year: number, first: number): ParsedPeriod {
  const last = first + MONTHS_IN[granularity] - 1;
  return { label, granularity, firstMonth: monthLabel(year, first), lastMonth: monthLabel(year, last) };
}

function invalid(label: string): PeriodResult {
  return { ok: false, code: 'INVALID_PERIOD', message: fileErrorMessage('INVALID_PERIOD', `「${label}」`) };
}

export function parsePeriod(label: string): PeriodResult {
  const text = label.normalize('NFKC').trim().toUpperCase();
  const match = /^(\d{4})(?:-(\d{2})|-Q(\d)|-H(\d))?$/.exec(text);
  if (!match) return invalid(label);
  const year = Number(match[1]);
  if (year < EARLIEST_YEAR) return invalid(label);
  const [, , month, quarter, half] = match;
  if (month !== undefined) {
    const m = Number(month);
    return m >= 1 && m <= 12 ? { ok: true, value: periodOf(text, 'month', year, m) } : invalid(label);
  }
  if (quarter !== undefined) {
    const q = Number(quarter);
    return q >= 1 && q <= 4
      ? { ok: true, value: periodOf(text, 'quarter', year, q * 3 - 2) }
      : invalid(label);
  }
  if (half !== undefined) {
    const h = Number(half);
    return h === 1 || h === 2 ? { ok: true, value: periodOf(text, 'half', year, h * 6 - 5) } : invalid(label);
  }
  return { ok: true, value: periodOf(text, 'year', year, 1) };
}

function splitMonth(month: string): { year: number; month: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const m = Number(match?.[2]);
  if (!match || m < 1 || m > 12) throw new RangeError(`month must be YYYY-MM, got ${month}`);
  return { year: Number(match[1]), month: m };
}

/** `2025-12` plus 1 is `2026-01`. */
export function addMonths(month: string, count: number): string {
  const { year, month: m } = splitMonth(month);
  const index = year * 12 + (m - 1) + count;
  return monthLabel(Math.floor(index / 12), (index % 12) + 1);
}

export function monthsOfPeriod(period: ParsedPeriod): string[] {
  const months: string[] = [];
  for (let month = period.firstMonth; month <= period.lastMonth; month = addMonths(month, 1))
    months.push(month);
  return months;
}

export function periodContainsMonth(period: ParsedPeriod, month: string): boolean {
  return period.firstMonth <= month && month <= period.lastMonth;
}

/** Shared months; the same period overlaps itself. */
export function periodsOverlap(a: ParsedPeriod, b: ParsedPeriod): boolean {
  return a.firstMonth <= b.lastMonth && b.firstMonth <= a.lastMonth;
}

export function granularityOfFrequency(frequency: Frequency): PeriodGranularity {
  return GRANULARITY_OF[frequency];
}

/** The delivery period of a dataset with this frequency that contains `month`: quarterly, 2025-05 → 2025-Q2. */
export function periodOfGranularity(frequency: Frequency, month: string): ParsedPeriod {
  const { year, month: m } = splitMonth(month);
  switch (GRANULARITY_OF[frequency]) {
    case 'month':
      return periodOf(monthLabel(year, m), 'month', year, m);
    case 'quarter': {
      const quarter = Math.ceil(m / 3);
      return periodOf(`${year}-Q${quarter}`, 'quarter', year, quarter * 3 - 2);
    }
    case 'half': {
      const half = m <= 6 ? 1 : 2;
      return periodOf(`${year}-H${half}`, 'half', year, half * 6 - 5);
    }
    case 'year':
      return periodOf(String(year), 'year', year, 1);
  }
}

/**
 * A batch period must be made of whole delivery periods: a quarterly dataset takes `2025-Q2`, `2025-H1` or
 * `2025` (history), not `2025-05`.
 */
export function checkPeriodForFrequency(
  frequency: Frequency,
  period: ParsedPeriod,
): { code: 'INVALID_PERIOD'; message: string } | null {
  const starts = periodOfGranularity(frequency, period.firstMonth).firstMonth === period.firstMonth;
  const ends = periodOfGranularity(frequency, period.lastMonth).lastMonth === period.lastMonth;
  if (starts && ends) return null;
  return {
    code: 'INVALID_PERIOD',
    message: fileErrorMessage(
      'INVALID_PERIOD',
      `本数据集${FREQUENCY_NAMES[frequency]}报送，批次期间「${period.label}」须由完整的报送期间组成`,
    ),
  };
}

function dueDateAfter(lastMonth: string): string {
  return `${addMonths(lastMonth, 1)}-${DUE_DAY}`;
}

/**
 * Each delivery period inside `period` with its due date. A period coarser than the frequency (a year of a
 * monthly dataset) lists all of its months; a finer one gives the delivery period that contains it.
 */
export function deliveryDeadlines(frequency: Frequency, period: ParsedPeriod): PeriodDeadline[] {
  const deadlines: PeriodDeadline[] = [];
  let current = periodOfGranularity(frequency, period.firstMonth);
  for (;;) {
    deadlines.push({ period: current, dueDate: dueDateAfter(current.lastMonth) });
    if (current.lastMonth >= period.lastMonth) return deadlines;
    current = periodOfGranularity(frequency, addMonths(current.lastMonth, 1));
  }
}

/** The date by which the whole of `period` is due: that of its last delivery period. */
export function deliveryDeadline(frequency: Frequency, period: ParsedPeriod): string {
  return dueDateAfter(periodOfGranularity(frequency, period.lastMonth).lastMonth);
}

/**
 * The delivery periods from the one containing `fromMonth` whose due date has passed by `today`
 * (`YYYY-MM-DD`): the ones to look for when detecting overdue deliveries. On the due date itself a delivery
 * is still on time, so that period is not listed yet.
 */
export function expectedPeriods(frequency: Frequency, fromMonth: string, today: string): PeriodDeadline[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);
  const expected: PeriodDeadline[] = [];
  let current = periodOfGranularity(frequency, fromMonth);
  for (;;) {
    const dueDate = dueDateAfter(current.lastMonth);
    if (dueDate >= today) return expected;
    expected.push({ period: current, dueDate });
    current = periodOfGranularity(frequency, addMonths(current.lastMonth, 1));
  }
}

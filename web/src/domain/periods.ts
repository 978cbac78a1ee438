import type { Frequency } from '../api/types';

/**
 * Batch periods as the server takes them (CATALOG.md): `2025-06` (month), `2025-Q2` (quarter), `2025-H1`
 * (half-year), `2025` (year). A batch period must be made of whole delivery periods of its dataset: a quarterly
 * dataset takes `2025-Q2`, `2025-H1` or `2025`, never `2025-05`.
 */

export type Granularity = 'month' | 'quarter' | 'half' | 'year';

interface Span {
  label: string;
  granularity: Granularity;
  /** Month index (year × 12 + month − 1) of the first and last month. */
  first: number;
  last: number;
}

const MONTHS_IN: Record<Granularity, number> = { month: 1, quarter: 3, half: 6, year: 12 };

export const GRANULARITY_OF: Record<Frequency, Granularity> = {
  monthly: 'month',
  quarterly: 'quarter',
  half_yearly: 'half',
  yearly: 'year',
};

/** Upper-cases and trims, and turns full-width characters into ASCII, as the server does. */
export function normalisePeriod(text: string): string {
  return text.normalize('NFKC').trim().toUpperCase();
}

function spanOf(granularity: Granularity, year: number, firstMonth: number): Span {
  const first = year * 12 + firstMonth - 1;
  const last = first + MONTHS_IN[granularity] - 1;
  const label =
    granularity === 'month'
      ? `${year}-${String(firstMonth).padStart(2, '0')}`
      : granularity === 'quarter'
        ? `${year}-Q${Math.ceil(firstMonth / 3)}`
        : granularity === 'half'
          ? `${year}-H${firstMonth <= 6 ? 1 : 2}`
          : String(year);
  return { label, granularity, first, last };
}

export function parsePeriod(text: string): Span | null {
  const match = /^(\d{4})(?:-(\d{2})|-Q(\d)|-H(\d))?$/.exec(normalisePeriod(text));
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1900) return null;
  const [, , month, quarter, half] = match;
  if (month !== undefined) {
    const m = Number(month);
    return m >= 1 && m <= 12 ? spanOf('month', year, m) : null;
  }
  if (quarter !== undefined) {
    const q = Number(quarter);
    return q >= 1 && q <= 4 ? spanOf('quarter', year, q * 3 - 2) : null;
  }
  if (half !== undefined) {
    const h = Number(half);
    return h === 1 || h === 2 ? spanOf('half', year, h * 6 - 5) : null;
  }
  return spanOf('year', year, 1);
}

/** The delivery period of this granularity that contains the month index. */
function containing(granularity: Granularity, monthIndex: number): Span {
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const size = MONTHS_IN[granularity];
  const firstMonth = Math.floor((month - 1) / size) * size + 1;
  return spanOf(granularity, year, firstMonth);
}

/** True when the period is made of whole delivery periods of the frequency. */
export function fitsFrequency(frequency: Frequency, period: string): boolean {
  const span = parsePeriod(period);
  if (!span) return false;
  const granularity = GRANULARITY_OF[frequency];
  return (
    containing(granularity, span.first).first === span.first &&
    containing(granularity, span.last).last === span.last
  );
}

/**
 * The most recent delivery periods that have ended by `today` (YYYY-MM-DD), newest first, then the current
 * one last (a department may deliver a snapshot before the period closes).
 */
export function recentPeriods(frequency: Frequency, today: string, count: number): string[] {
  const match = /^(\d{4})-(\d{2})/.exec(today);
  if (!match) return [];
  const granularity = GRANULARITY_OF[frequency];
  const current = containing(granularity, Number(match[1]) * 12 + Number(match[2]) - 1);
  const labels: string[] = [];
  let cursor = current.first - 1;
  while (labels.length < count && cursor >= 0) {
    const span = containing(granularity, cursor);
    labels.push(span.label);
    cursor = span.first - 1;
  }
  labels.push(current.label);
  return labels;
}

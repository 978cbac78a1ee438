import type { CalendarDay } from '../api/types';

export type DayStatus =
  | { kind: 'holiday'; name: string }
  | { kind: 'makeupWorkday'; name: string }
  | { kind: 'weekday' }
  | { kind: 'weekend' };

/**
 * Whether a date (YYYY-MM-DD) is a working day, by the official calendar of its year: listed holidays
 * and make-up working days override the Monday–Friday rule.
 */
export function dayStatus(date: string, days: readonly CalendarDay[]): DayStatus {
  const entry = days.find((day) => day.date === date);
  if (entry?.kind === 'holiday') return { kind: 'holiday', name: entry.name };
  if (entry?.kind === 'workday') return { kind: 'makeupWorkday', name: entry.name };
  const [year, month, dayOfMonth] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, dayOfMonth ?? 1)).getUTCDay();
  return weekday === 0 || weekday === 6 ? { kind: 'weekend' } : { kind: 'weekday' };
}

export function isWorkingDay(status: DayStatus): boolean {
  return status.kind === 'weekday' || status.kind === 'makeupWorkday';
}

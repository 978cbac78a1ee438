import { request } from './client';
import type { CalendarDay, CalendarYear, CalendarYearSummary, Items } from './types';

export const CALENDAR_NOT_COVERED = 'CALENDAR_NOT_COVERED';
export const VALIDATION_FAILED = 'VALIDATION_FAILED';

export interface SaveCalendarYearInput {
  source: string;
  publishedOn: string | null;
  days: CalendarDay[];
}

export async function listCalendarYears(): Promise<CalendarYearSummary[]> {
  const { items } = await request<Items<CalendarYearSummary>>('/api/calendar/years');
  return items;
}

export function getCalendarYear(year: number): Promise<CalendarYear> {
  return request<CalendarYear>(`/api/calendar/years/${year}`);
}

export function saveCalendarYear(year: number, input: SaveCalendarYearInput): Promise<CalendarYear> {
  return request<CalendarYear>(`/api/calendar/years/${year}`, { method: 'PUT', body: input });
}

/** The n-th working day after `date` (YYYY-MM-DD). */
export async function addWorkdays(date: string, n: number): Promise<string> {
  const result = await request<{ date: string }>('/api/calendar/add-workdays', { query: { date, n } });
  return result.date;
}

export async function workdaysBetween(from: string, to: string): Promise<number> {
  const result = await request<{ days: number }>('/api/calendar/workdays-between', { query: { from, to } });
  return result.days;
}

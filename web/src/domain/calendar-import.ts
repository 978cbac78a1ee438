import type { CalendarDay } from '../api/types';

export type ImportProblem = 'notJson' | 'noDays' | 'notObject' | 'badDate' | 'badKind' | 'badName';

export interface ImportIssue {
  problem: ImportProblem;
  /** Zero-based position of the offending entry in the pasted list. */
  index?: number;
}

export interface ImportedYear {
  year?: number;
  source?: string;
  publishedOn?: string | null;
  days: CalendarDay[];
}

export type ImportResult = { ok: true; value: ImportedYear } | { ok: false; issues: ImportIssue[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isValidDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const [year, month, day] = text.split('-').map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  return date.toISOString().startsWith(text);
}

function parseDay(entry: unknown, index: number, issues: ImportIssue[]): CalendarDay | null {
  if (typeof entry !== 'object' || entry === null) {
    issues.push({ problem: 'notObject', index });
    return null;
  }
  const date = 'date' in entry ? entry.date : undefined;
  const kind = 'kind' in entry ? entry.kind : undefined;
  const name = 'name' in entry ? entry.name : '';
  const dateOk = typeof date === 'string' && isValidDate(date);
  const kindOk = kind === 'holiday' || kind === 'workday';
  const nameOk = typeof name === 'string';
  if (!dateOk) issues.push({ problem: 'badDate', index });
  if (!kindOk) issues.push({ problem: 'badKind', index });
  if (!nameOk) issues.push({ problem: 'badName', index });
  return dateOk && kindOk && nameOk ? { date, kind, name: name.trim() } : null;
}

/**
 * Reads a year's entries pasted as JSON: either a list of `{date, kind, name}` or an object
 * `{year?, source?, publishedOn?, days}` as returned by the calendar API.
 */
export function parseCalendarJson(text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, issues: [{ problem: 'notJson' }] };
  }
  const container = typeof data === 'object' && data !== null && !Array.isArray(data) ? data : null;
  const list: unknown = Array.isArray(data)
    ? data
    : container && 'days' in container
      ? container.days
      : undefined;
  if (!Array.isArray(list)) return { ok: false, issues: [{ problem: 'noDays' }] };

  const issues: ImportIssue[] = [];
  const days = list.flatMap((entry: unknown, index) => parseDay(entry, index, issues) ?? []);
  if (issues.length > 0) return { ok: false, issues };

  const value: ImportedYear = { days };
  if (container) {
    if ('year' in container && typeof container.year === 'number') value.year = container.year;
    if ('source' in container && typeof container.source === 'string') value.source = container.source;
    if (
      'publishedOn' in container &&
      (typeof container.publishedOn === 'string' || container.publishedOn === null)
    ) {
      value.publishedOn = container.publishedOn;
    }
  }
  return { ok: true, value };
}

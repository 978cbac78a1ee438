import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every date the platform shows is Beijing time, whatever the browser's own zone. */
export const TIME_ZONE = 'Asia/Shanghai';
export const DATE_FORMAT = 'YYYY-MM-DD';
export const DATETIME_FORMAT = 'YYYY-MM-DD HH:mm:ss';
export const EMPTY = '—';

export function nowInShanghai(): Dayjs {
  return dayjs().tz(TIME_ZONE);
}

/** Today's calendar date in Beijing, as YYYY-MM-DD. */
export function todayInShanghai(): string {
  return nowInShanghai().format(DATE_FORMAT);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return EMPTY;
  const value = dayjs(iso);
  return value.isValid() ? value.tz(TIME_ZONE).format(DATETIME_FORMAT) : iso;
}

/** Formats an instant or a plain YYYY-MM-DD date as a Beijing calendar date. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return EMPTY;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const parsed = dayjs(value);
  return parsed.isValid() ? parsed.tz(TIME_ZONE).format(DATE_FORMAT) : value;
}

/** A calendar date picked in the UI (whatever the browser's zone) as YYYY-MM-DD. */
export function toDateString(value: Dayjs): string {
  return value.format(DATE_FORMAT);
}

/** Reads a local date (YYYY-MM-DD) for date pickers, without shifting it across zones. */
export function parseDate(value: string): Dayjs {
  return dayjs(value, DATE_FORMAT);
}

/** Treats a wall-clock time entered in the UI as Beijing time and returns the instant as ISO 8601. */
export function shanghaiWallClockToIso(value: Dayjs | string): string {
  const wallClock = typeof value === 'string' ? value : value.format(DATETIME_FORMAT);
  return dayjs.tz(wallClock, TIME_ZONE).toISOString();
}

/** Day of week (0 = Sunday) of a YYYY-MM-DD date. */
export function weekdayOf(date: string): number {
  return dayjs(date).day();
}

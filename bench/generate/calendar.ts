/**
 * Days and months as plain integers, with cached labels: a day is the count of days since 1970-01-01 (UTC,
 * negative before), a month is year × 12 + (month − 1). Millions of rows print dates, so labels are built once.
 */

const DAY_MS = 86_400_000;
/** 1900-01-01 */
const FIRST_CACHED_DAY = -25_567;
const CACHED_DAYS = 60_000;
const isoCache: (string | undefined)[] = new Array(CACHED_DAYS);
const monthCache = new Map<number, string>();

export function dayOf(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`date must be YYYY-MM-DD, got ${iso}`);
  return Math.round(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS);
}

function isoUncached(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` */
export function isoOfDay(day: number): string {
  const slot = day - FIRST_CACHED_DAY;
  if (slot < 0 || slot >= CACHED_DAYS) return isoUncached(day);
  let iso = isoCache[slot];
  if (iso === undefined) {
    iso = isoUncached(day);
    isoCache[slot] = iso;
  }
  return iso;
}

/** `YYYYMMDD`, as inside an ID number. */
export function compactOfDay(day: number): string {
  const iso = isoOfDay(day);
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

export function yearOfDay(day: number): number {
  return Number(isoOfDay(day).slice(0, 4));
}

export function monthOfDay(day: number): number {
  const iso = isoOfDay(day);
  return Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
}

export function monthNumber(label: string): number {
  const match = /^(\d{4})-(\d{2})$/.exec(label);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) throw new RangeError(`month must be YYYY-MM, got ${label}`);
  return Number(match[1]) * 12 + month - 1;
}

/** `YYYY-MM` */
export function monthLabel(month: number): string {
  let label = monthCache.get(month);
  if (label === undefined) {
    label = `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
    monthCache.set(month, label);
  }
  return label;
}

export function firstDayOfMonth(month: number): number {
  return Math.round(Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS);
}

export function lastDayOfMonth(month: number): number {
  return firstDayOfMonth(month + 1) - 1;
}

/** Calendar year of a month number. */
export function yearOfMonth(month: number): number {
  return Math.floor(month / 12);
}

/** First month of the half-year holding `month`. */
export function halfStart(month: number): number {
  return month - (month % 6);
}

/** First month of the quarter holding `month`. */
export function quarterStart(month: number): number {
  return month - (month % 3);
}

/** `2025-H1` */
export function halfLabel(month: number): string {
  return `${yearOfMonth(month)}-H${(month % 12) < 6 ? 1 : 2}`;
}

/** `2025-Q2` */
export function quarterLabel(month: number): string {
  return `${yearOfMonth(month)}-Q${Math.floor((month % 12) / 3) + 1}`;
}

import { createHash } from 'node:crypto';
import officialHolidays from './official-holidays.json' with { type: 'json' };

export type CalendarDayKind = 'holiday' | 'workday';

export type CalendarDay = { date: string; kind: CalendarDayKind; name: string };

export type CalendarYear = {
  year: number;
  source: string;
  publishedOn: string | null;
  days: CalendarDay[];
};

export type CalendarValidationError = { path: string; code: string; message: string };

export type CalendarValidationResult =
  | { ok: true; value: CalendarYear }
  | { ok: false; errors: CalendarValidationError[] };

export const MIN_CALENDAR_YEAR = 1949;
export const MAX_CALENDAR_YEAR = 2100;

export class CalendarNotCoveredError extends Error {
  readonly code = 'CALENDAR_NOT_COVERED';
  readonly year: number;

  constructor(year: number) {
    super(`工作日历未覆盖 ${year} 年，请管理员先录入该年度的节假日安排`);
    this.name = 'CalendarNotCoveredError';
    this.year = year;
  }
}

export type CalendarInputErrorCode = 'INVALID_DATE' | 'INVALID_ARGUMENT' | 'INVALID_CALENDAR';

export class CalendarInputError extends Error {
  readonly code: CalendarInputErrorCode;

  constructor(code: CalendarInputErrorCode, message: string) {
    super(message);
    this.name = 'CalendarInputError';
    this.code = code;
  }
}

type CivilDate = { year: number; month: number; day: number };

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseCivil(value: unknown): CivilDate | null {
  if (typeof value !== 'string') return null;
  const match = DATE_PATTERN.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

// Proleptic Gregorian day count (0 = 1970-01-01) in pure integer arithmetic, after Howard Hinnant's
// days_from_civil: no Date object is involved, so neither the host time zone nor DST can move a date.
function dayNumberOf({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilOf(dayNumber: number): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function formatCivil({ year, month, day }: CivilDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. Day 0 (1970-01-01) was a Thursday. */
function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function isWeekend(dayNumber: number): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday === 0 || weekday === 6;
}

function parseDateOrThrow(value: unknown): CivilDate {
  const civil = parseCivil(value);
  if (!civil) {
    throw new CalendarInputError(
      'INVALID_DATE',
      `日期格式无效：${String(value)}，应为 YYYY-MM-DD 格式的有效日期`,
    );
  }
  return civil;
}

const KIND_ORDER: Record<CalendarDayKind, number> = { holiday: 0, workday: 1 };

export class WorkdayCalendar {
  readonly #years: ReadonlySet<number>;
  readonly #kinds: ReadonlyMap<number, CalendarDayKind>;
  readonly #stamp: string;

  constructor(years: readonly CalendarYear[]) {
    const covered = new Set<number>();
    const kinds = new Map<number, CalendarDayKind>();
    for (const [index, candidate] of years.entries()) {
      const result = validateCalendarYear(candidate);
      if (!result.ok) {
        const first = result.errors[0];
        throw new CalendarInputError(
          'INVALID_CALENDAR',
          `第 ${index + 1} 个年度日历无效：${first ? `${first.path} ${first.message}` : '未知错误'}`,
        );
      }
      const { year, days } = result.value;
      if (covered.has(year)) {
        throw new CalendarInputError('INVALID_CALENDAR', `${year} 年的日历重复提供`);
      }
      covered.add(year);
      for (const day of days) kinds.set(dayNumberOf(parseDateOrThrow(day.date)), day.kind);
    }
    this.#years = covered;
    this.#kinds = kinds;
    this.#stamp = computeStamp(covered, kinds);
  }

  covers(year: number): boolean {
    return this.#years.has(year);
  }

  coveredYears(): number[] {
    return [...this.#years].sort((a, b) => a - b);
  }

  /**
   * Identifies the data a deadline was computed with. Only the covered years and each day's kind go into
   * it: names and notice titles never change a result, so correcting their wording must not make every
   * stored deadline look as if it had been computed with a different calendar.
   */
  versionStamp(): string {
    return this.#stamp;
  }

  isWorkingDay(date: string): boolean {
    return this.#isWorking(this.#coveredDayNumber(date));
  }

  /**
   * The n-th working day after `date` (before it when n is negative). The start date itself never counts,
   * whether or not it is a working day, matching how a statutory period starts on the following day.
   */
  addWorkdays(date: string, n: number): string {
    if (!Number.isSafeInteger(n)) {
      throw new CalendarInputError('INVALID_ARGUMENT', `工作日天数必须是整数：${String(n)}`);
    }
    let current = this.#coveredDayNumber(date);
    const step = n < 0 ? -1 : 1;
    let remaining = Math.abs(n);
    while (remaining > 0) {
      current += step;
      if (this.#isWorking(this.#requireCovered(current))) remaining -= 1;
    }
    return formatCivil(civilOf(current));
  }

  /**
   * Working days d with a < d ≤ b. For b < a the result is minus the working days d with b ≤ d < a: that
   * asymmetry is what makes workdaysBetween(a, addWorkdays(a, n)) === n hold for negative n too, since
   * addWorkdays lands on a working day and leaves the start out.
   */
  workdaysBetween(a: string, b: string): number {
    const from = this.#coveredDayNumber(a);
    const to = this.#coveredDayNumber(b);
    let count = 0;
    if (to >= from) {
      for (let d = from + 1; d <= to; d += 1) if (this.#isWorking(this.#requireCovered(d))) count += 1;
      return count;
    }
    for (let d = to; d < from; d += 1) if (this.#isWorking(this.#requireCovered(d))) count += 1;
    return -count;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.addWorkdays(date, 1);
  }

  /**
   * `date` itself when it is a working day, otherwise the next one: a period whose last day falls on a
   * rest day ends on the first working day after it.
   */
  workingDayOnOrAfter(date: string): string {
    const dayNumber = this.#coveredDayNumber(date);
    return this.#isWorking(dayNumber) ? formatCivil(civilOf(dayNumber)) : this.addWorkdays(date, 1);
  }

  #coveredDayNumber(date: string): number {
    const civil = parseDateOrThrow(date);
    if (!this.#years.has(civil.year)) throw new CalendarNotCoveredError(civil.year);
    return dayNumberOf(civil);
  }

  #requireCovered(dayNumber: number): number {
    const { year } = civilOf(dayNumber);
    if (!this.#years.has(year)) throw new CalendarNotCoveredError(year);
    return dayNumber;
  }

  #isWorking(dayNumber: number): boolean {
    const kind = this.#kinds.get(dayNumber);
    if (kind === 'workday') return true;
    if (kind === 'holiday') return false;
    return !isWeekend(dayNumber);
  }
}

function computeStamp(years: ReadonlySet<number>, kinds: ReadonlyMap<number, CalendarDayKind>): string {
  const entries = [...kinds.entries()]
    .sort(([a, kindA], [b, kindB]) => a - b || KIND_ORDER[kindA] - KIND_ORDER[kindB])
    .map(([dayNumber, kind]) => [formatCivil(civilOf(dayNumber)), kind]);
  const canonical = JSON.stringify({ years: [...years].sort((a, b) => a - b), days: entries });
  return createHash('sm3').update(canonical, 'utf8').digest('hex').slice(0, 16);
}

const ERROR_MESSAGES = {
  NOT_OBJECT: '年度日历必须是对象',
  YEAR_INVALID: '年份必须是整数',
  YEAR_OUT_OF_RANGE: `年份必须在 ${MIN_CALENDAR_YEAR} 至 ${MAX_CALENDAR_YEAR} 之间`,
  SOURCE_REQUIRED: '请填写依据文件（如国务院办公厅节假日安排通知的标题和文号）',
  PUBLISHED_ON_INVALID: '发布日期必须是 YYYY-MM-DD 格式的有效日期或留空',
  DAYS_NOT_ARRAY: '日期列表必须是数组',
  DAY_NOT_OBJECT: '每条日期记录必须是对象',
  DATE_INVALID: '日期必须是 YYYY-MM-DD 格式的有效日期',
  DATE_OUTSIDE_YEAR: '日期不在该年度内',
  DATE_DUPLICATE: '同一日期只能录入一次',
  KIND_INVALID: '类型必须是 holiday（放假）或 workday（调休上班）',
  WORKDAY_NOT_WEEKEND: '调休上班日必须是星期六或星期日',
  NAME_INVALID: '名称必须是文本',
  NAME_REQUIRED: '放假日必须填写节日名称',
} as const;

export type CalendarValidationCode = keyof typeof ERROR_MESSAGES;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks an administrator-entered year; on success the value is trimmed and its days sorted by date. */
export function validateCalendarYear(input: unknown): CalendarValidationResult {
  const errors: CalendarValidationError[] = [];
  const fail = (path: string, code: CalendarValidationCode): void => {
    errors.push({ path, code, message: ERROR_MESSAGES[code] });
  };

  if (!isRecord(input)) {
    fail('', 'NOT_OBJECT');
    return { ok: false, errors };
  }

  const year = input.year;
  let yearOk = false;
  if (typeof year !== 'number' || !Number.isInteger(year)) fail('year', 'YEAR_INVALID');
  else if (year < MIN_CALENDAR_YEAR || year > MAX_CALENDAR_YEAR) fail('year', 'YEAR_OUT_OF_RANGE');
  else yearOk = true;

  const source = typeof input.source === 'string' ? input.source.trim() : '';
  if (source === '') fail('source', 'SOURCE_REQUIRED');

  let publishedOn: string | null = null;
  if (input.publishedOn !== undefined && input.publishedOn !== null) {
    const civil = parseCivil(input.publishedOn);
    if (civil) publishedOn = formatCivil(civil);
    else fail('publishedOn', 'PUBLISHED_ON_INVALID');
  }

  const days: CalendarDay[] = [];
  if (!Array.isArray(input.days)) {
    fail('days', 'DAYS_NOT_ARRAY');
  } else {
    const seen = new Set<number>();
    for (const [index, entry] of input.days.entries()) {
      const path = `days[${index}]`;
      if (!isRecord(entry)) {
        fail(path, 'DAY_NOT_OBJECT');
        continue;
      }
      const civil = parseCivil(entry.date);
      let dayNumber: number | null = null;
      if (!civil) fail(`${path}.date`, 'DATE_INVALID');
      else if (yearOk && civil.year !== year) fail(`${path}.date`, 'DATE_OUTSIDE_YEAR');
      else {
        dayNumber = dayNumberOf(civil);
        if (seen.has(dayNumber)) fail(`${path}.date`, 'DATE_DUPLICATE');
        seen.add(dayNumber);
      }

      const kind = entry.kind;
      const kindOk = kind === 'holiday' || kind === 'workday';
      if (!kindOk) fail(`${path}.kind`, 'KIND_INVALID');
      else if (kind === 'workday' && dayNumber !== null && !isWeekend(dayNumber)) {
        fail(`${path}.kind`, 'WORKDAY_NOT_WEEKEND');
      }

      let name = '';
      if (entry.name !== undefined && typeof entry.name !== 'string') fail(`${path}.name`, 'NAME_INVALID');
      else {
        name = (entry.name ?? '').trim();
        if (kind === 'holiday' && name === '') fail(`${path}.name`, 'NAME_REQUIRED');
      }

      if (civil && kindOk) days.push({ date: formatCivil(civil), kind, name });
    }
  }

  if (errors.length > 0 || typeof year !== 'number') return { ok: false, errors };
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { ok: true, value: { year, source, publishedOn, days } };
}

/**
 * The State Council arrangements bundled with the code (see scripts/build-holidays.ts). Each year is run
 * through the same validation as administrator input so a hand edit of the JSON cannot slip past it.
 */
export function loadOfficialCalendar(): CalendarYear[] {
  const raw: unknown = officialHolidays;
  if (!Array.isArray(raw)) {
    throw new CalendarInputError('INVALID_CALENDAR', '内置节假日数据格式无效：应为年度日历数组');
  }
  return raw.map((candidate, index) => {
    const result = validateCalendarYear(candidate);
    if (!result.ok) {
      const first = result.errors[0];
      throw new CalendarInputError(
        'INVALID_CALENDAR',
        `内置节假日数据第 ${index + 1} 项无效：${first ? `${first.path} ${first.message}` : '未知错误'}`,
      );
    }
    return result.value;
  });
}

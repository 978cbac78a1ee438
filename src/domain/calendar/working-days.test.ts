import { describe, expect, it } from 'vitest';
import {
  CalendarInputError,
  CalendarNotCoveredError,
  type CalendarYear,
  loadOfficialCalendar,
  validateCalendarYear,
  WorkdayCalendar,
} from './working-days.ts';

const official = loadOfficialCalendar();
const calendar = new WorkdayCalendar(official);

const DAY_MS = 86_400_000;

function datesFrom(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += DAY_MS) {
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

function yearOf(year: number): CalendarYear {
  const found = official.find((entry) => entry.year === year);
  if (!found) throw new Error(`missing ${year}`);
  return found;
}

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

function expectNotCovered(action: () => unknown, year: number): void {
  const error = captureError(action);
  expect(error).toBeInstanceOf(CalendarNotCoveredError);
  expect(error).toMatchObject({ code: 'CALENDAR_NOT_COVERED', year });
  expect((error as Error).message).toBe(`工作日历未覆盖 ${year} 年，请管理员先录入该年度的节假日安排`);
}

function expectInputError(action: () => unknown, code: string): void {
  const error = captureError(action);
  expect(error).toBeInstanceOf(CalendarInputError);
  expect(error).toMatchObject({ code });
}

describe('the bundled official calendar', () => {
  it('covers every year from 2013 through 2026 and no other', () => {
    expect(calendar.coveredYears()).toEqual(Array.from({ length: 14 }, (_, i) => 2013 + i));
    expect(calendar.covers(2013)).toBe(true);
    expect(calendar.covers(2026)).toBe(true);
    expect(calendar.covers(2012)).toBe(false);
    expect(calendar.covers(2027)).toBe(false);
  });

  it('passes the same validation that administrator input goes through, year by year', () => {
    for (const year of official) {
      const result = validateCalendarYear(year);
      expect(result).toEqual({ ok: true, value: year });
    }
  });

  it('names the State Council notice and its date for the recent years', () => {
    expect(yearOf(2024)).toMatchObject({
      source: '国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）',
      publishedOn: '2023-10-25',
    });
    expect(yearOf(2025)).toMatchObject({
      source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
      publishedOn: '2024-11-12',
    });
    expect(yearOf(2026).source).toContain('国务院办公厅关于2026年部分节假日安排的通知');
    expect(yearOf(2026).publishedOn).toMatch(/^2025-11-/);
    for (const year of official) expect(year.source).toContain(`关于${year.year}年部分节假日安排的通知`);
  });

  it('credits the days a New Year notice places in the previous December to that notice', () => {
    expect(yearOf(2018).source).toContain('12月29日至31日依据国务院办公厅关于2019年部分节假日安排的通知');
    expect(calendar.isWorkingDay('2018-12-29')).toBe(true);
    expect(calendar.isWorkingDay('2018-12-31')).toBe(false);
  });

  it('lists every day of a holiday span, weekend days included, so the span is visible', () => {
    const national2025 = yearOf(2025).days.filter(
      (day) => day.name === '国庆节、中秋节' && day.kind === 'holiday',
    );
    expect(national2025.map((day) => day.date)).toEqual(datesFrom('2025-10-01', '2025-10-08'));
    const dragonBoat2024 = yearOf(2024).days.filter((day) => day.name === '端午节');
    expect(dragonBoat2024.map((day) => day.date)).toEqual(['2024-06-08', '2024-06-09', '2024-06-10']);
  });

  it('makes 2025 National Day and Mid-Autumn 1–8 October off, with Sunday 28 September and Saturday 11 October worked', () => {
    for (const date of datesFrom('2025-10-01', '2025-10-08')) expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
    expect(calendar.isWorkingDay('2025-10-09')).toBe(true);
  });

  it('makes the 2025 Spring Festival 28 January – 4 February off, New Year’s Eve included, with Sunday 26 January and Saturday 8 February worked', () => {
    for (const date of datesFrom('2025-01-28', '2025-02-04')) expect(calendar.isWorkingDay(date)).toBe(false);
    expect(yearOf(2025).days.find((day) => day.date === '2025-01-28')).toEqual({
      date: '2025-01-28',
      kind: 'holiday',
      name: '春节',
    });
    expect(calendar.isWorkingDay('2025-01-26')).toBe(true);
    expect(calendar.isWorkingDay('2025-01-27')).toBe(true);
    expect(calendar.isWorkingDay('2025-02-05')).toBe(true);
    expect(calendar.isWorkingDay('2025-02-08')).toBe(true);
  });

  it('gives 2025 Labour Day five days, 1–5 May, with Sunday 27 April worked', () => {
    for (const date of datesFrom('2025-05-01', '2025-05-05')) expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.isWorkingDay('2025-04-27')).toBe(true);
  });

  it('makes the 2024 Spring Festival 10–17 February off with Sundays 4 and 18 February worked, and leaves the eve a working day', () => {
    for (const date of datesFrom('2024-02-10', '2024-02-17')) expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.isWorkingDay('2024-02-04')).toBe(true);
    expect(calendar.isWorkingDay('2024-02-18')).toBe(true);
    expect(calendar.isWorkingDay('2024-02-09')).toBe(true);
  });

  it('makes 2024 National Day 1–7 October off with Sunday 29 September and Saturday 12 October worked', () => {
    for (const date of datesFrom('2024-10-01', '2024-10-07')) expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.isWorkingDay('2024-09-29')).toBe(true);
    expect(calendar.isWorkingDay('2024-10-12')).toBe(true);
    expect(calendar.isWorkingDay('2024-10-08')).toBe(true);
  });

  it('makes the 2026 Spring Festival 15–23 February off with Saturdays 14 and 28 February worked', () => {
    for (const date of datesFrom('2026-02-15', '2026-02-23')) expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('makes 2026 National Day 1–7 October off with Sunday 20 September and Saturday 10 October worked', () => {
    for (const date of datesFrom('2026-10-01', '2026-10-07')) expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
  });

  it('counts 251 working days in 2024 and 248 in 2025', () => {
    expect(calendar.workdaysBetween('2023-12-31', '2024-12-31')).toBe(251);
    expect(calendar.workdaysBetween('2024-12-31', '2025-12-31')).toBe(248);
  });

  it('agrees with the Gregorian weekday on every covered date that has no entry', () => {
    const listed = new Set(official.flatMap((year) => year.days.map((day) => day.date)));
    for (const date of datesFrom('2013-01-01', '2026-12-31')) {
      if (listed.has(date)) continue;
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect(calendar.isWorkingDay(date)).toBe(weekday >= 1 && weekday <= 5);
    }
  });
});

describe('addWorkdays', () => {
  it('lands on the make-up Sunday before National Day 2025', () => {
    expect(calendar.addWorkdays('2025-09-26', 1)).toBe('2025-09-28');
  });

  it('skips the whole National Day 2025 break', () => {
    expect(calendar.addWorkdays('2025-09-30', 1)).toBe('2025-10-09');
    expect(calendar.addWorkdays('2025-09-30', 3)).toBe('2025-10-11');
  });

  it('puts a 7-working-day deadline set on Friday 26 September 2025 on Monday 13 October', () => {
    expect(calendar.addWorkdays('2025-09-26', 7)).toBe('2025-10-13');
  });

  it('puts a 7-working-day deadline set on Friday 24 January 2025 on Monday 10 February, across the Spring Festival', () => {
    expect(calendar.addWorkdays('2025-01-24', 7)).toBe('2025-02-10');
  });

  it('carries a deadline across the 2026 Spring Festival onto its make-up Saturdays', () => {
    expect(calendar.addWorkdays('2026-02-12', 2)).toBe('2026-02-14');
    expect(calendar.addWorkdays('2026-02-12', 3)).toBe('2026-02-24');
    expect(calendar.addWorkdays('2026-02-12', 7)).toBe('2026-02-28');
  });

  it('reaches the 2024 make-up Sundays and skips the 2024 breaks', () => {
    expect(calendar.addWorkdays('2024-02-09', 1)).toBe('2024-02-18');
    expect(calendar.addWorkdays('2024-09-27', 1)).toBe('2024-09-29');
    expect(calendar.addWorkdays('2024-09-30', 1)).toBe('2024-10-08');
  });

  it('starts counting the day after the start date even when the start date is a holiday', () => {
    expect(calendar.addWorkdays('2025-10-03', 1)).toBe('2025-10-09');
  });

  it('returns the date itself for zero days, holiday or not', () => {
    expect(calendar.addWorkdays('2025-10-03', 0)).toBe('2025-10-03');
    expect(calendar.addWorkdays('2025-10-09', 0)).toBe('2025-10-09');
  });

  it('counts backwards for a negative number of days', () => {
    expect(calendar.addWorkdays('2025-10-09', -1)).toBe('2025-09-30');
    expect(calendar.addWorkdays('2025-10-09', -4)).toBe('2025-09-26');
    expect(calendar.addWorkdays('2025-10-13', -7)).toBe('2025-09-26');
    expect(calendar.addWorkdays('2025-02-10', -2)).toBe('2025-02-07');
    expect(calendar.addWorkdays('2025-02-10', -3)).toBe('2025-02-06');
  });

  it('rejects a number of days that is not an integer', () => {
    expectInputError(() => calendar.addWorkdays('2025-10-09', 1.5), 'INVALID_ARGUMENT');
    expectInputError(() => calendar.addWorkdays('2025-10-09', Number.NaN), 'INVALID_ARGUMENT');
    expectInputError(() => calendar.addWorkdays('2025-10-09', Number.POSITIVE_INFINITY), 'INVALID_ARGUMENT');
  });
});

describe('workdaysBetween', () => {
  it('counts the working days after the first date up to and including the second', () => {
    expect(calendar.workdaysBetween('2025-09-30', '2025-10-11')).toBe(3);
    expect(calendar.workdaysBetween('2025-10-01', '2025-10-08')).toBe(0);
    expect(calendar.workdaysBetween('2025-10-09', '2025-10-09')).toBe(0);
    expect(calendar.workdaysBetween('2025-09-26', '2025-10-13')).toBe(7);
  });

  it('is negative when the second date comes first', () => {
    expect(calendar.workdaysBetween('2025-10-09', '2025-09-30')).toBe(-1);
    expect(calendar.workdaysBetween('2025-10-13', '2025-09-26')).toBe(-7);
  });

  it('inverts addWorkdays for every date of 2024 and 2025 and every n from -30 to 30', () => {
    for (const date of datesFrom('2024-01-01', '2025-12-31')) {
      for (let n = -30; n <= 30; n += 1) {
        const target = calendar.addWorkdays(date, n);
        if (calendar.workdaysBetween(date, target) !== n) {
          throw new Error(`workdaysBetween(${date}, addWorkdays(${date}, ${n}) = ${target}) !== ${n}`);
        }
      }
    }
  });

  it('agrees with counting isWorkingDay one day at a time', () => {
    const october = datesFrom('2025-10-01', '2025-10-31');
    const counted = october.filter((date) => calendar.isWorkingDay(date)).length;
    expect(calendar.workdaysBetween('2025-09-30', '2025-10-31')).toBe(counted);
  });
});

describe('nextWorkingDay and workingDayOnOrAfter', () => {
  it('finds the first working day strictly after a date', () => {
    expect(calendar.nextWorkingDay('2025-09-30')).toBe('2025-10-09');
    expect(calendar.nextWorkingDay('2025-09-26')).toBe('2025-09-28');
    expect(calendar.nextWorkingDay('2025-10-09')).toBe('2025-10-10');
  });

  it('keeps a working day and moves a rest day to the next working day', () => {
    expect(calendar.workingDayOnOrAfter('2025-10-09')).toBe('2025-10-09');
    expect(calendar.workingDayOnOrAfter('2025-10-05')).toBe('2025-10-09');
    expect(calendar.workingDayOnOrAfter('2026-02-14')).toBe('2026-02-14');
  });
});

describe('years the calendar does not cover', () => {
  it('refuses to answer for 2027 instead of guessing from the weekday', () => {
    expectNotCovered(() => calendar.isWorkingDay('2027-01-04'), 2027);
    expectNotCovered(() => calendar.addWorkdays('2027-03-01', 1), 2027);
    expectNotCovered(() => calendar.addWorkdays('2027-03-01', 0), 2027);
    expectNotCovered(() => calendar.nextWorkingDay('2027-03-01'), 2027);
  });

  it('refuses a span that crosses from 2026 into 2027', () => {
    expect(calendar.addWorkdays('2026-12-30', 1)).toBe('2026-12-31');
    expectNotCovered(() => calendar.addWorkdays('2026-12-30', 2), 2027);
    expectNotCovered(() => calendar.workdaysBetween('2026-12-01', '2027-01-05'), 2027);
    expectNotCovered(() => calendar.nextWorkingDay('2026-12-31'), 2027);
  });

  it('refuses 2012, also when counting backwards out of 2013', () => {
    expectNotCovered(() => calendar.isWorkingDay('2012-12-31'), 2012);
    expect(calendar.addWorkdays('2013-01-07', -1)).toBe('2013-01-06');
    expectNotCovered(() => calendar.addWorkdays('2013-01-04', -1), 2012);
    expectNotCovered(() => calendar.workdaysBetween('2013-01-10', '2012-12-20'), 2012);
  });

  it('refuses a year missing between two covered years', () => {
    const gapped = new WorkdayCalendar([yearOf(2024), yearOf(2026)]);
    expectNotCovered(() => gapped.addWorkdays('2024-12-31', 1), 2025);
    expectNotCovered(() => gapped.workdaysBetween('2024-12-01', '2026-01-05'), 2025);
  });

  it('covers nothing when built from no years', () => {
    const empty = new WorkdayCalendar([]);
    expect(empty.coveredYears()).toEqual([]);
    expectNotCovered(() => empty.isWorkingDay('2025-01-02'), 2025);
  });
});

describe('date strings', () => {
  it.each([
    '2025-02-29',
    '2024-02-30',
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '2025-1-5',
    '20250105',
    '',
    ' 2025-01-05',
    '2025-01-05T00:00:00Z',
    '2025/01/05',
  ])('rejects %j as INVALID_DATE', (date) => {
    expectInputError(() => calendar.isWorkingDay(date), 'INVALID_DATE');
    expectInputError(() => calendar.addWorkdays(date, 1), 'INVALID_DATE');
    expectInputError(() => calendar.workdaysBetween('2025-01-02', date), 'INVALID_DATE');
  });

  it('rejects a value that is not a string at all', () => {
    expectInputError(() => calendar.isWorkingDay(20250105 as unknown as string), 'INVALID_DATE');
  });

  it('accepts 29 February in a leap year', () => {
    expect(calendar.isWorkingDay('2024-02-29')).toBe(true);
    expect(calendar.addWorkdays('2024-02-28', 1)).toBe('2024-02-29');
  });
});

describe('validateCalendarYear', () => {
  const valid = {
    year: 2027,
    source: '  国务院办公厅关于2027年部分节假日安排的通知  ',
    publishedOn: '2026-11-05',
    days: [
      { date: '2027-10-01', kind: 'holiday', name: ' 国庆节 ' },
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-09-26', kind: 'workday' },
    ],
  };

  function codesOf(input: unknown): { path: string; code: string }[] {
    const result = validateCalendarYear(input);
    if (result.ok) throw new Error('expected validation to fail');
    for (const error of result.errors) expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
    return result.errors.map(({ path, code }) => ({ path, code }));
  }

  it('accepts a well-formed year, trimming text and sorting the days', () => {
    expect(validateCalendarYear(valid)).toEqual({
      ok: true,
      value: {
        year: 2027,
        source: '国务院办公厅关于2027年部分节假日安排的通知',
        publishedOn: '2026-11-05',
        days: [
          { date: '2027-01-01', kind: 'holiday', name: '元旦' },
          { date: '2027-09-26', kind: 'workday', name: '' },
          { date: '2027-10-01', kind: 'holiday', name: '国庆节' },
        ],
      },
    });
  });

  it('treats a missing publication date as unknown', () => {
    const result = validateCalendarYear({ ...valid, publishedOn: undefined });
    expect(result.ok && result.value.publishedOn).toBeNull();
  });

  it('rejects something that is not an object', () => {
    expect(codesOf(null)).toEqual([{ path: '', code: 'NOT_OBJECT' }]);
    expect(codesOf([valid])).toEqual([{ path: '', code: 'NOT_OBJECT' }]);
  });

  it('rejects years outside 1949–2100 and years that are not integers', () => {
    expect(codesOf({ ...valid, year: 1948, days: [] })).toEqual([
      { path: 'year', code: 'YEAR_OUT_OF_RANGE' },
    ]);
    expect(codesOf({ ...valid, year: 2101, days: [] })).toEqual([
      { path: 'year', code: 'YEAR_OUT_OF_RANGE' },
    ]);
    expect(codesOf({ ...valid, year: '2027' })).toEqual([{ path: 'year', code: 'YEAR_INVALID' }]);
    expect(codesOf({ ...valid, year: 2027.5 })).toEqual([{ path: 'year', code: 'YEAR_INVALID' }]);
    expect(validateCalendarYear({ ...valid, year: 1949, days: [] }).ok).toBe(true);
    expect(validateCalendarYear({ ...valid, year: 2100, days: [] }).ok).toBe(true);
  });

  it('requires a source', () => {
    expect(codesOf({ ...valid, source: '   ' })).toEqual([{ path: 'source', code: 'SOURCE_REQUIRED' }]);
    expect(codesOf({ ...valid, source: undefined })).toEqual([{ path: 'source', code: 'SOURCE_REQUIRED' }]);
  });

  it('rejects a publication date that is not a date', () => {
    expect(codesOf({ ...valid, publishedOn: '2026年11月' })).toEqual([
      { path: 'publishedOn', code: 'PUBLISHED_ON_INVALID' },
    ]);
  });

  it('requires the days to be an array of objects', () => {
    expect(codesOf({ ...valid, days: 'none' })).toEqual([{ path: 'days', code: 'DAYS_NOT_ARRAY' }]);
    expect(codesOf({ ...valid, days: ['2027-01-01'] })).toEqual([
      { path: 'days[0]', code: 'DAY_NOT_OBJECT' },
    ]);
  });

  it('rejects invalid dates, dates in another year and duplicated dates', () => {
    expect(
      codesOf({
        ...valid,
        days: [
          { date: '2027-02-29', kind: 'holiday', name: '春节' },
          { date: '2026-12-31', kind: 'holiday', name: '元旦' },
          { date: '2027-01-01', kind: 'holiday', name: '元旦' },
          { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        ],
      }),
    ).toEqual([
      { path: 'days[0].date', code: 'DATE_INVALID' },
      { path: 'days[1].date', code: 'DATE_OUTSIDE_YEAR' },
      { path: 'days[3].date', code: 'DATE_DUPLICATE' },
    ]);
  });

  it('only allows make-up working days on a Saturday or Sunday', () => {
    expect(
      codesOf({ ...valid, days: [{ date: '2027-09-27', kind: 'workday', name: '国庆节调休上班' }] }),
    ).toEqual([{ path: 'days[0].kind', code: 'WORKDAY_NOT_WEEKEND' }]);
  });

  it('requires a known kind and a name for every holiday', () => {
    expect(
      codesOf({
        ...valid,
        days: [
          { date: '2027-10-01', kind: 'rest', name: '国庆节' },
          { date: '2027-10-02', kind: 'holiday', name: '  ' },
          { date: '2027-10-03', kind: 'holiday' },
          { date: '2027-10-04', kind: 'holiday', name: 7 },
        ],
      }),
    ).toEqual([
      { path: 'days[0].kind', code: 'KIND_INVALID' },
      { path: 'days[1].name', code: 'NAME_REQUIRED' },
      { path: 'days[2].name', code: 'NAME_REQUIRED' },
      { path: 'days[3].name', code: 'NAME_INVALID' },
    ]);
  });

  it('reports every problem at once', () => {
    expect(codesOf({ year: 1900, source: '', publishedOn: 'x', days: 3 })).toEqual([
      { path: 'year', code: 'YEAR_OUT_OF_RANGE' },
      { path: 'source', code: 'SOURCE_REQUIRED' },
      { path: 'publishedOn', code: 'PUBLISHED_ON_INVALID' },
      { path: 'days', code: 'DAYS_NOT_ARRAY' },
    ]);
  });
});

describe('WorkdayCalendar construction', () => {
  it('rejects an invalid year and a year given twice', () => {
    const broken = { ...yearOf(2025), days: [{ date: '2025-10-09', kind: 'workday' as const, name: '' }] };
    expectInputError(() => new WorkdayCalendar([broken]), 'INVALID_CALENDAR');
    expectInputError(() => new WorkdayCalendar([yearOf(2025), yearOf(2025)]), 'INVALID_CALENDAR');
  });

  it('does not share state with the years it was built from', () => {
    const copy = structuredClone(yearOf(2025));
    const built = new WorkdayCalendar([copy]);
    copy.days.push({ date: '2025-10-09', kind: 'holiday', name: '假想假日' });
    expect(built.isWorkingDay('2025-10-09')).toBe(true);
  });
});

describe('versionStamp', () => {
  it('is a short hex hash that is the same for the same data', () => {
    const stamp = calendar.versionStamp();
    expect(stamp).toMatch(/^[0-9a-f]{16}$/);
    expect(new WorkdayCalendar(loadOfficialCalendar()).versionStamp()).toBe(stamp);
  });

  it('ignores the order of years and days', () => {
    const shuffled = [...official].reverse().map((year) => ({ ...year, days: [...year.days].reverse() }));
    expect(new WorkdayCalendar(shuffled).versionStamp()).toBe(calendar.versionStamp());
  });

  it('ignores names and sources, which never change a deadline', () => {
    const renamed = official.map((year) => ({
      ...year,
      source: `${year.source}（更正）`,
      publishedOn: null,
      days: year.days.map((day) => ({ ...day, name: `${day.name}。` })),
    }));
    expect(new WorkdayCalendar(renamed).versionStamp()).toBe(calendar.versionStamp());
  });

  it('changes when a day changes kind or the covered years change', () => {
    const edited = official.map((year) =>
      year.year === 2026 ? { ...year, days: year.days.filter((day) => day.date !== '2026-10-10') } : year,
    );
    expect(new WorkdayCalendar(edited).versionStamp()).not.toBe(calendar.versionStamp());
    const extended = [...official, { year: 2027, source: '测试', publishedOn: null, days: [] }];
    expect(new WorkdayCalendar(extended).versionStamp()).not.toBe(calendar.versionStamp());
    expect(new WorkdayCalendar(official.slice(1)).versionStamp()).not.toBe(calendar.versionStamp());
  });
});

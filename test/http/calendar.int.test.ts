import { beforeAll, expect, it } from 'vitest';
import type { CalendarDay } from '../../src/domain/calendar/working-days.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

const holidays = (name: string, ...dates: string[]): CalendarDay[] =>
  dates.map((date) => ({ date, kind: 'holiday', name }));
const workdays = (name: string, ...dates: string[]): CalendarDay[] =>
  dates.map((date) => ({ date, kind: 'workday', name: `${name}调休上班` }));

/** A plausible 2027 arrangement (make-up working days all fall on weekends). */
const YEAR_2027 = {
  source: '国务院办公厅关于2027年部分节假日安排的通知（测试用）',
  publishedOn: '2026-11-10',
  days: [
    ...holidays('元旦', '2027-01-01', '2027-01-02', '2027-01-03'),
    ...holidays('春节', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'),
    ...workdays('春节', '2027-02-14', '2027-02-20'),
    ...holidays('清明节', '2027-04-03', '2027-04-04', '2027-04-05'),
    ...holidays('劳动节', '2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04', '2027-05-05'),
    ...workdays('劳动节', '2027-04-25', '2027-05-08'),
    ...holidays('端午节', '2027-06-09'),
    ...holidays('中秋节', '2027-09-15'),
    ...holidays('国庆节', ...Array.from({ length: 7 }, (_, i) => `2027-10-0${i + 1}`)),
    ...workdays('国庆节', '2027-09-26', '2027-10-09'),
  ],
};

describeEachDatabase('working-day calendar', (dialect) => {
  const t = useTestApp(dialect);
  let staff: string;
  let admin: string;

  beforeAll(async () => {
    staff = await t.login('xifeng_staff');
    admin = await t.login('admin');
  });

  const get = (url: string) => t.call('GET', url, { cookie: staff });

  it('lists the official years 2013 to 2026 with their State Council notices', async () => {
    const { items } = (await get('/api/calendar/years')).json<{
      items: { year: number; source: string; holidayCount: number; workdayCount: number }[];
    }>();
    expect(items.map((y) => y.year)).toEqual(Array.from({ length: 14 }, (_, i) => 2013 + i));
    const y2025 = items.find((y) => y.year === 2025);
    expect(y2025?.source).toContain('国务院办公厅关于2025年部分节假日安排的通知');
    expect(y2025?.holidayCount).toBeGreaterThan(20);
    expect(y2025?.workdayCount).toBeGreaterThan(0);
  });

  it('counts three working days from 2025-09-30 to 2025-10-11 across the National Day holiday, and back', async () => {
    expect((await get('/api/calendar/add-workdays?date=2025-09-30&n=3')).json()).toEqual({
      date: '2025-10-11',
    });
    expect((await get('/api/calendar/add-workdays?date=2025-10-11&n=-3')).json()).toEqual({
      date: '2025-09-30',
    });
  });

  it('counts the working days between two dates, the start excluded and the end included', async () => {
    expect((await get('/api/calendar/workdays-between?from=2025-09-30&to=2025-10-11')).json()).toEqual({
      days: 3,
    });
    expect((await get('/api/calendar/workdays-between?from=2025-10-11&to=2025-09-30')).json()).toEqual({
      days: -3,
    });
  });

  it('refuses a date the calendar does not cover with 422 CALENDAR_NOT_COVERED', async () => {
    const error = expectError(
      await get('/api/calendar/add-workdays?date=2027-01-04&n=1'),
      422,
      'CALENDAR_NOT_COVERED',
    );
    expect(error.details).toEqual({ year: 2027 });
    expectError(await get('/api/calendar/add-workdays?date=2026-12-30&n=5'), 422, 'CALENDAR_NOT_COVERED');
    expectError(
      await get('/api/calendar/workdays-between?from=2026-12-01&to=2027-01-10'),
      422,
      'CALENDAR_NOT_COVERED',
    );
  });

  it('refuses an impossible date and a malformed one', async () => {
    expectError(await get('/api/calendar/add-workdays?date=2025-02-30&n=1'), 400, 'INVALID_DATE');
    const malformed = expectError(
      await get('/api/calendar/add-workdays?date=30.9.2025&n=1'),
      400,
      'VALIDATION_FAILED',
    );
    expect(malformed.details).toMatchObject({
      errors: [expect.objectContaining({ path: 'querystring/date' })],
    });
  });

  it('refuses an invalid year with 400 VALIDATION_FAILED listing every problem, and saves nothing', async () => {
    const res = await t.call('PUT', '/api/calendar/years/2027', {
      cookie: admin,
      body: {
        source: '  ',
        publishedOn: null,
        days: [
          { date: '2027-02-30', kind: 'holiday', name: '春节' },
          { date: '2028-01-01', kind: 'holiday', name: '元旦' },
          { date: '2027-10-08', kind: 'workday', name: '周五调休' },
          { date: '2027-10-01', kind: 'holiday', name: '' },
        ],
      },
    });
    const error = expectError(res, 400, 'VALIDATION_FAILED');
    const { errors } = error.details as { errors: { path: string; code: string }[] };
    expect(errors.map((e) => e.code).sort()).toEqual(
      ['DATE_INVALID', 'DATE_OUTSIDE_YEAR', 'NAME_REQUIRED', 'SOURCE_REQUIRED', 'WORKDAY_NOT_WEEKEND'].sort(),
    );
    const wrongKind = await t.call('PUT', '/api/calendar/years/2027', {
      cookie: admin,
      body: { ...YEAR_2027, days: [{ date: '2027-01-01', kind: 'vacation', name: '元旦' }] },
    });
    expect(expectError(wrongKind, 400, 'VALIDATION_FAILED').details).toMatchObject({
      errors: [expect.objectContaining({ path: 'body/days/0/kind' })],
    });
    expect(await t.audit('CALENDAR_YEAR_SAVED')).toHaveLength(14);
    expectError(await get('/api/calendar/years/2027'), 404, 'NOT_FOUND');
  });

  it('saves a new year entered by the administrator, audits CALENDAR_YEAR_SAVED and computes into it', async () => {
    const res = await t.call('PUT', '/api/calendar/years/2027', { cookie: admin, body: YEAR_2027 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ year: 2027, source: YEAR_2027.source, publishedOn: '2026-11-10' });
    const [entry] = await t.audit('CALENDAR_YEAR_SAVED');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('admin'),
      objectType: 'calendar_year',
      objectId: '2027',
      details: { source: YEAR_2027.source, days: YEAR_2027.days.length, previousDays: null },
    });

    expect((await get('/api/calendar/add-workdays?date=2026-12-30&n=5')).json()).toEqual({
      date: '2027-01-07',
    });
    expect((await get('/api/calendar/add-workdays?date=2027-09-30&n=1')).json()).toEqual({
      date: '2027-10-08',
    });
    expect((await get('/api/calendar/add-workdays?date=2027-09-30&n=2')).json()).toEqual({
      date: '2027-10-09',
    });
    const year = (await get('/api/calendar/years/2027')).json<{ days: CalendarDay[] }>();
    expect(year.days).toHaveLength(YEAR_2027.days.length);
    const years = (await get('/api/calendar/years')).json<{ items: { year: number }[] }>().items;
    expect(years.map((y) => y.year)).toContain(2027);
  });

  it('replaces a year on correction and records how many days it had before', async () => {
    const corrected = { ...YEAR_2027, days: YEAR_2027.days.filter((d) => d.name !== '中秋节') };
    const res = await t.call('PUT', '/api/calendar/years/2027', { cookie: admin, body: corrected });
    expect(res.statusCode).toBe(200);
    const [entry] = await t.audit('CALENDAR_YEAR_SAVED');
    expect(entry?.details).toMatchObject({
      days: YEAR_2027.days.length - 1,
      previousDays: YEAR_2027.days.length,
    });
    expect((await get('/api/calendar/add-workdays?date=2027-09-14&n=1')).json()).toEqual({
      date: '2027-09-15',
    });
  });
});

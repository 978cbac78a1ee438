import { describe, expect, it } from 'vitest';
import { CalendarNotCoveredError, loadOfficialCalendar, WorkdayCalendar } from '../calendar/working-days.ts';
import {
  acceptanceDue,
  appealDue,
  appealInTime,
  ceilingDate,
  checkExtension,
  checkForceMajeureExtension,
  reportDue,
  reviewDue,
  workdaysLeft,
} from './deadlines.ts';

const calendar = new WorkdayCalendar(loadOfficialCalendar());

/**
 * Around the 2025 National Day and Mid-Autumn holiday: 1–8 October are holidays; Sunday 28 September and
 * Saturday 11 October are make-up working days.
 */
describe('case deadlines across the 2025 National Day holiday', () => {
  it('accepts within 3 working days: received on Friday 26 September → due Tuesday 30 September (Sunday 28th works)', () => {
    expect(acceptanceDue(calendar, '2025-09-26')).toEqual({
      date: '2025-09-30',
      calendarVersion: calendar.versionStamp(),
    });
  });

  it('skips the whole holiday: received on 30 September → due Saturday 11 October (a make-up day) + 2', () => {
    // 9-30 → 10-09 (1), 10-10 (2), 10-11 Saturday make-up (3)
    expect(acceptanceDue(calendar, '2025-09-30').date).toBe('2025-10-11');
  });

  it('reports within 7 working days of acceptance, later by the extensions, never past the 20-day ceiling', () => {
    // Accepted Monday 29 September: 9-30 (1), 10-09 (2), 10-10 (3), 10-11 (4), 10-13 (5), 10-14 (6), 10-15 (7)
    expect(reportDue(calendar, '2025-09-29', 0).date).toBe('2025-10-15');
    expect(reportDue(calendar, '2025-09-29', 5).date).toBe('2025-10-22');
    expect(ceilingDate(calendar, '2025-09-29').date).toBe('2025-11-03');
    expect(reportDue(calendar, '2025-09-29', 30).date).toBe('2025-11-03');
  });

  it('grants an extension of 1–5 working days while the report stays within the ceiling', () => {
    expect(checkExtension(calendar, '2025-09-29', 0, 5)).toMatchObject({
      ok: true,
      newDue: { date: '2025-10-22' },
    });
    expect(checkExtension(calendar, '2025-09-29', 0, 6)).toMatchObject({
      ok: false,
      code: 'EXTENSION_OUT_OF_RANGE',
    });
    expect(checkExtension(calendar, '2025-09-29', 0, 0)).toMatchObject({
      ok: false,
      code: 'EXTENSION_OUT_OF_RANGE',
    });
    // 7 + 5 + 5 = 17, then 3 more make 20: allowed; 4 more would make 21.
    expect(checkExtension(calendar, '2025-09-29', 10, 3)).toMatchObject({
      ok: true,
      newDue: { date: '2025-11-03' },
    });
    const beyond = checkExtension(calendar, '2025-09-29', 10, 4);
    expect(beyond).toMatchObject({ ok: false, code: 'EXTENSION_BEYOND_CEILING' });
    expect(beyond.ok ? '' : beyond.message).toContain('2025-11-03');
  });

  it('moves the due date and the ceiling by the working days asked for after force majeure', () => {
    // Accepted 26 September: due 13 October, ceiling 30 October; 10 more working days each.
    expect(reportDue(calendar, '2025-09-26', 0, 10).date).toBe('2025-10-27');
    expect(ceilingDate(calendar, '2025-09-26', 10).date).toBe('2025-11-13');
    // Ordinary extensions then count against the moved ceiling.
    expect(checkExtension(calendar, '2025-09-26', 10, 3, 10)).toMatchObject({ ok: true });
    const beyond = checkExtension(calendar, '2025-09-26', 10, 4, 10);
    expect(beyond.ok ? '' : beyond.message).toContain('2025-11-13');
    expect(checkForceMajeureExtension(20)).toEqual({ ok: true });
    expect(checkForceMajeureExtension(0)).toMatchObject({ ok: false, code: 'EXTENSION_OUT_OF_RANGE' });
    expect(checkForceMajeureExtension(21)).toMatchObject({ ok: false, code: 'EXTENSION_OUT_OF_RANGE' });
  });

  it('takes an appeal within 5 working days of receiving the report, and the review within 10', () => {
    // Report received Thursday 25 September: 9-26 (1), 9-28 Sunday make-up (2), 9-29 (3), 9-30 (4), 10-09 (5)
    expect(appealDue(calendar, '2025-09-25').date).toBe('2025-10-09');
    expect(appealInTime(calendar, '2025-09-25', '2025-10-09')).toBe(true);
    expect(appealInTime(calendar, '2025-09-25', '2025-10-10')).toBe(false);
    // Appeal received 10-09: 10-10 (1), Saturday 10-11 (2), 10-13 … 10-17 (3–7), 10-20, 10-21, 10-22 (8–10)
    expect(reviewDue(calendar, '2025-10-09').date).toBe('2025-10-22');
  });

  it('counts working days left, zero on the due date and negative after it', () => {
    expect(workdaysLeft(calendar, '2025-09-30', '2025-10-11')).toBe(3);
    expect(workdaysLeft(calendar, '2025-10-11', '2025-10-11')).toBe(0);
    expect(workdaysLeft(calendar, '2025-10-13', '2025-10-11')).toBe(-1);
  });

  it('refuses to guess beyond the years the calendar covers', () => {
    const only2025 = new WorkdayCalendar(loadOfficialCalendar().filter((year) => year.year === 2025));
    expect(() => acceptanceDue(only2025, '2025-12-30')).toThrow(CalendarNotCoveredError);
  });
});

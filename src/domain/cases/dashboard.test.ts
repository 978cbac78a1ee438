import { describe, expect, it } from 'vitest';
import { loadOfficialCalendar, WorkdayCalendar } from '../calendar/working-days.ts';
import {
  byUrgency,
  countByState,
  deadlineNoticeKey,
  deadlineNoticeText,
  deadlineStage,
  nextDeadline,
  type PunctualityCase,
  punctualityByAgency,
  REMINDER_WORKDAYS,
  remindedDeadline,
} from './dashboard.ts';

const calendar = new WorkdayCalendar(loadOfficialCalendar());

const accepted = (
  id: number,
  agencyId: number | null,
  patch: Partial<PunctualityCase> = {},
): PunctualityCase => ({
  id,
  agencyId,
  acceptanceDue: '2025-09-30',
  acceptedOn: '2025-09-26',
  reportDue: '2025-10-13',
  reportedOn: null,
  appealedOn: null,
  ...patch,
});

describe('the dashboard’s figures', () => {
  it('takes the deadline that comes first, the report before the ceiling on the same day', () => {
    expect(
      nextDeadline([
        { kind: 'report', due: '2025-10-24', workdaysLeft: 9 },
        { kind: 'ceiling', due: '2025-10-24', workdaysLeft: 9 },
      ])?.kind,
    ).toBe('report');
    expect(
      nextDeadline([
        { kind: 'report', due: '2025-10-24', workdaysLeft: 9 },
        { kind: 'ceiling', due: '2025-10-23', workdaysLeft: 8 },
      ])?.kind,
    ).toBe('ceiling');
    expect(nextDeadline([])).toBeNull();
  });

  it('counts states and sorts the open cases overdue first, unknown counts last', () => {
    expect(countByState(['submitted', 'verifying', 'submitted'])).toEqual({ submitted: 2, verifying: 1 });
    const rows = [
      { number: 'A', next: { kind: 'report' as const, due: '2025-10-13', workdaysLeft: 4 } },
      { number: 'B', next: null },
      { number: 'C', next: { kind: 'acceptance' as const, due: '2025-09-30', workdaysLeft: -1 } },
      { number: 'D', next: { kind: 'report' as const, due: '2026-01-05', workdaysLeft: null } },
      { number: 'E', next: { kind: 'review' as const, due: '2025-10-13', workdaysLeft: 4 } },
    ];
    expect(byUrgency(rows).map((r) => r.number)).toEqual(['C', 'A', 'E', 'B', 'D']);
  });

  it('counts on-time reports (extensions included), acceptance on time and working days to the report', () => {
    const rows = punctualityByAgency(
      [
        // Reported on 29 September: on time; 2 working days (Sunday 28th is a make-up day).
        accepted(1, 10, { reportedOn: '2025-09-29', appealedOn: '2025-09-30' }),
        // Reported on 14 October, due 13th: late; 8 working days across the holiday.
        accepted(2, 10, { reportedOn: '2025-10-14' }),
        // Extended to 15 October: on time on the 14th.
        accepted(3, 10, { reportDue: '2025-10-15', reportedOn: '2025-10-14' }),
        // Accepted late (1 October holiday counts as after the 30 September due date), not reported yet.
        accepted(4, 10, { acceptedOn: '2025-10-09' }),
        // Another agency; outside the period entirely.
        accepted(5, 20, { acceptedOn: '2025-08-01', acceptanceDue: '2025-08-05', reportedOn: '2025-08-05' }),
      ],
      [
        { caseId: 3, kind: 'extension', on: '2025-09-26' },
        { caseId: 4, kind: 'suspension', on: '2025-10-10' },
        { caseId: 5, kind: 'extension', on: '2025-08-02' },
        { caseId: 99, kind: 'extension', on: '2025-10-10' },
      ],
      calendar,
      { from: '2025-09-01', to: '2025-10-31' },
    );
    expect(rows).toEqual([
      {
        agencyId: 10,
        accepted: 4,
        acceptedOnTime: 3,
        acceptanceOnTimeRate: 0.75,
        reported: 3,
        reportedOnTime: 2,
        onTimeRate: 0.667,
        averageWorkdaysToReport: 6,
        extensions: 1,
        suspensions: 1,
        appeals: 1,
      },
      {
        agencyId: 20,
        accepted: 0,
        acceptedOnTime: 0,
        acceptanceOnTimeRate: null,
        reported: 0,
        reportedOnTime: 0,
        onTimeRate: null,
        averageWorkdaysToReport: null,
        extensions: 0,
        suspensions: 0,
        appeals: 0,
      },
    ]);
  });
});

describe('reminders', () => {
  it('reminds 1 working day before and on the day, escalates once passed', () => {
    expect(REMINDER_WORKDAYS).toBe(1);
    expect(deadlineStage(2)).toBeNull();
    expect(deadlineStage(1)).toBe('upcoming');
    expect(deadlineStage(0)).toBe('due_today');
    expect(deadlineStage(-1)).toBe('missed');
    expect(deadlineStage(null)).toBeNull();
  });

  it('reminds of the agency’s own deadlines only: not the family’s appeal period, nor the ceiling apart', () => {
    expect(
      ['acceptance', 'report', 'ceiling', 'appeal', 'review'].filter((k) => remindedDeadline(k as never)),
    ).toEqual(['acceptance', 'report', 'review']);
  });

  it('keys a notice by case, deadline with its due date, stage and recipient', () => {
    const user = { organisationId: 3, userId: 7 };
    const org = { organisationId: 3, userId: null };
    const key = deadlineNoticeKey(1, 'report', '2025-10-13', 'upcoming', user);
    expect(key).toBe('case-deadline:1:report:2025-10-13:upcoming:user:7');
    expect(deadlineNoticeKey(1, 'report', '2025-10-13', 'upcoming', org)).toBe(
      'case-deadline:1:report:2025-10-13:upcoming:org:3',
    );
    // An extension moves the due date: the reminders start afresh.
    expect(deadlineNoticeKey(1, 'report', '2025-10-15', 'upcoming', user)).not.toBe(key);
  });

  it('words the notices in Chinese with the due date and the working days', () => {
    expect(deadlineNoticeText('HD-1', 'report', '2025-10-13', 'upcoming', 1)).toEqual({
      title: '案件 HD-1 出具核对报告期限即将届满',
      body: '案件 HD-1 的出具核对报告期限为 2025-10-13，还剩 1 个工作日，请及时办理。',
    });
    expect(deadlineNoticeText('HD-1', 'acceptance', '2025-09-30', 'missed', -2).body).toContain(
      '已超期 2 个工作日',
    );
    expect(deadlineNoticeText('HD-1', 'review', '2025-10-21', 'due_today', 0).title).toBe(
      '案件 HD-1 复核期限今日届满',
    );
  });
});

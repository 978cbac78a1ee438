import { beforeAll, expect, it } from 'vitest';
import { sendDeadlineReminders } from '../../src/app/cases/deadline-reminders.ts';
import { submitCase } from '../../src/app/cases/submit-case.ts';
import type { CaseRow } from '../../src/app/ports.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName } from '../support/department-data.ts';

/**
 * The case deadline dashboard and the hourly reminders, on an injected clock across the 2025 National Day
 * holiday (1–8 October off; Sunday 28 September and Saturday 11 October make-up working days). Every case is
 * accepted (or received) on Friday 26 September 2025: acceptance falls due on 30 September (28, 29, 30), the
 * report on 13 October (28, 29, 30, 9, 10, 11, 13).
 */

interface OpenRow {
  number: string;
  state: string;
  applicant: string;
  nextDeadline: string | null;
  due: string | null;
  workdaysLeft: number | null;
  calendarVersion: string;
}
interface Dashboard {
  today: string;
  total: number;
  byState: { state: string; count: number }[];
  open: OpenRow[];
  overdueAcceptance: OpenRow[];
  agencies: {
    agencyName: string;
    accepted: number;
    acceptedOnTime: number;
    acceptanceOnTimeRate: number | null;
    reported: number;
    reportedOnTime: number;
    onTimeRate: number | null;
    averageWorkdaysToReport: number | null;
    extensions: number;
    suspensions: number;
    appeals: number;
  }[];
}
interface NoticeList {
  items: { id: number; kind: string; title: string; body: string }[];
}

const household = (i: number) => [
  { idNumber: idNumber(300 + i), name: personName(300 + i), relation: '本人' },
];

describeEachDatabase('case deadline dashboard and reminders', (dialect) => {
  const t = useTestApp(dialect);
  const cookies: Record<string, string> = {};
  const cases: Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f', CaseRow> = {} as never;

  /** 10:00 in Shanghai on that day; sessions idle that long have expired, so everyone logs in again. */
  const on = (date: string) => {
    t.clock.set(`${date}T02:00:00.000Z`);
    for (const who of Object.keys(cookies)) delete cookies[who];
  };
  const session = async (who: string) => {
    cookies[who] ??= await t.login(who);
    return cookies[who];
  };
  const post = async (who: string, path: string, body: unknown = {}) => {
    const res = await t.call('POST', path, { cookie: await session(who), body });
    expect(res.statusCode, res.body).toBe(200);
  };
  const report = async (kase: CaseRow, i: number) => {
    await post('xifeng_staff', '/api/assessments', {
      caseRef: kase.number,
      regionCode: '621002',
      assistanceType: 'subsistence_allowance',
      members: household(i),
    });
    await post('xifeng_staff', `/api/cases/${kase.id}/report/submit`, { remarks: '已核对' });
    await post('xifeng_reviewer', `/api/cases/${kase.id}/report/approve`);
  };
  const dashboard = async (who: string, query = '') => {
    const res = await t.call('GET', `/api/cases/dashboard${query}`, { cookie: await session(who) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Dashboard>();
  };
  const notices = async (who: string) => {
    const res = await t.call('GET', '/api/notices?pageSize=200', { cookie: await session(who) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<NoticeList>().items;
  };
  const about = (items: NoticeList['items'], kase: CaseRow) =>
    items.filter((n) => n.title.includes(kase.number));
  const row = (d: Dashboard, kase: CaseRow) => d.open.find((r) => r.number === kase.number);

  beforeAll(async () => {
    on('2025-09-26');
    cases.a = await openCase(t.deps, household(1));
    cases.b = await submitCase(
      t.deps,
      {
        assistanceType: 'subsistence_allowance',
        members: household(2).map((m) => ({ ...m, coResiding: true, exclusion: null })),
      },
      await actorOf(t.deps, 'xifeng_requester'),
    );
    cases.c = await openCase(t.deps, household(3));
    cases.d = await openCase(
      t.deps,
      [{ idNumber: idNumber(304, { region: '621021' }), name: personName(304), relation: '本人' }],
      {
        requester: 'qingcheng_requester',
        handler: 'qingcheng_staff',
        reviewer: 'qingcheng_reviewer',
      },
    );
    cases.e = await openCase(t.deps, household(5));
    cases.f = await openCase(t.deps, household(6));
    // F: 2 more working days granted, so its report falls due on 15 October.
    await post('xifeng_staff', `/api/cases/${cases.f.id}/extension`, {
      workdays: 2,
      reason: '等待离线交换答复',
    });
    await post('xifeng_reviewer', `/api/cases/${cases.f.id}/extension/decision`, { approve: true });
  });

  it('reminds, on the day and the working day before, and escalates a missed deadline — never twice', async () => {
    expect(cases.a.reportDue).toBe('2025-10-13');
    expect(cases.b.acceptanceDue).toBe('2025-09-30');
    expect((await sendDeadlineReminders(t.deps)).noticesCreated).toBe(0);

    // Monday 29 September: C's report is issued (on time); B's acceptance is 1 working day away.
    on('2025-09-29');
    await report(cases.c, 3);
    const monday = await sendDeadlineReminders(t.deps);
    expect(monday.items.map((i) => [i.caseNumber, i.deadline, i.stage, i.workdaysLeft])).toEqual([
      [cases.b.number, 'acceptance', 'upcoming', 1],
    ]);
    expect(monday.noticesCreated).toBe(1);
    expect((await sendDeadlineReminders(t.deps)).noticesCreated).toBe(0);
    // Before acceptance nobody holds the case: the agency as a whole is reminded.
    expect(about(await notices('xifeng_staff'), cases.b).map((n) => n.kind)).toEqual([
      'case_deadline_reminder',
    ]);
    expect(about(await notices('xifeng_reviewer'), cases.b)).toHaveLength(1);
    expect(about(await notices('city_staff'), cases.b)).toHaveLength(0);
    expect(about(await notices('xifeng_requester'), cases.b)).toHaveLength(0);

    // Tuesday 30 September: the family appeals against C's report; B's acceptance is due today.
    on('2025-09-30');
    await post('xifeng_requester', `/api/cases/${cases.c.id}/appeal`, { reason: '存款系为他人代管' });
    const tuesday = await sendDeadlineReminders(t.deps);
    expect(tuesday.items.map((i) => [i.caseNumber, i.stage])).toEqual([[cases.b.number, 'due_today']]);
    expect(tuesday.noticesCreated).toBe(1);

    // 1 October, a holiday: B's acceptance was missed the day before (−1) — escalated to the agency's reviewers
    // and the requester, not to the staff member who is neither.
    on('2025-10-01');
    const holiday = await sendDeadlineReminders(t.deps);
    expect(holiday.items.map((i) => [i.caseNumber, i.stage, i.workdaysLeft])).toEqual([
      [cases.b.number, 'missed', -1],
    ]);
    expect(holiday.noticesCreated).toBe(2);
    expect((await sendDeadlineReminders(t.deps)).noticesCreated).toBe(0);
    const escalated = (who: string) =>
      notices(who).then((items) =>
        about(items, cases.b).filter((n) => n.kind === 'case_deadline_escalation'),
      );
    expect(await escalated('xifeng_reviewer')).toHaveLength(1);
    expect(await escalated('xifeng_requester')).toHaveLength(1);
    expect(await escalated('xifeng_staff')).toHaveLength(0);
    expect((await escalated('xifeng_reviewer'))[0]?.title).toBe(`案件 ${cases.b.number} 已超过受理期限`);
    // A notice addressed to the reviewer is not the staff member's to mark read, though of the same agency.
    const forReviewer = (await escalated('xifeng_reviewer'))[0]?.id as number;
    expectError(
      await t.call('POST', `/api/notices/${forReviewer}/read`, { cookie: await session('xifeng_staff') }),
      404,
      'OUT_OF_SCOPE',
    );
    await post('xifeng_reviewer', `/api/notices/${forReviewer}/read`);
    const [escalation] = await t.audit('CASE_DEADLINE_ESCALATED');
    expect(escalation).toMatchObject({
      caseId: cases.b.number,
      details: { deadline: 'acceptance', notices: 2 },
    });

    // 9 October, the first working day after the holiday: nothing new (B's escalation is not repeated).
    on('2025-10-09');
    expect((await sendDeadlineReminders(t.deps)).noticesCreated).toBe(0);

    // Saturday 11 October, a make-up working day: the reports of A, E (西峰) and D (庆城) are 1 working day
    // away (13 October); each handler and reviewer is reminded personally. F (15 October) and C's review
    // (21 October) are not yet.
    on('2025-10-11');
    const saturday = await sendDeadlineReminders(t.deps);
    expect(saturday.items.map((i) => [i.caseNumber, i.deadline, i.stage]).sort()).toEqual(
      [
        [cases.a.number, 'report', 'upcoming'],
        [cases.b.number, 'acceptance', 'missed'],
        [cases.d.number, 'report', 'upcoming'],
        [cases.e.number, 'report', 'upcoming'],
      ].sort(),
    );
    expect(saturday.noticesCreated).toBe(6);
    expect(about(await notices('xifeng_staff'), cases.a).map((n) => n.title)).toEqual([
      `案件 ${cases.a.number} 出具核对报告期限即将届满`,
    ]);
    expect(about(await notices('xifeng_reviewer'), cases.a)).toHaveLength(1);
    expect(about(await notices('qingcheng_staff'), cases.a)).toHaveLength(0);
    expect(about(await notices('qingcheng_staff'), cases.d)).toHaveLength(1);
    expect(about(await notices('xifeng_staff'), cases.d)).toHaveLength(0);
    const [reminded] = await t.audit('CASE_DEADLINE_REMINDED');
    expect(reminded?.details).toMatchObject({ deadline: 'report', stage: 'upcoming', due: '2025-10-13' });

    // Sunday 12 October (rest day): still 1 working day to go, nothing repeated.
    on('2025-10-12');
    expect((await sendDeadlineReminders(t.deps)).noticesCreated).toBe(0);

    // Monday 13 October: due today.
    on('2025-10-13');
    const dueDay = await sendDeadlineReminders(t.deps);
    expect(
      dueDay.items
        .filter((i) => i.stage === 'due_today')
        .map((i) => i.caseNumber)
        .sort(),
    ).toEqual([cases.a.number, cases.d.number, cases.e.number].sort());
    expect(dueDay.noticesCreated).toBe(6);

    // Tuesday 14 October: E's report is issued late, F's on time (extended to 15 October); A's report is
    // missed and escalated to the agency's reviewer only (D's likewise to 庆城's).
    on('2025-10-14');
    await report(cases.e, 5);
    await report(cases.f, 6);
    const late = await sendDeadlineReminders(t.deps);
    expect(
      late.items
        .filter((i) => i.noticesCreated > 0)
        .map((i) => [i.caseNumber, i.stage, i.noticesCreated])
        .sort(),
    ).toEqual(
      [
        [cases.a.number, 'missed', 1],
        [cases.d.number, 'missed', 1],
      ].sort(),
    );
    expect(late.noticesCreated).toBe(2);
    expect(about(await notices('xifeng_reviewer'), cases.a).map((n) => n.kind)).toContain(
      'case_deadline_escalation',
    );
    expect(about(await notices('xifeng_staff'), cases.a).map((n) => n.kind)).not.toContain(
      'case_deadline_escalation',
    );
    expect((await sendDeadlineReminders(t.deps)).noticesCreated).toBe(0);
  });

  it('shows the cases by state, the open ones by working days left, and the overdue acceptance', async () => {
    on('2025-10-01');
    const d = await dashboard('xifeng_staff');
    expect(d.today).toBe('2025-10-01');
    expect(d.total).toBe(5);
    // The cases as the previous test left them: C reported and appealed, E and F reported, A verifying, B
    // still waiting for acceptance; the dashboard counts their states now, whatever the clock says.
    const counts = Object.fromEntries(d.byState.filter((s) => s.count > 0).map((s) => [s.state, s.count]));
    expect(counts).toEqual({ submitted: 1, verifying: 1, reported: 2, appealed: 1 });
    // On the holiday: B 30 September → −1; A 13 October → 9, 10, 11, 13 = 4; C's review 21 October → 10;
    // E and F (reported on 14 October) have their appeal period running, due 21 October → 10.
    expect(row(d, cases.b)).toMatchObject({
      nextDeadline: 'acceptance',
      due: '2025-09-30',
      workdaysLeft: -1,
    });
    expect(row(d, cases.a)).toMatchObject({ nextDeadline: 'report', due: '2025-10-13', workdaysLeft: 4 });
    expect(row(d, cases.c)).toMatchObject({ nextDeadline: 'review', due: '2025-10-21', workdaysLeft: 10 });
    expect(d.open[0]?.number).toBe(cases.b.number);
    expect(d.overdueAcceptance.map((r) => r.number)).toEqual([cases.b.number]);
    expect(row(d, cases.a)?.calendarVersion).toBe(cases.a.calendarVersion);
    // Names masked: only the surname shows.
    expect(row(d, cases.a)?.applicant).toBe(`${[...personName(301)][0]}**`);
    expect(JSON.stringify(d)).not.toContain(personName(301));
    expect(JSON.stringify(d)).not.toContain(idNumber(301));

    // 9 October, first working day after the holiday: B is still 1 working day late (30 September only),
    // A has 9 → 13 October = 10, 11, 13 = 3 left.
    on('2025-10-09');
    const after = await dashboard('xifeng_staff');
    expect(row(after, cases.b)?.workdaysLeft).toBe(-1);
    expect(row(after, cases.a)?.workdaysLeft).toBe(3);
    on('2025-10-14');
    const late = await dashboard('xifeng_staff');
    expect(row(late, cases.a)?.workdaysLeft).toBe(-1);
    // 30 September, 9, 10, 11 and 13 October have passed since: 5 working days late.
    expect(row(late, cases.b)?.workdaysLeft).toBe(-5);
    const [viewed] = await t.audit('CASE_DASHBOARD_VIEWED');
    expect(viewed).toMatchObject({ actorUserId: await t.userId('xifeng_staff') });
  });

  it('counts each agency’s punctuality over the period, the city’s counties side by side', async () => {
    on('2025-10-20');
    const d = await dashboard('xifeng_reviewer', '?from=2025-09-01&to=2025-10-31');
    expect(d.agencies).toHaveLength(1);
    // Accepted in the period: A, C, E, F (B never), all on 26 September, due 30 September. Reported: C on
    // 29 September (due 13 October), E on 14 October (due 13 October: late), F on 14 October (extended to
    // 15 October). Working days from acceptance: C 2 (28, 29), E and F 8 (28, 29, 30, 9, 10, 11, 13, 14).
    expect(d.agencies[0]).toMatchObject({
      agencyName: expect.stringContaining('西峰区'),
      accepted: 4,
      acceptedOnTime: 4,
      acceptanceOnTimeRate: 1,
      reported: 3,
      reportedOnTime: 2,
      onTimeRate: 0.667,
      averageWorkdaysToReport: 6,
      extensions: 1,
      suspensions: 0,
      appeals: 1,
    });
    // October only: E and F reported (one on time); nothing accepted, extended or appealed.
    const october = await dashboard('xifeng_reviewer', '?from=2025-10-01&to=2025-10-31');
    expect(october.agencies[0]).toMatchObject({
      accepted: 0,
      acceptanceOnTimeRate: null,
      reported: 2,
      reportedOnTime: 1,
      onTimeRate: 0.5,
      averageWorkdaysToReport: 8,
      extensions: 0,
      appeals: 0,
    });

    const city = await dashboard('city_staff', '?from=2025-09-01&to=2025-10-31');
    expect(city.total).toBe(6);
    expect(city.agencies).toHaveLength(2);
    expect(city.agencies.map((a) => a.agencyName)).toEqual(
      expect.arrayContaining([expect.stringContaining('西峰区'), expect.stringContaining('庆城县')]),
    );
    expect(city.agencies.find((a) => a.agencyName.includes('庆城县'))).toMatchObject({
      accepted: 1,
      reported: 0,
      onTimeRate: null,
    });
    const county = await dashboard('city_staff', '?regionCode=621021');
    expect(county.total).toBe(1);
    expect(county.open.map((r) => r.number)).toEqual([cases.d.number]);

    // The requester sees its own organisation's cases only.
    const own = await dashboard('xifeng_requester');
    expect(own.total).toBe(5);
    expect(own.open.map((r) => r.number)).not.toContain(cases.d.number);
  });

  it('refuses callers outside the dashboard, regions outside the scope and a reversed period', async () => {
    expectError(
      await t.call('GET', '/api/cases/dashboard', { cookie: await session('auditor') }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(
      await t.call('GET', '/api/cases/dashboard?regionCode=621021', {
        cookie: await session('xifeng_staff'),
      }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(
      await t.call('GET', '/api/cases/dashboard?from=2025-10-31&to=2025-10-01', {
        cookie: await session('xifeng_staff'),
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await t.call('GET', '/api/cases/dashboard?from=20251001', { cookie: await session('xifeng_staff') }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { submitCase } from '../../src/app/cases/submit-case.ts';
import type { CaseRow } from '../../src/app/ports.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { commit, deliver, type PushedRow } from '../support/deliveries.ts';
import { hukouRow, idNumber, payrollRow, personName } from '../support/department-data.ts';

/**
 * The statistics dashboards against a hand-counted fixture: cases in 西峰区 and 庆城县 worked through the real
 * use cases on an injected clock (the 2025 National Day holiday: 1–8 October off, 28 September and 11 October
 * make-up working days), the departments' deliveries at chosen instants, and the verified households' figures
 * from the data delivered. The period is July–October 2025, viewed on Monday 20 October.
 *
 * Deliveries (due the 10th after each period):
 *  - finance payroll 2025-H1 on 15 July (late); a rejected payroll file on 16 July.
 *  - public security hukou and vehicle 2025-Q3, banking deposit 2025-Q3 on 20 September (on time); the deposit
 *    file of 2025-Q3 again on 15 October (supersedes it, adds 404's deposit).
 * Cases (all accepted on Friday 26 September unless said; report due 13 October):
 *  A 西峰 (401): reported 29 September — on time, 2 working days. 1 200 元 per head (14 400 元 ÷ 12 ÷ 1),
 *    deposits 12 000.50 元, 1 vehicle.
 *  B 西峰 (402 + 403): extended by 2 working days (due 15 October), reported 14 October — on time, 8 working
 *    days; 250 元 per head (6 000 元 ÷ 12 ÷ 2). Appealed 15 October, reviewed 16 October — unchanged.
 *  C 西峰 (404): reported 14 October — late, 8 working days; appealed 15 October, reviewed 16 October with the
 *    new deposit file — changed (0 → 50 000 元 of deposits).
 *  D 西峰 (408): received, never accepted.
 *  E 西峰 (406): suspended 29 September.
 *  F 庆城 (405, 特困): reported 29 September — on time, 2 working days; nothing found.
 *  G 庆城 (407): still verifying.
 */

interface Figures {
  received: number;
  accepted: number;
  completed: number;
  reported: number;
  reportedOnTime: number;
  onTimeRate: number | null;
  averageWorkdaysToReport: number | null;
  extensions: number;
  suspensions: number;
  terminations: number;
  appeals: number;
  reviewsDone: number;
  reviewsChanged: number;
  reviewsUnchanged: number;
}
interface Bucket {
  key: string;
  label: string;
  count: number;
}
interface Distribution {
  households: number;
  incomeUnknown: number;
  income: Bucket[];
  deposits: Bucket[];
  vehicles: Bucket[];
  realEstate: Bucket[];
}
interface Statistics {
  period: { from: string; to: string };
  counties: { code: string; name: string }[];
  cases: { counties: (Figures & { countyCode: string; countyName: string })[]; total: Figures };
  departments: {
    departmentCode: string;
    due: number;
    onTime: number;
    late: number;
    missing: number;
    onTimeRate: number | null;
    batches: number;
    committed: number;
    rejected: number;
    rejectionRate: number | null;
    duplicateRate: number | null;
    unmatchedRate: number | null;
  }[];
  households: { counties: (Distribution & { countyCode: string })[]; total: Distribution };
  recheck: { available: boolean; total?: { familiesRechecked: number; alerts: number } };
}

const XIFENG = '621002';
const QINGCHENG = '621021';
const PERIOD = '?from=2025-07-01&to=2025-10-31';
const H1 = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
const text = (row: Record<string, unknown>): PushedRow =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)]));
const member = (i: number, region = XIFENG) => ({
  idNumber: idNumber(i, { region }),
  name: personName(i),
  relation: '本人',
});
const depositRow = (i: number, amount: string): PushedRow => ({
  身份证号: idNumber(i),
  姓名: personName(i),
  金融机构: '庆阳农商银行',
  账号: `62300000000${i}`,
  资产类型: '活期存款',
  余额: amount,
  截至日期: '2025-09-20',
});

describeEachDatabase('statistics dashboards', (dialect) => {
  const t = useTestApp(dialect);
  const cookies: Record<string, string> = {};
  const cases: Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g', CaseRow> = {} as never;
  const people = [401, 402, 403, 404, 405, 406, 407, 408];

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
    return res;
  };
  const assess = async (who: string, kase: CaseRow, members: ReturnType<typeof member>[]) =>
    post(who, '/api/assessments', {
      caseRef: kase.number,
      regionCode: kase.regionCode,
      assistanceType: kase.assistanceType,
      members,
    });
  const report = async (kase: CaseRow, members: ReturnType<typeof member>[], staff = 'xifeng') => {
    await assess(`${staff}_staff`, kase, members);
    await post(`${staff}_staff`, `/api/cases/${kase.id}/report/submit`, { remarks: '已核对' });
    await post(`${staff}_reviewer`, `/api/cases/${kase.id}/report/approve`);
  };
  const statistics = async (who: string, query = PERIOD) => {
    const res = await t.call('GET', `/api/statistics${query}`, { cookie: await session(who) });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.body, stats: res.json<Statistics>() };
  };
  const county = (s: Statistics, code: string) => s.cases.counties.find((c) => c.countyCode === code);
  const counts = (buckets: Bucket[]) =>
    Object.fromEntries(buckets.filter((b) => b.count > 0).map((b) => [b.key, b.count]));

  beforeAll(async () => {
    // ——— Deliveries.
    await commit(t, {
      dataset: 'payroll',
      period: '2025-H1',
      at: '2025-07-15T02:00:00.000Z',
      rows: [
        ...H1.map((m) => text(payrollRow(401, m, { 应发工资: '2400.00', 实发工资: '2400.00' }))),
        ...H1.map((m) => text(payrollRow(402, m, { 应发工资: '1000.00', 实发工资: '1000.00' }))),
      ],
    });
    const rejected = await deliver(t, {
      dataset: 'payroll',
      period: '2025-H1',
      at: '2025-07-16T02:00:00.000Z',
      rows: [text(payrollRow(401, '2025-01', { 身份证号: '123', 应发工资: 'abc' }))],
    });
    expect(rejected.status).toBe('rejected');
    await commit(t, {
      dataset: 'hukou',
      period: '2025-Q3',
      at: '2025-09-20T02:00:00.000Z',
      rows: [401, 402, 403, 404, 406, 408].map((i) => text(hukouRow(i))),
    });
    await commit(t, {
      dataset: 'vehicle',
      period: '2025-Q3',
      at: '2025-09-20T03:00:00.000Z',
      rows: [
        {
          身份证号: idNumber(401),
          姓名: personName(401),
          号牌号码: '甘M40101',
          使用性质: '非营运',
          初次登记日期: '2019-05-20',
          车辆状态: '正常',
        },
      ],
    });
    await commit(t, {
      dataset: 'deposit',
      period: '2025-Q3',
      at: '2025-09-20T04:00:00.000Z',
      rows: [depositRow(401, '12000.50')],
    });

    // ——— Cases.
    on('2025-09-26');
    cases.a = await openCase(t.deps, [member(401)]);
    cases.b = await openCase(t.deps, [member(402), { ...member(403), relation: '配偶' }]);
    cases.c = await openCase(t.deps, [member(404)]);
    cases.d = await submitCase(
      t.deps,
      {
        assistanceType: 'subsistence_allowance',
        members: [{ ...member(408), coResiding: true, exclusion: null }],
      },
      await actorOf(t.deps, 'xifeng_requester'),
    );
    cases.e = await openCase(t.deps, [member(406)]);
    const qingcheng = {
      requester: 'qingcheng_requester',
      handler: 'qingcheng_staff',
      reviewer: 'qingcheng_reviewer',
    };
    cases.f = await openCase(t.deps, [member(405, QINGCHENG)], {
      ...qingcheng,
      assistanceType: 'extreme_poverty',
    });
    cases.g = await openCase(t.deps, [member(407, QINGCHENG)], qingcheng);
    await post('xifeng_staff', `/api/cases/${cases.b.id}/extension`, {
      workdays: 2,
      reason: '等待离线交换答复',
    });
    await post('xifeng_reviewer', `/api/cases/${cases.b.id}/extension/decision`, { approve: true });

    on('2025-09-29');
    await report(cases.a, [member(401)]);
    await report(cases.f, [member(405, QINGCHENG)], 'qingcheng');
    await post('xifeng_staff', `/api/cases/${cases.e.id}/suspension`, {
      grounds: ['concealment-or-false-materials'],
      reason: '申请人隐瞒了名下车辆',
    });
    await post('xifeng_reviewer', `/api/cases/${cases.e.id}/suspension/decision`, { approve: true });

    on('2025-10-14');
    await report(cases.b, [member(402), { ...member(403), relation: '配偶' }]);
    await report(cases.c, [member(404)]);

    on('2025-10-15');
    await commit(t, {
      dataset: 'deposit',
      period: '2025-Q3',
      at: '2025-10-15T02:00:00.000Z',
      rows: [depositRow(401, '12000.50'), depositRow(404, '50000.00')],
    });
    on('2025-10-15');
    const group = { handlerId: await t.userId('city_staff'), reviewerId: await t.userId('city_reviewer') };
    for (const kase of [cases.b, cases.c]) {
      await post('xifeng_requester', `/api/cases/${kase.id}/appeal`, { reason: '对核对结果有异议' });
      await post('xifeng_reviewer', `/api/cases/${kase.id}/review/assign`, group);
    }

    on('2025-10-16');
    await assess('city_staff', cases.b, [member(402), { ...member(403), relation: '配偶' }]);
    await assess('city_staff', cases.c, [member(404)]);
    for (const kase of [cases.b, cases.c]) {
      await post('city_staff', `/api/cases/${kase.id}/report/submit`, { remarks: '复核' });
      await post('city_reviewer', `/api/cases/${kase.id}/report/approve`);
    }
    on('2025-10-20');
  });

  it('counts the cases of each county side by side for the city, as counted by hand', async () => {
    on('2025-10-20');
    const { stats } = await statistics('city_staff');
    expect(stats.period).toEqual({ from: '2025-07-01', to: '2025-10-31' });
    // The city's counties all listed (those without cases at zero), 西峰区 and 庆城县 among them.
    expect(stats.counties.map((c) => c.code)).toEqual(expect.arrayContaining([XIFENG, QINGCHENG]));
    expect(stats.counties.length).toBeGreaterThan(2);
    expect(county(stats, XIFENG)).toMatchObject({
      countyName: '西峰区',
      // A, B, C, D, E received; D never accepted.
      received: 5,
      accepted: 4,
      // Reports of A, B, C and E's suspension.
      completed: 4,
      reported: 3,
      reportedOnTime: 2,
      onTimeRate: 0.667,
      // (2 + 8 + 8) ÷ 3
      averageWorkdaysToReport: 6,
      extensions: 1,
      suspensions: 1,
      terminations: 0,
      appeals: 2,
      reviewsDone: 2,
      reviewsChanged: 1,
      reviewsUnchanged: 1,
    });
    expect(county(stats, QINGCHENG)).toMatchObject({
      countyName: '庆城县',
      received: 2,
      accepted: 2,
      completed: 1,
      reported: 1,
      reportedOnTime: 1,
      onTimeRate: 1,
      averageWorkdaysToReport: 2,
      extensions: 0,
      suspensions: 0,
      appeals: 0,
      reviewsDone: 0,
    });
    expect(stats.cases.total).toMatchObject({
      received: 7,
      accepted: 6,
      completed: 5,
      reported: 4,
      reportedOnTime: 3,
      onTimeRate: 0.75,
      averageWorkdaysToReport: 5,
      extensions: 1,
      suspensions: 1,
      appeals: 2,
      reviewsDone: 2,
      reviewsChanged: 1,
      reviewsUnchanged: 1,
    });
    const others = stats.cases.counties.filter((c) => c.countyCode !== XIFENG && c.countyCode !== QINGCHENG);
    expect(others.every((c) => c.received === 0 && c.reported === 0)).toBe(true);
    const [viewed] = await t.audit('STATISTICS_VIEWED');
    expect(viewed).toMatchObject({
      actorUserId: await t.userId('city_staff'),
      objectId: '621000',
      details: { from: '2025-07-01', to: '2025-10-31', households: 4 },
    });
  });

  it('distributes the verified households’ per-capita income and assets into buckets', async () => {
    on('2025-10-20');
    const { stats } = await statistics('city_reviewer');
    const total = stats.households.total;
    // A, B, C (西峰) and F (庆城): the figures of their latest report (B's and C's review reports).
    expect(total.households).toBe(4);
    expect(total.incomeUnknown).toBe(0);
    // B 250 元, C 0, F 0 → 0–300; A 1 200 元 → 1200–1500.
    expect(counts(total.income)).toEqual({ '0-30000': 3, '120000-150000': 1 });
    // B, F none; A 12 000.50 元 → 1–3万; C 50 000 元 (found by the review) → 5–10万.
    expect(counts(total.deposits)).toEqual({ '0-1': 2, '1000000-3000000': 1, '5000000-10000000': 1 });
    expect(total.vehicles.map((b) => b.count)).toEqual([3, 1, 0]);
    expect(total.realEstate.map((b) => b.count)).toEqual([4, 0, 0]);
    const xifeng = stats.households.counties.find((c) => c.countyCode === XIFENG);
    expect(xifeng?.households).toBe(3);
    expect(counts(xifeng?.income ?? [])).toEqual({ '0-30000': 2, '120000-150000': 1 });
    expect(stats.households.counties.find((c) => c.countyCode === QINGCHENG)?.households).toBe(1);
  });

  it('counts each department’s deliveries due in the period and the quality of the batches that arrived', async () => {
    on('2025-10-20');
    const { stats } = await statistics('xifeng_staff');
    const dept = (code: string) => stats.departments.find((d) => d.departmentCode === code);
    // Due July–October: hukou and vehicle 2025-Q2 (10 July, missing) and 2025-Q3 (10 October, on time), exit_entry
    // 2025-06 … 09 (missing).
    expect(dept('public_security')).toMatchObject({
      due: 8,
      onTime: 2,
      late: 0,
      missing: 6,
      onTimeRate: 0.25,
      batches: 2,
      committed: 2,
      rejected: 0,
      duplicateRate: 0,
      unmatchedRate: 0,
    });
    // Payroll 2025-H1 due 10 July, delivered 15 July; the rejected file arrived too.
    expect(dept('finance')).toMatchObject({
      due: 1,
      onTime: 0,
      late: 1,
      missing: 0,
      onTimeRate: 0,
      batches: 2,
      committed: 1,
      rejected: 1,
      rejectionRate: 0.5,
      unmatchedRate: 0,
    });
    // Deposit 2025-Q2 missing, 2025-Q3 on time (20 September; the file of 15 October superseded it).
    expect(dept('banking')).toMatchObject({
      due: 2,
      onTime: 1,
      late: 0,
      missing: 1,
      batches: 2,
      committed: 2,
    });
    expect(dept('housing_fund')).toMatchObject({ due: 0, onTimeRate: null, batches: 0 });
  });

  it('shows a county only its own county, and filters by assistance type and region', async () => {
    on('2025-10-20');
    const { stats, body } = await statistics('xifeng_staff');
    expect(stats.counties).toEqual([{ code: XIFENG, name: '西峰区' }]);
    expect(stats.cases.counties.map((c) => c.countyCode)).toEqual([XIFENG]);
    expect(stats.cases.total).toMatchObject({ received: 5, reported: 3, onTimeRate: 0.667, appeals: 2 });
    expect(stats.households.total.households).toBe(3);
    expect(body).not.toContain('庆城');

    const poverty = (await statistics('city_staff', `${PERIOD}&assistanceType=extreme_poverty`)).stats;
    expect(county(poverty, XIFENG)).toMatchObject({ received: 0, reported: 0 });
    expect(county(poverty, QINGCHENG)).toMatchObject({ received: 1, reported: 1, onTimeRate: 1 });
    expect(poverty.households.total.households).toBe(1);

    const narrowed = (await statistics('city_staff', `${PERIOD}&regionCode=${QINGCHENG}`)).stats;
    expect(narrowed.counties.map((c) => c.code)).toEqual([QINGCHENG]);
    expect(narrowed.cases.total).toMatchObject({ received: 2, reported: 1 });

    // October only: B and C reported (one late), both appealed and reviewed; nothing received or accepted.
    const october = (await statistics('xifeng_reviewer', '?from=2025-10-01&to=2025-10-31')).stats;
    expect(october.cases.total).toMatchObject({
      received: 0,
      accepted: 0,
      reported: 2,
      reportedOnTime: 1,
      onTimeRate: 0.5,
      averageWorkdaysToReport: 8,
      extensions: 0,
      suspensions: 0,
      completed: 2,
      reviewsDone: 2,
    });
    // The recheck's tables exist: its block is there, empty with no run in the period.
    expect(october.recheck).toMatchObject({ available: true, total: { familiesRechecked: 0, alerts: 0 } });
  });

  it('holds no personal data: no name, no ID number, no case number', async () => {
    on('2025-10-20');
    const { body } = await statistics('city_staff');
    for (const i of people) {
      expect(body).not.toContain(personName(i));
      expect(body).not.toContain(idNumber(i));
      expect(body).not.toContain(idNumber(i, { region: QINGCHENG }));
    }
    for (const kase of Object.values(cases)) expect(body).not.toContain(kase.number);
  });

  it('exports each chart as XLSX with the same numbers and nothing personal', async () => {
    on('2025-10-20');
    const download = async (chart: string) => {
      const res = await t.call('GET', `/api/statistics/export${PERIOD}&chart=${chart}`, {
        cookie: await session('city_staff'),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      const rows: unknown[][] = [];
      sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const casesSheet = await download('cases');
    expect(casesSheet[0]).toEqual(['案件办理情况']);
    expect(casesSheet).toContainEqual(['统计期间', '2025-07-01 至 2025-10-31']);
    const header = casesSheet.find((r) => r[0] === '区县') ?? [];
    const xifeng = casesSheet.find((r) => r[0] === '西峰区') ?? [];
    const cell = (row: unknown[], column: string) => row[header.indexOf(column)];
    expect(cell(xifeng, '收到委托')).toBe(5);
    expect(cell(xifeng, '受理')).toBe(4);
    expect(cell(xifeng, '办结')).toBe(4);
    expect(cell(xifeng, '出具报告')).toBe(3);
    expect(cell(xifeng, '按期率（%）')).toBe(66.7);
    expect(cell(xifeng, '平均工作日（受理至报告）')).toBe(6);
    const total = casesSheet.find((r) => r[0] === '合计') ?? [];
    expect(cell(total, '收到委托')).toBe(7);
    expect(cell(total, '按期率（%）')).toBe(75);
    expect(casesSheet.find((r) => r[0] === '庆城县')?.[header.indexOf('出具报告')]).toBe(1);

    const appeals = await download('appeals');
    expect(appeals.find((r) => r[0] === '合计')?.slice(1)).toEqual([2, 2, 1, 1]);
    const income = await download('income');
    const incomeHeader = income.find((r) => r[0] === '区县') ?? [];
    const incomeTotal = income.find((r) => r[0] === '合计') ?? [];
    expect(incomeTotal[incomeHeader.indexOf('0–300 元')]).toBe(3);
    expect(incomeTotal[incomeHeader.indexOf('1200–1500 元')]).toBe(1);
    expect(incomeTotal[incomeHeader.indexOf('家庭数')]).toBe(4);
    const departments = await download('departments');
    expect(departments.find((r) => r[0] === '财政')?.slice(1, 6)).toEqual([1, 0, 1, 0, 0]);

    for (const sheet of [casesSheet, appeals, income, departments]) {
      const all = JSON.stringify(sheet);
      for (const i of people) {
        expect(all).not.toContain(personName(i));
        expect(all).not.toContain(idNumber(i));
      }
    }
    const [exported] = await t.audit('STATISTICS_EXPORTED');
    expect(exported).toMatchObject({
      actorUserId: await t.userId('city_staff'),
      details: { chart: 'departments' },
    });
  });

  it('counts the monthly recheck per county: families, changes by kind and alerts worked', async () => {
    // The recheck's use cases are built in parallel; its tables are filled here as a finished run leaves them.
    // October 2025: 西峰 3 families done (one with NEW_VEHICLE + INCOME_RISE, one with NEW_VEHICLE), 1 failed;
    // 庆城 1 done with MEMBER_DECEASED. Alerts: 西峰 NEW_VEHICLE ×2 (one dismissed, one open) and INCOME_RISE
    // (confirmed); 庆城 MEMBER_DECEASED (case opened). A June run (outside the period) is not counted.
    const db = t.database.db;
    const at = '2025-10-05T02:00:00.000Z';
    const requester = async (who: string) => (await actorOf(t.deps, who)).organisationId as number;
    const xifengRequester = await requester('xifeng_requester');
    const qingchengRequester = await requester('qingcheng_requester');
    const agency = (await actorOf(t.deps, 'city_staff')).organisationId as number;
    const version = await db
      .insertInto('rosterVersion')
      .values({
        requesterOrganisationId: xifengRequester,
        month: '2025-10',
        source: 'upload',
        fileName: null,
        sm3: 'statistics-fixture',
        familyCount: 5,
        memberCount: 5,
        authorizationMissingCount: 0,
        createdAt: at,
        createdBy: null,
        createdByName: null,
        superseded: 0,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const family = async (key: string, regionCode: string) =>
      (
        await db
          .insertInto('rosterFamily')
          .values({
            versionId: version.id,
            familyKey: key,
            regionCode,
            assistanceType: 'subsistence_allowance',
            startDate: '2024-01-01',
            monthlyAmountFen: 50_000,
            memberCount: 1,
            membersEnc: 'x',
            authorizationCaseId: null,
            authorizationSm3: null,
            authorizationOnFile: 1,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id as number;
    const run = async (month: string) =>
      (
        await db
          .insertInto('recheckRun')
          .values({
            month,
            scopeOrganisationId: agency,
            state: 'done',
            startedAt: at,
            startedBy: null,
            startedByName: null,
            finishedAt: at,
            leaseUntil: at,
            leaseToken: `t-${month}`,
            errorCode: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const october = await run('2025-10');
    const june = await run('2025-06');
    const item = async (runId: number, familyId: number, org: number, status: string, changes: string[]) =>
      (
        await db
          .insertInto('recheckItem')
          .values({
            runId,
            rosterFamilyId: familyId,
            requesterOrganisationId: org,
            familyKey: `k${familyId}`,
            status,
            assessmentId: null,
            summaryEnc: null,
            changes: JSON.stringify(changes),
            errorCode: null,
            updatedAt: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const f = [
      await family('F1', XIFENG),
      await family('F2', XIFENG),
      await family('F3', XIFENG),
      await family('F4', XIFENG),
      await family('F5', QINGCHENG),
    ];
    const i1 = await item(october, f[0] as number, xifengRequester, 'done', ['NEW_VEHICLE', 'INCOME_RISE']);
    const i2 = await item(october, f[1] as number, xifengRequester, 'done', ['NEW_VEHICLE']);
    await item(october, f[2] as number, xifengRequester, 'done', []);
    await item(october, f[3] as number, xifengRequester, 'failed', []);
    const i5 = await item(october, f[4] as number, qingchengRequester, 'done', ['MEMBER_DECEASED']);
    const j1 = await item(june, f[0] as number, xifengRequester, 'done', ['NEW_VEHICLE']);
    const alert = (runId: number, itemId: number, org: number, kind: string, state: string) =>
      db
        .insertInto('recheckAlert')
        .values({
          runId,
          itemId,
          requesterOrganisationId: org,
          familyKey: `k${itemId}`,
          kind,
          evidenceEnc: 'x',
          state,
          caseId: null,
          reason: null,
          workedBy: null,
          workedByName: null,
          workedAt: null,
          createdAt: at,
        })
        .execute();
    await alert(october, i1, xifengRequester, 'NEW_VEHICLE', 'dismissed');
    await alert(october, i1, xifengRequester, 'INCOME_RISE', 'confirmed');
    await alert(october, i2, xifengRequester, 'NEW_VEHICLE', 'open');
    await alert(october, i5, qingchengRequester, 'MEMBER_DECEASED', 'case_opened');
    await alert(june, j1, xifengRequester, 'NEW_VEHICLE', 'open');

    on('2025-10-20');
    const { stats, body } = await statistics('city_staff', '?from=2025-09-01&to=2025-10-31');
    const recheck = stats.recheck as unknown as {
      available: true;
      counties: {
        countyCode: string;
        familiesRechecked: number;
        familiesChanged: number;
        changesByKind: Record<string, number>;
        alerts: number;
        alertsOpen: number;
        alertsWorked: number;
      }[];
      total: {
        familiesRechecked: number;
        familiesChanged: number;
        changesByKind: Record<string, number>;
        alerts: number;
        alertsOpen: number;
        alertsWorked: number;
        alertsByState: Record<string, number>;
      };
    };
    expect(recheck.available).toBe(true);
    expect(recheck.counties.find((c) => c.countyCode === XIFENG)).toMatchObject({
      familiesRechecked: 3,
      familiesChanged: 2,
      changesByKind: { NEW_VEHICLE: 2, INCOME_RISE: 1, MEMBER_DECEASED: 0 },
      alerts: 3,
      alertsOpen: 1,
      alertsWorked: 2,
    });
    expect(recheck.counties.find((c) => c.countyCode === QINGCHENG)).toMatchObject({
      familiesRechecked: 1,
      familiesChanged: 1,
      changesByKind: { MEMBER_DECEASED: 1 },
      alerts: 1,
      alertsWorked: 1,
    });
    expect(recheck.total).toMatchObject({
      familiesRechecked: 4,
      familiesChanged: 3,
      changesByKind: { NEW_VEHICLE: 2, INCOME_RISE: 1, MEMBER_DECEASED: 1 },
      alerts: 4,
      alertsOpen: 1,
      alertsWorked: 3,
      alertsByState: { open: 1, confirmed: 1, dismissed: 1, case_opened: 1 },
    });
    expect(body).not.toContain('F1');
    // A county sees its own families only; the June run counts in a period that holds June.
    const own = (await statistics('xifeng_staff', '?from=2025-06-01&to=2025-10-31')).stats
      .recheck as unknown as {
      counties: { countyCode: string }[];
      total: { familiesRechecked: number; alerts: number };
    };
    expect(own.counties.map((c) => c.countyCode)).toEqual([XIFENG]);
    expect(own.total).toMatchObject({ familiesRechecked: 4, alerts: 4 });

    const sheet = await t.call('GET', '/api/statistics/export?from=2025-09-01&to=2025-10-31&chart=recheck', {
      cookie: await session('city_staff'),
    });
    expect(sheet.statusCode, sheet.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(sheet.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    workbook.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const header = rows.find((r) => r[0] === '区县') ?? [];
    const total = rows.find((r) => r[0] === '合计') ?? [];
    expect(total[header.indexOf('复核家庭')]).toBe(4);
    expect(total[header.indexOf('新增车辆')]).toBe(2);
    expect(total[header.indexOf('已处理预警')]).toBe(3);
  });

  it('refuses other roles, regions outside the scope, unknown charts and a reversed period', async () => {
    on('2025-10-20');
    for (const who of ['auditor', 'admin', 'xifeng_requester', 'dept_finance'])
      expectError(
        await t.call('GET', '/api/statistics', { cookie: await session(who) }),
        403,
        'PERMISSION_DENIED',
      );
    expectError(
      await t.call('GET', `/api/statistics?regionCode=${QINGCHENG}`, {
        cookie: await session('xifeng_staff'),
      }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(
      await t.call('GET', `/api/statistics/export?regionCode=${QINGCHENG}&chart=cases`, {
        cookie: await session('xifeng_staff'),
      }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(
      await t.call('GET', '/api/statistics/export?chart=everything', {
        cookie: await session('xifeng_staff'),
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await t.call('GET', '/api/statistics?from=2025-10-31&to=2025-10-01', {
        cookie: await session('xifeng_staff'),
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await t.call('GET', '/api/statistics?assistanceType=lottery', {
        cookie: await session('xifeng_staff'),
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { loadOfficialCalendar, WorkdayCalendar } from '../calendar/working-days.ts';
import type { BatchFact } from '../delivery/quality.ts';
import type { DeliveryRule } from '../delivery/schedule.ts';
import {
  caseFigures,
  countyOf,
  departmentFigures,
  distributions,
  type HouseholdFigures,
  recheckFigures,
  type StatisticsCase,
  type StatisticsStep,
} from './statistics.ts';

const calendar = new WorkdayCalendar(loadOfficialCalendar());
const XIFENG = '621002';
const QINGCHENG = '621021';

/** Accepted on Friday 26 September 2025 (acceptance due 30 September, report due 13 October). */
const kase = (id: number, regionCode: string, patch: Partial<StatisticsCase> = {}): StatisticsCase => ({
  id,
  regionCode,
  assistanceType: 'subsistence_allowance',
  receivedOn: '2025-09-26',
  acceptanceDue: '2025-09-30',
  acceptedOn: '2025-09-26',
  reportDue: '2025-10-13',
  reportedOn: null,
  appealedOn: null,
  ...patch,
});

describe(countyOf.name, () => {
  it('takes the six-digit county of a township', () => {
    expect(countyOf('621002001')).toBe(XIFENG);
    expect(countyOf(XIFENG)).toBe(XIFENG);
  });
});

describe(caseFigures.name, () => {
  // 西峰 (hand count over September–October):
  //  1 reported 29 Sep (on time; 28, 29 = 2 working days)
  //  2 extended 26 Sep to 15 Oct, reported 14 Oct (on time; 8 working days), appealed 15 Oct, review unchanged 16 Oct
  //  3 reported 14 Oct (late: due 13 Oct; 8 working days), appealed 15 Oct, review changed 16 Oct
  //  4 received, never accepted
  //  5 suspended 29 Sep
  //  6 received in August (outside), accepted in August, terminated 2 Sep
  // 庆城: 7 reported 29 Sep (on time, 2 days), 8 verifying; a township case 9 received in October.
  const cases: StatisticsCase[] = [
    kase(1, XIFENG, { reportedOn: '2025-09-29' }),
    kase(2, XIFENG, { reportDue: '2025-10-15', reportedOn: '2025-10-14', appealedOn: '2025-10-15' }),
    kase(3, XIFENG, { reportedOn: '2025-10-14', appealedOn: '2025-10-15' }),
    kase(4, XIFENG, { acceptedOn: null, reportDue: null }),
    kase(5, XIFENG),
    kase(6, XIFENG, { receivedOn: '2025-08-20', acceptanceDue: '2025-08-25', acceptedOn: '2025-08-21' }),
    kase(7, QINGCHENG, { reportedOn: '2025-09-29' }),
    kase(8, QINGCHENG),
    kase(9, '621021100', { receivedOn: '2025-10-09', acceptanceDue: '2025-10-11', acceptedOn: null }),
  ];
  const steps: StatisticsStep[] = [
    { caseId: 2, kind: 'extension', on: '2025-09-26' },
    { caseId: 5, kind: 'suspension', on: '2025-09-29' },
    { caseId: 6, kind: 'termination', on: '2025-09-02' },
    { caseId: 2, kind: 'review', on: '2025-10-16', changed: false },
    { caseId: 3, kind: 'review', on: '2025-10-16', changed: true },
    // Outside the period: not counted.
    { caseId: 8, kind: 'extension', on: '2025-11-03' },
  ];
  const period = { from: '2025-09-01', to: '2025-10-31' };

  it('counts each county side by side and the whole, every figure by the date of its own event', () => {
    const { counties, total } = caseFigures({
      cases,
      steps,
      calendar,
      period,
      counties: [XIFENG, QINGCHENG],
    });
    expect(counties.map((c) => c.countyCode)).toEqual([XIFENG, QINGCHENG]);
    expect(counties[0]).toEqual({
      countyCode: XIFENG,
      received: 5,
      accepted: 4,
      completed: 5,
      reported: 3,
      reportedOnTime: 2,
      onTimeRate: 0.667,
      averageWorkdaysToReport: 6,
      extensions: 1,
      suspensions: 1,
      terminations: 1,
      appeals: 2,
      reviewsDone: 2,
      reviewsChanged: 1,
      reviewsUnchanged: 1,
    });
    expect(counties[1]).toMatchObject({
      countyCode: QINGCHENG,
      received: 3,
      accepted: 2,
      completed: 1,
      reported: 1,
      reportedOnTime: 1,
      onTimeRate: 1,
      averageWorkdaysToReport: 2,
      extensions: 0,
      appeals: 0,
      reviewsDone: 0,
    });
    expect(total).toMatchObject({
      received: 8,
      accepted: 6,
      completed: 6,
      reported: 4,
      reportedOnTime: 3,
      onTimeRate: 0.75,
      // (2 + 8 + 8 + 2) / 4
      averageWorkdaysToReport: 5,
      extensions: 1,
      suspensions: 1,
      terminations: 1,
      appeals: 2,
      reviewsDone: 2,
      reviewsChanged: 1,
      reviewsUnchanged: 1,
    });
  });

  it('lists a county without cases with zeros and no rates', () => {
    const { counties, total } = caseFigures({
      cases: [],
      steps: [],
      calendar,
      period,
      counties: [XIFENG],
    });
    expect(counties[0]).toMatchObject({
      received: 0,
      reported: 0,
      onTimeRate: null,
      averageWorkdaysToReport: null,
    });
    expect(total.onTimeRate).toBeNull();
  });

  it('narrows to October: only what happened in October counts', () => {
    const { total } = caseFigures({
      cases,
      steps,
      calendar,
      period: { from: '2025-10-01', to: '2025-10-31' },
      counties: [XIFENG, QINGCHENG],
    });
    expect(total).toMatchObject({
      received: 1,
      accepted: 0,
      reported: 2,
      reportedOnTime: 1,
      completed: 2,
      appeals: 2,
      reviewsDone: 2,
      extensions: 0,
      suspensions: 0,
      terminations: 0,
    });
  });
});

describe(departmentFigures.name, () => {
  let nextId = 1;
  const fact = (overrides: Partial<BatchFact>): BatchFact => ({
    id: nextId++,
    dataset: 'benefit',
    departmentCode: 'human_resources',
    status: 'committed',
    period: '2025-07',
    periodFirstMonth: '2025-07',
    periodLastMonth: '2025-07',
    rowsRead: 10,
    rowsStored: 10,
    duplicateRows: 0,
    unmatchedRows: 0,
    errorCount: 0,
    dataAsOf: '2025-07-31',
    createdAt: '2025-08-05T02:00:00.000Z',
    ...overrides,
  });
  const rules = new Map<string, DeliveryRule>([
    ['benefit', { dataset: 'benefit', frequency: 'monthly', dueDay: 10, firstPeriod: '2025-06' }],
    ['contribution', { dataset: 'contribution', frequency: 'monthly', dueDay: 10, firstPeriod: '2030-01' }],
    ['employment', { dataset: 'employment', frequency: 'monthly', dueDay: 10, firstPeriod: '2030-01' }],
  ]);

  it('counts the periods due in the statistics period as on time, late or missing, and the batches that arrived', () => {
    // benefit monthly: 2025-06 due 10 Jul, 07 due 10 Aug, 08 due 10 Sep, 09 due 10 Oct (today 20 Oct).
    // Period August–October: 07 (on time, 5 Aug), 08 (late, 12 Sep), 09 (missing). 06 is due in July: outside.
    const facts = [
      fact({
        period: '2025-06',
        periodFirstMonth: '2025-06',
        periodLastMonth: '2025-06',
        createdAt: '2025-07-03T02:00:00.000Z',
      }),
      fact({ rowsRead: 10, duplicateRows: 1 }),
      fact({
        period: '2025-08',
        periodFirstMonth: '2025-08',
        periodLastMonth: '2025-08',
        createdAt: '2025-09-12T02:00:00.000Z',
        unmatchedRows: 5,
      }),
      fact({
        status: 'rejected',
        period: '2025-09',
        periodFirstMonth: '2025-09',
        periodLastMonth: '2025-09',
        rowsStored: 0,
        createdAt: '2025-10-09T02:00:00.000Z',
      }),
    ];
    const [hr] = departmentFigures({
      facts,
      rules,
      period: { from: '2025-08-01', to: '2025-10-31' },
      today: '2025-10-20',
      departments: ['human_resources'],
    });
    expect(hr).toEqual({
      departmentCode: 'human_resources',
      departmentName: '人社',
      due: 3,
      onTime: 1,
      late: 1,
      missing: 1,
      onTimeRate: 0.333,
      // Arrived August–October: 5 Aug, 12 Sep and the rejected one of 9 Oct (3 July is outside).
      batches: 3,
      committed: 2,
      rejected: 1,
      rejectionRate: 0.333,
      // 1 duplicate of 20 rows read; 5 unmatched of 20 stored.
      duplicateRate: 0.05,
      unmatchedRate: 0.25,
    });
  });

  it('lists every department by default, with no rate where nothing was due', () => {
    const all = departmentFigures({
      facts: [],
      rules,
      period: { from: '2025-08-01', to: '2025-08-31' },
      today: '2025-10-20',
    });
    expect(all).toHaveLength(20);
    expect(all.find((d) => d.departmentCode === 'human_resources')).toMatchObject({
      due: 1,
      missing: 1,
      onTimeRate: 0,
    });
    expect(all.find((d) => d.departmentCode === 'housing_fund')).toMatchObject({
      due: 0,
      onTimeRate: null,
      batches: 0,
    });
  });
});

describe(distributions.name, () => {
  const h = (patch: Partial<HouseholdFigures>): HouseholdFigures => ({
    countyCode: XIFENG,
    perCapitaMonthlyIncomeFen: 0,
    depositsFen: 0,
    vehicles: 0,
    realEstate: 0,
    ...patch,
  });

  it('puts each household into one bucket per figure, lower bounds included', () => {
    const d = distributions([
      h({ perCapitaMonthlyIncomeFen: 25_000 }),
      h({ perCapitaMonthlyIncomeFen: 30_000, depositsFen: 1, vehicles: 1 }),
      h({ perCapitaMonthlyIncomeFen: 120_000, depositsFen: 1_200_050, vehicles: 1, realEstate: 1 }),
      h({ perCapitaMonthlyIncomeFen: 500_000, depositsFen: 5_000_000, vehicles: 3, realEstate: 2 }),
      h({ perCapitaMonthlyIncomeFen: null, depositsFen: 20_000_000 }),
    ]);
    expect(d.households).toBe(5);
    expect(d.incomeUnknown).toBe(1);
    expect(d.income.map((b) => [b.label, b.count])).toEqual([
      ['0–300 元', 1],
      ['300–600 元', 1],
      ['600–900 元', 0],
      ['900–1200 元', 0],
      ['1200–1500 元', 1],
      ['1500–2000 元', 0],
      ['2000–3000 元', 0],
      ['3000 元及以上', 1],
    ]);
    expect(d.deposits.map((b) => [b.label, b.count])).toEqual([
      ['无存款', 1],
      ['1万元以下', 1],
      ['1万–3万元', 1],
      ['3万–5万元', 0],
      ['5万–10万元', 1],
      ['10万元以上', 1],
    ]);
    expect(d.vehicles.map((b) => b.count)).toEqual([2, 2, 1]);
    expect(d.realEstate.map((b) => b.count)).toEqual([3, 1, 1]);
  });
});

describe(recheckFigures.name, () => {
  it('counts families rechecked and changed, each change kind, and alerts by state per county', () => {
    const { counties, total } = recheckFigures({
      items: [
        { countyCode: XIFENG, status: 'done', changes: [], count: 3 },
        { countyCode: XIFENG, status: 'done', changes: ['NEW_VEHICLE', 'INCOME_RISE'] },
        { countyCode: XIFENG, status: 'failed', changes: [] },
        { countyCode: QINGCHENG, status: 'done', changes: ['NEW_VEHICLE'], count: 2 },
      ],
      alerts: [
        { countyCode: XIFENG, state: 'open' },
        { countyCode: XIFENG, state: 'dismissed' },
        { countyCode: QINGCHENG, state: 'case_opened', count: 2 },
      ],
      counties: [XIFENG, QINGCHENG],
      kinds: ['NEW_VEHICLE', 'INCOME_RISE', 'MEMBER_DECEASED'],
      states: ['open', 'confirmed', 'dismissed', 'case_opened'],
    });
    expect(counties[0]).toMatchObject({
      countyCode: XIFENG,
      familiesRechecked: 4,
      familiesChanged: 1,
      changesByKind: { NEW_VEHICLE: 1, INCOME_RISE: 1, MEMBER_DECEASED: 0 },
      alerts: 2,
      alertsOpen: 1,
      alertsWorked: 1,
    });
    expect(total).toMatchObject({
      countyCode: null,
      familiesRechecked: 6,
      familiesChanged: 3,
      changesByKind: { NEW_VEHICLE: 3, INCOME_RISE: 1, MEMBER_DECEASED: 0 },
      alerts: 4,
      alertsOpen: 1,
      alertsWorked: 3,
      alertsByState: { open: 1, confirmed: 0, dismissed: 1, case_opened: 2 },
    });
  });
});

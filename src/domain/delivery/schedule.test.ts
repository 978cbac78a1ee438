import { describe, expect, it } from 'vitest';
import { findDataset } from '../catalog/datasets.ts';
import {
  assessFreshness,
  type CommittedBatch,
  type CoveringBatch,
  catalogRule,
  checkDeliveryRule,
  type DeliveryRule,
  daysBetween,
  deliveredOn,
  describePeriod,
  duePeriods,
  firstExpectedPeriod,
  nextDue,
  onTimeCounts,
  overduePeriods,
} from './schedule.ts';

const quarterly: DeliveryRule = {
  dataset: 'hukou',
  frequency: 'quarterly',
  dueDay: 10,
  firstPeriod: '2025-Q1',
};
const monthly: DeliveryRule = {
  dataset: 'benefit',
  frequency: 'monthly',
  dueDay: 10,
  firstPeriod: '2025-01',
};

function batch(first: string, last: string, on: string): CoveringBatch {
  return { periodFirstMonth: first, periodLastMonth: last, deliveredOn: on };
}

describe(catalogRule.name, () => {
  it('takes the catalog frequency and the 10th of C§4, with the default first period', () => {
    const benefit = findDataset('benefit');
    if (!benefit) throw new Error('benefit missing from the catalog');
    expect(catalogRule(benefit)).toEqual({
      dataset: 'benefit',
      frequency: 'monthly',
      dueDay: 10,
      firstPeriod: null,
    });
  });
});

describe(checkDeliveryRule.name, () => {
  it('normalises the first period', () => {
    expect(checkDeliveryRule({ ...quarterly, firstPeriod: ' 2025-q3 ' })).toEqual({
      ok: true,
      rule: { ...quarterly, firstPeriod: '2025-Q3' },
    });
  });

  it('takes a blank first period for the default', () => {
    expect(checkDeliveryRule({ ...quarterly, firstPeriod: '  ' })).toEqual({
      ok: true,
      rule: { ...quarterly, firstPeriod: null },
    });
  });

  it('lists every problem: due day outside 1–28, a malformed period, an unknown frequency', () => {
    const checked = checkDeliveryRule({
      dataset: 'hukou',
      frequency: 'weekly' as DeliveryRule['frequency'],
      dueDay: 29,
      firstPeriod: '2025-13',
    });
    expect(checked.ok).toBe(false);
    if (!checked.ok)
      expect(checked.problems.map((p) => p.field)).toEqual(['frequency', 'dueDay', 'firstPeriod']);
  });

  it('refuses a first period before 2000 and a due day of 0', () => {
    const checked = checkDeliveryRule({ ...monthly, dueDay: 0, firstPeriod: '1999-12' });
    expect(checked.ok ? [] : checked.problems.map((p) => p.field)).toEqual(['dueDay', 'firstPeriod']);
  });
});

describe(firstExpectedPeriod.name, () => {
  it('defaults to the first period of the previous calendar year', () => {
    expect(firstExpectedPeriod({ ...monthly, firstPeriod: null }, '2025-09-26').label).toBe('2024-01');
    expect(firstExpectedPeriod({ ...quarterly, firstPeriod: null }, '2026-01-05').label).toBe('2025-Q1');
  });

  it('reads a configured period in the rule frequency: a quarter of a monthly dataset starts at its first month', () => {
    expect(firstExpectedPeriod({ ...monthly, firstPeriod: '2025-Q3' }, '2025-09-26').label).toBe('2025-07');
    expect(firstExpectedPeriod({ ...quarterly, firstPeriod: '2025-05' }, '2025-09-26').label).toBe('2025-Q2');
  });
});

describe(duePeriods.name, () => {
  it('lists the periods whose due date has passed, not the one due today', () => {
    const labels = (today: string) => duePeriods(quarterly, today).map((d) => [d.period.label, d.dueDate]);
    expect(labels('2025-07-10')).toEqual([['2025-Q1', '2025-04-10']]);
    expect(labels('2025-07-11')).toEqual([
      ['2025-Q1', '2025-04-10'],
      ['2025-Q2', '2025-07-10'],
    ]);
  });

  it('uses the configured due day', () => {
    expect(duePeriods({ ...monthly, dueDay: 28, firstPeriod: '2025-12' }, '2026-01-29')).toEqual([
      expect.objectContaining({ dueDate: '2026-01-28' }),
    ]);
  });
});

describe(deliveredOn.name, () => {
  const q3 = {
    label: '2025-Q3',
    granularity: 'quarter',
    firstMonth: '2025-07',
    lastMonth: '2025-09',
  } as const;

  it('is null while a month of the period is not covered', () => {
    expect(
      deliveredOn(q3, [batch('2025-07', '2025-07', '2025-08-01'), batch('2025-09', '2025-09', '2025-10-01')]),
    ).toBe(null);
  });

  it('is the day the last month was first covered, when monthly batches add up to the quarter', () => {
    const batches = [
      batch('2025-07', '2025-07', '2025-08-01'),
      batch('2025-08', '2025-08', '2025-10-20'),
      batch('2025-08', '2025-08', '2025-09-05'),
      batch('2025-09', '2025-09', '2025-10-01'),
    ];
    expect(deliveredOn(q3, batches)).toBe('2025-10-01');
  });

  it('counts a whole-year batch for each quarter inside it', () => {
    expect(deliveredOn(q3, [batch('2025-01', '2025-12', '2026-01-03')])).toBe('2026-01-03');
  });
});

describe(daysBetween.name, () => {
  it('counts calendar days across months and leap days', () => {
    expect(daysBetween('2025-07-10', '2025-09-26')).toBe(78);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-09-26', '2025-09-26')).toBe(0);
  });
});

describe(overduePeriods.name, () => {
  it('lists due periods without a delivery, with the days they are late', () => {
    const batches = [batch('2025-01', '2025-03', '2025-04-08')];
    expect(overduePeriods(quarterly, batches, '2025-09-26')).toEqual([
      { period: '2025-Q2', dueDate: '2025-07-10', daysOverdue: 78 },
    ]);
  });

  it('forgets a period once it is delivered, however late', () => {
    const batches = [batch('2025-01', '2025-03', '2025-04-08'), batch('2025-04', '2025-06', '2025-09-20')];
    expect(overduePeriods(quarterly, batches, '2025-09-26')).toEqual([]);
  });
});

describe(nextDue.name, () => {
  it('is the first undelivered period due today or later', () => {
    expect(nextDue(monthly, [], '2025-09-10')).toEqual({ period: '2025-08', dueDate: '2025-09-10' });
    expect(nextDue(monthly, [], '2025-09-11')).toEqual({ period: '2025-09', dueDate: '2025-10-10' });
  });

  it('skips periods already delivered ahead of time', () => {
    expect(nextDue(monthly, [batch('2025-01', '2025-12', '2025-09-01')], '2025-09-11')).toEqual({
      period: '2026-01',
      dueDate: '2026-02-10',
    });
  });

  it('is the configured first period when that lies in the future', () => {
    expect(nextDue({ ...quarterly, firstPeriod: '2027-Q1' }, [], '2025-09-26')).toEqual({
      period: '2027-Q1',
      dueDate: '2027-04-10',
    });
  });
});

describe(onTimeCounts.name, () => {
  it('counts a period on time when its last month was covered on or before the due date', () => {
    const batches = [
      batch('2025-01', '2025-03', '2025-04-10'),
      batch('2025-04', '2025-06', '2025-07-11'),
      batch('2025-07', '2025-09', '2025-09-01'),
    ];
    expect(onTimeCounts(quarterly, batches, '2025-10-11')).toEqual({ due: 3, onTime: 2 });
  });

  it('has nothing due before the first due date', () => {
    expect(onTimeCounts(quarterly, [], '2025-04-10')).toEqual({ due: 0, onTime: 0 });
  });
});

describe(assessFreshness.name, () => {
  const committed = (
    period: string,
    first: string,
    last: string,
    createdAt: string,
    dataAsOf: string,
  ): CommittedBatch => ({
    period,
    periodFirstMonth: first,
    periodLastMonth: last,
    createdAt,
    dataAsOf,
    deliveredOn: createdAt.slice(0, 10),
  });

  it('reports the latest period held, the freshest data, the last delivery, what is next and what is late', () => {
    const batches = [
      committed('2024', '2024-01', '2024-12', '2025-01-20T02:00:00.000Z', '2024-12-31'),
      committed('2025-07', '2025-07', '2025-07', '2025-08-09T02:00:00.000Z', '2025-07-31'),
      committed('2025-H1', '2025-01', '2025-06', '2025-07-05T02:00:00.000Z', '2025-06-30'),
    ];
    expect(assessFreshness({ ...monthly, firstPeriod: null }, batches, '2025-09-26')).toEqual({
      expectedFrom: '2024-01',
      latestPeriod: '2025-07',
      dataAsOf: '2025-07-31',
      lastDeliveredAt: '2025-08-09T02:00:00.000Z',
      nextDue: { period: '2025-09', dueDate: '2025-10-10' },
      overdue: [{ period: '2025-08', dueDate: '2025-09-10', daysOverdue: 16 }],
    });
  });

  it('holds nothing and owes every due period when nothing was delivered', () => {
    expect(assessFreshness(quarterly, [], '2025-07-11')).toMatchObject({
      latestPeriod: null,
      dataAsOf: null,
      lastDeliveredAt: null,
      overdue: [
        { period: '2025-Q1', daysOverdue: 92 },
        { period: '2025-Q2', daysOverdue: 1 },
      ],
    });
  });
});

describe(describePeriod.name, () => {
  it('names every kind of period in Chinese', () => {
    expect(['2025-06', '2025-Q2', '2025-H1', '2025-H2', '2025', 'x'].map(describePeriod)).toEqual([
      '2025年6月',
      '2025年第2季度',
      '2025年上半年',
      '2025年下半年',
      '2025年度',
      'x',
    ]);
  });
});

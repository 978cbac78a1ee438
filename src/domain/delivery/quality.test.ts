import { describe, expect, it } from 'vitest';
import { type BatchFact, departmentQuality, isStanding, needsMatching } from './quality.ts';
import type { DeliveryRule } from './schedule.ts';

let nextId = 1;
function fact(overrides: Partial<BatchFact>): BatchFact {
  return {
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
  };
}

const rules = new Map<string, DeliveryRule>([
  ['benefit', { dataset: 'benefit', frequency: 'monthly', dueDay: 10, firstPeriod: '2025-07' }],
  ['contribution', { dataset: 'contribution', frequency: 'monthly', dueDay: 10, firstPeriod: '2030-01' }],
  ['employment', { dataset: 'employment', frequency: 'monthly', dueDay: 10, firstPeriod: '2030-01' }],
]);

describe(isStanding.name, () => {
  it('keeps committed and superseded batches, not rejected or retracted ones', () => {
    expect((['committed', 'superseded', 'rejected', 'retracted'] as const).map(isStanding)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe(needsMatching.name, () => {
  it('matches standing batches of every dataset but the household register itself', () => {
    expect(needsMatching({ dataset: 'vehicle', status: 'superseded' })).toBe(true);
    expect(needsMatching({ dataset: 'hukou', status: 'committed' })).toBe(false);
    expect(needsMatching({ dataset: 'vehicle', status: 'rejected' })).toBe(false);
  });
});

describe(departmentQuality.name, () => {
  const facts: BatchFact[] = [
    fact({ rowsRead: 4, rowsStored: 3, duplicateRows: 1, unmatchedRows: 2 }),
    fact({
      period: '2025-08',
      periodFirstMonth: '2025-08',
      periodLastMonth: '2025-08',
      status: 'retracted',
      createdAt: '2025-09-03T02:00:00.000Z',
    }),
    fact({
      status: 'rejected',
      rowsRead: 7,
      rowsStored: 0,
      errorCount: 3,
      createdAt: '2025-08-01T02:00:00.000Z',
    }),
    fact({
      status: 'rejected',
      rowsRead: 2,
      rowsStored: 0,
      errorCount: 5,
      createdAt: '2025-08-02T02:00:00.000Z',
    }),
    fact({ dataset: 'hukou', departmentCode: 'public_security', rowsRead: 100, rowsStored: 100 }),
  ];
  const report = departmentQuality({ departmentCode: 'human_resources', facts, rules, today: '2025-09-26' });

  it('counts batches of every status, and rows only of standing batches', () => {
    expect(report).toMatchObject({
      departmentCode: 'human_resources',
      departmentName: '人社',
      batches: 4,
      committed: 1,
      rejected: 2,
      rowsStored: 3,
      duplicateRate: 0.25,
    });
    expect(report.unmatchedRate).toBeCloseTo(2 / 3);
  });

  it('rates punctuality over due periods only, a retracted delivery counting as none', () => {
    const benefit = report.datasets.find((d) => d.dataset === 'benefit');
    expect(benefit?.onTimeRate).toBe(0.5);
    expect(report.datasets.find((d) => d.dataset === 'contribution')?.onTimeRate).toBeNull();
    expect(report.onTimeRate).toBe(0.5);
  });

  it('names the latest rejection', () => {
    const benefit = report.datasets.find((d) => d.dataset === 'benefit');
    expect(benefit?.lastRejection).toEqual({
      batchId: facts[3]?.id,
      at: '2025-08-02T02:00:00.000Z',
      errorCount: 5,
    });
  });

  it('lists every dataset the department delivers, with null rates where nothing was delivered', () => {
    expect(report.datasets.map((d) => d.dataset)).toEqual(['benefit', 'contribution', 'employment']);
    expect(report.datasets[1]).toMatchObject({
      batches: 0,
      rowsStored: 0,
      duplicateRate: null,
      unmatchedRate: null,
    });
  });

  it('leaves the unmatched rate null while no batch has been matched', () => {
    const unmatched = departmentQuality({
      departmentCode: 'human_resources',
      facts: [fact({ unmatchedRows: null })],
      rules,
      today: '2025-09-26',
    });
    expect(unmatched.unmatchedRate).toBeNull();
  });

  it('trends the last 12 months by the Shanghai month of arrival, current month last', () => {
    expect(report.trend.map((m) => m.month)).toEqual([
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
    ]);
    expect(report.trend[10]).toEqual({
      month: '2025-08',
      batches: 3,
      rejected: 2,
      rowsStored: 3,
      duplicateRate: 0.25,
      unmatchedRate: 2 / 3,
    });
    expect(report.trend[11]).toMatchObject({ batches: 1, rejected: 0, rowsStored: 0, duplicateRate: null });
  });

  it('puts a batch that arrived at 23:30 UTC on 31 July in August, as Shanghai sees it', () => {
    const late = departmentQuality({
      departmentCode: 'human_resources',
      facts: [fact({ createdAt: '2025-07-31T23:30:00.000Z' })],
      rules,
      today: '2025-09-26',
    });
    expect(late.trend.find((m) => m.month === '2025-08')?.batches).toBe(1);
    expect(late.trend.find((m) => m.month === '2025-07')?.batches).toBe(0);
  });
});

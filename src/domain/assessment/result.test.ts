import { describe, expect, it } from 'vitest';
import type { Discrepancy } from './discrepancies.ts';
import { assessHousehold } from './household.ts';
import { deposit, member, payroll } from './records.fixture.ts';
import { compareAssessments } from './result.ts';
import { definePolicy } from './types.ts';

const policy = definePolicy({ version: 'test-v1' });

function assess(pay: number, balance: number) {
  return assessHousehold({
    members: [member('m1'), member('m2')],
    recordsByMember: new Map([
      ['m1', [payroll('2025-03', pay)]],
      ['m2', [deposit('6230001', '活期存款', balance, '2025-09-20')]],
    ]),
    asOfMonth: '2025-08',
    asOfDate: '2025-09-26',
    policy,
  });
}

const serious = { severity: 'serious' } as Discrepancy;

describe('compareAssessments', () => {
  it('finds no change between two results of the same records', () => {
    const comparison = compareAssessments(
      { assessment: assess(500_000, 100_000), discrepancies: [serious], batchIds: [1, 2] },
      { assessment: assess(500_000, 100_000), discrepancies: [serious], batchIds: [1, 2] },
    );
    expect(comparison).toEqual({
      changes: [],
      discrepanciesBefore: { info: 0, warning: 0, serious: 1 },
      discrepanciesAfter: { info: 0, warning: 0, serious: 1 },
      batchesAdded: [],
      batchesRemoved: [],
    });
  });

  it('lists each changed figure per member and for the household, and the batches added and removed', () => {
    const comparison = compareAssessments(
      { assessment: assess(500_000, 100_000), discrepancies: [], batchIds: [1, 2] },
      { assessment: assess(500_000, 800_000), discrepancies: [serious], batchIds: [1, 3] },
    );
    expect(comparison.changes).toEqual([
      { memberId: 'm2', figure: 'assets.deposits', before: 100_000, after: 800_000 },
      { memberId: 'household', figure: 'assets.deposits', before: 100_000, after: 800_000 },
    ]);
    expect(comparison.discrepanciesAfter.serious).toBe(1);
    expect([comparison.batchesAdded, comparison.batchesRemoved]).toEqual([[3], [2]]);
  });

  it('shows an income change in the category, the totals and the per-capita figure', () => {
    const comparison = compareAssessments(
      { assessment: assess(500_000, 0), discrepancies: [], batchIds: [1] },
      { assessment: assess(740_000, 0), discrepancies: [], batchIds: [1] },
    );
    expect(comparison.changes.map((c) => [c.memberId, c.figure, c.before, c.after])).toEqual([
      ['m1', 'income.wages', 500_000, 740_000],
      ['m1', 'income.total', 500_000, 740_000],
      ['household', 'income.total', 500_000, 740_000],
      // 500 000 ÷ 12 ÷ 2 = 20 833.3 → 20 833; 740 000 ÷ 24 = 30 833.3 → 30 833
      ['household', 'perCapitaMonthlyIncome', 20_833, 30_833],
    ]);
  });
});

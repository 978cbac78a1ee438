import { describe, expect, it } from 'vitest';
import type { BatchRecord } from '../ports.ts';
import { usableBatches } from './gather-records.ts';
import { endOfShanghaiDay } from './run-assessment.ts';

function batch(id: number, dataset: string, period: string, last: string, more: Partial<BatchRecord> = {}) {
  return {
    id,
    dataset,
    period,
    periodLastMonth: last,
    dataAsOf: `${last}-28`,
    source: 'upload',
    ...more,
  } as BatchRecord;
}

describe('usableBatches', () => {
  it('keeps every periodic batch and only the newest batch of each snapshot dataset', () => {
    const standing = [
      batch(1, 'hukou', '2025-Q1', '2025-03'),
      batch(2, 'hukou', '2025-Q2', '2025-06'),
      batch(3, 'payroll', '2024-H2', '2024-12'),
      batch(4, 'payroll', '2025-H1', '2025-06'),
      batch(5, 'deposit', '2025-Q2', '2025-06'),
      batch(6, 'deposit', '2025-Q1', '2025-03'),
    ];
    expect(
      usableBatches(standing)
        .map((b) => b.id)
        .sort(),
    ).toEqual([2, 3, 4, 5]);
  });

  it('keeps batches fetched for a case (offline replies, query answers) beside the newest snapshot', () => {
    const standing = [
      batch(1, 'deposit', '2025-Q2', '2025-06'),
      batch(2, 'deposit', '2025-09', '2025-09', { source: 'offline' }),
      batch(3, 'vehicle', '2025-09', '2025-09', { source: 'query' }),
    ];
    expect(
      usableBatches(standing)
        .map((b) => b.id)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('breaks a tie on the period by the data-as-of date, then by the newer batch', () => {
    const standing = [
      batch(7, 'vehicle', '2025-Q2', '2025-06', { dataAsOf: '2025-07-01' }),
      batch(8, 'vehicle', '2025-Q2', '2025-06', { dataAsOf: '2025-06-30' }),
    ];
    expect(usableBatches(standing).map((b) => b.id)).toEqual([7]);
  });

  it('keeps the unidentified rows of a snapshot delivered for the period of its newest main batch only', () => {
    const unidentified = { kind: 'unidentified' as const };
    const standing = [
      batch(1, 'deposit', '2025-Q1', '2025-03'),
      batch(2, 'deposit', '2025-Q1', '2025-03', unidentified),
      batch(3, 'deposit', '2025-Q2', '2025-06'),
      batch(4, 'deposit', '2025-Q2', '2025-06', unidentified),
      batch(5, 'deposit', '2025-Q3', '2025-09', unidentified),
      batch(6, 'payroll', '2025-H1', '2025-06', unidentified),
      batch(7, 'market_entity', '2025-H1', '2025-06', unidentified),
      batch(8, 'market_entity', '2024-H2', '2024-12', unidentified),
    ];
    // deposit: the Q2 delivery and its unidentified rows (not Q1's, nor Q3's before Q3 is delivered); periodic
    // unidentified batches add up; a snapshot without a main batch keeps its newest unidentified rows.
    expect(
      usableBatches(standing)
        .map((b) => b.id)
        .sort(),
    ).toEqual([3, 4, 6, 7]);
  });
});

describe('endOfShanghaiDay', () => {
  it('is the last millisecond of the calendar day in China, as a UTC instant', () => {
    expect(endOfShanghaiDay('2025-09-26')).toBe('2025-09-26T15:59:59.999Z');
    expect(endOfShanghaiDay('2024-12-31')).toBe('2024-12-31T15:59:59.999Z');
  });
});

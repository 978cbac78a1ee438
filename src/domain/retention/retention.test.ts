import { describe, expect, it } from 'vitest';
import {
  assessmentInForce,
  auditCutoff,
  type BatchFact,
  batchRetentionStart,
  caseClosedOn,
  decideBatch,
  expired,
  newestCommittedBatches,
  type RetentionPolicy,
} from './retention.ts';

const POLICY: RetentionPolicy = {
  auditDays: 365,
  recordDays: 730,
  datasetDays: { hukou: 3650 },
  closedCaseDays: 1825,
};

function batch(overrides: Partial<BatchFact>): BatchFact {
  return {
    id: 1,
    dataset: 'pension',
    kind: 'main',
    status: 'committed',
    source: 'upload',
    periodLastMonth: '2020-12',
    createdAt: '2021-01-05T02:00:00.000Z',
    retractedAt: null,
    supersededAt: null,
    rowsStored: 10,
    ...overrides,
  };
}

describe('retention periods', () => {
  it('keeps data through the last day of its period and lets it go the day after', () => {
    expect(expired('2024-01-01', 10, '2024-01-11')).toBe(false);
    expect(expired('2024-01-01', 10, '2024-01-12')).toBe(true);
  });

  it('never lets audit entries go before 180 days, whatever the configuration says', () => {
    const now = '2026-07-01T00:00:00.000Z';
    expect(auditCutoff(now, 30)).toBe(auditCutoff(now, 180));
    expect(auditCutoff(now, 180)).toBe('2026-01-02T00:00:00.000Z');
    expect(auditCutoff(now, 365) < auditCutoff(now, 180)).toBe(true);
  });
});

describe(decideBatch.name, () => {
  const today = '2026-11-24';

  it('purges a superseded batch from its supersession on, with its dataset period', () => {
    const old = batch({ id: 1, status: 'superseded', supersededAt: '2024-11-20T02:00:00.000Z' });
    expect(batchRetentionStart(old, new Set())).toBe('2024-11-20');
    expect(decideBatch(old, new Set(), new Set(), POLICY, today)).toBe('purge');
    const recent = batch({ id: 2, status: 'superseded', supersededAt: '2025-11-20T02:00:00.000Z' });
    expect(decideBatch(recent, new Set(), new Set(), POLICY, today)).toBe('keep');
  });

  it('keeps a batch past its period while a report in force cites it', () => {
    const old = batch({ id: 3, status: 'superseded', supersededAt: '2020-01-01T00:00:00.000Z' });
    expect(decideBatch(old, new Set(), new Set([3]), POLICY, today)).toBe('kept_for_report');
  });

  it('never purges the newest committed delivery of a dataset, however old', () => {
    const batches = [
      batch({ id: 4, periodLastMonth: '2018-12' }),
      batch({ id: 5, periodLastMonth: '2019-12' }),
    ];
    const newest = newestCommittedBatches(batches);
    expect([...newest]).toEqual([5]);
    expect(decideBatch(batches[1] as BatchFact, newest, new Set(), POLICY, today)).toBe('keep');
    expect(decideBatch(batches[0] as BatchFact, newest, new Set(), POLICY, today)).toBe('purge');
  });

  it('gives a dataset its own period when configured', () => {
    const hukou = batch({
      id: 6,
      dataset: 'hukou',
      status: 'superseded',
      supersededAt: '2020-01-01T00:00:00.000Z',
    });
    expect(decideBatch(hukou, new Set(), new Set(), POLICY, today)).toBe('keep');
    expect(decideBatch({ ...hukou, dataset: 'pension' }, new Set(), new Set(), POLICY, today)).toBe('purge');
  });
});

describe(assessmentInForce.name, () => {
  const today = '2026-11-24';
  const open = { state: 'verifying', closedOn: null, appealDue: null };

  it('holds while the case is open or its report can still be appealed', () => {
    expect(caseClosedOn(open, today)).toBeNull();
    expect(caseClosedOn({ state: 'reported', closedOn: null, appealDue: '2026-11-30' }, today)).toBeNull();
    expect(caseClosedOn({ state: 'reported', closedOn: null, appealDue: '2026-11-01' }, today)).toBe(
      '2026-11-01',
    );
    expect(
      assessmentInForce({ createdAt: '2010-01-01T00:00:00.000Z', isCase: true, case: open }, POLICY, today),
    ).toBe(true);
  });

  it('ends once the closed case is past the case period', () => {
    const closed = (on: string) => ({ state: 'reviewed', closedOn: on, appealDue: null });
    const at = '2019-01-01T00:00:00.000Z';
    expect(
      assessmentInForce({ createdAt: at, isCase: true, case: closed('2022-01-01') }, POLICY, today),
    ).toBe(true);
    expect(
      assessmentInForce({ createdAt: at, isCase: true, case: closed('2020-01-01') }, POLICY, today),
    ).toBe(false);
  });

  it('holds a recheck assessment for the case period from its creation', () => {
    expect(
      assessmentInForce({ createdAt: '2024-01-01T00:00:00.000Z', isCase: false, case: null }, POLICY, today),
    ).toBe(true);
    expect(
      assessmentInForce({ createdAt: '2020-01-01T00:00:00.000Z', isCase: false, case: null }, POLICY, today),
    ).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE_FEN } from '../assessment/types.ts';
import { checkAlertWork } from './alerts.ts';
import { detectChanges } from './changes.ts';
import type { AssetItem, MemberFacts, RecheckSummary, SourceRef } from './summary.ts';

const source = (dataset: string, batchId: number, dataAsOf = '2025-10-03'): SourceRef => ({
  dataset,
  batchId,
  departmentCode: 'dept',
  dataAsOf,
  rowNumber: 2,
  recordId: batchId * 10,
});

function member(personKey: string, overrides: Partial<MemberFacts> = {}): MemberFacts {
  return {
    personKey,
    memberId: 'm1',
    relation: '本人',
    deceased: null,
    hukou: { status: '正常', changeDate: null, source: source('hukou', 1, '2025-09-26') },
    marriage: { status: 'unknown', date: null, source: null },
    payroll: null,
    ...overrides,
  };
}

function summary(overrides: Partial<RecheckSummary> = {}): RecheckSummary {
  const zero = { wages: 0, business: 0, property: 0, transferNet: 0, other: 0 };
  return {
    asOfDate: '2025-09-26',
    windowFirstMonth: '2024-09',
    windowLastMonth: '2025-08',
    policyVersion: 'default-v1',
    toleranceFen: DEFAULT_TOLERANCE_FEN,
    income: {
      categoriesFen: zero,
      totalFen: 0,
      perCapitaMonthlyFen: 0,
      sources: { wages: [], business: [], property: [], transferNet: [], other: [] },
    },
    vehicles: [],
    realEstate: [],
    marketEntities: [],
    members: [member('k1')],
    ...overrides,
  };
}

const car = (identifier: string, batchId: number): AssetItem => ({
  identifier,
  memberId: 'm1',
  personKey: 'k1',
  source: source('vehicle', batchId),
});

describe(detectChanges.name, () => {
  it('raises nothing for a family’s first month (the baseline)', () => {
    expect(detectChanges(null, summary({ vehicles: [car('甘M1', 5)] }))).toEqual([]);
  });

  it('raises nothing when nothing changed, whatever the family holds', () => {
    const same = summary({ vehicles: [car('甘M1', 5)] });
    expect(detectChanges(same, { ...same, asOfDate: '2025-10-03' })).toEqual([]);
  });

  it('finds a new vehicle by its plate, with the batch it comes from and the plates before and after', () => {
    const before = summary({ vehicles: [car('甘M1', 5)] });
    const after = summary({ asOfDate: '2025-10-03', vehicles: [car('甘M1', 7), car('甘M2', 7)] });
    const [change, ...rest] = detectChanges(before, after);
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      kind: 'NEW_VEHICLE',
      memberId: 'm1',
      sources: [{ dataset: 'vehicle', batchId: 7, dataAsOf: '2025-10-03' }],
      before: ['甘M1'],
      after: ['甘M1', '甘M2'],
      previousAsOfDate: '2025-09-26',
      asOfDate: '2025-10-03',
    });
  });

  it('does not count a vehicle sold as a change (only new ones are alerts)', () => {
    expect(detectChanges(summary({ vehicles: [car('甘M1', 5)] }), summary())).toEqual([]);
  });

  it('raises an income rise only beyond the profile’s tolerance of the category', () => {
    const before = summary();
    const at = (wages: number) =>
      summary({
        income: {
          ...before.income,
          categoriesFen: { ...before.income.categoriesFen, wages },
          sources: { ...before.income.sources, wages: [source('payroll', 9)] },
        },
      });
    expect(detectChanges(before, at(DEFAULT_TOLERANCE_FEN.wages))).toEqual([]);
    const [rise] = detectChanges(before, at(DEFAULT_TOLERANCE_FEN.wages + 1));
    expect(rise).toMatchObject({
      kind: 'INCOME_RISE',
      rises: [{ category: 'wages', beforeFen: 0, afterFen: 50_001, riseFen: 50_001, toleranceFen: 50_000 }],
      sources: [{ dataset: 'payroll', batchId: 9 }],
    });
    // A fall is no alert.
    expect(detectChanges(at(900_000), before)).toEqual([]);
  });

  it('finds a member deceased, moved out or cancelled, newly married, or on payroll — once', () => {
    const before = summary({
      members: [member('k1'), member('k2', { memberId: 'm2' }), member('k3', { memberId: 'm3' })],
    });
    const after = summary({
      members: [
        member('k1', { deceased: { date: '2025-09-10', source: source('death', 11) } }),
        member('k2', {
          memberId: 'm2',
          hukou: { status: '注销', changeDate: '2025-09-15', source: source('hukou', 12) },
          payroll: { months: ['2025-09'], sources: [source('payroll', 13)] },
        }),
        member('k3', {
          memberId: 'm3',
          marriage: { status: 'married', date: '2025-09-12', source: source('marriage', 14) },
        }),
      ],
    });
    const changes = detectChanges(before, after);
    expect(changes.map((c) => [c.kind, c.memberId])).toEqual([
      ['MEMBER_DECEASED', 'm1'],
      ['MEMBER_MOVED_OUT', 'm2'],
      ['MEMBER_ON_PAYROLL', 'm2'],
      ['NEW_MARRIAGE', 'm3'],
    ]);
    expect(changes[1]?.message).toContain('HUKOU_CANCELLED');
    // The next month, with the same facts, raises none of them again.
    expect(detectChanges(after, after)).toEqual([]);
  });

  it('matches members by their key, not their position, and leaves new members’ own facts alone', () => {
    const before = summary({ members: [member('k1'), member('k2', { memberId: 'm2' })] });
    const after = summary({
      members: [
        member('k2', { memberId: 'm1' }),
        member('k1', { memberId: 'm2' }),
        member('k9', {
          memberId: 'm3',
          marriage: { status: 'married', date: '2010-01-01', source: source('marriage', 3) },
        }),
      ],
    });
    expect(detectChanges(before, after)).toEqual([]);
  });
});

describe(checkAlertWork.name, () => {
  it('requires a reason to dismiss and works an alert once only', () => {
    expect(checkAlertWork('open', { action: 'dismiss', reason: ' ' })).toMatchObject({
      ok: false,
      code: 'REASON_REQUIRED',
    });
    expect(checkAlertWork('open', { action: 'dismiss', reason: '已核实' })).toEqual({
      ok: true,
      state: 'dismissed',
      reason: '已核实',
      caseId: null,
    });
    expect(checkAlertWork('open', { action: 'open_case', caseId: 4 })).toMatchObject({
      ok: true,
      state: 'case_opened',
      caseId: 4,
    });
    expect(checkAlertWork('confirmed', { action: 'confirm' })).toMatchObject({
      ok: false,
      code: 'ALERT_ALREADY_WORKED',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { amountSeverity, compareWithDeclaration, type Declaration } from './discrepancies.ts';
import { assessHousehold } from './household.ts';
import {
  benefit,
  contribution,
  deposit,
  marketEntity,
  member,
  payroll,
  realEstate,
  tax,
  vehicle,
} from './records.fixture.ts';
import { type AssessmentRecord, definePolicy } from './types.ts';
import { monthsBetween } from './window.ts';

// Tolerances: 500 元 per income category, 1 000 元 of deposits; serious beyond 5 × the tolerance.
const POLICY = definePolicy({ version: 'p-1' });
const SHARED = '621002001001GB00001F00010001';

const salary = tax('工资薪金', '2025-03', '2025-03', 520_000);
const headPay = payroll('2025-03', 500_000);
const car = vehicle('甘M12345');
const spouseFlat = realEstate('U-SPOUSE', 9_000, null);

function household(extra: { head?: AssessmentRecord[]; spouse?: AssessmentRecord[] } = {}) {
  return assessHousehold({
    members: [member('head'), member('spouse', { relation: '配偶' }), member('son', { exclusion: 'prison' })],
    recordsByMember: new Map([
      [
        'head',
        [
          headPay,
          salary,
          contribution('2025-01', 40_000),
          car,
          realEstate(SHARED, 12_000, 5_000),
          deposit('6228480012345678901', '定期存款', 1_200_000, '2025-03-31'),
          marketEntity('92621002MA7ABCDE1R', 5_000_000),
          ...(extra.head ?? []),
        ],
      ],
      [
        'spouse',
        [
          ...monthsBetween('2024-07', '2025-06').map((month) => benefit(month, 300_000)),
          tax('财产租赁', '2024-06', '2024-08', 100_000),
          realEstate(SHARED, 12_000, 5_000),
          ...(extra.spouse ?? []),
        ],
      ],
      ['son', [vehicle('甘M99999'), payroll('2025-02', 800_000)]],
    ]),
    asOfMonth: '2025-06',
    asOfDate: '2025-06-30',
    policy: POLICY,
  });
}

const DECLARATION: Declaration = {
  members: [
    { memberId: 'head', income: { wages: 500_000 } },
    { memberId: 'spouse', income: { wages: 1_000_000, transferNet: 3_400_000 } },
  ],
  assets: {
    depositsFen: 1_000_000,
    realEstate: { count: 2, identifiers: [SHARED, 'U-GONE'] },
    marketEntities: { count: 2 },
  },
};

describe(compareWithDeclaration.name, () => {
  const found = compareWithDeclaration(household({ spouse: [spouseFlat] }), DECLARATION, POLICY);
  const summary = found.map((d) => [d.memberId, d.category, d.kind, d.severity]);

  it('lists every difference, member by member, then the household’s assets', () => {
    expect(summary).toEqual([
      ['head', 'wages', 'amount', 'info'],
      ['head', 'transferNet', 'amount', 'info'],
      ['spouse', 'wages', 'amount', 'serious'],
      ['spouse', 'property', 'amount', 'warning'],
      ['spouse', 'transferNet', 'amount', 'warning'],
      ['household', 'deposits', 'amount', 'warning'],
      ['head', 'vehicles', 'undeclared_asset', 'serious'],
      ['spouse', 'realEstate', 'undeclared_asset', 'serious'],
      ['household', 'realEstate', 'declared_not_found', 'info'],
      ['household', 'marketEntities', 'count', 'info'],
    ]);
  });

  it('gives declared, found and the difference with the records behind the found figure', () => {
    expect(found[0]).toMatchObject({
      declaredFen: 500_000,
      foundFen: 520_000,
      differenceFen: 20_000,
      evidenceRecordIds: [salary.recordId],
    });
    // Nothing found against 10 000 元 declared: more than 5 × 500 元 off.
    expect(found[2]).toMatchObject({ declaredFen: 1_000_000, foundFen: 0, differenceFen: -1_000_000 });
    // 666.66 元 of rent inside the window, declared as none: beyond 500 元, within 2 500 元.
    expect(found[3]).toMatchObject({ declaredFen: 0, foundFen: 66_666, differenceFen: 66_666 });
    expect(found[4]).toMatchObject({ foundFen: 3_600_000, differenceFen: 200_000 });
    expect(found[5]).toMatchObject({ declaredFen: 1_000_000, foundFen: 1_200_000, differenceFen: 200_000 });
  });

  it('makes each undeclared vehicle or property a discrepancy of its own, with its owner and record', () => {
    expect(found[6]).toMatchObject({
      identifier: '甘M12345',
      declaredCount: 0,
      foundCount: 1,
      differenceCount: 1,
      declaredFen: null,
      evidenceRecordIds: [car.recordId],
    });
    expect(found[7]).toMatchObject({ identifier: 'U-SPOUSE', evidenceRecordIds: [spouseFlat.recordId] });
    expect(found[8]).toMatchObject({ identifier: 'U-GONE', foundCount: 0, evidenceRecordIds: [] });
    expect(found[9]).toMatchObject({ declaredCount: 2, foundCount: 1, differenceCount: -1 });
  });

  it('leaves out the excluded member’s assets and income unless the declaration names the member', () => {
    expect(found.some((d) => d.memberId === 'son')).toBe(false);
    const withSon = compareWithDeclaration(
      household(),
      { ...DECLARATION, members: [...DECLARATION.members, { memberId: 'son', income: { wages: 800_000 } }] },
      POLICY,
    );
    expect(withSon.some((d) => d.memberId === 'son')).toBe(false);
    const understated = compareWithDeclaration(
      household(),
      { ...DECLARATION, members: [{ memberId: 'son', income: { wages: 100_000 } }] },
      POLICY,
    );
    expect(understated.find((d) => d.memberId === 'son')).toMatchObject({
      category: 'wages',
      differenceFen: 700_000,
      severity: 'serious',
    });
  });

  it('counts a flat two members co-own once, and without identifiers flags every item when none was declared', () => {
    const matching = compareWithDeclaration(
      household(),
      { ...DECLARATION, assets: { ...DECLARATION.assets, realEstate: { count: 1 } } },
      POLICY,
    );
    expect(matching.some((d) => d.category === 'realEstate')).toBe(false);
    const none = compareWithDeclaration(household(), { members: DECLARATION.members }, POLICY);
    const flats = none.filter((d) => d.category === 'realEstate');
    expect(flats).toEqual([
      expect.objectContaining({ memberId: 'household', kind: 'undeclared_asset', identifier: SHARED }),
    ]);
    expect(flats[0]?.evidenceRecordIds).toHaveLength(2);
    expect(none.filter((d) => d.category === 'marketEntities')).toEqual([
      expect.objectContaining({ memberId: 'head', kind: 'undeclared_asset', severity: 'serious' }),
    ]);
  });

  it('reports more items than declared as a serious count when the declaration does not name them', () => {
    const result = compareWithDeclaration(
      household({ head: [vehicle('甘M20000')] }),
      { ...DECLARATION, assets: { ...DECLARATION.assets, vehicles: { count: 1 } } },
      POLICY,
    );
    expect(result.filter((d) => d.category === 'vehicles')).toEqual([
      expect.objectContaining({ kind: 'count', declaredCount: 1, foundCount: 2, severity: 'serious' }),
    ]);
  });

  it('lists nothing when the declaration matches the sources', () => {
    const exact: Declaration = {
      members: [
        { memberId: 'head', income: { wages: 520_000, transferNet: -40_000 } },
        { memberId: 'spouse', income: { property: 66_666, transferNet: 3_600_000 } },
      ],
      assets: {
        depositsFen: 1_200_000,
        vehicles: { count: 1, identifiers: ['甘m 12345'] },
        realEstate: { count: 1 },
        marketEntities: { count: 1, identifiers: ['92621002MA7ABCDE1R'] },
      },
    };
    expect(compareWithDeclaration(household(), exact, POLICY)).toEqual([]);
  });

  it('refuses another policy’s tolerances and a declaration for someone outside the household', () => {
    expect(() => compareWithDeclaration(household(), DECLARATION, definePolicy({ version: 'p-2' }))).toThrow(
      /p-1/,
    );
    expect(() =>
      compareWithDeclaration(household(), { members: [{ memberId: 'x', income: {} }] }, POLICY),
    ).toThrow(/x/);
  });

  it('states differences only, never a decision or recommendation', () => {
    expect(JSON.stringify(found)).not.toMatch(/eligib|qualif|recommend|decision|符合|不符合|建议|认定|资格/i);
  });
});

describe(amountSeverity.name, () => {
  it('is info up to the tolerance, a warning up to the multiple of it, and serious beyond', () => {
    expect(amountSeverity(100, 100, 5)).toBe('info');
    expect(amountSeverity(-100, 100, 5)).toBe('info');
    expect(amountSeverity(101, 100, 5)).toBe('warning');
    expect(amountSeverity(500, 100, 5)).toBe('warning');
    expect(amountSeverity(-501, 100, 5)).toBe('serious');
    expect(amountSeverity(1, 0, 5)).toBe('serious');
  });
});

import { describe, expect, it } from 'vitest';
import { assessHousehold } from './household.ts';
import {
  benefit,
  contribution,
  deposit,
  member,
  payroll,
  realEstate,
  record,
  tax,
  vehicle,
} from './records.fixture.ts';
import { type AssessmentRecord, definePolicy, type Member } from './types.ts';
import { monthsBetween } from './window.ts';

const POLICY = definePolicy({ version: 'gansu-qingyang-2025.1' });
const SHARED_UNIT = '621002001001GB00001F00010001';

/**
 * Hand-computed household, window 2024-07 … 2025-06 (12 months), as of 2025-06-30:
 * - head: payroll 5 000 元 every month, and 工资薪金 5 200 元 for 2025-03 → wages 11 × 5 000 + 5 200 = 60 200 元;
 *   a personal contribution of 400 元; a car; half of a 120 m² flat; a deposit whose latest balance by the as-of
 *   date is 12 000 元.
 * - spouse: pension 3 000 元 every month = 36 000 元; rent of 1 000 元 for 2024-06 … 2024-08, of which
 *   2024-07 and 2024-08 are inside the window → 333.33 × 2 = 666.66 元; the other half of the flat; 3 000 元
 *   demand deposit.
 * - son in prison (co-residing, excluded): payroll 8 000 元 and a car — computed, not counted.
 * - daughter living elsewhere: pension 1 000 元 — computed, not counted.
 * Household: 60 200 + 666.66 + 36 000 − 400 = 96 466.66 元; ÷ 12 ÷ 2 = 4 019.444… → 4 019.44 元.
 */
function family() {
  const members: Member[] = [
    member('head'),
    member('spouse', { relation: '配偶' }),
    member('son', { relation: '子', exclusion: 'prison' }),
    member('daughter', { relation: '女', coResiding: false }),
  ];
  const head: AssessmentRecord[] = [
    ...monthsBetween('2024-07', '2025-06').map((month) => payroll(month, 500_000)),
    tax('工资薪金', '2025-03', '2025-03', 520_000),
    contribution('2025-01', 40_000),
    vehicle('甘M12345'),
    realEstate(SHARED_UNIT, 12_000, 5_000),
    deposit('6228480012345678901', '定期存款', 1_000_000, '2024-12-31'),
    deposit('6228480012345678901', '定期存款', 1_200_000, '2025-03-31'),
    deposit('6228480012345678901', '定期存款', 5_000_000, '2025-09-30'),
    record('hukou', { householdNumber: '620100345', hukouStatus: '正常' }),
  ];
  const spouse: AssessmentRecord[] = [
    ...monthsBetween('2024-07', '2025-06').map((month) => benefit(month, 300_000)),
    tax('财产租赁', '2024-06', '2024-08', 100_000),
    realEstate(SHARED_UNIT, 12_000, 5_000),
    deposit('6217000000000000001', '活期存款', 300_000, '2025-06-30'),
  ];
  const son = [payroll('2025-01', 800_000), vehicle('甘M99999')];
  const daughter = [benefit('2025-01', 100_000)];
  const recordsByMember = new Map([
    ['head', head],
    ['spouse', spouse],
    ['son', son],
    ['daughter', daughter],
  ]);
  return { members, recordsByMember, asOfMonth: '2025-06', asOfDate: '2025-06-30', policy: POLICY };
}

describe(assessHousehold.name, () => {
  const result = assessHousehold(family());

  it('sums the income of the co-residing members who are not excluded', () => {
    const { household } = result;
    expect(household.countedMemberIds).toEqual(['head', 'spouse']);
    expect(household.membersCounted).toBe(2);
    expect(household.income.categories.wages.totalFen).toBe(6_020_000);
    expect(household.income.categories.property.totalFen).toBe(66_666);
    expect(household.income.categories.transferIncome.totalFen).toBe(3_600_000);
    expect(household.income.categories.transferExpense.totalFen).toBe(40_000);
    expect(household.income.transferNet.totalFen).toBe(3_560_000);
    expect(household.income.total.totalFen).toBe(9_646_666);
    expect(household.income.total.months.find((m) => m.month === '2025-03')?.amountFen).toBe(
      520_000 + 300_000,
    );
  });

  it('gives the monthly per-capita income in whole fen', () => {
    expect(result.household.perCapitaMonthlyIncomeFen).toBe(401_944);
  });

  it('computes and reports excluded and non-co-residing members without counting them', () => {
    const son = result.members.find((m) => m.member.memberId === 'son');
    const daughter = result.members.find((m) => m.member.memberId === 'daughter');
    expect(son).toMatchObject({ counted: false, notCountedReasons: ['prison'] });
    expect(son?.income.categories.wages.totalFen).toBe(800_000);
    expect(son?.assets.vehicles.count).toBe(1);
    expect(daughter).toMatchObject({ counted: false, notCountedReasons: ['not_co_residing'] });
    expect(daughter?.income.total.totalFen).toBe(100_000);
    expect(result.household.assets.vehicles).toEqual({ count: 1, distinct: 1 });
  });

  it('sums the counted members’ assets, counting a co-owned flat once among the units', () => {
    const { assets } = result.household;
    expect(assets.deposits.totalFen).toBe(1_500_000);
    expect(assets.deposits.byType.定期存款).toBe(1_200_000);
    expect(assets.deposits.byType.活期存款).toBe(300_000);
    expect(assets.realEstate).toEqual({ count: 2, distinctUnits: 1, areaHundredths: 12_000 });
    expect(assets.marketEntities).toEqual({ count: 0, distinctEntities: 0, subscribedCapitalFen: 0 });
  });

  it('stamps the policy version and the window', () => {
    expect(result.policyVersion).toBe('gansu-qingyang-2025.1');
    expect(result.window).toMatchObject({
      firstMonth: '2024-07',
      lastMonth: '2025-06',
      asOfDate: '2025-06-30',
    });
    expect(result.window.months).toHaveLength(12);
  });

  it('lists records of datasets that feed neither income nor assets', () => {
    const head = result.members.find((m) => m.member.memberId === 'head');
    expect(head?.unusedRecords.map((u) => [u.dataset, u.reason])).toEqual([
      ['hukou', 'not_an_income_or_asset_dataset'],
    ]);
  });

  it('states facts only: no eligibility decision or recommendation anywhere in the result', () => {
    const text = JSON.stringify(result);
    expect(text).not.toMatch(/eligib|qualif|recommend|decision|approv|符合|不符合|建议|认定|资格/i);
  });

  it('reports both reasons for a member who is excluded and lives apart', () => {
    const input = family();
    const members = input.members.map((m) =>
      m.memberId === 'son' ? { ...m, coResiding: false, exclusion: 'conscript' as const } : m,
    );
    const son = assessHousehold({ ...input, members }).members.find((m) => m.member.memberId === 'son');
    expect(son?.notCountedReasons).toEqual(['conscript', 'not_co_residing']);
  });

  it('uses the window length of the policy profile', () => {
    const short = assessHousehold({ ...family(), policy: definePolicy({ version: 'v', windowMonths: 3 }) });
    expect(short.window.months).toEqual(['2025-04', '2025-05', '2025-06']);
    // head 3 × 5 000 元, spouse 3 × 3 000 元; nothing else falls in 2025-04 … 2025-06.
    expect(short.household.income.total.totalFen).toBe(2_400_000);
    expect(short.household.perCapitaMonthlyIncomeFen).toBe(400_000);
  });

  it('refuses records of someone who is not a member, and a member listed twice', () => {
    const input = family();
    expect(() =>
      assessHousehold({ ...input, recordsByMember: new Map([['stranger', [payroll('2025-01', 1)]]]) }),
    ).toThrow(/stranger/);
    expect(() => assessHousehold({ ...input, members: [member('a'), member('a')] })).toThrow(/twice/);
    expect(() => assessHousehold({ ...input, asOfDate: '2025-06-31' })).toThrow(RangeError);
  });
});

describe('monthly per-capita income', () => {
  const policy = definePolicy({ version: 'v', windowMonths: 3 });
  const base = { asOfMonth: '2025-06', asOfDate: '2025-06-30', policy };
  const two = [member('a'), member('b')];

  it('rounds half a fen up: 9 fen ÷ 3 months ÷ 2 members = 1.5 → 2', () => {
    const result = assessHousehold({
      ...base,
      members: two,
      recordsByMember: new Map([['a', [benefit('2025-05', 9)]]]),
    });
    expect(result.household.perCapitaMonthlyIncomeFen).toBe(2);
  });

  it('rounds less than half a fen down: 8 fen ÷ 3 ÷ 2 = 1.33 → 1', () => {
    const result = assessHousehold({
      ...base,
      members: two,
      recordsByMember: new Map([['a', [benefit('2025-05', 8)]]]),
    });
    expect(result.household.perCapitaMonthlyIncomeFen).toBe(1);
  });

  it('rounds a negative figure symmetrically: −9 fen ÷ 3 ÷ 2 = −1.5 → −2', () => {
    const result = assessHousehold({
      ...base,
      members: two,
      recordsByMember: new Map([['a', [contribution('2025-05', 9)]]]),
    });
    expect(result.household.income.total.totalFen).toBe(-9);
    expect(result.household.perCapitaMonthlyIncomeFen).toBe(-2);
  });

  it('is null when no member is counted', () => {
    const result = assessHousehold({
      ...base,
      members: [member('a', { exclusion: 'missing' })],
      recordsByMember: new Map([['a', [benefit('2025-05', 9)]]]),
    });
    expect(result.household.membersCounted).toBe(0);
    expect(result.household.perCapitaMonthlyIncomeFen).toBeNull();
    expect(result.members[0]?.income.total.totalFen).toBe(9);
  });
});

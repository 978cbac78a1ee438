import { describe, expect, it } from 'vitest';
import { assessMemberIncome } from './income.ts';
import {
  benefit,
  contribution,
  payroll,
  providentFund,
  record,
  subsidy,
  tax,
  vehicle,
} from './records.fixture.ts';
import type { AssessmentRecord, IncomeCategory, MemberIncome } from './types.ts';
import { lookBackWindow } from './window.ts';

const WINDOW = lookBackWindow('2025-06', 12);

function assess(records: AssessmentRecord[], exemptSubsidyItems: string[] = []) {
  return assessMemberIncome(records, WINDOW, { exemptSubsidyItems });
}

function monthOf(income: MemberIncome, category: IncomeCategory, month: string) {
  const found = income.categories[category].months.find((part) => part.month === month);
  if (found === undefined) throw new Error(`no ${month} in the window`);
  return found;
}

describe(assessMemberIncome.name, () => {
  it('counts the larger of payroll and 工资薪金 for the same month, not their sum, and keeps both as evidence', () => {
    const pay = payroll('2025-03', 500_000);
    const salary = tax('工资薪金', '2025-03', '2025-03', 520_000);
    const { income } = assess([pay, salary]);
    const march = monthOf(income, 'wages', '2025-03');
    expect(march.amountFen).toBe(520_000);
    expect(income.categories.wages.totalFen).toBe(520_000);
    expect(march.evidence).toHaveLength(2);
    expect(march.evidence.find((e) => e.recordId === pay.recordId)).toMatchObject({
      counted: false,
      reason: 'covered_by_larger_source',
      amountFen: 500_000,
      dataset: 'payroll',
      batchId: 'payroll-1',
      dataAsOf: '2025-06-30',
    });
    expect(march.evidence.find((e) => e.recordId === salary.recordId)).toMatchObject({
      counted: true,
      amountFen: 520_000,
      item: '工资薪金',
    });
  });

  it('counts payroll when it is the larger source, and payroll on a tie', () => {
    const larger = assess([payroll('2025-03', 600_000), tax('工资薪金', '2025-03', '2025-03', 520_000)]);
    expect(monthOf(larger.income, 'wages', '2025-03').amountFen).toBe(600_000);
    const pay = payroll('2025-04', 500_000);
    const tie = assess([tax('工资薪金', '2025-04', '2025-04', 500_000), pay]);
    const april = monthOf(tie.income, 'wages', '2025-04');
    expect(april.amountFen).toBe(500_000);
    expect(april.evidence.filter((e) => e.counted).map((e) => e.recordId)).toEqual([pay.recordId]);
  });

  it('sums each source within the month before comparing (a salary and a bonus against payroll)', () => {
    const { income } = assess([
      payroll('2024-12', 700_000),
      tax('工资薪金', '2024-12', '2024-12', 500_000),
      tax('工资薪金', '2024-12', '2024-12', 300_000),
    ]);
    expect(monthOf(income, 'wages', '2024-12').amountFen).toBe(800_000);
  });

  it('adds 劳务报酬 and 稿酬 to wages on top of the salary', () => {
    const { income } = assess([
      payroll('2025-01', 400_000),
      tax('劳务报酬', '2025-01', '2025-01', 150_000),
      tax('稿酬', '2025-02', '2025-02', 80_000),
    ]);
    expect(monthOf(income, 'wages', '2025-01').amountFen).toBe(550_000);
    expect(income.categories.wages.totalFen).toBe(630_000);
  });

  it('spreads a three-month amount over its months and counts only those inside the window', () => {
    const rent = tax('经营所得', '2024-06', '2024-08', 100_000, 3_000);
    const { income, unusedRecords } = assess([rent]);
    expect(income.categories.business.totalFen).toBe(66_666);
    expect(monthOf(income, 'business', '2024-07')).toMatchObject({ amountFen: 33_333 });
    expect(monthOf(income, 'business', '2024-08').evidence[0]).toMatchObject({
      counted: true,
      amountFen: 33_333,
      field: 'income',
      spread: { periodStart: '2024-06', periodEnd: '2024-08', periodTotalFen: 100_000 },
    });
    expect(income.categories.business.outsideWindow).toEqual([
      expect.objectContaining({
        month: '2024-06',
        amountFen: 33_334,
        counted: false,
        reason: 'outside_window',
      }),
    ]);
    expect(income.categories.transferExpense.totalFen).toBe(2_000);
    expect(unusedRecords).toEqual([]);
  });

  it('sorts tax items into business, property and other income', () => {
    const { income } = assess([
      tax('经营所得', '2025-01', '2025-03', 900_000),
      tax('财产租赁', '2025-04', '2025-06', 300_000),
      tax('利息股息红利', '2025-05', '2025-05', 12_000),
      tax('特许权使用费', '2025-01', '2025-06', 600_000),
      tax('偶然所得', '2025-02', '2025-02', 50_000, 10_000),
    ]);
    expect(income.categories.business.totalFen).toBe(900_000);
    expect(income.categories.property.totalFen).toBe(912_000);
    expect(income.categories.other.totalFen).toBe(50_000);
    expect(income.categories.transferExpense.totalFen).toBe(10_000);
  });

  it('nets transfer income against taxes paid and personal contributions', () => {
    const { income } = assess([
      benefit('2025-01', 325_680),
      benefit('2025-02', 325_680),
      providentFund('2025-03', 1_200_000),
      contribution('2025-01', 36_000),
      contribution('2025-02', 36_000, '医疗保险'),
      tax('工资薪金', '2025-01', '2025-01', 450_000, 4_500),
    ]);
    expect(income.categories.transferIncome.totalFen).toBe(1_851_360);
    expect(income.categories.transferExpense.totalFen).toBe(76_500);
    expect(income.transferNet.totalFen).toBe(1_774_860);
    expect(income.transferNet.months.find((m) => m.month === '2025-01')?.amountFen).toBe(325_680 - 40_500);
    expect(income.total.totalFen).toBe(450_000 + 1_774_860);
  });

  it('still counts the tax paid on a salary that payroll covered', () => {
    const { income } = assess([
      payroll('2025-03', 600_000),
      tax('工资薪金', '2025-03', '2025-03', 520_000, 5_200),
    ]);
    expect(income.categories.wages.totalFen).toBe(600_000);
    expect(income.categories.transferExpense.totalFen).toBe(5_200);
  });

  it('lists a subsidy the policy exempts without counting it', () => {
    const exempt = subsidy('耕地地力保护补贴', '2025-05-15', 126_050);
    const counted = subsidy('草原奖补', '2025-05-20', 80_000);
    const { income } = assess([exempt, counted], ['耕地地力保护补贴']);
    const may = monthOf(income, 'transferIncome', '2025-05');
    expect(may.amountFen).toBe(80_000);
    expect(may.evidence.find((e) => e.recordId === exempt.recordId)).toMatchObject({
      counted: false,
      reason: 'exempt_subsidy',
      item: '耕地地力保护补贴',
      amountFen: 126_050,
    });
    expect(income.subsidy).toEqual({ countedFen: 80_000, exemptFen: 126_050 });
  });

  it('sets aside records outside the window, provident rows without a withdrawal and unreadable rows', () => {
    const before = payroll('2024-06', 500_000);
    const after = benefit('2025-07', 300_000);
    const taxBefore = tax('经营所得', '2024-01', '2024-03', 90_000, 900);
    const deposit = providentFund('2025-01', null);
    const broken = record('payroll', { month: '2025-01', grossPay: null, netPay: 0 });
    const { income, unusedRecords } = assess([before, after, taxBefore, deposit, broken]);
    expect(income.total.totalFen).toBe(0);
    expect(unusedRecords.map((u) => [u.recordId, u.reason, u.detail])).toEqual([
      [before.recordId, 'outside_window', '2024-06'],
      [after.recordId, 'outside_window', '2025-07'],
      [taxBefore.recordId, 'outside_window', '2024-01~2024-03'],
      [deposit.recordId, 'no_withdrawal', undefined],
      [broken.recordId, 'unreadable_value', 'grossPay'],
    ]);
  });

  it('refuses a tax period that ends before it starts as unreadable', () => {
    const { unusedRecords } = assess([tax('经营所得', '2025-03', '2025-01', 90_000)]);
    expect(unusedRecords[0]).toMatchObject({ reason: 'unreadable_value', detail: 'periodEnd' });
  });

  it('leaves records of asset datasets to the asset rules', () => {
    const { income, unusedRecords } = assess([vehicle('甘M12345')]);
    expect(income.total.totalFen).toBe(0);
    expect(unusedRecords).toEqual([]);
  });

  it('lists every window month of every category, zero when nothing was reported', () => {
    const { income } = assess([]);
    expect(income.categories.wages.months).toHaveLength(12);
    expect(income.total.months.every((m) => m.amountFen === 0)).toBe(true);
  });
});

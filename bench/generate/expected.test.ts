import { describe, expect, it } from 'vitest';
import {
  FIGURE_COLUMNS,
  type FigureWindow,
  familyFigures,
  figureCells,
  MemberAccumulator,
  roundFen,
  type SourceRecord,
} from './expected.ts';

const WINDOW: FigureWindow = { firstMonth: '2024-08', lastMonth: '2025-07', asOfDate: '2025-07-31' };

function member(records: SourceRecord[]): MemberAccumulator {
  const accumulator = new MemberAccumulator(WINDOW);
  for (const record of records) accumulator.add(record);
  return accumulator;
}

const tax = (
  item: Extract<SourceRecord, { kind: 'tax_income' }>['item'],
  periodStart: string,
  periodEnd: string,
  income: number,
  taxPaid: number,
): SourceRecord => ({ kind: 'tax_income', item, periodStart, periodEnd, income, taxPaid });

describe('MemberAccumulator: income', () => {
  it('takes the larger of payroll and 工资薪金 per month, and adds 劳务报酬 and 稿酬', () => {
    const figures = member([
      { kind: 'payroll', month: '2025-01', grossPay: 500_000 },
      tax('工资薪金', '2025-01', '2025-01', 480_000, 1_000),
      { kind: 'payroll', month: '2025-02', grossPay: 500_000 },
      tax('工资薪金', '2025-02', '2025-02', 520_000, 2_000),
      tax('工资薪金', '2025-03', '2025-03', 300_000, 0),
      tax('劳务报酬', '2025-03', '2025-03', 100_000, 4_000),
      tax('稿酬', '2025-04', '2025-04', 50_000, 0),
    ]).figures();
    // 500 000 (Jan, payroll) + 520 000 (Feb, tax) + 300 000 (Mar) + 100 000 + 50 000
    expect(figures.income.wages).toBe(1_470_000);
    expect(figures.income.transferExpenses).toBe(7_000);
    expect(figures.income.total).toBe(1_470_000 - 7_000);
  });

  it('adds two 工资薪金 rows of the same month before comparing with payroll', () => {
    const figures = member([
      { kind: 'payroll', month: '2025-01', grossPay: 600_000 },
      tax('工资薪金', '2025-01', '2025-01', 400_000, 0),
      tax('工资薪金', '2025-01', '2025-01', 300_000, 0),
    ]).figures();
    expect(figures.income.wages).toBe(700_000);
  });

  it('ignores months outside the window', () => {
    const figures = member([
      { kind: 'payroll', month: '2024-07', grossPay: 999_999 },
      { kind: 'payroll', month: '2025-08', grossPay: 999_999 },
      { kind: 'benefit', month: '2024-07', amount: 88_800 },
      { kind: 'contribution', month: '2024-07', personalContribution: 33_600 },
      { kind: 'subsidy', paymentDate: '2024-07-31', amount: 1_000 },
      { kind: 'payroll', month: '2024-08', grossPay: 100 },
    ]).figures();
    expect(figures.income.wages).toBe(100);
    expect(figures.income.transferIncome).toBe(0);
    expect(figures.income.transferExpenses).toBe(0);
  });

  it('spreads a multi-month amount evenly and counts only the months inside the window', () => {
    // 2024-07..2024-09: one of three months lies before the window (2024-08..2025-07).
    const figures = member([tax('经营所得', '2024-07', '2024-09', 300_000, 3_000)]).figures();
    expect(figures.income.businessNet).toBe(200_000);
    expect(figures.income.transferExpenses).toBe(2_000);
  });

  it('keeps fractions of a fen until the end and rounds once', () => {
    // 100 fen over 3 months: 33⅓ each; all inside → 100; two inside → 66⅔ → 67.
    expect(member([tax('财产租赁', '2025-01', '2025-03', 100, 0)]).figures().income.propertyNet).toBe(100);
    expect(member([tax('财产租赁', '2024-07', '2024-09', 100, 0)]).figures().income.propertyNet).toBe(67);
  });

  it('spread 工资薪金 takes part in the monthly comparison with payroll', () => {
    // 900 000 over Jan–Mar = 300 000 a month; payroll 250 000 in Jan and 400 000 in Feb.
    const figures = member([
      tax('工资薪金', '2025-01', '2025-03', 900_000, 0),
      { kind: 'payroll', month: '2025-01', grossPay: 250_000 },
      { kind: 'payroll', month: '2025-02', grossPay: 400_000 },
    ]).figures();
    expect(figures.income.wages).toBe(300_000 + 400_000 + 300_000);
  });

  it('sorts tax items into business, property and other income', () => {
    const figures = member([
      tax('经营所得', '2025-01', '2025-01', 10_000, 100),
      tax('利息股息红利', '2025-02', '2025-02', 20_000, 4_000),
      tax('财产租赁', '2025-02', '2025-02', 30_000, 1_500),
      tax('财产转让', '2025-03', '2025-03', 40_000, 400),
      tax('特许权使用费', '2025-03', '2025-03', 50_000, 0),
      tax('偶然所得', '2025-04', '2025-04', 60_000, 12_000),
    ]).figures();
    expect(figures.income.businessNet).toBe(10_000);
    expect(figures.income.propertyNet).toBe(140_000);
    expect(figures.income.other).toBe(60_000);
    expect(figures.income.wages).toBe(0);
    expect(figures.income.transferExpenses).toBe(18_000);
  });

  it('nets transfer income (benefit, fund withdrawal, subsidy) against tax paid and contributions', () => {
    const figures = member([
      { kind: 'benefit', month: '2025-01', amount: 200_000 },
      { kind: 'provident_fund', month: '2025-02', withdrawal: 50_000 },
      { kind: 'subsidy', paymentDate: '2025-05-10', amount: 120_000 },
      { kind: 'contribution', month: '2025-01', personalContribution: 36_000 },
      { kind: 'contribution', month: '2025-02', personalContribution: 36_000 },
      tax('工资薪金', '2025-01', '2025-01', 0, 5_000),
    ]).figures();
    expect(figures.income.transferIncome).toBe(370_000);
    expect(figures.income.subsidy).toBe(120_000);
    expect(figures.income.transferExpenses).toBe(77_000);
    expect(figures.income.transferNet).toBe(293_000);
    expect(figures.income.total).toBe(293_000);
  });
});

describe('MemberAccumulator: assets', () => {
  it('takes the latest balance per account on or before the as-of date, summed by asset type', () => {
    const deposit = (
      institution: string,
      accountNumber: string,
      assetType: Extract<SourceRecord, { kind: 'deposit' }>['assetType'],
      balance: number,
      asOfDate: string,
    ): SourceRecord => ({ kind: 'deposit', institution, accountNumber, assetType, balance, asOfDate });
    const figures = member([
      deposit('农行', '622800001', '活期存款', 2_000, '2025-07-31'),
      deposit('农行', '622800001', '活期存款', 1_000, '2025-06-30'),
      deposit('农行', '622800001', '活期存款', 9_999, '2025-08-31'),
      deposit('人寿', '', '商业保险', 4_000, '2025-03-31'),
      deposit('人寿', '', '商业保险', 5_000, '2025-07-31'),
      deposit('人寿', '', '其他', 700, '2025-07-31'),
      deposit('工行', '622200002', '定期存款', 30_000, '2025-07-31'),
    ]).figures();
    expect(figures.assets.deposits.活期存款).toBe(2_000);
    expect(figures.assets.deposits.商业保险).toBe(5_000);
    expect(figures.assets.deposits.其他).toBe(700);
    expect(figures.assets.deposits.定期存款).toBe(30_000);
    expect(figures.assets.depositsTotal).toBe(37_700);
  });

  it('counts vehicles in 正常 status that are not disability vehicles, and valid transport permits', () => {
    const figures = member([
      { kind: 'vehicle', vehicleStatus: '正常', disabilityVehicle: false },
      { kind: 'vehicle', vehicleStatus: '正常', disabilityVehicle: true },
      { kind: 'vehicle', vehicleStatus: '注销', disabilityVehicle: false },
      { kind: 'vehicle', vehicleStatus: '查封', disabilityVehicle: false },
      { kind: 'transport', permitStatus: '有效' },
      { kind: 'transport', permitStatus: '注销' },
    ]).figures();
    expect(figures.assets.vehicleRows).toBe(1);
    expect(figures.assets.transportRows).toBe(1);
    expect(figures.assets.vehicles).toBe(2);
  });

  it('counts real estate in 现势 or 查封 with the share-weighted area', () => {
    const figures = member([
      { kind: 'real_estate', unitNumber: 'A', rightStatus: '现势', floorArea: 10_000, share: 5_000 },
      { kind: 'real_estate', unitNumber: 'B', rightStatus: '查封', floorArea: 8_055, share: 10_000 },
      { kind: 'real_estate', unitNumber: 'C', rightStatus: '注销', floorArea: 9_000, share: 10_000 },
      { kind: 'real_estate', unitNumber: 'D', rightStatus: '现势', floorArea: 3_333, share: 3_333 },
    ]).figures();
    expect(figures.assets.realEstateRows).toBe(3);
    expect(figures.assets.realEstateUnits).toBe(3);
    // 5 000 + 8 055 + 1 110.8889 → 14 165.89 → 14 166
    expect(figures.assets.realEstateArea).toBe(14_166);
  });

  it('counts market entities in 存续 with their subscribed capital', () => {
    const figures = member([
      { kind: 'market_entity', creditCode: 'X1', registrationStatus: '存续', subscribedCapital: 5_000_000 },
      { kind: 'market_entity', creditCode: 'X2', registrationStatus: '存续', subscribedCapital: null },
      { kind: 'market_entity', creditCode: 'X3', registrationStatus: '注销', subscribedCapital: 1_000_000 },
      { kind: 'market_entity', creditCode: 'X4', registrationStatus: '吊销', subscribedCapital: 1_000_000 },
    ]).figures();
    expect(figures.assets.marketEntityRows).toBe(2);
    expect(figures.assets.marketEntities).toBe(2);
    expect(figures.assets.marketEntityCapital).toBe(5_000_000);
  });
});

describe(familyFigures.name, () => {
  it('sums members, counts co-owned units and shared entities once, and divides by months and members', () => {
    const husband = member([
      { kind: 'payroll', month: '2025-01', grossPay: 1_200_000 },
      { kind: 'real_estate', unitNumber: 'U1', rightStatus: '现势', floorArea: 10_000, share: 5_000 },
      { kind: 'market_entity', creditCode: 'C1', registrationStatus: '存续', subscribedCapital: 700_000 },
    ]);
    const wife = member([
      { kind: 'benefit', month: '2025-03', amount: 1_200_000 },
      { kind: 'real_estate', unitNumber: 'U1', rightStatus: '现势', floorArea: 10_000, share: 5_000 },
      { kind: 'market_entity', creditCode: 'C1', registrationStatus: '存续', subscribedCapital: 300_000 },
    ]);
    const figures = familyFigures(WINDOW, [husband, wife]);
    expect(figures.membersCounted).toBe(2);
    expect(figures.monthsInWindow).toBe(12);
    expect(figures.income.wages).toBe(1_200_000);
    expect(figures.income.transferIncome).toBe(1_200_000);
    expect(figures.income.total).toBe(2_400_000);
    // 2 400 000 / 12 months / 2 members
    expect(figures.perCapitaMonthly).toBe(100_000);
    expect(figures.assets.realEstateRows).toBe(2);
    expect(figures.assets.realEstateUnits).toBe(1);
    expect(figures.assets.realEstateArea).toBe(10_000);
    expect(figures.assets.marketEntityRows).toBe(2);
    expect(figures.assets.marketEntities).toBe(1);
    expect(figures.assets.marketEntityCapital).toBe(1_000_000);
  });

  it('gives zeros and no per-capita figure to a family without counted members', () => {
    const figures = familyFigures(WINDOW, []);
    expect(figures.membersCounted).toBe(0);
    expect(figures.perCapitaMonthly).toBe(0);
    expect(figures.income.total).toBe(0);
  });

  it('rounds per-capita income half away from zero, also when transfer net makes it negative', () => {
    const poor = member([{ kind: 'contribution', month: '2025-01', personalContribution: 30 }]);
    // -30 / 12 / 1 = -2.5 → -3
    expect(familyFigures(WINDOW, [poor]).perCapitaMonthly).toBe(-3);
    expect(roundFen(2.5)).toBe(3);
    expect(roundFen(-2.5)).toBe(-3);
  });

  it('refuses members accumulated over another window', () => {
    const other = new MemberAccumulator({
      firstMonth: '2024-07',
      lastMonth: '2025-06',
      asOfDate: '2025-06-30',
    });
    expect(() => familyFigures(WINDOW, [other])).toThrow(RangeError);
  });

  it('writes one cell per figure column', () => {
    const cells = figureCells(WINDOW, familyFigures(WINDOW, [member([])]));
    expect(cells).toHaveLength(FIGURE_COLUMNS.length);
    expect(cells.slice(0, 4)).toEqual(['2024-08', '2025-07', '2025-07-31', 1]);
  });
});

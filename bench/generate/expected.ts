/**
 * Ground-truth figures of a family, computed from the true content of the generated rows by the rules of
 * CATALOG.md "How datasets feed the assessment". This is the benchmark's reference for "families whose
 * income or asset figures differ from ground truth"; it never looks at how a row was written (noise), only at
 * what it says about whom.
 *
 * Interpretations fixed here (and in the report):
 * - Every figure is integer fen, areas integer hundredths of m², counts plain integers.
 * - Wages per member and month = max(payroll 应发工资, tax_income 工资薪金) + 劳务报酬 + 稿酬: payroll and
 *   工资薪金 report the same wage, the other two items are separate earnings. (The generator only writes
 *   劳务报酬/稿酬 for people without payroll rows, so "max over all three tax items" gives the same result.)
 * - An amount covering several months (tax_income 所属期起–止) is spread evenly over them; only months inside
 *   the window count. This applies to 已缴税额 as well as to 收入额. Sums are exact (fractions kept) and each
 *   category is rounded half away from zero to whole fen once, at the end.
 * - Transfer net = transfer income − transfer expenses; total income = wages + business + property +
 *   transfer net + other. Subsidies are all counted (no item exempt) and also reported on their own, so a
 *   policy profile that exempts them can be compared by subtracting that column.
 * - Deposits: per account (账号, or 金融机构 + 资产类型 when 账号 is empty) the row with the latest 截至日期 on or
 *   before the as-of date; summed by 资产类型.
 * - Vehicles: vehicle rows with 车辆状态 正常 and not 残疾人专用车, plus transport rows with 状态 有效.
 * - Real estate: rows with 权利状态 现势 or 查封; per member the row count and 建筑面积 × 权利份额 (empty share =
 *   100 %). A co-owned unit held by two members is two rows, so the family also gets the distinct count of
 *   不动产单元号.
 * - Market entities: rows with 登记状态 存续; per member the row count and 认缴出资额; the family also gets the
 *   distinct count of 统一社会信用代码.
 * - Family figures sum the members given (the co-residing members who are not excluded); monthly per-capita
 *   income = total income ÷ months in the window ÷ members, rounded half away from zero to whole fen.
 */

export const TAX_ITEMS = [
  '工资薪金',
  '劳务报酬',
  '稿酬',
  '特许权使用费',
  '经营所得',
  '利息股息红利',
  '财产租赁',
  '财产转让',
  '偶然所得',
] as const;
export type TaxItem = (typeof TAX_ITEMS)[number];

export const ASSET_TYPES = [
  '活期存款',
  '定期存款',
  '理财产品',
  '基金',
  '证券',
  '商业保险',
  '互联网金融',
  '其他',
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** The look-back window: months `YYYY-MM`, both inclusive, and the as-of date `YYYY-MM-DD` for snapshots. */
export interface FigureWindow {
  firstMonth: string;
  lastMonth: string;
  asOfDate: string;
}

/** The content of one row as the assessment reads it; amounts in fen, areas and shares in hundredths. */
export type SourceRecord =
  | { kind: 'payroll'; month: string; grossPay: number }
  | {
      kind: 'tax_income';
      item: TaxItem;
      periodStart: string;
      periodEnd: string;
      income: number;
      taxPaid: number;
    }
  | { kind: 'benefit'; month: string; amount: number }
  | { kind: 'provident_fund'; month: string; withdrawal: number }
  | { kind: 'subsidy'; paymentDate: string; amount: number }
  | { kind: 'contribution'; month: string; personalContribution: number }
  | {
      kind: 'deposit';
      institution: string;
      accountNumber: string;
      assetType: AssetType;
      balance: number;
      asOfDate: string;
    }
  | { kind: 'vehicle'; vehicleStatus: string; disabilityVehicle: boolean }
  | { kind: 'transport'; permitStatus: string }
  | { kind: 'real_estate'; unitNumber: string; rightStatus: string; floorArea: number; share: number }
  | {
      kind: 'market_entity';
      creditCode: string;
      registrationStatus: string;
      subscribedCapital: number | null;
    };

export interface IncomeFigures {
  wages: number;
  businessNet: number;
  propertyNet: number;
  transferIncome: number;
  transferExpenses: number;
  transferNet: number;
  other: number;
  total: number;
  /** Part of transferIncome: subsidy 金额 in the window. */
  subsidy: number;
}

export interface AssetFigures {
  deposits: Record<AssetType, number>;
  depositsTotal: number;
  vehicleRows: number;
  transportRows: number;
  /** vehicleRows + transportRows. */
  vehicles: number;
  realEstateRows: number;
  /** Distinct 不动产单元号 of the counted rows. */
  realEstateUnits: number;
  /** Σ 建筑面积 × 权利份额, hundredths of m². */
  realEstateArea: number;
  marketEntityRows: number;
  /** Distinct 统一社会信用代码 of the counted rows. */
  marketEntities: number;
  marketEntityCapital: number;
}

export interface MemberFigures {
  income: IncomeFigures;
  assets: AssetFigures;
}

export interface FamilyFigures extends MemberFigures {
  membersCounted: number;
  monthsInWindow: number;
  perCapitaMonthly: number;
}

function monthNumber(month: string): number {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  if (!/^\d{4}-\d{2}$/.test(month) || m < 1 || m > 12) throw new RangeError(`bad month ${month}`);
  return year * 12 + m - 1;
}

export function monthsInWindow(window: FigureWindow): number {
  return monthNumber(window.lastMonth) - monthNumber(window.firstMonth) + 1;
}

/** Half away from zero, for sums that may carry fractions of a fen from spreading. */
export function roundFen(value: number): number {
  const rounded = Math.round(Math.abs(value) + 1e-9);
  return value < 0 ? -rounded : rounded;
}

const WAGE_ITEMS_BESIDES_SALARY: ReadonlySet<TaxItem> = new Set(['劳务报酬', '稿酬']);
const PROPERTY_ITEMS: ReadonlySet<TaxItem> = new Set([
  '利息股息红利',
  '财产租赁',
  '财产转让',
  '特许权使用费',
]);

interface LatestBalance {
  asOfDate: string;
  assetType: AssetType;
  balance: number;
}

const NO_STRINGS: ReadonlySet<string> = new Set();

/**
 * Collects one member's records; `figures()` applies the window rules. The monthly wage slots, the accounts
 * and the sets are only allocated once a record needs them: a city tracks some 200 000 of these.
 */
export class MemberAccumulator {
  readonly months: number;
  private readonly first: number;
  /** Payroll 应发 in slots [0, months), 工资薪金 in [months, 2 × months). */
  private wageSlots: Float64Array | null = null;
  private otherWages = 0;
  private business = 0;
  private property = 0;
  private transferIncome = 0;
  private subsidy = 0;
  private transferExpenses = 0;
  private other = 0;
  private balances: Map<string, LatestBalance> | null = null;
  private vehicleRows = 0;
  private transportRows = 0;
  private realEstateRows = 0;
  private realEstateArea = 0;
  private unitSet: Set<string> | null = null;
  private marketEntityRows = 0;
  private marketEntityCapital = 0;
  private entitySet: Set<string> | null = null;

  constructor(readonly window: FigureWindow) {
    this.first = monthNumber(window.firstMonth);
    this.months = monthsInWindow(window);
    if (this.months < 1) throw new RangeError('window must hold at least one month');
  }

  /** Distinct 不动产单元号 of the counted real-estate rows. */
  get units(): ReadonlySet<string> {
    return this.unitSet ?? NO_STRINGS;
  }

  /** Distinct 统一社会信用代码 of the counted market-entity rows. */
  get entities(): ReadonlySet<string> {
    return this.entitySet ?? NO_STRINGS;
  }

  private addWage(slot: number, amount: number): void {
    if (this.wageSlots === null) this.wageSlots = new Float64Array(this.months * 2);
    this.wageSlots[slot] = (this.wageSlots[slot] ?? 0) + amount;
  }

  /** Window position of a month, or -1 outside the window. */
  private slot(month: string): number {
    const index = monthNumber(month) - this.first;
    return index >= 0 && index < this.months ? index : -1;
  }

  add(record: SourceRecord): void {
    switch (record.kind) {
      case 'payroll': {
        const slot = this.slot(record.month);
        if (slot >= 0) this.addWage(slot, record.grossPay);
        return;
      }
      case 'tax_income':
        this.addTax(record.item, record.periodStart, record.periodEnd, record.income, record.taxPaid);
        return;
      case 'benefit':
        if (this.slot(record.month) >= 0) this.transferIncome += record.amount;
        return;
      case 'provident_fund':
        if (this.slot(record.month) >= 0) this.transferIncome += record.withdrawal;
        return;
      case 'subsidy':
        if (this.slot(record.paymentDate.slice(0, 7)) >= 0) {
          this.transferIncome += record.amount;
          this.subsidy += record.amount;
        }
        return;
      case 'contribution':
        if (this.slot(record.month) >= 0) this.transferExpenses += record.personalContribution;
        return;
      case 'deposit':
        this.addDeposit(record);
        return;
      case 'vehicle':
        if (record.vehicleStatus === '正常' && !record.disabilityVehicle) this.vehicleRows += 1;
        return;
      case 'transport':
        if (record.permitStatus === '有效') this.transportRows += 1;
        return;
      case 'real_estate':
        if (record.rightStatus === '现势' || record.rightStatus === '查封') {
          this.realEstateRows += 1;
          this.realEstateArea += (record.floorArea * record.share) / 10_000;
          this.unitSet ??= new Set();
          this.unitSet.add(record.unitNumber);
        }
        return;
      case 'market_entity':
        if (record.registrationStatus === '存续') {
          this.marketEntityRows += 1;
          this.marketEntityCapital += record.subscribedCapital ?? 0;
          this.entitySet ??= new Set();
          this.entitySet.add(record.creditCode);
        }
        return;
    }
  }

  private addTax(item: TaxItem, start: string, end: string, income: number, taxPaid: number): void {
    const from = monthNumber(start);
    const to = monthNumber(end);
    if (to < from) throw new RangeError(`所属期起 ${start} after 所属期止 ${end}`);
    const span = to - from + 1;
    for (let month = from; month <= to; month++) {
      const slot = month - this.first;
      if (slot < 0 || slot >= this.months) continue;
      const share = income / span;
      this.transferExpenses += taxPaid / span;
      if (item === '工资薪金') this.addWage(this.months + slot, share);
      else if (WAGE_ITEMS_BESIDES_SALARY.has(item)) this.otherWages += share;
      else if (item === '经营所得') this.business += share;
      else if (PROPERTY_ITEMS.has(item)) this.property += share;
      else this.other += share;
    }
  }

  private addDeposit(record: Extract<SourceRecord, { kind: 'deposit' }>): void {
    if (record.asOfDate > this.window.asOfDate) return;
    const key =
      record.accountNumber !== '' ? `#${record.accountNumber}` : `${record.institution}|${record.assetType}`;
    this.balances ??= new Map();
    const seen = this.balances.get(key);
    if (seen && seen.asOfDate >= record.asOfDate) return;
    this.balances.set(key, {
      asOfDate: record.asOfDate,
      assetType: record.assetType,
      balance: record.balance,
    });
  }

  figures(): MemberFigures {
    let wages = this.otherWages;
    const slots = this.wageSlots;
    if (slots !== null) {
      for (let slot = 0; slot < this.months; slot++) {
        wages += Math.max(slots[slot] ?? 0, slots[this.months + slot] ?? 0);
      }
    }
    const income: IncomeFigures = {
      wages: roundFen(wages),
      businessNet: roundFen(this.business),
      propertyNet: roundFen(this.property),
      transferIncome: roundFen(this.transferIncome),
      transferExpenses: roundFen(this.transferExpenses),
      transferNet: 0,
      other: roundFen(this.other),
      total: 0,
      subsidy: roundFen(this.subsidy),
    };
    income.transferNet = income.transferIncome - income.transferExpenses;
    income.total = income.wages + income.businessNet + income.propertyNet + income.transferNet + income.other;

    const deposits = emptyDeposits();
    for (const { assetType, balance } of this.balances?.values() ?? []) deposits[assetType] += balance;
    const assets: AssetFigures = {
      deposits,
      depositsTotal: ASSET_TYPES.reduce((sum, type) => sum + deposits[type], 0),
      vehicleRows: this.vehicleRows,
      transportRows: this.transportRows,
      vehicles: this.vehicleRows + this.transportRows,
      realEstateRows: this.realEstateRows,
      realEstateUnits: this.units.size,
      realEstateArea: roundFen(this.realEstateArea),
      marketEntityRows: this.marketEntityRows,
      marketEntities: this.entities.size,
      marketEntityCapital: this.marketEntityCapital,
    };
    return { income, assets };
  }
}

function emptyDeposits(): Record<AssetType, number> {
  return {
    活期存款: 0,
    定期存款: 0,
    理财产品: 0,
    基金: 0,
    证券: 0,
    商业保险: 0,
    互联网金融: 0,
    其他: 0,
  };
}

/** Sums the counted members of one family; distinct units and entities are counted across them. */
export function familyFigures(window: FigureWindow, members: readonly MemberAccumulator[]): FamilyFigures {
  const months = monthsInWindow(window);
  const income: IncomeFigures = {
    wages: 0,
    businessNet: 0,
    propertyNet: 0,
    transferIncome: 0,
    transferExpenses: 0,
    transferNet: 0,
    other: 0,
    total: 0,
    subsidy: 0,
  };
  const assets: AssetFigures = {
    deposits: emptyDeposits(),
    depositsTotal: 0,
    vehicleRows: 0,
    transportRows: 0,
    vehicles: 0,
    realEstateRows: 0,
    realEstateUnits: 0,
    realEstateArea: 0,
    marketEntityRows: 0,
    marketEntities: 0,
    marketEntityCapital: 0,
  };
  const units = new Set<string>();
  const entities = new Set<string>();
  for (const member of members) {
    if (monthsInWindow(member.window) !== months || member.window.firstMonth !== window.firstMonth) {
      throw new RangeError('every member must be accumulated over the family window');
    }
    const figures = member.figures();
    for (const key of Object.keys(income) as (keyof IncomeFigures)[]) income[key] += figures.income[key];
    for (const type of ASSET_TYPES) assets.deposits[type] += figures.assets.deposits[type];
    assets.depositsTotal += figures.assets.depositsTotal;
    assets.vehicleRows += figures.assets.vehicleRows;
    assets.transportRows += figures.assets.transportRows;
    assets.vehicles += figures.assets.vehicles;
    assets.realEstateRows += figures.assets.realEstateRows;
    assets.realEstateArea += figures.assets.realEstateArea;
    assets.marketEntityRows += figures.assets.marketEntityRows;
    assets.marketEntityCapital += figures.assets.marketEntityCapital;
    for (const unit of member.units) units.add(unit);
    for (const entity of member.entities) entities.add(entity);
  }
  assets.realEstateUnits = units.size;
  assets.marketEntities = entities.size;
  const membersCounted = members.length;
  const perCapitaMonthly = membersCounted === 0 ? 0 : roundFen(income.total / months / membersCounted);
  return { income, assets, membersCounted, monthsInWindow: months, perCapitaMonthly };
}

/** Column order of truth/expected-figures.csv after family_id. */
export const FIGURE_COLUMNS = [
  'window_first',
  'window_last',
  'as_of_date',
  'members_counted',
  'wages',
  'business_net',
  'property_net',
  'transfer_income',
  'transfer_expenses',
  'transfer_net',
  'other_income',
  'total_income',
  'per_capita_monthly',
  'subsidy',
  'deposits_total',
  'deposits_demand',
  'deposits_time',
  'deposits_wealth_management',
  'deposits_fund',
  'deposits_securities',
  'deposits_insurance',
  'deposits_internet',
  'deposits_other',
  'vehicles',
  'vehicle_rows',
  'transport_rows',
  'real_estate_rows',
  'real_estate_units',
  'real_estate_area',
  'market_entity_rows',
  'market_entities',
  'market_entity_capital',
] as const;

/** One line of truth/expected-figures.csv, in FIGURE_COLUMNS order. */
export function figureCells(window: FigureWindow, figures: FamilyFigures): (string | number)[] {
  const { income, assets } = figures;
  return [
    window.firstMonth,
    window.lastMonth,
    window.asOfDate,
    figures.membersCounted,
    income.wages,
    income.businessNet,
    income.propertyNet,
    income.transferIncome,
    income.transferExpenses,
    income.transferNet,
    income.other,
    income.total,
    figures.perCapitaMonthly,
    income.subsidy,
    assets.depositsTotal,
    ...ASSET_TYPES.map((type) => assets.deposits[type]),
    assets.vehicles,
    assets.vehicleRows,
    assets.transportRows,
    assets.realEstateRows,
    assets.realEstateUnits,
    assets.realEstateArea,
    assets.marketEntityRows,
    assets.marketEntities,
    assets.marketEntityCapital,
  ];
}

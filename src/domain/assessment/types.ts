/**
 * The vocabulary of the income and asset assessment (CATALOG.md "How datasets feed the assessment", Q§9–13).
 * Money is integer fen, areas integer hundredths of m², shares integer hundredths of a percent, months
 * `YYYY-MM`, dates `YYYY-MM-DD`. Results are facts with provenance: nothing here expresses a decision
 * (Q§3 只核对、不认定).
 */

// ---------------------------------------------------------------- inputs

export type RecordValue = string | number | boolean | null;
export type RecordId = number | string;

/** One stored row of a department's batch, with the provenance every figure links back to. */
export interface AssessmentRecord {
  recordId: RecordId;
  /** Dataset code, e.g. `payroll`. */
  dataset: string;
  batchId: number | string;
  departmentCode: string;
  /** The batch's "data as of" date, `YYYY-MM-DD`. */
  dataAsOf: string;
  /** The spreadsheet's own row number (header = 1). */
  rowNumber: number;
  /** Parsed values keyed by the catalog's column keys (`grossPay`, `periodStart` …). */
  values: Record<string, RecordValue>;
}

/** Reasons a family member is not counted as co-residing (SPEC §3). */
export const EXCLUSIONS = [
  'prison',
  'compulsory_rehabilitation',
  'missing',
  'religious_apart',
  'conscript',
] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export interface Member {
  memberId: string;
  name: string;
  relation: string;
  coResiding: boolean;
  exclusion: Exclusion | null;
}

// ---------------------------------------------------------------- catalog values the rules read

/** tax_income 所得项目, as in the catalog. */
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

/** deposit 资产类型, as in the catalog. */
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

// ---------------------------------------------------------------- categories

/** Q§11 income categories as the sources report them; transfer net is derived. */
export const INCOME_CATEGORIES = [
  'wages',
  'business',
  'property',
  'transferIncome',
  'transferExpense',
  'other',
] as const;
export type IncomeCategory = (typeof INCOME_CATEGORIES)[number];

/** The category each tax_income 所得项目's 收入额 feeds (its 已缴税额 is always a transfer expense). */
export const TAX_ITEM_CATEGORY: Readonly<Record<TaxItem, 'wages' | 'business' | 'property' | 'other'>> = {
  工资薪金: 'wages',
  劳务报酬: 'wages',
  稿酬: 'wages',
  经营所得: 'business',
  利息股息红利: 'property',
  财产租赁: 'property',
  财产转让: 'property',
  特许权使用费: 'property',
  偶然所得: 'other',
};

/** The five categories of Q§11 a family declares; transfer income is declared net of transfer expenses. */
export const DECLARABLE_INCOME = ['wages', 'business', 'property', 'transferNet', 'other'] as const;
export type DeclarableIncome = (typeof DECLARABLE_INCOME)[number];

/** Categories compared as amounts against a declaration, each with its own tolerance. */
export const TOLERANCE_CATEGORIES = [...DECLARABLE_INCOME, 'deposits'] as const;
export type ToleranceCategory = (typeof TOLERANCE_CATEGORIES)[number];

/** Asset kinds declared as items (counted, optionally identified). */
export const ITEM_ASSETS = ['vehicles', 'realEstate', 'marketEntities'] as const;
export type ItemAsset = (typeof ITEM_ASSETS)[number];

// ---------------------------------------------------------------- policy profile

/**
 * A region's versioned policy profile (SPEC §4): the window, the subsidy items national/provincial/city
 * rules keep out of income (Q§9), and the tolerances for comparing declarations.
 */
export interface Policy {
  version: string;
  /** Look-back window in months, ending at (and including) the as-of month. */
  windowMonths: number;
  /** subsidy 补贴项目 values listed as evidence but not counted as income (exact match after trimming). */
  exemptSubsidyItems: readonly string[];
  /**
   * Per category, the largest |found − declared| (fen, over the whole window for income) that is still only
   * `info`; beyond it `warning`, beyond `seriousMultiple` × it `serious`.
   */
  toleranceFen: Readonly<Record<ToleranceCategory, number>>;
  seriousMultiple: number;
}

export const DEFAULT_WINDOW_MONTHS = 12;
export const DEFAULT_SERIOUS_MULTIPLE = 5;
/** 500 元 per income category over the window, 1 000 元 of deposits. */
export const DEFAULT_TOLERANCE_FEN: Readonly<Record<ToleranceCategory, number>> = {
  wages: 50_000,
  business: 50_000,
  property: 50_000,
  transferNet: 50_000,
  other: 50_000,
  deposits: 100_000,
};

export interface PolicyInput {
  version: string;
  windowMonths?: number;
  exemptSubsidyItems?: readonly string[];
  toleranceFen?: Partial<Record<ToleranceCategory, number>>;
  seriousMultiple?: number;
}

/** A policy with the defaults filled in; throws RangeError on a value no rule can work with. */
export function definePolicy(input: PolicyInput): Policy {
  const version = input.version.trim();
  if (version === '') throw new RangeError('a policy needs a version');
  const windowMonths = input.windowMonths ?? DEFAULT_WINDOW_MONTHS;
  if (!Number.isInteger(windowMonths) || windowMonths < 1 || windowMonths > 120) {
    throw new RangeError(`windowMonths must be a whole number from 1 to 120, not ${windowMonths}`);
  }
  const seriousMultiple = input.seriousMultiple ?? DEFAULT_SERIOUS_MULTIPLE;
  if (!Number.isFinite(seriousMultiple) || seriousMultiple < 1) {
    throw new RangeError(`seriousMultiple must be at least 1, not ${seriousMultiple}`);
  }
  const toleranceFen = { ...DEFAULT_TOLERANCE_FEN, ...input.toleranceFen };
  for (const category of TOLERANCE_CATEGORIES) {
    const value = toleranceFen[category];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`toleranceFen.${category} must be a whole number of fen ≥ 0, not ${value}`);
    }
  }
  const exemptSubsidyItems = [
    ...new Set((input.exemptSubsidyItems ?? []).map((item) => item.trim()).filter(Boolean)),
  ];
  return { version, windowMonths, exemptSubsidyItems, toleranceFen, seriousMultiple };
}

// ---------------------------------------------------------------- evidence

/** Where a fact came from: the record, its batch and department, and the batch's data-as-of date. */
export interface Provenance {
  recordId: RecordId;
  dataset: string;
  batchId: number | string;
  departmentCode: string;
  dataAsOf: string;
  rowNumber: number;
}

export type NotCountedReason =
  /** The month (or the spread part's month) lies outside the look-back window. */
  | 'outside_window'
  /** Another source reported the same income for the month with a larger amount (no double counting). */
  | 'covered_by_larger_source'
  /** A subsidy item the policy profile keeps out of income. */
  | 'exempt_subsidy'
  /** An older balance of an account that has a later one on or before the as-of date. */
  | 'superseded_balance'
  /** A balance dated after the as-of date. */
  | 'after_as_of_date'
  /** 残疾人专用车 (Q§12: disability mobility vehicles are not family property). */
  | 'disability_vehicle'
  /** A status the rules do not count (车辆状态 other than 正常, 权利状态 注销, 登记状态 注销 …). */
  | 'status_not_counted'
  /** A provident_fund row without 提取金额: evidence of employment, not income. */
  | 'no_withdrawal'
  /** A value the rules need is missing or malformed (`detail` names the column key). */
  | 'unreadable_value'
  /** A dataset that feeds neither income nor assets (hukou, marriage, death, disability …). */
  | 'not_an_income_or_asset_dataset';

/** One record's contribution to one month of one income category. */
export interface IncomeEvidence extends Provenance {
  month: string;
  amountFen: number;
  counted: boolean;
  reason?: NotCountedReason;
  /** Column key the amount was read from (`grossPay`, `income`, `taxPaid` …). */
  field: string;
  /** 所得项目, 待遇类型, 险种 or 补贴项目 where the dataset has one. */
  item?: string;
  /** For an amount spread over several months: the period and the amount before spreading. */
  spread?: { periodStart: string; periodEnd: string; periodTotalFen: number };
}

export interface MonthAmount {
  month: string;
  amountFen: number;
}

export interface MonthFigure extends MonthAmount {
  evidence: IncomeEvidence[];
}

/**
 * One income category of one member over the window: the total, every window month with its evidence, and
 * the parts of spread amounts that fell outside the window (listed, not counted).
 */
export interface CategoryFigure {
  category: IncomeCategory;
  totalFen: number;
  months: MonthFigure[];
  outsideWindow: IncomeEvidence[];
}

/** A derived figure (transfer net, total income): its evidence is that of the categories it is made of. */
export interface DerivedFigure {
  totalFen: number;
  months: MonthAmount[];
}

export interface MemberIncome {
  categories: Record<IncomeCategory, CategoryFigure>;
  /** transferIncome − transferExpense. */
  transferNet: DerivedFigure;
  /** wages + business + property + transferNet + other. */
  total: DerivedFigure;
  /** Subsidy 金额 in the window: counted as transfer income, and listed but exempt. */
  subsidy: { countedFen: number; exemptFen: number };
}

export interface AssetEvidence extends Provenance {
  counted: boolean;
  reason?: NotCountedReason;
  /** 账号 (or 金融机构 + 资产类型), 号牌号码, 号牌或船名, 不动产单元号 or 统一社会信用代码. */
  identifier: string;
  /** Status as recorded (车辆状态, 状态, 权利状态, 登记状态). */
  status?: string;
  /** 余额 or 认缴出资额. */
  amountFen?: number | null;
  /** Deposits: 资产类型 and 截至日期. */
  assetType?: AssetType;
  date?: string;
  /** Real estate: 建筑面积, 权利份额 and the share-weighted area of this row (rounded, see assets.ts). */
  floorAreaHundredths?: number;
  shareHundredths?: number;
  weightedAreaHundredths?: number;
}

export interface DepositAccount {
  /** 账号, or `金融机构|资产类型` when 账号 is empty. */
  key: string;
  institution: string;
  accountNumber: string | null;
  assetType: AssetType;
  balanceFen: number;
  asOfDate: string;
  recordId: RecordId;
}

export interface MemberAssets {
  deposits: {
    totalFen: number;
    byType: Record<AssetType, number>;
    accounts: DepositAccount[];
    evidence: AssetEvidence[];
  };
  vehicles: {
    /** vehicleRecords + transportRecords, as CATALOG counts them. */
    count: number;
    vehicleRecords: number;
    transportRecords: number;
    /** Distinct plate numbers / vessel names of the counted rows (a taxi may be in both datasets). */
    identifiers: string[];
    evidence: AssetEvidence[];
  };
  realEstate: {
    /** Counted rows. */
    count: number;
    /** Σ 建筑面积 × 权利份额 over the counted rows, hundredths of m². */
    areaHundredths: number;
    /** Distinct 不动产单元号 of the counted rows. */
    units: string[];
    evidence: AssetEvidence[];
  };
  marketEntities: {
    count: number;
    subscribedCapitalFen: number;
    /** Distinct 统一社会信用代码 of the counted rows. */
    creditCodes: string[];
    evidence: AssetEvidence[];
  };
}

/** A record that feeds no figure, and why. */
export interface UnusedRecord extends Provenance {
  reason: NotCountedReason;
  detail?: string;
}

// ---------------------------------------------------------------- results

export interface AssessmentWindow {
  firstMonth: string;
  lastMonth: string;
  /** Every month of the window, oldest first. */
  months: readonly string[];
}

export type MemberNotCountedReason = Exclusion | 'not_co_residing';

export interface MemberAssessment {
  member: Member;
  /** Whether the member's figures enter the household totals. */
  counted: boolean;
  /** Why not, when not counted: the exclusion and/or `not_co_residing`. */
  notCountedReasons: MemberNotCountedReason[];
  income: MemberIncome;
  assets: MemberAssets;
  unusedRecords: UnusedRecord[];
}

export interface HouseholdIncome {
  categories: Record<IncomeCategory, DerivedFigure>;
  transferNet: DerivedFigure;
  total: DerivedFigure;
  subsidy: { countedFen: number; exemptFen: number };
}

export interface HouseholdAssets {
  deposits: { totalFen: number; byType: Record<AssetType, number> };
  vehicles: { count: number; distinct: number };
  realEstate: { count: number; distinctUnits: number; areaHundredths: number };
  marketEntities: { count: number; distinctEntities: number; subscribedCapitalFen: number };
}

export interface HouseholdTotals {
  /** The co-residing members who are not excluded, in the order given. */
  countedMemberIds: string[];
  membersCounted: number;
  income: HouseholdIncome;
  /** total income ÷ months in the window ÷ members counted; null when no member is counted. */
  perCapitaMonthlyIncomeFen: number | null;
  assets: HouseholdAssets;
}

export interface HouseholdAssessment {
  policyVersion: string;
  window: AssessmentWindow & { asOfDate: string };
  members: MemberAssessment[];
  household: HouseholdTotals;
}

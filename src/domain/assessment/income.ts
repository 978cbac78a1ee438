import { provenanceOf, RecordReader, unreadable } from './record-values.ts';
import {
  type AssessmentRecord,
  type AssessmentWindow,
  type CategoryFigure,
  type DerivedFigure,
  INCOME_CATEGORIES,
  type IncomeCategory,
  type IncomeEvidence,
  type MemberIncome,
  type MonthAmount,
  type Policy,
  TAX_ITEM_CATEGORY,
  TAX_ITEMS,
  type UnusedRecord,
} from './types.ts';
import { spreadOverWindow, windowContains } from './window.ts';

/**
 * One member's income over the window (CATALOG.md "How datasets feed the assessment", Q§11):
 *
 * | category        | sources                                                                  |
 * |-----------------|--------------------------------------------------------------------------|
 * | wages           | payroll 应发工资; tax_income 工资薪金, 劳务报酬, 稿酬                    |
 * | business        | tax_income 经营所得                                                      |
 * | property        | tax_income 利息股息红利, 财产租赁, 财产转让, 特许权使用费                |
 * | transferIncome  | benefit 发放金额; provident_fund 提取金额; subsidy 金额 (exempt items listed only) |
 * | transferExpense | tax_income 已缴税额 (of every item); contribution 个人缴费额             |
 * | other           | tax_income 偶然所得                                                      |
 *
 * A tax_income amount covers 所属期起–止 and is spread evenly over those months (`spreadEvenly`); only the
 * parts inside the window count, the others are listed under `outsideWindow`. A subsidy belongs to the month
 * of its 发放日期.
 *
 * No double counting: payroll 应发工资 and tax_income 工资薪金 both report a member's salary. For each month the
 * rows of each of the two sources are summed and only the larger source counts (on a tie, payroll); the other
 * source's rows stay as evidence with `covered_by_larger_source`. 劳务报酬 and 稿酬 are separate earnings and
 * always add. 已缴税额 is a transfer expense whichever wage source counted: the tax was paid either way.
 */

export const INCOME_DATASETS = [
  'payroll',
  'tax_income',
  'benefit',
  'provident_fund',
  'subsidy',
  'contribution',
] as const;

/** Sources that report the same salary, in the order that wins a tie. */
const SALARY_SOURCES = ['payroll', 'tax_income'] as const;

interface Contribution {
  category: IncomeCategory;
  /** Set on sources that report the same income as another (the salary sources); null adds freely. */
  overlapSource: string | null;
  evidence: IncomeEvidence;
}

interface Context {
  window: AssessmentWindow;
  exempt: ReadonlySet<string>;
}

interface RecordContributions {
  inside: Contribution[];
  outside: Contribution[];
  unused: UnusedRecord | null;
}

function none(unused: UnusedRecord): RecordContributions {
  return { inside: [], outside: [], unused };
}

function evidence(
  record: AssessmentRecord,
  month: string,
  amountFen: number,
  field: string,
  extra: Partial<IncomeEvidence> = {},
): IncomeEvidence {
  return { ...provenanceOf(record), month, amountFen, counted: true, field, ...extra };
}

/** A one-month amount (payroll, benefit, provident_fund, contribution, subsidy). */
function monthly(
  context: Context,
  record: AssessmentRecord,
  reader: RecordReader,
  category: IncomeCategory,
  month: string,
  amountFen: number,
  field: string,
  extra: Partial<IncomeEvidence> = {},
): RecordContributions {
  if (reader.problems.length > 0) return none(unreadable(record, reader));
  if (!windowContains(context.window, month)) {
    return none({ ...provenanceOf(record), reason: 'outside_window', detail: month });
  }
  const overlapSource = category === 'wages' && record.dataset === 'payroll' ? 'payroll' : null;
  return {
    inside: [{ category, overlapSource, evidence: evidence(record, month, amountFen, field, extra) }],
    outside: [],
    unused: null,
  };
}

function contributionsOf(context: Context, record: AssessmentRecord): RecordContributions | null {
  const reader = new RecordReader(record);
  switch (record.dataset) {
    case 'payroll':
      return monthly(
        context,
        record,
        reader,
        'wages',
        reader.month('month'),
        reader.integer('grossPay'),
        'grossPay',
      );
    case 'benefit': {
      const item = reader.optionalText('benefitType') ?? undefined;
      const month = reader.month('month');
      return monthly(context, record, reader, 'transferIncome', month, reader.integer('amount'), 'amount', {
        item,
      });
    }
    case 'contribution': {
      const item = reader.optionalText('insuranceType') ?? undefined;
      const month = reader.month('month');
      const amount = reader.integer('personalContribution');
      return monthly(context, record, reader, 'transferExpense', month, amount, 'personalContribution', {
        item,
      });
    }
    case 'provident_fund': {
      const month = reader.month('month');
      const withdrawal = reader.optionalInteger('withdrawal');
      if (reader.problems.length === 0 && (withdrawal === null || withdrawal === 0)) {
        return none({ ...provenanceOf(record), reason: 'no_withdrawal' });
      }
      return monthly(context, record, reader, 'transferIncome', month, withdrawal ?? 0, 'withdrawal');
    }
    case 'subsidy': {
      const item = reader.text('item');
      const month = reader.date('paymentDate').slice(0, 7);
      const amount = reader.integer('amount');
      const isExempt = context.exempt.has(item);
      return monthly(context, record, reader, 'transferIncome', month, amount, 'amount', {
        item,
        ...(isExempt ? { counted: false, reason: 'exempt_subsidy' as const } : {}),
      });
    }
    case 'tax_income':
      return taxContributions(context, record, reader);
    default:
      return null;
  }
}

function taxContributions(
  context: Context,
  record: AssessmentRecord,
  reader: RecordReader,
): RecordContributions {
  const item = reader.oneOf('incomeItem', TAX_ITEMS);
  const periodStart = reader.month('periodStart');
  const periodEnd = reader.month('periodEnd');
  const income = reader.integer('income');
  const taxPaid = reader.integer('taxPaid');
  if (reader.problems.length === 0 && periodEnd < periodStart) reader.problems.push('periodEnd');
  if (reader.problems.length > 0 || item === null) return none(unreadable(record, reader));

  const result: RecordContributions = { inside: [], outside: [], unused: null };
  const add = (category: IncomeCategory, amountFen: number, field: string, overlapSource: string | null) => {
    const spread = { periodStart, periodEnd, periodTotalFen: amountFen };
    const parts = spreadOverWindow(amountFen, periodStart, periodEnd, context.window);
    for (const part of parts.inside) {
      const found = evidence(record, part.month, part.amountFen, field, { item, spread });
      result.inside.push({ category, overlapSource, evidence: found });
    }
    for (const part of parts.outside) {
      const found = evidence(record, part.month, part.amountFen, field, {
        item,
        spread,
        counted: false,
        reason: 'outside_window',
      });
      result.outside.push({ category, overlapSource, evidence: found });
    }
  };
  add(TAX_ITEM_CATEGORY[item], income, 'income', item === '工资薪金' ? 'tax_income' : null);
  if (taxPaid !== 0) add('transferExpense', taxPaid, 'taxPaid', null);
  if (result.inside.length === 0) {
    return none({ ...provenanceOf(record), reason: 'outside_window', detail: `${periodStart}~${periodEnd}` });
  }
  return result;
}

/** Marks all but the largest overlapping source of one month and category as not counted. */
function resolveOverlap(contributions: readonly Contribution[]): void {
  const sums = new Map<string, number>();
  for (const { overlapSource, evidence: found } of contributions) {
    if (overlapSource === null || !found.counted) continue;
    sums.set(overlapSource, (sums.get(overlapSource) ?? 0) + found.amountFen);
  }
  if (sums.size < 2) return;
  const ranked = [...sums].sort(
    ([a, sumA], [b, sumB]) => sumB - sumA || sourceRank(a) - sourceRank(b) || (a < b ? -1 : 1),
  );
  const winner = ranked[0]?.[0];
  for (const { overlapSource, evidence: found } of contributions) {
    if (overlapSource === null || overlapSource === winner || !found.counted) continue;
    found.counted = false;
    found.reason = 'covered_by_larger_source';
  }
}

function sourceRank(source: string): number {
  const rank = (SALARY_SOURCES as readonly string[]).indexOf(source);
  return rank === -1 ? SALARY_SOURCES.length : rank;
}

function countedSum(evidenceList: readonly IncomeEvidence[]): number {
  let sum = 0;
  for (const found of evidenceList) if (found.counted) sum += found.amountFen;
  return sum;
}

function emptyCategories(window: AssessmentWindow): Record<IncomeCategory, Map<string, Contribution[]>> {
  const byCategory = {} as Record<IncomeCategory, Map<string, Contribution[]>>;
  for (const category of INCOME_CATEGORIES) {
    byCategory[category] = new Map(window.months.map((month) => [month, []]));
  }
  return byCategory;
}

/**
 * Month by month Σ sign × figure over figures that list the same months (the first one sets them); a sign
 * not given is +1.
 */
export function combineMonths(
  figures: readonly { months: readonly MonthAmount[] }[],
  signs: readonly number[] = [],
): DerivedFigure {
  const [first] = figures;
  const months: MonthAmount[] = (first?.months ?? []).map(({ month }) => ({ month, amountFen: 0 }));
  figures.forEach((figure, index) => {
    const sign = signs[index] ?? 1;
    figure.months.forEach((part, at) => {
      const target = months[at];
      if (target === undefined || target.month !== part.month) throw new RangeError('months do not line up');
      target.amountFen += sign * part.amountFen;
    });
  });
  return { totalFen: months.reduce((sum, part) => sum + part.amountFen, 0), months };
}

/** transferIncome − transferExpense, and the Q§11 total (wages + business + property + transfer net + other). */
export function deriveIncome(categories: Record<IncomeCategory, DerivedFigure>): {
  transferNet: DerivedFigure;
  total: DerivedFigure;
} {
  const transferNet = combineMonths([categories.transferIncome, categories.transferExpense], [1, -1]);
  const total = combineMonths([
    categories.wages,
    categories.business,
    categories.property,
    transferNet,
    categories.other,
  ]);
  return { transferNet, total };
}

export function assessMemberIncome(
  records: readonly AssessmentRecord[],
  window: AssessmentWindow,
  policy: Pick<Policy, 'exemptSubsidyItems'>,
): { income: MemberIncome; unusedRecords: UnusedRecord[] } {
  const context: Context = { window, exempt: new Set(policy.exemptSubsidyItems.map((item) => item.trim())) };
  const byCategory = emptyCategories(window);
  const outside: Record<IncomeCategory, IncomeEvidence[]> = {
    wages: [],
    business: [],
    property: [],
    transferIncome: [],
    transferExpense: [],
    other: [],
  };
  const unusedRecords: UnusedRecord[] = [];
  for (const record of records) {
    const contributions = contributionsOf(context, record);
    if (contributions === null) continue;
    if (contributions.unused !== null) unusedRecords.push(contributions.unused);
    for (const contribution of contributions.inside) {
      byCategory[contribution.category].get(contribution.evidence.month)?.push(contribution);
    }
    for (const contribution of contributions.outside)
      outside[contribution.category].push(contribution.evidence);
  }

  const categories = {} as Record<IncomeCategory, CategoryFigure>;
  for (const category of INCOME_CATEGORIES) {
    const months = window.months.map((month) => {
      const contributions = byCategory[category].get(month) ?? [];
      resolveOverlap(contributions);
      const monthEvidence = contributions.map((contribution) => contribution.evidence);
      return { month, amountFen: countedSum(monthEvidence), evidence: monthEvidence };
    });
    const totalFen = months.reduce((sum, part) => sum + part.amountFen, 0);
    categories[category] = { category, totalFen, months, outsideWindow: outside[category] };
  }

  const subsidy = { countedFen: 0, exemptFen: 0 };
  for (const part of categories.transferIncome.months) {
    for (const found of part.evidence) {
      if (found.dataset !== 'subsidy') continue;
      if (found.counted) subsidy.countedFen += found.amountFen;
      else subsidy.exemptFen += found.amountFen;
    }
  }
  return { income: { categories, ...deriveIncome(categories), subsidy }, unusedRecords };
}

import { DECLARABLE_INCOME } from '../assessment/types.ts';
import { findDataset } from '../catalog/datasets.ts';
import type { AssetItem, IncomeFigureKey, MemberFacts, RecheckSummary, SourceRef } from './summary.ts';

/**
 * Change detection of the monthly recheck (issue #6 item 2): this month's summary of a family against the same
 * requester's family's previous done summary. Each change becomes one alert for a handler to work; none of them
 * changes a family's assistance (Q§3 只核对、不认定). The first month of a family is its baseline: no changes.
 *
 * - NEW_VEHICLE / NEW_REAL_ESTATE / NEW_MARKET_ENTITY: a counted asset whose identifier (plate, unit number,
 *   credit code) the family did not have before; compared over the whole family, so a new member's car counts.
 * - INCOME_RISE: a declarable income category whose household total over the window rose by more than the
 *   policy profile's tolerance for it. The profile has no recheck tolerance of its own, so the discrepancy
 *   tolerances (`toleranceFen`, fen over the window) are used; one alert lists every category that rose.
 * - MEMBER_DECEASED: a member now recorded dead (death records or hukou 死亡) who was not before.
 * - MEMBER_MOVED_OUT: a member whose hukou status became 迁出 (HUKOU_MOVED_OUT) or 注销 (HUKOU_CANCELLED).
 * - NEW_MARRIAGE: a member now married by a registration not seen before.
 * - MEMBER_ON_PAYROLL: a member with `payroll` rows in the window who had none before.
 * Member changes compare members present in both months (matched by the blind index of the ID number).
 */

export const CHANGE_KINDS = [
  'NEW_VEHICLE',
  'NEW_REAL_ESTATE',
  'NEW_MARKET_ENTITY',
  'INCOME_RISE',
  'MEMBER_DECEASED',
  'MEMBER_MOVED_OUT',
  'NEW_MARRIAGE',
  'MEMBER_ON_PAYROLL',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_KIND_LABELS: Readonly<Record<ChangeKind, string>> = {
  NEW_VEHICLE: '新增车辆',
  NEW_REAL_ESTATE: '新增不动产',
  NEW_MARKET_ENTITY: '新增市场主体',
  INCOME_RISE: '收入增加超过容差',
  MEMBER_DECEASED: '成员死亡',
  MEMBER_MOVED_OUT: '成员户籍迁出或注销',
  NEW_MARRIAGE: '新增婚姻登记',
  MEMBER_ON_PAYROLL: '成员列入财政供养',
};

export interface IncomeRise {
  category: IncomeFigureKey;
  beforeFen: number;
  afterFen: number;
  riseFen: number;
  toleranceFen: number;
}

/** What an alert shows: the sources (dataset, batch, data-as-of date) and the values before and after. */
export interface ChangeEvidence {
  kind: ChangeKind;
  /** The member concerned (position in this month's roster), or null for a family-level change. */
  memberId: string | null;
  relation: string | null;
  /** A sentence for the handler, in Chinese. */
  message: string;
  sources: SourceRef[];
  before: unknown;
  after: unknown;
  previousAsOfDate: string;
  asOfDate: string;
  rises?: IncomeRise[];
}

const HUKOU_GONE: ReadonlySet<string> = new Set(['迁出', '注销']);

function newAssets(
  kind: 'NEW_VEHICLE' | 'NEW_REAL_ESTATE' | 'NEW_MARKET_ENTITY',
  before: readonly AssetItem[],
  after: readonly AssetItem[],
  dates: { previousAsOfDate: string; asOfDate: string },
  members: readonly MemberFacts[],
): ChangeEvidence[] {
  const had = new Set(before.map((a) => a.identifier));
  const seen = new Set<string>();
  const out: ChangeEvidence[] = [];
  const what = { NEW_VEHICLE: '车辆', NEW_REAL_ESTATE: '不动产', NEW_MARKET_ENTITY: '市场主体' }[kind];
  for (const item of after) {
    if (had.has(item.identifier) || seen.has(item.identifier)) continue;
    seen.add(item.identifier);
    const relation = members.find((m) => m.memberId === item.memberId)?.relation ?? null;
    out.push({
      kind,
      memberId: item.memberId,
      relation,
      message: `成员${relation === null ? '' : `（${relation}）`}新增登记${what}「${item.identifier}」（${findDataset(item.source.dataset)?.name ?? item.source.dataset}，数据截至${item.source.dataAsOf}）`,
      sources: [item.source],
      before: before.map((a) => a.identifier),
      after: after.map((a) => a.identifier),
      ...dates,
    });
  }
  return out;
}

function incomeRise(previous: RecheckSummary, current: RecheckSummary): ChangeEvidence[] {
  const rises: IncomeRise[] = [];
  for (const category of DECLARABLE_INCOME) {
    const beforeFen = previous.income.categoriesFen[category];
    const afterFen = current.income.categoriesFen[category];
    const toleranceFen = current.toleranceFen[category];
    if (afterFen - beforeFen > toleranceFen)
      rises.push({ category, beforeFen, afterFen, riseFen: afterFen - beforeFen, toleranceFen });
  }
  if (rises.length === 0) return [];
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  return [
    {
      kind: 'INCOME_RISE',
      memberId: null,
      relation: null,
      message: `家庭回溯期收入增加超过容差：${rises
        .map(
          (r) =>
            `${CATEGORY_LABELS[r.category]}由 ${yuan(r.beforeFen)} 元增至 ${yuan(r.afterFen)} 元（容差 ${yuan(r.toleranceFen)} 元）`,
        )
        .join('；')}`,
      sources: rises.flatMap((r) => current.income.sources[r.category]),
      before: {
        categoriesFen: previous.income.categoriesFen,
        perCapitaMonthlyFen: previous.income.perCapitaMonthlyFen,
      },
      after: {
        categoriesFen: current.income.categoriesFen,
        perCapitaMonthlyFen: current.income.perCapitaMonthlyFen,
      },
      previousAsOfDate: previous.asOfDate,
      asOfDate: current.asOfDate,
      rises,
    },
  ];
}

const CATEGORY_LABELS: Readonly<Record<IncomeFigureKey, string>> = {
  wages: '工资性收入',
  business: '经营净收入',
  property: '财产净收入',
  transferNet: '转移净收入',
  other: '其他收入',
};

function memberChanges(
  before: MemberFacts,
  after: MemberFacts,
  dates: { previousAsOfDate: string; asOfDate: string },
): ChangeEvidence[] {
  const out: ChangeEvidence[] = [];
  const who = `成员（${after.relation}）`;
  const base = { memberId: after.memberId, relation: after.relation, ...dates };
  if (after.deceased !== null && before.deceased === null)
    out.push({
      ...base,
      kind: 'MEMBER_DECEASED',
      message: `${who}在数据源中登记为已死亡${after.deceased.date === null ? '' : `（${after.deceased.date}）`}`,
      sources: [after.deceased.source],
      before: null,
      after: after.deceased,
    });
  if (
    after.hukou !== null &&
    HUKOU_GONE.has(after.hukou.status) &&
    (before.hukou === null || !HUKOU_GONE.has(before.hukou.status))
  )
    out.push({
      ...base,
      kind: 'MEMBER_MOVED_OUT',
      message: `${who}户籍状态由「${before.hukou?.status ?? '无记录'}」变为「${after.hukou.status}」（${after.hukou.status === '注销' ? 'HUKOU_CANCELLED' : 'HUKOU_MOVED_OUT'}）`,
      sources: [after.hukou.source],
      before: before.hukou?.status ?? null,
      after: after.hukou.status,
    });
  const married = after.marriage;
  if (
    married.status === 'married' &&
    married.source !== null &&
    (before.marriage.status !== 'married' || before.marriage.date !== married.date)
  )
    out.push({
      ...base,
      kind: 'NEW_MARRIAGE',
      message: `${who}新增结婚登记${married.date === null ? '' : `（${married.date}）`}`,
      sources: [married.source],
      before: { status: before.marriage.status, date: before.marriage.date },
      after: { status: married.status, date: married.date },
    });
  if (after.payroll !== null && before.payroll === null)
    out.push({
      ...base,
      kind: 'MEMBER_ON_PAYROLL',
      message: `${who}出现在财政供养人员数据中（${after.payroll.months.join('、')}）`,
      sources: after.payroll.sources,
      before: null,
      after: { months: after.payroll.months },
    });
  return out;
}

/** The changes from `previous` (null: the family's first month, a baseline) to `current`. */
export function detectChanges(previous: RecheckSummary | null, current: RecheckSummary): ChangeEvidence[] {
  if (previous === null) return [];
  const dates = { previousAsOfDate: previous.asOfDate, asOfDate: current.asOfDate };
  const beforeMembers = new Map(previous.members.map((m) => [m.personKey, m]));
  const members = current.members.flatMap((after) => {
    const before = beforeMembers.get(after.personKey);
    return before === undefined ? [] : memberChanges(before, after, dates);
  });
  return [
    ...newAssets('NEW_VEHICLE', previous.vehicles, current.vehicles, dates, current.members),
    ...newAssets('NEW_REAL_ESTATE', previous.realEstate, current.realEstate, dates, current.members),
    ...newAssets(
      'NEW_MARKET_ENTITY',
      previous.marketEntities,
      current.marketEntities,
      dates,
      current.members,
    ),
    ...incomeRise(previous, current),
    ...members,
  ];
}

import { ASSET_DATASETS, assessMemberAssets, emptyByType } from './assets.ts';
import { divideRounded } from './fen.ts';
import { assessMemberIncome, combineMonths, deriveIncome, INCOME_DATASETS } from './income.ts';
import { provenanceOf } from './record-values.ts';
import {
  ASSET_TYPES,
  type AssessmentRecord,
  type AssessmentWindow,
  type DerivedFigure,
  type HouseholdAssessment,
  type HouseholdAssets,
  type HouseholdIncome,
  INCOME_CATEGORIES,
  type IncomeCategory,
  type Member,
  type MemberAssessment,
  type MemberNotCountedReason,
  type Policy,
} from './types.ts';
import { isDate, isMonth, lookBackWindow } from './window.ts';

/**
 * A household's income and assets (Q§11–12, SPEC §3–4). Every member's figures are computed and reported;
 * the household totals sum only the members who are co-residing and not excluded (prison, compulsory
 * rehabilitation, missing, religious living apart, conscript). The result states facts and their sources and
 * nothing else: whether the family receives assistance is the assistance authority's decision (Q§3, Q§19).
 *
 * Monthly per-capita income = household total income over the window ÷ months in the window ÷ members counted,
 * in whole fen rounded half away from zero (a negative total, possible when transfer expenses exceed income,
 * rounds symmetrically); null when no member is counted.
 */

export const HOUSEHOLD = 'household';

export interface AssessHouseholdInput {
  members: readonly Member[];
  /** Each member's records of the standing batches; a member without records may be absent. */
  recordsByMember: ReadonlyMap<string, readonly AssessmentRecord[]>;
  /** `YYYY-MM`: the last month of the window. */
  asOfMonth: string;
  /** `YYYY-MM-DD`: the date asset balances are taken at. */
  asOfDate: string;
  policy: Policy;
}

const FEEDING_DATASETS: ReadonlySet<string> = new Set([...INCOME_DATASETS, ...ASSET_DATASETS]);

function notCountedReasons(member: Member): MemberNotCountedReason[] {
  const reasons: MemberNotCountedReason[] = [];
  if (member.exclusion !== null) reasons.push(member.exclusion);
  if (!member.coResiding) reasons.push('not_co_residing');
  return reasons;
}

function checkInput(input: AssessHouseholdInput): void {
  if (!isMonth(input.asOfMonth)) throw new RangeError(`asOfMonth is not YYYY-MM: ${input.asOfMonth}`);
  if (!isDate(input.asOfDate)) throw new RangeError(`asOfDate is not YYYY-MM-DD: ${input.asOfDate}`);
  const ids = new Set<string>();
  for (const member of input.members) {
    if (member.memberId === HOUSEHOLD) throw new RangeError(`"${HOUSEHOLD}" is reserved, not a member id`);
    if (ids.has(member.memberId)) throw new RangeError(`member ${member.memberId} is listed twice`);
    ids.add(member.memberId);
  }
  for (const memberId of input.recordsByMember.keys()) {
    if (!ids.has(memberId)) throw new RangeError(`records given for ${memberId}, who is not a member`);
  }
}

function assessMember(
  member: Member,
  records: readonly AssessmentRecord[],
  window: AssessmentWindow,
  asOfDate: string,
  policy: Policy,
): MemberAssessment {
  const income = assessMemberIncome(records, window, policy);
  const assets = assessMemberAssets(records, asOfDate);
  const other = records
    .filter((record) => !FEEDING_DATASETS.has(record.dataset))
    .map((record) => ({ ...provenanceOf(record), reason: 'not_an_income_or_asset_dataset' as const }));
  const reasons = notCountedReasons(member);
  return {
    member: { ...member },
    counted: reasons.length === 0,
    notCountedReasons: reasons,
    income: income.income,
    assets: assets.assets,
    unusedRecords: [...income.unusedRecords, ...assets.unusedRecords, ...other],
  };
}

function sumFigures(figures: readonly DerivedFigure[], window: AssessmentWindow): DerivedFigure {
  const zero: DerivedFigure = {
    totalFen: 0,
    months: window.months.map((month) => ({ month, amountFen: 0 })),
  };
  return combineMonths([zero, ...figures]);
}

function householdIncome(counted: readonly MemberAssessment[], window: AssessmentWindow): HouseholdIncome {
  const categories = {} as Record<IncomeCategory, DerivedFigure>;
  for (const category of INCOME_CATEGORIES) {
    categories[category] = sumFigures(
      counted.map((assessment) => assessment.income.categories[category]),
      window,
    );
  }
  const subsidy = { countedFen: 0, exemptFen: 0 };
  for (const { income } of counted) {
    subsidy.countedFen += income.subsidy.countedFen;
    subsidy.exemptFen += income.subsidy.exemptFen;
  }
  return { categories, ...deriveIncome(categories), subsidy };
}

function householdAssets(counted: readonly MemberAssessment[]): HouseholdAssets {
  const byType = emptyByType();
  const plates = new Set<string>();
  const units = new Set<string>();
  const entities = new Set<string>();
  const totals: HouseholdAssets = {
    deposits: { totalFen: 0, byType },
    vehicles: { count: 0, distinct: 0 },
    realEstate: { count: 0, distinctUnits: 0, areaHundredths: 0 },
    marketEntities: { count: 0, distinctEntities: 0, subscribedCapitalFen: 0 },
  };
  for (const { assets } of counted) {
    for (const type of ASSET_TYPES) byType[type] += assets.deposits.byType[type];
    totals.deposits.totalFen += assets.deposits.totalFen;
    totals.vehicles.count += assets.vehicles.count;
    for (const plate of assets.vehicles.identifiers) plates.add(plate);
    totals.realEstate.count += assets.realEstate.count;
    totals.realEstate.areaHundredths += assets.realEstate.areaHundredths;
    for (const unit of assets.realEstate.units) units.add(unit);
    totals.marketEntities.count += assets.marketEntities.count;
    totals.marketEntities.subscribedCapitalFen += assets.marketEntities.subscribedCapitalFen;
    for (const code of assets.marketEntities.creditCodes) entities.add(code);
  }
  totals.vehicles.distinct = plates.size;
  totals.realEstate.distinctUnits = units.size;
  totals.marketEntities.distinctEntities = entities.size;
  return totals;
}

export function assessHousehold(input: AssessHouseholdInput): HouseholdAssessment {
  checkInput(input);
  const { policy, asOfDate } = input;
  const window = lookBackWindow(input.asOfMonth, policy.windowMonths);
  const members = input.members.map((member) =>
    assessMember(member, input.recordsByMember.get(member.memberId) ?? [], window, asOfDate, policy),
  );
  const counted = members.filter((assessment) => assessment.counted);
  const income = householdIncome(counted, window);
  const perCapitaMonthlyIncomeFen =
    counted.length === 0 ? null : divideRounded(income.total.totalFen, window.months.length * counted.length);
  return {
    policyVersion: policy.version,
    window: { ...window, months: [...window.months], asOfDate },
    members,
    household: {
      countedMemberIds: counted.map((assessment) => assessment.member.memberId),
      membersCounted: counted.length,
      income,
      perCapitaMonthlyIncomeFen,
      assets: householdAssets(counted),
    },
  };
}

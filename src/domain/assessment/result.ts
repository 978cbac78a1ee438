import type { Discrepancy, Severity } from './discrepancies.ts';
import type { HouseholdAssessment, IncomeCategory } from './types.ts';
import { INCOME_CATEGORIES } from './types.ts';

/**
 * The figures of one stored assessment compared with those of another (a re-run against the recorded batches
 * should show no change; a re-run against the batches standing now shows what newer data changed). Only
 * figures are compared, by member position and category; the evidence stays in each result.
 */

export interface FigureChange {
  /** `m1`… or `household`. */
  memberId: string;
  /** e.g. `income.wages`, `income.total`, `assets.deposits`, `assets.vehicles`, `perCapitaMonthlyIncome`. */
  figure: string;
  before: number | null;
  after: number | null;
}

export interface AssessmentComparison {
  changes: FigureChange[];
  discrepanciesBefore: Record<Severity, number>;
  discrepanciesAfter: Record<Severity, number>;
  batchesAdded: number[];
  batchesRemoved: number[];
}

type Figures = Map<string, number | null>;

function memberFigures(assessment: HouseholdAssessment): Figures {
  const figures: Figures = new Map();
  for (const { member, income, assets } of assessment.members) {
    const id = member.memberId;
    for (const category of INCOME_CATEGORIES)
      figures.set(`${id}|income.${category}`, income.categories[category as IncomeCategory].totalFen);
    figures.set(`${id}|income.transferNet`, income.transferNet.totalFen);
    figures.set(`${id}|income.total`, income.total.totalFen);
    figures.set(`${id}|assets.deposits`, assets.deposits.totalFen);
    figures.set(`${id}|assets.vehicles`, assets.vehicles.count);
    figures.set(`${id}|assets.realEstate`, assets.realEstate.count);
    figures.set(`${id}|assets.realEstateArea`, assets.realEstate.areaHundredths);
    figures.set(`${id}|assets.marketEntities`, assets.marketEntities.count);
  }
  const household = assessment.household;
  figures.set('household|income.total', household.income.total.totalFen);
  figures.set('household|perCapitaMonthlyIncome', household.perCapitaMonthlyIncomeFen);
  figures.set('household|assets.deposits', household.assets.deposits.totalFen);
  figures.set('household|assets.vehicles', household.assets.vehicles.distinct);
  figures.set('household|assets.realEstate', household.assets.realEstate.distinctUnits);
  figures.set('household|assets.realEstateArea', household.assets.realEstate.areaHundredths);
  figures.set('household|assets.marketEntities', household.assets.marketEntities.distinctEntities);
  return figures;
}

export function countBySeverity(discrepancies: readonly Discrepancy[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { info: 0, warning: 0, serious: 0 };
  for (const discrepancy of discrepancies) counts[discrepancy.severity] += 1;
  return counts;
}

export function compareAssessments(
  before: {
    assessment: HouseholdAssessment;
    discrepancies: readonly Discrepancy[];
    batchIds: readonly number[];
  },
  after: {
    assessment: HouseholdAssessment;
    discrepancies: readonly Discrepancy[];
    batchIds: readonly number[];
  },
): AssessmentComparison {
  const a = memberFigures(before.assessment);
  const b = memberFigures(after.assessment);
  const changes: FigureChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const previous = a.has(key) ? (a.get(key) ?? null) : null;
    const next = b.has(key) ? (b.get(key) ?? null) : null;
    if (previous === next) continue;
    const [memberId = '', figure = ''] = key.split('|');
    changes.push({ memberId, figure, before: previous, after: next });
  }
  const beforeIds = new Set(before.batchIds);
  const afterIds = new Set(after.batchIds);
  return {
    changes,
    discrepanciesBefore: countBySeverity(before.discrepancies),
    discrepanciesAfter: countBySeverity(after.discrepancies),
    batchesAdded: [...afterIds].filter((id) => !beforeIds.has(id)).sort((x, y) => x - y),
    batchesRemoved: [...beforeIds].filter((id) => !afterIds.has(id)).sort((x, y) => x - y),
  };
}

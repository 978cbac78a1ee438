import { DEPARTMENTS, type DepartmentCode, datasetsOfDepartment } from '../catalog/datasets.ts';
import { addMonths } from '../catalog/period.ts';
import { shanghaiDateOf } from '../shared/clock.ts';
import { type CoveringBatch, catalogRule, type DeliveryRule, onTimeCounts } from './schedule.ts';

/**
 * Data-quality figures of the departments' deliveries. "Committed" batches are those that passed validation
 * and stand: the current ones and those a newer delivery of the same period superseded (retracted batches
 * count only as batches). Rates are shares 0–1, or null when there is nothing to divide by.
 */

/** The household register: other datasets' persons are matched against it. */
export const REFERENCE_REGISTER = 'hukou';

export type BatchFactStatus = 'committed' | 'rejected' | 'superseded' | 'retracted';

export interface BatchFact {
  id: number;
  dataset: string;
  departmentCode: string;
  status: BatchFactStatus;
  period: string;
  periodFirstMonth: string;
  periodLastMonth: string;
  rowsRead: number;
  rowsStored: number;
  duplicateRows: number;
  /** Stored records whose person is not in the household register; null until computed. */
  unmatchedRows: number | null;
  errorCount: number;
  dataAsOf: string;
  /** ISO-8601 instant the batch arrived. */
  createdAt: string;
}

export interface QualityFigures {
  batches: number;
  committed: number;
  rejected: number;
  rowsStored: number;
  duplicateRate: number | null;
  unmatchedRate: number | null;
}

export interface DatasetQuality extends QualityFigures {
  dataset: string;
  datasetName: string;
  onTimeRate: number | null;
  lastRejection: { batchId: number; at: string; errorCount: number } | null;
}

export interface MonthQuality {
  month: string;
  batches: number;
  rejected: number;
  rowsStored: number;
  duplicateRate: number | null;
  unmatchedRate: number | null;
}

export interface DepartmentQuality extends QualityFigures {
  departmentCode: string;
  departmentName: string;
  onTimeRate: number | null;
  datasets: DatasetQuality[];
  trend: MonthQuality[];
}

export const TREND_MONTHS = 12;

/** Passed validation and was not withdrawn. */
export function isStanding(status: BatchFactStatus): boolean {
  return status === 'committed' || status === 'superseded';
}

/** Whether a batch's persons are matched against the register (the register itself is the reference). */
export function needsMatching(fact: Pick<BatchFact, 'dataset' | 'status'>): boolean {
  return fact.dataset !== REFERENCE_REGISTER && isStanding(fact.status);
}

function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

function figuresOf(facts: readonly BatchFact[]): QualityFigures {
  let committed = 0;
  let rejected = 0;
  let rowsRead = 0;
  let rowsStored = 0;
  let duplicateRows = 0;
  let unmatched = 0;
  let matchedBase = 0;
  for (const f of facts) {
    if (f.status === 'rejected') rejected += 1;
    if (!isStanding(f.status)) continue;
    committed += 1;
    rowsRead += f.rowsRead;
    rowsStored += f.rowsStored;
    duplicateRows += f.duplicateRows;
    if (needsMatching(f) && f.unmatchedRows !== null) {
      unmatched += f.unmatchedRows;
      matchedBase += f.rowsStored;
    }
  }
  return {
    batches: facts.length,
    committed,
    rejected,
    rowsStored,
    duplicateRate: share(duplicateRows, rowsRead),
    unmatchedRate: share(unmatched, matchedBase),
  };
}

function coveringBatches(facts: readonly BatchFact[]): CoveringBatch[] {
  return facts
    .filter((f) => isStanding(f.status))
    .map((f) => ({
      periodFirstMonth: f.periodFirstMonth,
      periodLastMonth: f.periodLastMonth,
      deliveredOn: shanghaiDateOf(new Date(f.createdAt)),
    }));
}

function lastRejection(facts: readonly BatchFact[]): DatasetQuality['lastRejection'] {
  let last: BatchFact | null = null;
  for (const f of facts)
    if (
      f.status === 'rejected' &&
      (last === null || f.createdAt > last.createdAt || (f.createdAt === last.createdAt && f.id > last.id))
    )
      last = f;
  return last === null ? null : { batchId: last.id, at: last.createdAt, errorCount: last.errorCount };
}

function trendOf(facts: readonly BatchFact[], today: string): MonthQuality[] {
  const thisMonth = today.slice(0, 7);
  const byMonth = new Map<string, BatchFact[]>();
  for (const f of facts) {
    const month = shanghaiDateOf(new Date(f.createdAt)).slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), f]);
  }
  const trend: MonthQuality[] = [];
  for (let back = TREND_MONTHS - 1; back >= 0; back -= 1) {
    const month = addMonths(thisMonth, -back);
    const { batches, rejected, rowsStored, duplicateRate, unmatchedRate } = figuresOf(
      byMonth.get(month) ?? [],
    );
    trend.push({ month, batches, rejected, rowsStored, duplicateRate, unmatchedRate });
  }
  return trend;
}

/**
 * One department's figures, per dataset it delivers and in all. On-time rate: of the periods due by today
 * (from each dataset's first expected period), the share whose months were all covered by committed batches
 * of this department that arrived on or before the due date.
 */
export function departmentQuality(input: {
  departmentCode: DepartmentCode;
  facts: readonly BatchFact[];
  rules: ReadonlyMap<string, DeliveryRule>;
  today: string;
}): DepartmentQuality {
  const own = input.facts.filter((f) => f.departmentCode === input.departmentCode);
  let due = 0;
  let onTime = 0;
  const datasets = datasetsOfDepartment(input.departmentCode).map((dataset): DatasetQuality => {
    const facts = own.filter((f) => f.dataset === dataset.code);
    const rule = input.rules.get(dataset.code) ?? catalogRule(dataset);
    const counts = onTimeCounts(rule, coveringBatches(facts), input.today);
    due += counts.due;
    onTime += counts.onTime;
    return {
      dataset: dataset.code,
      datasetName: dataset.name,
      ...figuresOf(facts),
      onTimeRate: share(counts.onTime, counts.due),
      lastRejection: lastRejection(facts),
    };
  });
  return {
    departmentCode: input.departmentCode,
    departmentName: DEPARTMENTS[input.departmentCode],
    ...figuresOf(own),
    onTimeRate: share(onTime, due),
    datasets,
    trend: trendOf(own, input.today),
  };
}

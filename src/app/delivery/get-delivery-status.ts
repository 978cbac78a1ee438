import { DATASETS, datasetsOfDepartment } from '../../domain/catalog/datasets.ts';
import type { Frequency } from '../../domain/catalog/types.ts';
import type { BatchFact } from '../../domain/delivery/quality.ts';
import {
  assessFreshness,
  type CommittedBatch,
  catalogRule,
  type Freshness,
} from '../../domain/delivery/schedule.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import type { Actor, Deps } from '../ports.ts';
import { departmentName, effectiveRules } from './delivery-rules.ts';
import { departmentScopeOf } from './department-scope.ts';

export interface DeliveryStatusItem extends Freshness {
  dataset: string;
  datasetName: string;
  departmentCode: string;
  departmentName: string;
  frequency: Frequency;
  dueDay: number;
  /** As configured: null when the default applies. */
  firstPeriod: string | null;
}

export function committedBatch(fact: BatchFact): CommittedBatch {
  return {
    period: fact.period,
    periodFirstMonth: fact.periodFirstMonth,
    periodLastMonth: fact.periodLastMonth,
    dataAsOf: fact.dataAsOf,
    createdAt: fact.createdAt,
    deliveredOn: shanghaiDateOf(new Date(fact.createdAt)),
  };
}

/**
 * Per dataset (a department officer: those their department delivers), what the platform holds and what is
 * overdue on the injected clock's date in Asia/Shanghai. A period counts as delivered when current
 * (committed) batches of the dataset, from whichever of its departments, cover all of its months.
 */
export async function getDeliveryStatus(
  deps: Deps,
  actor: Actor,
): Promise<{ today: string; items: DeliveryStatusItem[] }> {
  const today = shanghaiDateOf(deps.clock.now());
  const scope = await departmentScopeOf(deps.store, actor);
  const datasets = scope === null ? DATASETS : datasetsOfDepartment(scope);
  const rules = await effectiveRules(deps.store);
  const committed = new Map<string, CommittedBatch[]>();
  for (const fact of await deps.store.deliveries.batchFacts({ statuses: ['committed'] }))
    committed.set(fact.dataset, [...(committed.get(fact.dataset) ?? []), committedBatch(fact)]);
  const items = datasets.map((dataset): DeliveryStatusItem => {
    const rule = rules.get(dataset.code) ?? catalogRule(dataset);
    return {
      dataset: dataset.code,
      datasetName: dataset.name,
      departmentCode: dataset.departmentCode,
      departmentName: departmentName(dataset.departmentCode),
      frequency: rule.frequency,
      dueDay: rule.dueDay,
      firstPeriod: rule.firstPeriod,
      ...assessFreshness(rule, committed.get(dataset.code) ?? [], today),
    };
  });
  return { today, items };
}

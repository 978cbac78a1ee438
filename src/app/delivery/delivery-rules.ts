import { DATASETS, DEPARTMENTS, type DepartmentCode } from '../../domain/catalog/datasets.ts';
import type { DatasetDef, Frequency } from '../../domain/catalog/types.ts';
import { catalogRule, type DeliveryRule } from '../../domain/delivery/schedule.ts';
import type { DeliveryRuleRecord, Repositories } from '../ports.ts';

/** A dataset's delivery rule as administrators see it: the rule in effect and what the catalog says. */
export interface DeliveryRuleView extends DeliveryRule {
  datasetName: string;
  departmentCode: string;
  departmentName: string;
  /** True when an administrator set this rule; false when the catalog's default applies. */
  overridden: boolean;
  catalogFrequency: Frequency;
  updatedAt: string | null;
  updatedBy: number | null;
}

export function departmentName(code: string): string {
  return Object.hasOwn(DEPARTMENTS, code) ? DEPARTMENTS[code as DepartmentCode] : code;
}

export function ruleView(dataset: DatasetDef, stored: DeliveryRuleRecord | undefined): DeliveryRuleView {
  const rule = stored ?? catalogRule(dataset);
  return {
    dataset: dataset.code,
    datasetName: dataset.name,
    departmentCode: dataset.departmentCode,
    departmentName: dataset.departmentName,
    frequency: rule.frequency,
    dueDay: rule.dueDay,
    firstPeriod: rule.firstPeriod,
    overridden: stored !== undefined,
    catalogFrequency: dataset.frequency,
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

/** The rule in effect for every dataset of the catalog: the administrator's, else the catalog's (C§4). */
export async function effectiveRules(
  repos: Pick<Repositories, 'deliveries'>,
): Promise<Map<string, DeliveryRule>> {
  const stored = new Map((await repos.deliveries.listRules()).map((r) => [r.dataset, r]));
  return new Map(DATASETS.map((d) => [d.code, stored.get(d.code) ?? catalogRule(d)]));
}

export async function listDeliveryRules(
  repos: Pick<Repositories, 'deliveries'>,
): Promise<DeliveryRuleView[]> {
  const stored = new Map((await repos.deliveries.listRules()).map((r) => [r.dataset, r]));
  return DATASETS.map((d) => ruleView(d, stored.get(d.code)));
}

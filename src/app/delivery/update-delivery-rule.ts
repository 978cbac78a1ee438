import { findDataset } from '../../domain/catalog/datasets.ts';
import type { Frequency } from '../../domain/catalog/types.ts';
import { checkDeliveryRule } from '../../domain/delivery/schedule.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, DeliveryRuleRecord, Deps } from '../ports.ts';
import { type DeliveryRuleView, ruleView } from './delivery-rules.ts';

export interface DeliveryRuleInput {
  frequency: Frequency;
  dueDay: number;
  firstPeriod: string | null;
}

/** An administrator changes a dataset's delivery schedule (C§4 "可按数据集配置"); the change is audited. */
export async function updateDeliveryRule(
  deps: Deps,
  datasetCode: string,
  input: DeliveryRuleInput,
  actor: Actor,
): Promise<DeliveryRuleView> {
  const dataset = findDataset(datasetCode);
  if (!dataset) throw new AppError('NOT_FOUND', `未知的数据集代码「${datasetCode}」`);
  const checked = checkDeliveryRule({ dataset: dataset.code, ...input });
  if (!checked.ok)
    throw new AppError('VALIDATION_FAILED', '报送规则有误，请按提示修改', {
      errors: checked.problems.map((p) => ({ path: p.field, code: 'INVALID_RULE', message: p.message })),
    });
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const before = ruleView(
      dataset,
      (await tx.deliveries.listRules()).find((r) => r.dataset === dataset.code),
    );
    const record: DeliveryRuleRecord = { ...checked.rule, updatedAt: at, updatedBy: actor.userId };
    await tx.deliveries.saveRule(record);
    await tx.audit.append(
      actor,
      {
        action: 'DELIVERY_RULE_UPDATED',
        outcome: 'success',
        objectType: 'delivery_rule',
        objectId: dataset.code,
        details: {
          before: { frequency: before.frequency, dueDay: before.dueDay, firstPeriod: before.firstPeriod },
          after: { frequency: record.frequency, dueDay: record.dueDay, firstPeriod: record.firstPeriod },
        },
      },
      at,
    );
    return ruleView(dataset, record);
  });
}

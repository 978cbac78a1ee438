import { DATASETS } from '../../domain/catalog/datasets.ts';
import { overdueNotice, overdueRecipients } from '../../domain/delivery/notices.ts';
import { catalogRule, overduePeriods } from '../../domain/delivery/schedule.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import type { Deps } from '../ports.ts';
import { effectiveRules } from './delivery-rules.ts';
import { committedBatch } from './get-delivery-status.ts';

export interface OverdueCheckItem {
  dataset: string;
  period: string;
  dueDate: string;
  daysOverdue: number;
  recipients: number;
  noticesCreated: number;
}

export interface OverdueCheckResult {
  today: string;
  datasetsChecked: number;
  overduePeriods: number;
  noticesCreated: number;
  items: OverdueCheckItem[];
}

/**
 * Tells the departments that owe a delivery, and the verification agencies of their city, that a period is
 * overdue: one notice per dataset, period and organisation, however often the check runs (the notice's
 * dedupe key). A period that produced new notices is audited with them, in the same transaction.
 */
export async function checkOverdueDeliveries(deps: Deps): Promise<OverdueCheckResult> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = shanghaiDateOf(now);
  const rules = await effectiveRules(deps.store);
  const organisations = await deps.store.organisations.list(null);
  const committed = await deps.store.deliveries.batchFacts({ statuses: ['committed'] });
  const items: OverdueCheckItem[] = [];
  for (const dataset of DATASETS) {
    const rule = rules.get(dataset.code) ?? catalogRule(dataset);
    const batches = committed.filter((b) => b.dataset === dataset.code).map(committedBatch);
    const recipients = overdueRecipients(dataset, organisations);
    const overdue = overduePeriods(rule, batches, today);
    if (overdue.length === 0) continue;
    const created: number[] = [];
    if (recipients.length > 0)
      await deps.store.transaction(async (tx) => {
        for (const period of overdue) {
          let count = 0;
          for (const recipient of recipients)
            if (
              await tx.notices.createOnce({
                ...overdueNotice(dataset, period, recipient, today),
                createdAt: at,
              })
            )
              count += 1;
          if (count > 0)
            await tx.audit.append(
              SYSTEM_ACTOR,
              {
                action: 'DELIVERY_OVERDUE_NOTIFIED',
                outcome: 'success',
                objectType: 'dataset',
                objectId: dataset.code,
                details: { period: period.period, dueDate: period.dueDate, notices: count },
              },
              at,
            );
          created.push(count);
        }
      });
    for (const [i, period] of overdue.entries())
      items.push({
        dataset: dataset.code,
        ...period,
        recipients: recipients.length,
        noticesCreated: created[i] ?? 0,
      });
  }
  return {
    today,
    datasetsChecked: DATASETS.length,
    overduePeriods: items.length,
    noticesCreated: items.reduce((sum, i) => sum + i.noticesCreated, 0),
    items,
  };
}

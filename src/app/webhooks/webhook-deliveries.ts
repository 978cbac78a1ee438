import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps } from '../ports.ts';
import { kickWebhookDelivery } from './outbox.ts';
import { ownSubscription } from './webhook-subscriptions.ts';
import type { WebhookAttemptRow, WebhookDeliveryRow } from './webhooks.port.ts';

export interface DeliveryWithAttempts extends WebhookDeliveryRow {
  attemptLog: WebhookAttemptRow[];
}

/** A subscription's delivery log (newest first) with each delivery's attempts. */
export async function listWebhookDeliveries(
  deps: Deps,
  subscriptionId: number,
  page: { offset: number; limit: number },
  actor: Actor,
): Promise<{ items: DeliveryWithAttempts[]; total: number }> {
  await ownSubscription(deps.store, actor, subscriptionId);
  const { items, total } = await deps.store.webhooks.deliveries(subscriptionId, page);
  const attempts = await deps.store.webhooks.attempts(items.map((d) => d.id));
  return {
    items: items.map((d) => ({ ...d, attemptLog: attempts.filter((a) => a.deliveryId === d.id) })),
    total,
  };
}

/** Sends a delivered or failed delivery again, from its first attempt (same `webhook-id`, so receivers dedupe). */
export async function redeliverWebhook(
  deps: Deps,
  deliveryId: number,
  actor: Actor,
): Promise<WebhookDeliveryRow> {
  const at = deps.clock.now().toISOString();
  const delivery = await deps.store.transaction(async (tx) => {
    const found = await tx.webhooks.getDelivery(deliveryId);
    if (!found || found.organisationId !== actor.organisationId)
      throw new AppError('OUT_OF_SCOPE', '没有这条推送记录');
    if (!(await tx.webhooks.redeliver(deliveryId, at)))
      throw new AppError('CONFLICT', '这条推送尚在进行中，无需重发');
    await tx.audit.append(
      actor,
      {
        action: 'WEBHOOK_REDELIVERED',
        outcome: 'success',
        objectType: 'webhook_delivery',
        objectId: String(deliveryId),
        details: {
          subscriptionId: found.subscriptionId,
          eventType: found.eventType,
          previousState: found.state,
        },
      },
      at,
    );
    return (await tx.webhooks.getDelivery(deliveryId)) as WebhookDeliveryRow;
  });
  kickWebhookDelivery(deps);
  return delivery;
}

import { randomBytes } from 'node:crypto';
import type { AuditAction } from '../../domain/audit/actions.ts';
import { AppError } from '../../domain/shared/errors.ts';
import {
  checkWebhookUrl,
  PREVIOUS_SECRET_HOURS,
  pingPayload,
  type WebhookEventType,
} from '../../domain/webhooks/webhooks.ts';
import type { Actor, Deps, Repositories } from '../ports.ts';
import { enqueueMessage } from './outbox.ts';
import type { WebhookDeliveryRow, WebhookSubscriptionRow } from './webhooks.port.ts';

/**
 * A requester organisation's webhook subscriptions (接口推送), managed by its staff or its machine clients: only
 * their own organisation's (another's answers OUT_OF_SCOPE, as if it did not exist). Every change is audited; the
 * signing secret is shown once, at creation and at rotation, and stored only encrypted.
 */

/** `whsec_` + base64 of 32 random bytes, the Standard Webhooks form. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function checkedUrl(deps: Pick<Deps, 'settings'>, url: string): string {
  const checked = checkWebhookUrl(url.trim(), deps.settings.webhooks);
  if ('problem' in checked) throw new AppError('VALIDATION_FAILED', checked.problem, { field: 'url' });
  return checked.url.toString();
}

async function requesterOrganisation(tx: Repositories, actor: Actor): Promise<number> {
  const org = actor.organisationId === null ? undefined : await tx.organisations.get(actor.organisationId);
  if (org?.kind !== 'requester') throw new AppError('PERMISSION_DENIED', '只有委托单位可以订阅接口推送');
  return org.id;
}

/** The subscription, if it is the actor's organisation's. */
export async function ownSubscription(
  tx: Repositories,
  actor: Actor,
  id: number,
): Promise<WebhookSubscriptionRow> {
  const found = await tx.webhooks.getSubscription(id);
  if (!found || found.organisationId !== actor.organisationId)
    throw new AppError('OUT_OF_SCOPE', '没有这个推送订阅');
  return found;
}

async function audit(
  tx: Repositories,
  actor: Actor,
  action: AuditAction,
  subscription: WebhookSubscriptionRow,
  at: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx.audit.append(
    actor,
    {
      action,
      outcome: 'success',
      objectType: 'webhook_subscription',
      objectId: String(subscription.id),
      details: { url: subscription.url, eventTypes: subscription.eventTypes, ...details },
    },
    at,
  );
}

export async function listWebhookSubscriptions(deps: Deps, actor: Actor): Promise<WebhookSubscriptionRow[]> {
  if (actor.organisationId === null) return [];
  return deps.store.webhooks.subscriptions(actor.organisationId);
}

export async function createWebhookSubscription(
  deps: Deps,
  input: { url: string; eventTypes: WebhookEventType[] },
  actor: Actor,
): Promise<{ subscription: WebhookSubscriptionRow; secret: string }> {
  const url = checkedUrl(deps, input.url);
  const secret = newWebhookSecret();
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const organisationId = await requesterOrganisation(tx, actor);
    const subscription = await tx.webhooks.createSubscription({
      organisationId,
      url,
      eventTypes: [...new Set(input.eventTypes)],
      secretEnc: deps.crypto.encrypt(secret),
      active: true,
      createdBy: actor.userId,
      createdByName: actor.name,
      createdAt: at,
      updatedAt: at,
    });
    await audit(tx, actor, 'WEBHOOK_CREATED', subscription, at);
    return { subscription, secret };
  });
}

export async function updateWebhookSubscription(
  deps: Deps,
  id: number,
  patch: { url?: string; eventTypes?: WebhookEventType[]; active?: boolean },
  actor: Actor,
): Promise<WebhookSubscriptionRow> {
  const url = patch.url === undefined ? undefined : checkedUrl(deps, patch.url);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const before = await ownSubscription(tx, actor, id);
    await tx.webhooks.updateSubscription(id, {
      ...(url !== undefined ? { url } : {}),
      ...(patch.eventTypes !== undefined ? { eventTypes: [...new Set(patch.eventTypes)] } : {}),
      // Turning it on again starts the failure count afresh.
      ...(patch.active !== undefined
        ? { active: patch.active, disabledReason: null, ...(patch.active ? { consecutiveFailures: 0 } : {}) }
        : {}),
      updatedAt: at,
    });
    const after = (await tx.webhooks.getSubscription(id)) as WebhookSubscriptionRow;
    await audit(tx, actor, 'WEBHOOK_UPDATED', after, at, {
      before: { url: before.url, eventTypes: before.eventTypes, active: before.active },
      active: after.active,
    });
    return after;
  });
}

/** A new secret, shown once; the old one signs beside it for 24 hours so the receiver can switch over. */
export async function rotateWebhookSecret(
  deps: Deps,
  id: number,
  actor: Actor,
): Promise<{ subscription: WebhookSubscriptionRow; secret: string }> {
  const secret = newWebhookSecret();
  const now = deps.clock.now();
  const at = now.toISOString();
  const previousUntil = new Date(now.getTime() + PREVIOUS_SECRET_HOURS * 3_600_000).toISOString();
  return deps.store.transaction(async (tx) => {
    const before = await ownSubscription(tx, actor, id);
    await tx.webhooks.updateSubscription(id, {
      secretEnc: deps.crypto.encrypt(secret),
      previousSecretEnc: before.secretEnc,
      previousSecretExpiresAt: previousUntil,
      updatedAt: at,
    });
    const subscription = (await tx.webhooks.getSubscription(id)) as WebhookSubscriptionRow;
    await audit(tx, actor, 'WEBHOOK_SECRET_ROTATED', subscription, at, {
      previousSecretValidUntil: previousUntil,
    });
    return { subscription, secret };
  });
}

export async function deleteWebhookSubscription(deps: Deps, id: number, actor: Actor): Promise<void> {
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    const subscription = await ownSubscription(tx, actor, id);
    await tx.webhooks.deleteSubscription(id);
    await audit(tx, actor, 'WEBHOOK_DELETED', subscription, at);
  });
}

/** Queues a `ping` to the subscription (delivered and logged like any event). */
export async function testWebhookSubscription(
  deps: Deps,
  id: number,
  actor: Actor,
): Promise<WebhookDeliveryRow> {
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const subscription = await ownSubscription(tx, actor, id);
    await enqueueMessage(tx, [subscription], pingPayload(subscription.id, at), null, at);
    const [delivery] = (await tx.webhooks.deliveries(id, { offset: 0, limit: 1 })).items;
    await audit(tx, actor, 'WEBHOOK_TESTED', subscription, at, { deliveryId: delivery?.id });
    return delivery as WebhookDeliveryRow;
  });
}

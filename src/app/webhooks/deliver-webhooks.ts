import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { webhookHeaders } from '../../domain/webhooks/signature.ts';
import {
  CLAIM_LEASE_MS,
  DELIVERY_TIMEOUT_MS,
  MAX_ATTEMPTS,
  nextAttemptAt,
} from '../../domain/webhooks/webhooks.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import type { Deps, Repositories } from '../ports.ts';
import type { WebhookDeliveryRow, WebhookSubscriptionRow } from './webhooks.port.ts';

const BATCH = 20;
/** One run delivers at most this many; the next run (kick or minute sweep) goes on. */
const PER_RUN = 500;
const ERROR_TEXT_MAX = 500;

export interface DeliveryRunSummary {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** The secrets an attempt is signed with: the current one and, within 24 h of a rotation, the previous one. */
export function signingSecrets(deps: Pick<Deps, 'crypto'>, s: WebhookSubscriptionRow, now: Date): string[] {
  const secrets = [deps.crypto.decrypt(s.secretEnc)];
  if (s.previousSecretEnc && s.previousSecretExpiresAt && s.previousSecretExpiresAt > now.toISOString())
    secrets.push(deps.crypto.decrypt(s.previousSecretEnc));
  return secrets;
}

/**
 * The `webhooks.deliver` job: claims the due deliveries (atomically, so two instances never send one twice) and
 * POSTs each, oldest first, signed per Standard Webhooks; a 2xx delivers, anything else is retried after 1 min,
 * 5 min, 30 min, 2 h, 6 h, 12 h, 24 h and fails after the 8th attempt. Every attempt is logged; a subscription
 * failing `disableAfterFailures` attempts in a row is turned off with a notice to its organisation.
 */
export async function deliverWebhooks(deps: Deps): Promise<DeliveryRunSummary> {
  const summary: DeliveryRunSummary = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  const token = randomUUID();
  while (summary.attempted < PER_RUN) {
    const now = deps.clock.now();
    const claimed = await deps.store.webhooks.claimDue(
      now.toISOString(),
      new Date(now.getTime() + CLAIM_LEASE_MS).toISOString(),
      token,
      BATCH,
    );
    if (claimed.length === 0) break;
    for (const delivery of claimed) {
      const outcome = await attempt(deps, delivery, token);
      summary.attempted += 1;
      summary[outcome] += 1;
    }
  }
  return summary;
}

async function attempt(
  deps: Deps,
  delivery: WebhookDeliveryRow,
  token: string,
): Promise<'delivered' | 'retrying' | 'failed'> {
  const subscription = await deps.store.webhooks.getSubscription(delivery.subscriptionId);
  const sentAt = deps.clock.now();
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  if (!subscription) error = '推送订阅已删除';
  else {
    const headers = webhookHeaders(
      signingSecrets(deps, subscription, sentAt),
      delivery.messageId,
      Math.floor(sentAt.getTime() / 1000),
      delivery.payload,
    );
    try {
      status = (
        await deps.webhookSender.post(subscription.url, headers, delivery.payload, DELIVERY_TIMEOUT_MS)
      ).status;
      if (status < 200 || status > 299) error = `对方返回 HTTP ${status}`;
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)) || '网络错误';
    }
  }
  const durationMs = Math.round(performance.now() - started);
  const finishedAt = deps.clock.now();
  const ok = error === null;
  const retryAt = ok ? null : nextAttemptAt(delivery.attempts, finishedAt);
  const state = ok ? 'delivered' : retryAt ? 'pending' : 'failed';
  const lastError = error === null ? null : error.slice(0, ERROR_TEXT_MAX);
  await deps.store.transaction(async (tx) => {
    const recorded = await tx.webhooks.finishAttempt(
      delivery.id,
      token,
      {
        state,
        nextAttemptAt: retryAt?.toISOString() ?? null,
        lastStatus: status,
        lastError,
        deliveredAt: ok ? finishedAt.toISOString() : null,
      },
      {
        attempt: delivery.attempts,
        at: sentAt.toISOString(),
        statusCode: status,
        error: lastError,
        durationMs,
      },
    );
    if (!recorded || !subscription) return;
    const failures = await tx.webhooks.countOutcome(subscription.id, ok);
    if (!ok && subscription.active && failures >= deps.settings.webhooks.disableAfterFailures)
      await disable(tx, subscription, failures, finishedAt.toISOString());
  });
  return ok ? 'delivered' : state === 'failed' ? 'failed' : 'retrying';
}

async function disable(
  tx: Repositories,
  subscription: WebhookSubscriptionRow,
  failures: number,
  at: string,
): Promise<void> {
  const reason = `连续 ${failures} 次推送失败，已自动停用`;
  await tx.webhooks.updateSubscription(subscription.id, {
    active: false,
    disabledReason: reason,
    updatedAt: at,
  });
  await tx.notices.createOnce({
    organisationId: subscription.organisationId,
    kind: 'webhook_disabled',
    dedupeKey: `webhook-disabled:${subscription.id}:${at}`,
    title: '接口推送已自动停用',
    body: `推送地址 ${subscription.url} ${reason}。请检查贵单位接收系统后，在「接口推送」页面重新启用；停用期间的推送将在启用后补发（每条最多尝试 ${MAX_ATTEMPTS} 次）。`,
    createdAt: at,
  });
  await tx.audit.append(
    SYSTEM_ACTOR,
    {
      action: 'WEBHOOK_DISABLED',
      outcome: 'success',
      objectType: 'webhook_subscription',
      objectId: String(subscription.id),
      details: { organisationId: subscription.organisationId, consecutiveFailures: failures },
    },
    at,
  );
}

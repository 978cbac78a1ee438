import { randomBytes } from 'node:crypto';
import { documentKindLabel } from '../../domain/cases/archive.ts';
import type { DeadlineKind, DeadlineStage } from '../../domain/cases/dashboard.ts';
import {
  deadlineNearPayload,
  documentIssuedPayload,
  stateChangedPayload,
  type WebhookEventType,
  type WebhookPayload,
} from '../../domain/webhooks/webhooks.ts';
import type { CaseDocumentRow, CaseEventRow, CaseRow, Deps, Repositories, Store } from '../ports.ts';
import type { WebhookSubscriptionRow } from './webhooks.port.ts';

/**
 * The webhook outbox: a case's history and its documents reach the requester's systems through rows written in
 * the transaction of the change itself, so an event is announced exactly when it commits (and never when it rolls
 * back). The use cases record case events and documents only through these functions.
 */

export const WEBHOOK_DELIVERY_JOB = 'webhooks.deliver';

/** The `webhook-id` of a message: unique, the same on every attempt. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

export async function enqueueMessage(
  tx: Repositories,
  subscriptions: readonly WebhookSubscriptionRow[],
  payload: WebhookPayload,
  caseId: number | null,
  at: string,
): Promise<void> {
  const body = JSON.stringify(payload);
  await tx.webhooks.enqueue(
    subscriptions.map((s) => ({
      subscriptionId: s.id,
      organisationId: s.organisationId,
      messageId: newMessageId(),
      eventType: payload.type,
      caseId,
      payload: body,
      createdAt: at,
    })),
  );
}

async function following(tx: Repositories, kase: CaseRow, type: WebhookEventType) {
  const subscriptions = await tx.webhooks.subscriptions(kase.requesterOrganisationId);
  return subscriptions.filter((s) => s.active && s.eventTypes.includes(type));
}

/** Writes a step into the case's history and, when the state changed, queues `entrustment.state_changed`. */
export async function recordCaseEvent(
  tx: Repositories,
  kase: CaseRow,
  event: Omit<CaseEventRow, 'id' | 'caseId'>,
): Promise<CaseEventRow> {
  const row = await tx.cases.addEvent({ ...event, caseId: kase.id });
  if (row.fromState === row.toState) return row; // a sub-request's steps: the entrustment's state stays
  const subscriptions = await following(tx, kase, 'entrustment.state_changed');
  if (subscriptions.length > 0)
    await enqueueMessage(tx, subscriptions, stateChangedPayload(kase, row), kase.id, row.at);
  return row;
}

/** Files an issued document with the case and queues `entrustment.document_issued` (kind and number only). */
export async function recordCaseDocument(
  tx: Repositories,
  kase: CaseRow,
  document: Omit<CaseDocumentRow, 'id'>,
): Promise<CaseDocumentRow> {
  const row = await tx.cases.addDocument(document);
  const subscriptions = await following(tx, kase, 'entrustment.document_issued');
  if (subscriptions.length > 0) {
    const current = (await tx.cases.get(kase.id)) ?? kase;
    const payload = documentIssuedPayload(current, {
      id: row.id,
      kind: row.kind,
      kindLabel: documentKindLabel(row.kind),
      number: row.number,
      issuedAt: row.issuedAt,
    });
    await enqueueMessage(tx, subscriptions, payload, kase.id, row.issuedAt);
  }
  return row;
}

/** Queues `entrustment.deadline_near` (in the transaction of the reminder notices, so once per stage). */
export async function recordDeadlineNear(
  tx: Repositories,
  kase: CaseRow,
  deadline: { kind: DeadlineKind; due: string; stage: DeadlineStage; workdaysLeft: number },
  at: string,
): Promise<void> {
  const subscriptions = await following(tx, kase, 'entrustment.deadline_near');
  if (subscriptions.length > 0)
    await enqueueMessage(tx, subscriptions, deadlineNearPayload(kase, deadline, at), kase.id, at);
}

/** Asks the job runner (when this process has one) to deliver now rather than at the next minute's sweep. */
export function kickWebhookDelivery(deps: Pick<Deps, 'jobs'>): void {
  deps.jobs?.send(WEBHOOK_DELIVERY_JOB, {}).catch(() => {
    // The sweep every minute delivers it anyway.
  });
}

/**
 * The store, with a kick after every transaction that queued webhook deliveries — after its commit, so the
 * deliverer (maybe another instance) finds the rows. Wired once in the composition root.
 */
export function kickWebhooksAfterCommit(store: Store, kick: () => void): Store {
  return {
    ...store,
    async transaction(fn) {
      let queued = false;
      const result = await store.transaction((tx) =>
        fn({
          ...tx,
          webhooks: {
            ...tx.webhooks,
            async enqueue(rows) {
              if (rows.length > 0) queued = true;
              return tx.webhooks.enqueue(rows);
            },
          },
        }),
      );
      if (queued) kick();
      return result;
    },
  };
}

import type { DeliveryState, WebhookEventType, WebhookMessageType } from '../../domain/webhooks/webhooks.ts';

export interface WebhookSubscriptionRow {
  id: number;
  organisationId: number;
  url: string;
  eventTypes: WebhookEventType[];
  secretEnc: string;
  /** The secret before the last rotation: it signs beside the new one until `previousSecretExpiresAt`. */
  previousSecretEnc: string | null;
  previousSecretExpiresAt: string | null;
  active: boolean;
  /** Why the platform turned it off (consecutive failures); null when active or turned off by hand. */
  disabledReason: string | null;
  consecutiveFailures: number;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDeliveryRow {
  id: number;
  subscriptionId: number;
  organisationId: number;
  /** The `webhook-id` header: the same on every attempt, so receivers deduplicate on it. */
  messageId: string;
  eventType: WebhookMessageType;
  caseId: number | null;
  /** The JSON body as sent (signed byte for byte). */
  payload: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  claimToken: string | null;
  leaseUntil: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface WebhookAttemptRow {
  id: number;
  deliveryId: number;
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export type NewWebhookDelivery = Pick<
  WebhookDeliveryRow,
  'subscriptionId' | 'organisationId' | 'messageId' | 'eventType' | 'caseId' | 'payload' | 'createdAt'
>;

export interface WebhookRepository {
  createSubscription(
    row: Omit<
      WebhookSubscriptionRow,
      'id' | 'previousSecretEnc' | 'previousSecretExpiresAt' | 'disabledReason' | 'consecutiveFailures'
    >,
  ): Promise<WebhookSubscriptionRow>;
  getSubscription(id: number): Promise<WebhookSubscriptionRow | undefined>;
  /** An organisation's subscriptions, oldest first. */
  subscriptions(organisationId: number): Promise<WebhookSubscriptionRow[]>;
  updateSubscription(
    id: number,
    patch: Partial<
      Pick<
        WebhookSubscriptionRow,
        | 'url'
        | 'eventTypes'
        | 'active'
        | 'disabledReason'
        | 'secretEnc'
        | 'previousSecretEnc'
        | 'previousSecretExpiresAt'
        | 'consecutiveFailures'
        | 'updatedAt'
      >
    >,
  ): Promise<void>;
  /** The subscription with its deliveries and their attempts. */
  deleteSubscription(id: number): Promise<void>;
  /** Outbox rows, due at once (`pending`, next attempt at their creation). */
  enqueue(rows: readonly NewWebhookDelivery[]): Promise<void>;
  getDelivery(id: number): Promise<WebhookDeliveryRow | undefined>;
  /** A subscription's deliveries, newest first. */
  deliveries(
    subscriptionId: number,
    page: { offset: number; limit: number },
  ): Promise<{ items: WebhookDeliveryRow[]; total: number }>;
  attempts(deliveryIds: readonly number[]): Promise<WebhookAttemptRow[]>;
  /**
   * Takes up to `limit` deliveries that are due (pending and `nextAttemptAt <= now`, or delivering with an
   * expired lease) of active subscriptions, oldest first, marking them `delivering` under `token` until
   * `leaseUntil` and counting the attempt — atomically, so two deliverers never take one row.
   */
  claimDue(now: string, leaseUntil: string, token: string, limit: number): Promise<WebhookDeliveryRow[]>;
  /** Records an attempt's outcome, if the claim is still this one's; false when it was taken over. */
  finishAttempt(
    id: number,
    token: string,
    outcome: Pick<WebhookDeliveryRow, 'state' | 'nextAttemptAt' | 'lastStatus' | 'lastError' | 'deliveredAt'>,
    attempt: Omit<WebhookAttemptRow, 'id' | 'deliveryId'>,
  ): Promise<boolean>;
  /** Counts a failed attempt against the subscription (or resets the count on success); returns the count. */
  countOutcome(subscriptionId: number, ok: boolean): Promise<number>;
  /** A delivered or failed delivery again from scratch (pending, due at `at`); false when it is under way. */
  redeliver(id: number, at: string): Promise<boolean>;
}

export interface WebhookResponse {
  status: number;
}

/** The HTTP side of delivering (src/webhooks/http-sender.ts): POST, within the timeout, to a permitted address. */
export interface WebhookSenderPort {
  /** Resolves with the status of any answer; rejects (Error message in Chinese) on refusal, network error or timeout. */
  post(
    url: string,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<WebhookResponse>;
}

import type { Generated } from 'kysely';

/** Webhooks to requesters' systems (migration 202611270200_webhooks). */
export interface WebhookSubscriptionTable {
  id: Generated<number>;
  organisationId: number;
  url: string;
  /** JSON array of event types. */
  eventTypes: string;
  secretEnc: string;
  previousSecretEnc: string | null;
  previousSecretExpiresAt: string | null;
  active: number;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  subscriptionId: number;
  organisationId: number;
  messageId: string;
  eventType: string;
  caseId: number | null;
  payload: string;
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  claimToken: string | null;
  leaseUntil: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface WebhookAttemptTable {
  id: Generated<number>;
  deliveryId: number;
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

import { request, requestVoid } from './client';
import type { Items } from './types';

/** 接口推送 (docs/api.md «Webhooks»): a requester organisation's webhook subscriptions and their delivery log. */
export type WebhookEventType =
  | 'entrustment.state_changed'
  | 'entrustment.document_issued'
  | 'entrustment.deadline_near';
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  'entrustment.state_changed',
  'entrustment.document_issued',
  'entrustment.deadline_near',
];

export interface WebhookSubscription {
  id: number;
  url: string;
  eventTypes: WebhookEventType[];
  active: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  previousSecretValidUntil: string | null;
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface IssuedWebhookSecret {
  subscription: WebhookSubscription;
  secret: string;
}

export type WebhookDeliveryState = 'pending' | 'delivering' | 'delivered' | 'failed';

export interface WebhookAttempt {
  at: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  id: number;
  messageId: string;
  eventType: string;
  eventLabel: string;
  caseId: number | null;
  payload: string;
  state: WebhookDeliveryState;
  stateLabel: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  attemptLog?: WebhookAttempt[];
}

export interface WebhookInput {
  url: string;
  eventTypes: WebhookEventType[];
}

export async function listWebhooks(): Promise<WebhookSubscription[]> {
  return (await request<Items<WebhookSubscription>>('/api/v1/webhooks')).items;
}

export function createWebhook(input: WebhookInput): Promise<IssuedWebhookSecret> {
  return request<IssuedWebhookSecret>('/api/v1/webhooks', { method: 'POST', body: input });
}

export function updateWebhook(id: number, patch: Partial<WebhookInput> & { active?: boolean }) {
  return request<WebhookSubscription>(`/api/v1/webhooks/${id}`, { method: 'PATCH', body: patch });
}

export function rotateWebhookSecret(id: number): Promise<IssuedWebhookSecret> {
  return request<IssuedWebhookSecret>(`/api/v1/webhooks/${id}/rotate-secret`, { method: 'POST' });
}

export function deleteWebhook(id: number): Promise<void> {
  return requestVoid(`/api/v1/webhooks/${id}`, { method: 'DELETE' });
}

export function testWebhook(id: number): Promise<WebhookDelivery> {
  return request<WebhookDelivery>(`/api/v1/webhooks/${id}/test`, { method: 'POST' });
}

export function listWebhookDeliveries(
  id: number,
  page: number,
  pageSize: number,
): Promise<{ items: WebhookDelivery[]; total: number }> {
  return request(`/api/v1/webhooks/${id}/deliveries`, { query: { page, pageSize } });
}

export function redeliverWebhook(deliveryId: number): Promise<WebhookDelivery> {
  return request<WebhookDelivery>(`/api/v1/webhook-deliveries/${deliveryId}/redeliver`, { method: 'POST' });
}

import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import { listWebhookDeliveries, redeliverWebhook } from '../../app/webhooks/webhook-deliveries.ts';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  listWebhookSubscriptions,
  rotateWebhookSecret,
  testWebhookSubscription,
  updateWebhookSubscription,
} from '../../app/webhooks/webhook-subscriptions.ts';
import type { WebhookDeliveryRow, WebhookSubscriptionRow } from '../../app/webhooks/webhooks.port.ts';
import {
  DELIVERY_STATE_LABELS,
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
} from '../../domain/webhooks/webhooks.ts';
import { allowWithApiKey } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';

/** A requester's staff, or its machine clients whose key carries `webhooks:manage`. */
const managers = allowWithApiKey('webhooks:manage', 'requester_staff');
const tags = ['webhooks'];

const eventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, '至少选择一种事件');
const subscriptionSchema = z.object({
  id: z.number(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number(),
  previousSecretValidUntil: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const withSecret = z.object({ subscription: subscriptionSchema, secret: z.string() });
const attemptSchema = z.object({
  at: z.string(),
  attempt: z.number(),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});
const deliverySchema = z.object({
  id: z.number(),
  messageId: z.string(),
  eventType: z.string(),
  eventLabel: z.string(),
  caseId: z.number().nullable(),
  payload: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  attemptLog: z.array(attemptSchema).optional(),
});

function present(s: WebhookSubscriptionRow) {
  return {
    id: s.id,
    url: s.url,
    eventTypes: s.eventTypes,
    active: s.active,
    disabledReason: s.disabledReason,
    consecutiveFailures: s.consecutiveFailures,
    previousSecretValidUntil: s.previousSecretExpiresAt,
    createdByName: s.createdByName,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** A subscription with its secret, the one time it is shown (creation, rotation). */
function presentIssued(issued: { subscription: WebhookSubscriptionRow; secret: string }) {
  return { subscription: present(issued.subscription), secret: issued.secret };
}

function presentDelivery(d: WebhookDeliveryRow & { attemptLog?: z.infer<typeof attemptSchema>[] }) {
  return {
    id: d.id,
    messageId: d.messageId,
    eventType: d.eventType,
    eventLabel: WEBHOOK_EVENT_LABELS[d.eventType] ?? d.eventType,
    caseId: d.caseId,
    payload: d.payload,
    state: d.state,
    stateLabel: DELIVERY_STATE_LABELS[d.state],
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt,
    createdAt: d.createdAt,
    ...(d.attemptLog
      ? {
          attemptLog: d.attemptLog.map(({ at, attempt, statusCode, error, durationMs }) => ({
            at,
            attempt,
            statusCode,
            error,
            durationMs,
          })),
        }
      : {}),
  };
}

/**
 * 接口推送 (issue #9 item 5, docs/integration.md «事件推送»): a requester organisation's webhook subscriptions,
 * their delivery log, test pings and redelivery. Another organisation's subscription answers 404.
 */
export function webhookRoutes(app: App, deps: Deps): void {
  app.get('/api/v1/webhooks', {
    config: { access: managers },
    schema: {
      tags,
      summary: '本单位的推送订阅',
      response: { 200: z.object({ items: z.array(subscriptionSchema) }) },
    },
    handler: async (request) => ({
      items: (await listWebhookSubscriptions(deps, request.actor)).map(present),
    }),
  });

  app.post('/api/v1/webhooks', {
    config: { access: managers },
    schema: {
      tags,
      summary: '新建推送订阅（签名密钥只在此显示一次）',
      body: z.object({ url: z.string().min(1).max(2000), eventTypes }),
      response: { 201: withSecret },
    },
    handler: async (request, reply) => {
      return reply
        .status(201)
        .send(presentIssued(await createWebhookSubscription(deps, request.body, request.actor)));
    },
  });

  app.patch('/api/v1/webhooks/:id', {
    config: { access: managers },
    schema: {
      tags,
      summary: '修改推送地址、事件或启用状态',
      params: idParam,
      body: z.object({
        url: z.string().min(1).max(2000).optional(),
        eventTypes: eventTypes.optional(),
        active: z.boolean().optional(),
      }),
      response: { 200: subscriptionSchema },
    },
    handler: async (request) =>
      present(await updateWebhookSubscription(deps, request.params.id, request.body, request.actor)),
  });

  app.post('/api/v1/webhooks/:id/rotate-secret', {
    config: { access: managers },
    schema: {
      tags,
      summary: '更换签名密钥（新密钥只显示一次；旧密钥 24 小时内仍同时签名）',
      params: idParam,
      response: { 200: withSecret },
    },
    handler: async (request) =>
      presentIssued(await rotateWebhookSecret(deps, request.params.id, request.actor)),
  });

  app.delete('/api/v1/webhooks/:id', {
    config: { access: managers },
    schema: { tags, summary: '删除推送订阅（连同其推送记录）', params: idParam },
    handler: async (request, reply) => {
      await deleteWebhookSubscription(deps, request.params.id, request.actor);
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/webhooks/:id/deliveries', {
    config: { access: managers },
    schema: {
      tags,
      summary: '推送记录（新的在前），含每次尝试的状态码、错误与耗时',
      params: idParam,
      querystring: z.object({
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: { 200: z.object({ items: z.array(deliverySchema), total: z.number() }) },
    },
    handler: async (request) => {
      const { page, pageSize } = request.query;
      const page_ = { offset: (page - 1) * pageSize, limit: pageSize };
      const list = await listWebhookDeliveries(deps, request.params.id, page_, request.actor);
      return { items: list.items.map(presentDelivery), total: list.total };
    },
  });

  app.post('/api/v1/webhooks/:id/test', {
    config: { access: managers },
    schema: { tags, summary: '发送测试推送（ping）', params: idParam, response: { 202: deliverySchema } },
    handler: async (request, reply) =>
      reply
        .status(202)
        .send(presentDelivery(await testWebhookSubscription(deps, request.params.id, request.actor))),
  });

  app.post('/api/v1/webhook-deliveries/:id/redeliver', {
    config: { access: managers },
    schema: {
      tags,
      summary: '重新推送（同一 webhook-id，从第 1 次尝试起）',
      params: idParam,
      response: { 202: deliverySchema },
    },
    handler: async (request, reply) =>
      reply.status(202).send(presentDelivery(await redeliverWebhook(deps, request.params.id, request.actor))),
  });
}

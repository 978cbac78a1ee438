import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  WebhookAttemptRow,
  WebhookDeliveryRow,
  WebhookRepository,
  WebhookSubscriptionRow,
} from '../app/webhooks/webhooks.port.ts';
import type { DeliveryState, WebhookEventType, WebhookMessageType } from '../domain/webhooks/webhooks.ts';
import type { Dialect } from './dialect.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function subscriptionOf(r: Selectable<DB['webhookSubscription']>): WebhookSubscriptionRow {
  return {
    ...r,
    id: Number(r.id),
    organisationId: Number(r.organisationId),
    eventTypes: JSON.parse(r.eventTypes) as WebhookEventType[],
    active: Boolean(r.active),
    consecutiveFailures: Number(r.consecutiveFailures),
    createdBy: r.createdBy === null ? null : Number(r.createdBy),
  };
}

function deliveryOf(r: Selectable<DB['webhookDelivery']>): WebhookDeliveryRow {
  return {
    ...r,
    id: Number(r.id),
    subscriptionId: Number(r.subscriptionId),
    organisationId: Number(r.organisationId),
    eventType: r.eventType as WebhookMessageType,
    caseId: r.caseId === null ? null : Number(r.caseId),
    state: r.state as DeliveryState,
    attempts: Number(r.attempts),
    lastStatus: r.lastStatus === null ? null : Number(r.lastStatus),
  };
}

function attemptOf(r: Selectable<DB['webhookAttempt']>): WebhookAttemptRow {
  return {
    ...r,
    id: Number(r.id),
    deliveryId: Number(r.deliveryId),
    attempt: Number(r.attempt),
    statusCode: r.statusCode === null ? null : Number(r.statusCode),
    durationMs: Number(r.durationMs),
  };
}

export function webhookRepository(db: Executor, dialect: Dialect): WebhookRepository {
  return {
    async createSubscription(row) {
      const inserted = await db
        .insertInto('webhookSubscription')
        .values({
          ...row,
          eventTypes: JSON.stringify(row.eventTypes),
          active: row.active ? 1 : 0,
          consecutiveFailures: 0,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return subscriptionOf(inserted);
    },
    async getSubscription(id) {
      const r = await db
        .selectFrom('webhookSubscription')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? subscriptionOf(r) : undefined;
    },
    async subscriptions(organisationId) {
      const rows = await db
        .selectFrom('webhookSubscription')
        .selectAll()
        .where('organisationId', '=', organisationId)
        .orderBy('id')
        .execute();
      return rows.map(subscriptionOf);
    },
    async updateSubscription(id, patch) {
      const { eventTypes, active, ...rest } = patch;
      await db
        .updateTable('webhookSubscription')
        .set({
          ...rest,
          ...(eventTypes !== undefined ? { eventTypes: JSON.stringify(eventTypes) } : {}),
          ...(active !== undefined ? { active: active ? 1 : 0 } : {}),
        })
        .where('id', '=', id)
        .execute();
    },
    async deleteSubscription(id) {
      const deliveries = db.selectFrom('webhookDelivery').select('id').where('subscriptionId', '=', id);
      await db.deleteFrom('webhookAttempt').where('deliveryId', 'in', deliveries).execute();
      await db.deleteFrom('webhookDelivery').where('subscriptionId', '=', id).execute();
      await db.deleteFrom('webhookSubscription').where('id', '=', id).execute();
    },
    async enqueue(rows) {
      if (rows.length === 0) return;
      await db
        .insertInto('webhookDelivery')
        .values(rows.map((r) => ({ ...r, state: 'pending', attempts: 0, nextAttemptAt: r.createdAt })))
        .execute();
    },
    async getDelivery(id) {
      const r = await db.selectFrom('webhookDelivery').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? deliveryOf(r) : undefined;
    },
    async deliveries(subscriptionId, { offset, limit }) {
      const base = db.selectFrom('webhookDelivery').where('subscriptionId', '=', subscriptionId);
      const [rows, count] = await Promise.all([
        base.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(deliveryOf), total: Number(count.n) };
    },
    async attempts(deliveryIds) {
      if (deliveryIds.length === 0) return [];
      const rows = await db
        .selectFrom('webhookAttempt')
        .selectAll()
        .where('deliveryId', 'in', [...deliveryIds])
        .orderBy('id')
        .execute();
      return rows.map(attemptOf);
    },
    async claimDue(now, leaseUntil, token, limit) {
      // PostgreSQL: rows another deliverer is claiming are skipped, not waited for; SQLite has one writer.
      const due = db
        .selectFrom('webhookDelivery')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'pending'), eb('nextAttemptAt', '<=', now)]),
            eb.and([eb('state', '=', 'delivering'), eb('leaseUntil', '<=', now)]),
          ]),
        )
        .where('subscriptionId', 'in', (eb) =>
          eb.selectFrom('webhookSubscription').select('id').where('active', '=', 1),
        )
        .orderBy('id')
        .limit(limit)
        .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked());
      const rows = await db
        .updateTable('webhookDelivery')
        .set((eb) => ({
          state: 'delivering',
          claimToken: token,
          leaseUntil,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', 'in', due)
        .returningAll()
        .execute();
      return rows.map(deliveryOf).sort((a, b) => a.id - b.id);
    },
    async finishAttempt(id, token, outcome, attempt) {
      const updated = await db
        .updateTable('webhookDelivery')
        .set({ ...outcome, claimToken: null, leaseUntil: null })
        .where('id', '=', id)
        .where('claimToken', '=', token)
        .where('state', '=', 'delivering')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      await db
        .insertInto('webhookAttempt')
        .values({ ...attempt, deliveryId: id })
        .execute();
      return true;
    },
    async countOutcome(subscriptionId, ok) {
      const row = await db
        .updateTable('webhookSubscription')
        .set((eb) => ({ consecutiveFailures: ok ? 0 : eb('consecutiveFailures', '+', 1) }))
        .where('id', '=', subscriptionId)
        .returning('consecutiveFailures')
        .executeTakeFirst();
      return Number(row?.consecutiveFailures ?? 0);
    },
    async redeliver(id, at) {
      const updated = await db
        .updateTable('webhookDelivery')
        .set({
          state: 'pending',
          attempts: 0,
          nextAttemptAt: at,
          claimToken: null,
          leaseUntil: null,
          lastError: null,
          lastStatus: null,
          deliveredAt: null,
        })
        .where('id', '=', id)
        .where('state', 'in', ['delivered', 'failed'])
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    },
  };
}

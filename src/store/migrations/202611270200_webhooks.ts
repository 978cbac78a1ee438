import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Webhooks to requesters' systems (issue #9 item 5): subscriptions per requester organisation (secrets only
 * encrypted), the outbox of deliveries written in the transaction of the case change they report, and every
 * attempt to deliver one.
 */
export function webhooks(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const table = (db: Kysely<unknown>, name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', sql.raw(pg ? 'serial' : 'integer'), (c) =>
        pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
      );
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await table(db, 'webhook_subscription')
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('event_types', 'text', (c) => c.notNull())
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        .addColumn('previous_secret_enc', 'text')
        .addColumn('previous_secret_expires_at', 'text')
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('disabled_reason', 'text')
        .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_by_name', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_subscription_org_idx')
        .on('webhook_subscription')
        .columns(['organisation_id', 'active'])
        .execute();
      await table(db, 'webhook_delivery')
        .addColumn('subscription_id', 'integer', (c) => c.notNull().references('webhook_subscription.id'))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('message_id', 'text', (c) => c.notNull().unique())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('case_id', 'integer')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('claim_token', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // The deliverers' claim: due pending rows (and expired leases) in order.
      await db.schema
        .createIndex('webhook_delivery_due_idx')
        .on('webhook_delivery')
        .columns(['state', 'next_attempt_at', 'id'])
        .execute();
      await db.schema
        .createIndex('webhook_delivery_subscription_idx')
        .on('webhook_delivery')
        .columns(['subscription_id', 'id'])
        .execute();
      await table(db, 'webhook_attempt')
        .addColumn('delivery_id', 'integer', (c) => c.notNull().references('webhook_delivery.id'))
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_attempt_delivery_idx')
        .on('webhook_attempt')
        .columns(['delivery_id', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('webhook_attempt').execute();
      await db.schema.dropTable('webhook_delivery').execute();
      await db.schema.dropTable('webhook_subscription').execute();
    },
  };
}

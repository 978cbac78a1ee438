import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * The monthly recheck (issue #6 items 2–3): a run per month and agency scope, one item per roster family (the
 * figures compared month to month, encrypted), and the alerts raised by the changes found. At most one run per
 * month and scope is `running` at a time (a unique partial index): a second start is refused, and a run whose
 * lease (heartbeat) has expired is resumed by the next start — only its items not yet `done` are recomputed.
 */
export function recheck(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const autoId = (big: boolean) => sql.raw(pg ? (big ? 'bigserial' : 'serial') : 'integer');
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('recheck_run')
        .addColumn('id', autoId(false), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('scope_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('started_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('started_by_name', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('lease_until', 'text', (c) => c.notNull())
        .addColumn('lease_token', 'text', (c) => c.notNull())
        .addColumn('family_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('done_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('skipped_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('changed_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('resumed_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error_code', 'text')
        .execute();
      // Never two runs of one month and scope at once, whatever races: the second insert or take-over fails.
      await sql`create unique index recheck_run_running_uq on recheck_run (month, scope_organisation_id) where state = 'running'`.execute(
        db,
      );
      await db.schema
        .createIndex('recheck_run_month_idx')
        .on('recheck_run')
        .columns(['month', 'scope_organisation_id', 'id'])
        .execute();

      await db.schema
        .createTable('recheck_item')
        .addColumn('id', autoId(true), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('run_id', 'integer', (c) => c.notNull().references('recheck_run.id'))
        .addColumn('roster_family_id', 'bigint', (c) => c.notNull().references('roster_family.id'))
        .addColumn('requester_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('family_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('assessment_id', 'integer', (c) => c.references('assessment.id'))
        .addColumn('summary_enc', 'text')
        .addColumn('changes', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('recheck_item_run_family_uq', ['run_id', 'roster_family_id'])
        .execute();
      await db.schema
        .createIndex('recheck_item_family_idx')
        .on('recheck_item')
        .columns(['requester_organisation_id', 'family_key', 'status'])
        .execute();
      await db.schema
        .createIndex('recheck_item_run_status_idx')
        .on('recheck_item')
        .columns(['run_id', 'status', 'id'])
        .execute();

      await db.schema
        .createTable('recheck_alert')
        .addColumn('id', autoId(true), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('run_id', 'integer', (c) => c.notNull().references('recheck_run.id'))
        .addColumn('item_id', 'bigint', (c) => c.notNull().references('recheck_item.id'))
        .addColumn('requester_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('family_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('evidence_enc', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('case_id', 'integer', (c) => c.references('verification_case.id'))
        .addColumn('reason', 'text')
        .addColumn('worked_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('worked_by_name', 'text')
        .addColumn('worked_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('recheck_alert_queue_idx')
        .on('recheck_alert')
        .columns(['state', 'requester_organisation_id', 'id'])
        .execute();
      await db.schema.createIndex('recheck_alert_run_idx').on('recheck_alert').columns(['run_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['recheck_alert', 'recheck_item', 'recheck_run'])
        await db.schema.dropTable(t).execute();
    },
  };
}

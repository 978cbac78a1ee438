import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Change-driven rechecks (issue #6 item 4). When a batch is committed, every standing roster family with a member
 * in it is marked (`recheck_mark`, one row per requester, family key and batch, written in the batch's own
 * transaction by one set-based statement); a `changed` run recomputes the marked families (and those without a
 * recent result) and carries the others forward (`recheck_item.status` `carried`), consuming the marks of the
 * families it recomputed. A run keeps its mode; its counters gain the carried families.
 */
export function recheckMarks(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('recheck_mark')
        .addColumn('id', sql.raw(pg ? 'bigserial' : 'integer'), (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('requester_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('family_key', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'integer', (c) => c.notNull().references('batch.id'))
        .addColumn('marked_at', 'text', (c) => c.notNull())
        .addColumn('consumed_by_run_id', 'integer', (c) => c.references('recheck_run.id'))
        .addUniqueConstraint('recheck_mark_family_batch_uq', [
          'requester_organisation_id',
          'family_key',
          'batch_id',
        ])
        .execute();
      // The marks still to consume, by requester and family: what a `changed` run reads.
      await sql`create index recheck_mark_open_idx on recheck_mark (requester_organisation_id, family_key) where consumed_by_run_id is null`.execute(
        db,
      );
      await db.schema
        .alterTable('recheck_run')
        .addColumn('mode', 'text', (c) => c.notNull().defaultTo('full'))
        .execute();
      await db.schema
        .alterTable('recheck_run')
        .addColumn('carried_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('recheck_run').dropColumn('carried_count').execute();
      await db.schema.alterTable('recheck_run').dropColumn('mode').execute();
      await db.schema.dropTable('recheck_mark').execute();
    },
  };
}

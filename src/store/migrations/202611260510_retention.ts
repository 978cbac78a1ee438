import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Retention and erasure (issue #8 item 8, docs/security.md): a purged batch keeps its row (provenance: dataset,
 * period, fingerprint, counts) with `purged_at`, its records are deleted; a purged case file keeps its row (name,
 * SM3) with `purged_at`, its bytes are deleted. Each run (job or command line) is kept in `retention_run`.
 */
export function retention(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('batch').addColumn('purged_at', 'text').execute();
      await db.schema.alterTable('case_attachment').addColumn('purged_at', 'text').execute();
      await db.schema.alterTable('case_document').addColumn('purged_at', 'text').execute();
      await db.schema
        .createTable('retention_run')
        .addColumn('id', sql.raw(pg ? 'serial' : 'integer'), (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addColumn('today', 'text', (c) => c.notNull())
        .addColumn('dry_run', 'integer', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        /** JSON: the counts of RetentionCounts. */
        .addColumn('counts', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('retention_run_started_idx')
        .on('retention_run')
        .column('started_at')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('retention_run').execute();
      await db.schema.alterTable('case_document').dropColumn('purged_at').execute();
      await db.schema.alterTable('case_attachment').dropColumn('purged_at').execute();
      await db.schema.alterTable('batch').dropColumn('purged_at').execute();
    },
  };
}

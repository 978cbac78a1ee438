import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Bulk export requests (issue #8 item 4): who asked for which file of many persons' data and why, the reviewer's
 * decision (four eyes), the one download and the keyed fingerprint its watermark carries.
 */
export function exportRequest(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('export_request')
        .addColumn('id', sql.raw(pg ? 'serial' : 'integer'), (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('case_id', 'integer')
        .addColumn('recheck_run_id', 'integer')
        .addColumn('requested_by', 'integer', (c) => c.notNull().references('app_user.id'))
        .addColumn('requested_by_name', 'text', (c) => c.notNull())
        .addColumn('requester_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('requester_region_code', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('decided_by_name', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('decision_note', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('downloaded_at', 'text')
        .addColumn('fingerprint', 'text')
        .addColumn('file_name', 'text')
        .execute();
      await db.schema
        .createIndex('export_request_requester_idx')
        .on('export_request')
        .columns(['requested_by', 'id'])
        .execute();
      await db.schema
        .createIndex('export_request_scope_idx')
        .on('export_request')
        .columns(['state', 'requester_region_code'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('export_request').execute();
    },
  };
}

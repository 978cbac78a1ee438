import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * The monthly recheck report (复核情况报告, issue #6 item 3): one PDF per run and requester, numbered per agency and
 * year like the case documents (document_counter), fingerprinted (SM3) and registered under a short code for the
 * public verification page. A recheck has no case, so its documents live here rather than in case_document.
 */
export function recheckReport(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('recheck_report')
        .addColumn('id', sql.raw(pg ? 'serial' : 'integer'), (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('run_id', 'integer', (c) => c.notNull().references('recheck_run.id'))
        .addColumn('requester_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('agency_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('short_code', 'text', (c) => c.notNull().unique())
        .addColumn('sm3', 'text', (c) => c.notNull())
        .addColumn('stored_file', 'text', (c) => c.notNull())
        .addColumn('issued_on', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('issued_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('issued_by_name', 'text')
        .addColumn('revoked_at', 'text')
        // Issued once per run and requester: a second issue (or a race) finds the first.
        .addUniqueConstraint('recheck_report_run_requester_uq', ['run_id', 'requester_organisation_id'])
        .execute();
      await db.schema
        .createIndex('recheck_report_requester_idx')
        .on('recheck_report')
        .columns(['requester_organisation_id', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('recheck_report').execute();
    },
  };
}

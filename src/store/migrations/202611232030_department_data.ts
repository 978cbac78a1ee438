import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/** Department data: batches with provenance, their records (identifiers encrypted), API keys, delivery rules, notices. */
export function departmentData(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const autoId = (big: boolean) => sql.raw(pg ? (big ? 'bigserial' : 'serial') : 'integer');
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('batch')
        .addColumn('id', autoId(false), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('period_first_month', 'text', (c) => c.notNull())
        .addColumn('period_last_month', 'text', (c) => c.notNull())
        .addColumn('department_code', 'text', (c) => c.notNull())
        .addColumn('organisation_id', 'integer', (c) => c.references('organisation.id'))
        .addColumn('uploader_user_id', 'integer', (c) => c.references('app_user.id'))
        .addColumn('api_key_id', 'integer')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text')
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('encoding', 'text')
        .addColumn('rows_read', 'integer', (c) => c.notNull())
        .addColumn('rows_stored', 'integer', (c) => c.notNull())
        .addColumn('duplicate_rows', 'integer', (c) => c.notNull())
        .addColumn('unmatched_rows', 'integer')
        .addColumn('error_count', 'integer', (c) => c.notNull())
        .addColumn('errors', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('superseded_by', 'integer')
        .addColumn('data_as_of', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('retracted_at', 'text')
        .addColumn('retracted_by', 'integer')
        .addColumn('retract_reason', 'text')
        .addColumn('report_file', 'text')
        .execute();
      await db.schema
        .createIndex('batch_dataset_period_idx')
        .on('batch')
        .columns(['dataset', 'period', 'status'])
        .execute();
      await db.schema
        .createIndex('batch_department_idx')
        .on('batch')
        .columns(['department_code', 'created_at'])
        .execute();

      await db.schema
        .createTable('record')
        .addColumn('id', autoId(true), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('batch_id', 'integer', (c) => c.notNull().references('batch.id'))
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('person_key', 'text')
        .addColumn('row_number', 'integer', (c) => c.notNull())
        .addColumn('row_hash', 'text', (c) => c.notNull())
        .addColumn('id_enc', 'text')
        .addColumn('name_enc', 'text')
        .addColumn('month', 'text')
        .addColumn('values', 'text', (c) => c.notNull())
        .execute();
      // Exact duplicate rows of one batch are stored once: the database decides, so memory stays flat.
      await db.schema
        .createIndex('record_batch_row_uq')
        .on('record')
        .columns(['batch_id', 'row_hash'])
        .unique()
        .execute();
      await db.schema
        .createIndex('record_person_idx')
        .on('record')
        .columns(['person_key', 'dataset'])
        .execute();

      await db.schema
        .createTable('api_key')
        .addColumn('id', autoId(false), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull().unique())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'integer')
        .addColumn('last_used_at', 'text')
        .execute();

      await db.schema
        .createTable('delivery_rule')
        .addColumn('dataset', 'text', (c) => c.primaryKey())
        .addColumn('frequency', 'text', (c) => c.notNull())
        .addColumn('due_day', 'integer', (c) => c.notNull())
        .addColumn('first_period', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer')
        .execute();

      await db.schema
        .createTable('notice')
        .addColumn('id', autoId(false), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .execute();
      await db.schema
        .createIndex('notice_org_idx')
        .on('notice')
        .columns(['organisation_id', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['notice', 'delivery_rule', 'api_key', 'record', 'batch'])
        await db.schema.dropTable(t).execute();
    },
  };
}

import type { Kysely } from 'kysely';

/**
 * Large uploads imported on the job queue (issue #9): one row per queued import, read by every instance for its
 * status (`GET /api/batches/imports/:id`), whichever instance runs the `ingest.import` job. The id is a random UUID
 * (an import's existence is itself information for another department).
 */
export function importJob() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('import_job')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('as_of', 'text')
        .addColumn('department_code', 'text', (c) => c.notNull())
        .addColumn('organisation_id', 'integer', (c) => c.references('organisation.id'))
        .addColumn('uploader_user_id', 'integer', (c) => c.references('app_user.id'))
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('stored_file', 'text')
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('runner_job_id', 'text')
        .addColumn('outcome', 'text')
        .addColumn('batch_id', 'integer', (c) => c.references('batch.id'))
        .addColumn('rows', 'integer')
        .addColumn('stored', 'integer')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('import_job_department_idx')
        .on('import_job')
        .columns(['department_code', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('import_job').execute();
    },
  };
}

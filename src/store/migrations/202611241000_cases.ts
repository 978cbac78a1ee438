import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Verification cases (issue #5): the case with its deadlines (each stamped with the calendar version), its
 * attachments (ID documents, the integrity pledge, one authorization per member — an authorization's
 * fingerprint may serve one case only), every step taken (the archive: nothing is deleted), and the documents
 * issued, numbered per agency, year and kind.
 */
export function cases(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const autoId = sql.raw(pg ? 'serial' : 'integer');
  const id = (
    c: Parameters<Parameters<ReturnType<Kysely<unknown>['schema']['createTable']>['addColumn']>[2] & {}>[0],
  ) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('verification_case')
        .addColumn('id', autoId, id)
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('requester_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
        .addColumn('assistance_type', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('member_count', 'integer', (c) => c.notNull())
        .addColumn('applicant_name_enc', 'text', (c) => c.notNull())
        .addColumn('household_enc', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('received_on', 'text', (c) => c.notNull())
        .addColumn('acceptance_due', 'text', (c) => c.notNull())
        .addColumn('accepted_on', 'text')
        .addColumn('report_due', 'text')
        .addColumn('ceiling_date', 'text')
        .addColumn('extension_workdays', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('calendar_version', 'text', (c) => c.notNull())
        .addColumn('handler_id', 'integer', (c) => c.references('app_user.id'))
        .addColumn('reviewer_id', 'integer', (c) => c.references('app_user.id'))
        .addColumn('original_handler_id', 'integer', (c) => c.references('app_user.id'))
        .addColumn('pending_request', 'text')
        .addColumn('assessment_id', 'integer', (c) => c.references('assessment.id'))
        .addColumn('reported_on', 'text')
        .addColumn('appeal_due', 'text')
        .addColumn('appealed_on', 'text')
        .addColumn('review_due', 'text')
        .addColumn('closed_on', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('verification_case_region_state_idx')
        .on('verification_case')
        .columns(['region_code', 'state'])
        .execute();

      await db.schema
        .createTable('case_attachment')
        .addColumn('id', autoId, id)
        .addColumn('case_id', 'integer', (c) => c.notNull().references('verification_case.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('member_index', 'integer')
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('sm3', 'text', (c) => c.notNull())
        .addColumn('stored_file', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'integer', (c) => c.references('app_user.id'))
        .execute();
      // 一事一授权: an authorization (by its fingerprint) serves one case only.
      await sql`create unique index case_authorization_uq on case_attachment (sm3) where kind = 'authorization'`.execute(
        db,
      );
      await db.schema
        .createIndex('case_attachment_case_idx')
        .on('case_attachment')
        .columns(['case_id'])
        .execute();

      await db.schema
        .createTable('case_event')
        .addColumn('id', autoId, id)
        .addColumn('case_id', 'integer', (c) => c.notNull().references('verification_case.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer', (c) => c.references('app_user.id'))
        .addColumn('actor_name', 'text')
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('case_event_case_idx')
        .on('case_event')
        .columns(['case_id', 'id'])
        .execute();

      await db.schema
        .createTable('case_document')
        .addColumn('id', autoId, id)
        .addColumn('case_id', 'integer', (c) => c.notNull().references('verification_case.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('short_code', 'text', (c) => c.notNull().unique())
        .addColumn('sm3', 'text', (c) => c.notNull())
        .addColumn('stored_file', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('issued_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('document_counter')
        .addColumn('scope', 'text', (c) => c.primaryKey())
        .addColumn('last', 'integer', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'document_counter',
        'case_document',
        'case_event',
        'case_attachment',
        'verification_case',
      ])
        await db.schema.dropTable(t).execute();
    },
  };
}

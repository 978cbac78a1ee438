import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Dishonesty records (失信记录, 庆阳细则第二十四条): numbered per agency and year, the persons concerned and the
 * facts encrypted, each person findable by the blind index of the ID number, the legal basis as quoted, and the
 * life draft → approved (or rejected) → revoked with who did what. Nothing is deleted. One draft or approved
 * record per case at a time.
 */
export function dishonesty(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const autoId = sql.raw(pg ? 'serial' : 'integer');
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('dishonesty_record')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('agency_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
        .addColumn('requester_organisation_id', 'integer', (c) => c.references('organisation.id'))
        .addColumn('source_kind', 'text', (c) => c.notNull())
        .addColumn('source_case_id', 'integer', (c) => c.references('verification_case.id'))
        .addColumn('source_alert_id', 'integer')
        .addColumn('subject_count', 'integer', (c) => c.notNull())
        .addColumn('subjects_enc', 'text', (c) => c.notNull())
        .addColumn('facts_enc', 'text', (c) => c.notNull())
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('drafted_by', 'integer', (c) => c.notNull().references('app_user.id'))
        .addColumn('drafted_at', 'text', (c) => c.notNull())
        .addColumn('approved_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('approved_at', 'text')
        .addColumn('approved_on', 'text')
        .addColumn('rejected_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('rejected_at', 'text')
        .addColumn('rejection_reason', 'text')
        .addColumn('notice_document_id', 'integer', (c) => c.references('case_document.id'))
        .addColumn('revoked_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('revoked_at', 'text')
        .addColumn('revocation_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('dishonesty_record_region_state_idx')
        .on('dishonesty_record')
        .columns(['region_code', 'state'])
        .execute();
      // One draft or approved record per case: a second suspension hook or manual draft cannot add another.
      await sql`create unique index dishonesty_record_case_active_uq on dishonesty_record (source_case_id)
        where state in ('draft', 'approved') and source_case_id is not null`.execute(db);
      await db.schema
        .createTable('dishonesty_subject')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('record_id', 'integer', (c) => c.notNull().references('dishonesty_record.id'))
        .addColumn('subject_index', 'integer', (c) => c.notNull())
        .addColumn('person_key', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('dishonesty_subject_person_idx')
        .on('dishonesty_subject')
        .columns(['person_key'])
        .execute();
      await db.schema
        .createIndex('dishonesty_subject_record_idx')
        .on('dishonesty_subject')
        .columns(['record_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('dishonesty_subject').execute();
      await db.schema.dropTable('dishonesty_record').execute();
    },
  };
}

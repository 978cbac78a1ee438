import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * The assessment engine (issue #4): stored results with the batches they used, decisions on possible matches,
 * department query interfaces, offline exchanges, and the columns that let records without an ID number be
 * found by birth date and records fetched for one case stay with that case.
 */
export function assessment(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const autoId = sql.raw(pg ? 'serial' : 'integer');
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // Records without a usable ID number carry the blind index of their birth date (matched by name + birth
      // date); records fetched for one case (query interface, offline reply) carry its reference.
      await db.schema.alterTable('record').addColumn('birth_key', 'text').execute();
      await db.schema.alterTable('record').addColumn('case_ref', 'text').execute();
      await db.schema.createIndex('record_birth_idx').on('record').columns(['birth_key']).execute();
      await db.schema.createIndex('record_case_idx').on('record').columns(['case_ref']).execute();

      await db.schema
        .createTable('offline_exchange')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('reference', 'text', (c) => c.notNull().unique())
        .addColumn('department_code', 'text', (c) => c.notNull())
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('organisation_id', 'integer', (c) => c.references('organisation.id'))
        .addColumn('region_code', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('persons_enc', 'text', (c) => c.notNull())
        .addColumn('person_count', 'integer', (c) => c.notNull())
        .addColumn('case_refs', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_by_name', 'text')
        .addColumn('answered_at', 'text')
        .addColumn('answered_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('answer_batch_id', 'integer', (c) => c.references('batch.id'))
        .execute();
      await db.schema.alterTable('batch').addColumn('exchange_id', 'integer').execute();

      await db.schema
        .createTable('query_interface')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('department_code', 'text', (c) => c.notNull())
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('config_enc', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
        .addUniqueConstraint('query_interface_dept_dataset_uq', ['department_code', 'dataset'])
        .execute();

      await db.schema
        .createTable('assessment')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('case_ref', 'text', (c) => c.notNull())
        .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
        .addColumn('assistance_type', 'text', (c) => c.notNull())
        .addColumn('policy_version_id', 'integer', (c) => c.references('policy_version.id'))
        .addColumn('policy_label', 'text', (c) => c.notNull())
        .addColumn('as_of_date', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('rerun_of', 'integer', (c) => c.references('assessment.id'))
        .addColumn('batch_ids', 'text', (c) => c.notNull())
        .addColumn('member_count', 'integer', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('input_enc', 'text', (c) => c.notNull())
        .addColumn('result_enc', 'text', (c) => c.notNull())
        .addColumn('organisation_id', 'integer', (c) => c.references('organisation.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_by_name', 'text')
        .execute();
      await db.schema
        .createIndex('assessment_case_idx')
        .on('assessment')
        .columns(['case_ref', 'id'])
        .execute();
      await db.schema
        .createIndex('assessment_region_idx')
        .on('assessment')
        .columns(['region_code', 'created_at'])
        .execute();

      await db.schema
        .createTable('match_decision')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('case_ref', 'text', (c) => c.notNull())
        .addColumn('person_key', 'text', (c) => c.notNull())
        .addColumn('record_id', 'integer', (c) => c.notNull().references('record.id'))
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('decided_by_name', 'text')
        .addUniqueConstraint('match_decision_uq', ['case_ref', 'person_key', 'record_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['match_decision', 'assessment', 'query_interface', 'offline_exchange'])
        await db.schema.dropTable(t).execute();
      await db.schema.dropIndex('record_case_idx').execute();
      await db.schema.dropIndex('record_birth_idx').execute();
      await db.schema.alterTable('record').dropColumn('case_ref').execute();
      await db.schema.alterTable('record').dropColumn('birth_key').execute();
      await db.schema.alterTable('batch').dropColumn('exchange_id').execute();
    },
  };
}

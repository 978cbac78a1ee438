import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Sub-requests to the agency above (庆阳细则第六条): what a county agency cannot verify itself goes, once its
 * reviewer approved, to the parent agency, whose findings come back into the case with their source. The
 * items (members with their ID numbers) and the findings are personal data: encrypted whole.
 */
export function caseEscalation(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const autoId = sql.raw(pg ? 'serial' : 'integer');
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('case_escalation')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('case_id', 'integer', (c) => c.notNull().references('verification_case.id'))
        .addColumn('requesting_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('target_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('item_count', 'integer', (c) => c.notNull())
        .addColumn('items_enc', 'text', (c) => c.notNull())
        .addColumn('findings_enc', 'text')
        .addColumn('due', 'text', (c) => c.notNull())
        .addColumn('calendar_version', 'text', (c) => c.notNull())
        .addColumn('proposed_by', 'integer', (c) => c.notNull().references('app_user.id'))
        .addColumn('proposed_at', 'text', (c) => c.notNull())
        .addColumn('approved_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('decided_at', 'text')
        .addColumn('decision_reason', 'text')
        .addColumn('answered_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('answered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('case_escalation_case_idx')
        .on('case_escalation')
        .columns(['case_id'])
        .execute();
      await db.schema
        .createIndex('case_escalation_target_idx')
        .on('case_escalation')
        .columns(['target_organisation_id', 'state'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('case_escalation').execute();
    },
  };
}

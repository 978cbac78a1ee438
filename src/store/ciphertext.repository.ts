import { type Kysely, sql, type Transaction } from 'kysely';
import type { CiphertextRepository } from '../app/ports.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Every whole-value ciphertext column outside `record` and `batch.errors`, by its SQL table and column. Key
 * rotation re-encrypts them all; a new encrypted column belongs in this list (a test checks the list against
 * the schema's `*_enc` columns).
 */
export const CIPHERTEXT_COLUMNS: Readonly<Record<string, { table: string; column: string; key?: string }>> = {
  'assessment.inputEnc': { table: 'assessment', column: 'input_enc' },
  'assessment.resultEnc': { table: 'assessment', column: 'result_enc' },
  'caseEscalation.findingsEnc': { table: 'case_escalation', column: 'findings_enc' },
  'caseEscalation.itemsEnc': { table: 'case_escalation', column: 'items_enc' },
  'dishonestyRecord.factsEnc': { table: 'dishonesty_record', column: 'facts_enc' },
  'dishonestyRecord.subjectsEnc': { table: 'dishonesty_record', column: 'subjects_enc' },
  'offlineExchange.personsEnc': { table: 'offline_exchange', column: 'persons_enc' },
  'queryInterface.configEnc': { table: 'query_interface', column: 'config_enc' },
  'recheckAlert.evidenceEnc': { table: 'recheck_alert', column: 'evidence_enc' },
  'recheckItem.summaryEnc': { table: 'recheck_item', column: 'summary_enc' },
  'rosterFamily.membersEnc': { table: 'roster_family', column: 'members_enc' },
  // TOTP secrets (confirmed and awaiting the first code), one row per user.
  'userSecondFactor.pendingEnc': { table: 'user_second_factor', column: 'pending_enc', key: 'user_id' },
  'userSecondFactor.secretEnc': { table: 'user_second_factor', column: 'secret_enc', key: 'user_id' },
  'verificationCase.applicantNameEnc': { table: 'verification_case', column: 'applicant_name_enc' },
  'verificationCase.householdEnc': { table: 'verification_case', column: 'household_enc' },
  // Webhook signing secrets (the current one and, for 24 h after a rotation, the previous one).
  'webhookSubscription.previousSecretEnc': { table: 'webhook_subscription', column: 'previous_secret_enc' },
  'webhookSubscription.secretEnc': { table: 'webhook_subscription', column: 'secret_enc' },
};

function target(column: string): { table: string; column: string; key: string } {
  const found = CIPHERTEXT_COLUMNS[column];
  if (found === undefined) throw new RangeError(`not a ciphertext column: ${column}`);
  return { key: 'id', ...found };
}

export function ciphertextRepository(db: Executor): CiphertextRepository {
  return {
    columns: () => Object.keys(CIPHERTEXT_COLUMNS),
    async page(column, afterId, limit) {
      const { table, column: name, key } = target(column);
      const result = await sql<{ id: number; value: string }>`
        select ${sql.ref(key)} as id, ${sql.ref(name)} as value from ${sql.table(table)}
        where ${sql.ref(key)} > ${afterId} and ${sql.ref(name)} is not null
        order by ${sql.ref(key)} limit ${limit}`.execute(db);
      return result.rows.map((row) => ({ id: Number(row.id), value: row.value }));
    },
    async update(column, id, value) {
      const { table, column: name, key } = target(column);
      await sql`update ${sql.table(table)} set ${sql.ref(name)} = ${value} where ${sql.ref(key)} = ${id}`.execute(
        db,
      );
    },
  };
}

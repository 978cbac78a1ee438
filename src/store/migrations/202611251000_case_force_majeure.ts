import type { Kysely } from 'kysely';

/**
 * Force majeure (Q§17 ¶2, issue #5 item 5): after the agency's notice, the requester may ask for more time;
 * those working days move the report's due date and the 20-working-day ceiling, and are kept apart from the
 * ordinary extensions (at most 5 working days, within the ceiling).
 */
export function caseForceMajeure() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('verification_case')
        .addColumn('force_majeure_workdays', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('verification_case').dropColumn('force_majeure_workdays').execute();
    },
  };
}

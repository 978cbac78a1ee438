import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * A notice may be addressed to one user of its organisation (issue #5: deadline reminders to a case's handler
 * and reviewer, escalations to each reviewer of the agency). Notices without a recipient stay addressed to the
 * whole organisation, as before.
 */
export function noticeRecipient(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('notice')
        .addColumn('recipient_user_id', 'integer', (c) => c.references('app_user.id'))
        .execute();
      await db.schema
        .createIndex('notice_recipient_idx')
        .on('notice')
        .columns(['recipient_user_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('notice_recipient_idx').execute();
      await db.schema.alterTable('notice').dropColumn('recipient_user_id').execute();
    },
  };
}

import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Second factor, login steps and login log (issue #8 items 1–2). `user_second_factor` holds a user's TOTP
 * secret (encrypted with the field crypto), the pending one of an enrolment not yet confirmed, and the last
 * time step used (a code is never accepted twice); `recovery_code` the SM3 hashes of single-use codes;
 * `session.stage` what a session may do (`full`, or a step of logging in); `login_event` every login attempt
 * of a known user with its IP and browser.
 */
export function secondFactor(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('user_second_factor')
        .addColumn('user_id', 'integer', (c) => c.primaryKey().references('app_user.id'))
        .addColumn('secret_enc', 'text')
        .addColumn('pending_enc', 'text')
        .addColumn('enabled_at', 'text')
        .addColumn('last_step', 'bigint')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('recovery_code')
        .addColumn('id', sql.raw(pg ? 'serial' : 'integer'), (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addUniqueConstraint('recovery_code_user_hash_uq', ['user_id', 'code_hash'])
        .execute();
      await db.schema
        .alterTable('session')
        .addColumn('stage', 'text', (c) => c.notNull().defaultTo('full'))
        .execute();
      await db.schema
        .createTable('login_event')
        .addColumn('id', sql.raw(pg ? 'bigserial' : 'integer'), (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema
        .createIndex('login_event_user_idx')
        .on('login_event')
        .columns(['user_id', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('login_event').execute();
      await db.schema.alterTable('session').dropColumn('stage').execute();
      await db.schema.dropTable('recovery_code').execute();
      await db.schema.dropTable('user_second_factor').execute();
    },
  };
}

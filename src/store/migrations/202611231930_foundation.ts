import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/** Accounts, organisations, sessions, the audit chain and the working-day calendar. */
export function foundation(dialect: Dialect) {
  const autoId = dialect === 'postgres' ? 'serial' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('region')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('parent_code', 'text')
        .execute();
      await db.schema.createIndex('region_parent_idx').on('region').column('parent_code').execute();

      await db.schema
        .createTable('organisation')
        .addColumn('id', sql.raw(autoId), (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
        .addColumn('parent_id', 'integer', (c) => c.references('organisation.id'))
        .addColumn('department_code', 'text')
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('organisation_region_idx')
        .on('organisation')
        .column('region_code')
        .execute();

      await db.schema
        .createTable('app_user')
        .addColumn('id', sql.raw(autoId), (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('failed_login_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .addColumn('last_login_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_role')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_role_pk', ['user_id', 'role'])
        .execute();

      await db.schema
        .createTable('session')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('ended_at', 'text')
        .addColumn('end_reason', 'text')
        .execute();
      await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_user_id', 'integer')
        .addColumn('actor_name', 'text')
        .addColumn('actor_roles', 'text', (c) => c.notNull())
        .addColumn('organisation_id', 'integer')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('object_type', 'text')
        .addColumn('object_id', 'text')
        .addColumn('case_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
      await db.schema.createIndex('audit_log_case_idx').on('audit_log').column('case_id').execute();
      await db.schema.createIndex('audit_log_actor_idx').on('audit_log').column('actor_user_id').execute();

      // One row holding the chain's head, so deleting the newest entries is detected too.
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('calendar_year')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('published_on', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer')
        .execute();
      await db.schema
        .createTable('calendar_day')
        .addColumn('date', 'text', (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull().references('calendar_year.year'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('calendar_day_year_idx').on('calendar_day').column('year').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'calendar_day',
        'calendar_year',
        'audit_head',
        'audit_log',
        'session',
        'user_role',
        'app_user',
        'organisation',
        'region',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}

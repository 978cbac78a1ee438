import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/** Policy profiles per region and assistance type, and their immutable published versions (SPEC §4). */
export function policyProfiles(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const autoId = sql.raw(pg ? 'serial' : 'integer');
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('policy_profile')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
        .addColumn('assistance_type', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addUniqueConstraint('policy_profile_region_type_uq', ['region_code', 'assistance_type'])
        .execute();

      await db.schema
        .createTable('policy_version')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('profile_id', 'integer', (c) => c.notNull().references('policy_profile.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull().unique())
        .addColumn('window_months', 'integer', (c) => c.notNull())
        .addColumn('exempt_subsidy_items', 'text', (c) => c.notNull())
        .addColumn('tolerance_fen', 'text', (c) => c.notNull())
        .addColumn('serious_multiple', 'double precision', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('published_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('published_by_name', 'text')
        .addUniqueConstraint('policy_version_profile_version_uq', ['profile_id', 'version'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['policy_version', 'policy_profile']) await db.schema.dropTable(t).execute();
    },
  };
}

import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Recipient rosters (issue #6 item 1): each requester's recipients, versioned month by month. A version is
 * never changed or deleted; uploading the same requester and month again supersedes it (kept). Families hold
 * their members encrypted, and one `roster_member` row per member carries only the blind index of the ID
 * number, so a recheck finds "the roster of requester R for month M" with one indexed read and a new batch's
 * persons are traced to roster families without decrypting anything.
 */
export function roster(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const autoId = (big: boolean) => sql.raw(pg ? (big ? 'bigserial' : 'serial') : 'integer');
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('roster_version')
        .addColumn('id', autoId(false), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('requester_organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text')
        .addColumn('sm3', 'text', (c) => c.notNull())
        .addColumn('family_count', 'integer', (c) => c.notNull())
        .addColumn('member_count', 'integer', (c) => c.notNull())
        .addColumn('authorization_missing_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
        .addColumn('created_by_name', 'text')
        .addColumn('superseded', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('superseded_at', 'text')
        .addColumn('superseded_by', 'integer')
        .execute();
      // One current version per requester and month: two imports racing cannot both stand.
      await sql`create unique index roster_version_current_uq on roster_version (requester_organisation_id, month) where superseded = 0`.execute(
        db,
      );
      await db.schema
        .createIndex('roster_version_org_month_idx')
        .on('roster_version')
        .columns(['requester_organisation_id', 'month', 'id'])
        .execute();

      await db.schema
        .createTable('roster_family')
        .addColumn('id', autoId(true), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('version_id', 'integer', (c) => c.notNull().references('roster_version.id'))
        .addColumn('family_key', 'text', (c) => c.notNull())
        .addColumn('region_code', 'text', (c) => c.notNull().references('region.code'))
        .addColumn('assistance_type', 'text', (c) => c.notNull())
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('monthly_amount_fen', 'bigint', (c) => c.notNull())
        .addColumn('member_count', 'integer', (c) => c.notNull())
        .addColumn('members_enc', 'text', (c) => c.notNull())
        .addColumn('authorization_case_id', 'integer', (c) => c.references('verification_case.id'))
        .addColumn('authorization_sm3', 'text')
        .addColumn('authorization_on_file', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('roster_family_version_key_uq')
        .on('roster_family')
        .columns(['version_id', 'family_key'])
        .unique()
        .execute();

      await db.schema
        .createTable('roster_member')
        .addColumn('id', autoId(true), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('family_id', 'bigint', (c) => c.notNull().references('roster_family.id'))
        .addColumn('version_id', 'integer', (c) => c.notNull().references('roster_version.id'))
        .addColumn('member_index', 'integer', (c) => c.notNull())
        .addColumn('person_key', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('roster_member_person_idx')
        .on('roster_member')
        .columns(['person_key', 'version_id'])
        .execute();
      await db.schema
        .createIndex('roster_member_family_idx')
        .on('roster_member')
        .columns(['family_id', 'member_index'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['roster_member', 'roster_family', 'roster_version'])
        await db.schema.dropTable(t).execute();
    },
  };
}

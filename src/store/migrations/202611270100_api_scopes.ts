import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * The integration API (issue #9 item 5): scopes on API keys (space-separated, RFC 6749 §3.3; the department keys
 * already issued get the department scopes), OAuth2 client-credentials access tokens (only their SM3 hash, with
 * the scopes granted and the expiry; they die with their key), and the entrustments submitted over the API with
 * the requester system's own reference and idempotency key (a retry finds its case instead of making another).
 */
export function apiScopes(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const autoId = sql.raw(pg ? 'serial' : 'integer');
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('api_key')
        .addColumn('scopes', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await sql`update api_key set scopes = 'batches:write exchanges:write'
        where organisation_id in (select id from organisation where kind = 'department')`.execute(db);

      await db.schema
        .createTable('oauth_token')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('api_key_id', 'integer', (c) => c.notNull().references('api_key.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oauth_token_key_idx').on('oauth_token').columns(['api_key_id']).execute();

      await db.schema
        .createTable('api_entrustment')
        .addColumn('id', autoId, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
        .addColumn('case_id', 'integer', (c) => c.references('verification_case.id'))
        .addColumn('external_ref', 'text')
        .addColumn('idempotency_key', 'text')
        .addColumn('api_key_id', 'integer', (c) => c.references('api_key.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('api_entrustment_ref_uq')
        .on('api_entrustment')
        .columns(['organisation_id', 'external_ref'])
        .unique()
        .execute();
      await db.schema
        .createIndex('api_entrustment_idem_uq')
        .on('api_entrustment')
        .columns(['organisation_id', 'idempotency_key'])
        .unique()
        .execute();
      await db.schema
        .createIndex('api_entrustment_case_idx')
        .on('api_entrustment')
        .columns(['case_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('api_entrustment').execute();
      await db.schema.dropTable('oauth_token').execute();
      await db.schema.alterTable('api_key').dropColumn('scopes').execute();
    },
  };
}

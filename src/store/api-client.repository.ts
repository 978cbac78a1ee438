import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ApiEntrustmentRepository, OAuthTokenRecord, OAuthTokenRepository } from '../app/ports.ts';
import { type ApiScope, isApiScope } from '../domain/access/scopes.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** A stored space-separated scope list; unknown words (a scope since withdrawn) are dropped. */
export function scopesOf(text: string): ApiScope[] {
  return text.split(' ').filter(isApiScope);
}

export function oauthTokenRepository(db: Executor): OAuthTokenRepository {
  const toRecord = (row: Selectable<DB['oauthToken']>): OAuthTokenRecord => ({
    ...row,
    scopes: scopesOf(row.scopes),
  });
  return {
    async create(t) {
      const row = await db
        .insertInto('oauthToken')
        .values({ ...t, scopes: t.scopes.join(' ') })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async getByHash(tokenHash) {
      const row = await db
        .selectFrom('oauthToken')
        .selectAll()
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async purgeExpired(at) {
      const r = await db.deleteFrom('oauthToken').where('expiresAt', '<', at).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export function apiEntrustmentRepository(db: Executor): ApiEntrustmentRepository {
  return {
    async reserve(row) {
      // Either unique index (organisation + reference, organisation + key) refuses a second reservation.
      const created = await db
        .insertInto('apiEntrustment')
        .values({ ...row, caseId: null })
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      return created ?? null;
    },
    async find(organisationId, keys) {
      if (keys.externalRef === null && keys.idempotencyKey === null) return undefined;
      return db
        .selectFrom('apiEntrustment')
        .selectAll()
        .where('organisationId', '=', organisationId)
        .where((eb) =>
          eb.or([
            ...(keys.externalRef !== null ? [eb('externalRef', '=', keys.externalRef)] : []),
            ...(keys.idempotencyKey !== null ? [eb('idempotencyKey', '=', keys.idempotencyKey)] : []),
          ]),
        )
        .orderBy('id')
        .executeTakeFirst();
    },
    async attach(id, caseId) {
      await db.updateTable('apiEntrustment').set({ caseId }).where('id', '=', id).execute();
    },
    async release(id) {
      await db.deleteFrom('apiEntrustment').where('id', '=', id).where('caseId', 'is', null).execute();
    },
    async byCases(caseIds) {
      if (caseIds.length === 0) return [];
      return db
        .selectFrom('apiEntrustment')
        .selectAll()
        .where('caseId', 'in', [...caseIds])
        .execute();
    },
  };
}

import type { Kysely, Transaction } from 'kysely';
import type {
  AccountSecurityRepository,
  LoginEventOutcome,
  LoginEventStep,
} from '../app/auth/account-security.port.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import type { LoginStage } from '../domain/auth/login-stage.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export function accountSecurityRepository(db: Executor): AccountSecurityRepository {
  return {
    async secondFactor(userId) {
      const r = await db
        .selectFrom('userSecondFactor')
        .select(['userId', 'secretEnc', 'pendingEnc', 'enabledAt', 'lastStep'])
        .where('userId', '=', userId)
        .executeTakeFirst();
      return r ? { ...r, lastStep: r.lastStep === null ? null : Number(r.lastStep) } : undefined;
    },
    async enrolledUserIds(userIds) {
      if (userIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('userSecondFactor')
        .select('userId')
        .where('userId', 'in', [...userIds])
        .where('secretEnc', 'is not', null)
        .execute();
      return new Set(rows.map((r) => r.userId));
    },
    async setPendingSecret(userId, pendingEnc, at) {
      await db
        .insertInto('userSecondFactor')
        .values({ userId, pendingEnc, secretEnc: null, enabledAt: null, lastStep: null, updatedAt: at })
        .onConflict((oc) => oc.column('userId').doUpdateSet({ pendingEnc, updatedAt: at }))
        .execute();
    },
    async confirmSecret(userId, secretEnc, step, at) {
      await db
        .updateTable('userSecondFactor')
        .set({ secretEnc, pendingEnc: null, enabledAt: at, lastStep: step, updatedAt: at })
        .where('userId', '=', userId)
        .execute();
    },
    async consumeStep(userId, step) {
      const r = await db
        .updateTable('userSecondFactor')
        .set({ lastStep: step })
        .where('userId', '=', userId)
        .where((eb) => eb.or([eb('lastStep', 'is', null), eb('lastStep', '<', step)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async removeSecondFactor(userId) {
      await db.deleteFrom('recoveryCode').where('userId', '=', userId).execute();
      const r = await db
        .deleteFrom('userSecondFactor')
        .where('userId', '=', userId)
        .returning('secretEnc')
        .executeTakeFirst();
      return Boolean(r?.secretEnc);
    },
    async replaceRecoveryCodes(userId, codeHashes, at) {
      await db.deleteFrom('recoveryCode').where('userId', '=', userId).execute();
      if (codeHashes.length > 0)
        await db
          .insertInto('recoveryCode')
          .values(codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: at, usedAt: null })))
          .execute();
    },
    async consumeRecoveryCode(userId, codeHash, at) {
      const r = await db
        .updateTable('recoveryCode')
        .set({ usedAt: at })
        .where('userId', '=', userId)
        .where('codeHash', '=', codeHash)
        .where('usedAt', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async recoveryCodesLeft(userId) {
      const r = await db
        .selectFrom('recoveryCode')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('userId', '=', userId)
        .where('usedAt', 'is', null)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async addLoginEvent(event) {
      await db.insertInto('loginEvent').values(event).execute();
    },
    async loginEvents(userId, page) {
      const rows = await db
        .selectFrom('loginEvent')
        .selectAll()
        .where('userId', '=', userId)
        .orderBy('id', 'desc')
        .offset(page.offset)
        .limit(page.limit)
        .execute();
      const total = await db
        .selectFrom('loginEvent')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('userId', '=', userId)
        .executeTakeFirst();
      return {
        items: rows.map((r) => ({
          ...r,
          id: Number(r.id),
          step: r.step as LoginEventStep,
          outcome: r.outcome as LoginEventOutcome,
        })),
        total: Number(total?.n ?? 0),
      };
    },
    async openSessions(filter) {
      const prefix = filter.regionScope === null ? null : `${regionScopePrefix(filter.regionScope)}%`;
      const rows = await db
        .selectFrom('session as s')
        .innerJoin('appUser as u', 'u.id', 's.userId')
        .innerJoin('organisation as o', 'o.id', 'u.organisationId')
        .select([
          's.idHash',
          's.userId',
          'u.username',
          'u.displayName',
          'o.name as organisationName',
          's.stage',
          's.createdAt',
          's.lastSeenAt',
          's.expiresAt',
          's.ip',
          's.userAgent',
        ])
        .where('s.endedAt', 'is', null)
        .where('s.expiresAt', '>', filter.now)
        .where('s.lastSeenAt', '>', filter.seenSince)
        .$if(prefix !== null, (q) => q.where('o.regionCode', 'like', prefix as string))
        .orderBy('s.lastSeenAt', 'desc')
        .limit(1000)
        .execute();
      return rows.map((r) => ({ ...r, stage: r.stage as LoginStage }));
    },
  };
}

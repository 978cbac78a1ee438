import { AppError } from '../../domain/shared/errors.ts';
import type { LoginEvent, OpenSession } from '../auth/account-security.port.ts';
import type { Actor, Deps } from '../ports.ts';
import { userInScope } from './update-user.ts';

/**
 * The administrator removes a user's second factor (lost phone): its secret and recovery codes go, every
 * session of the user ends, and the user must enrol again at the next login (where the factor is required).
 */
export async function resetSecondFactor(deps: Deps, userId: number, actor: Actor): Promise<void> {
  await userInScope(deps, actor, userId);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    const hadFactor = await tx.accountSecurity.removeSecondFactor(userId);
    const endedSessions = await tx.sessions.endAllForUser(userId, at, 'SECOND_FACTOR_RESET');
    await tx.audit.append(
      actor,
      {
        action: 'USER_SECOND_FACTOR_RESET',
        outcome: 'success',
        objectType: 'user',
        objectId: String(userId),
        details: { hadFactor, endedSessions },
      },
      at,
    );
  });
}

/** Forced logout of every session of a user. */
export async function endUserSessions(deps: Deps, userId: number, actor: Actor): Promise<number> {
  await userInScope(deps, actor, userId);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const endedSessions = await tx.sessions.endAllForUser(userId, at, 'FORCED_LOGOUT');
    await tx.audit.append(
      actor,
      {
        action: 'SESSION_FORCED_LOGOUT',
        outcome: 'success',
        objectType: 'user',
        objectId: String(userId),
        details: { endedSessions },
      },
      at,
    );
    return endedSessions;
  });
}

/** Forced logout of one session, named by its identifier's hash (never the token itself). */
export async function endSession(deps: Deps, idHash: string, actor: Actor): Promise<void> {
  const session = await deps.store.sessions.get(idHash);
  if (!session || session.endedAt) throw new AppError('NOT_FOUND', '会话不存在或已结束');
  await userInScope(deps, actor, session.userId);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.sessions.end(idHash, at, 'FORCED_LOGOUT');
    await tx.audit.append(
      actor,
      {
        action: 'SESSION_FORCED_LOGOUT',
        outcome: 'success',
        objectType: 'user',
        objectId: String(session.userId),
        details: { endedSessions: 1, sessionCreatedAt: session.createdAt, ip: session.ip },
      },
      at,
    );
  });
}

/** 在线会话: sessions neither ended, expired nor idle, of users in the administrator's scope. */
export async function listOpenSessions(deps: Deps, actor: Actor): Promise<OpenSession[]> {
  const now = deps.clock.now();
  return deps.store.accountSecurity.openSessions({
    regionScope: actor.regionCode,
    now: now.toISOString(),
    seenSince: new Date(now.getTime() - deps.settings.sessionIdleMinutes * 60_000).toISOString(),
  });
}

/** A user's 登录记录 as an administrator sees it (audited: when and from where staff work is personal data). */
export async function userLoginLog(
  deps: Deps,
  userId: number,
  page: { offset: number; limit: number },
  actor: Actor,
): Promise<{ items: LoginEvent[]; total: number }> {
  await userInScope(deps, actor, userId);
  const result = await deps.store.accountSecurity.loginEvents(userId, page);
  await deps.store.audit.append(
    actor,
    { action: 'LOGIN_LOG_VIEWED', outcome: 'success', objectType: 'user', objectId: String(userId) },
    deps.clock.now().toISOString(),
  );
  return result;
}

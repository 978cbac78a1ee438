import type { LoginStage } from '../../domain/auth/login-stage.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, OrganisationRecord, UserRecord } from '../ports.ts';
import { dummyPasswordHash, verifyPassword } from '../security/password.ts';
import { issueSession, loginEvent, stageAfter } from './login-steps.ts';

export interface LoginInput {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

export interface LoginResult {
  token: string;
  user: UserRecord;
  organisation: OrganisationRecord;
  expiresAt: string;
  /** `full`, or the next step of logging in (the session reaches only that step's routes). */
  stage: LoginStage;
}

const INVALID = '用户名或密码错误';

function actorOf(user: UserRecord | undefined, input: LoginInput): Actor {
  return {
    userId: user?.id ?? null,
    name: user?.displayName ?? null,
    roles: user?.roles ?? [],
    organisationId: user?.organisationId ?? null,
    regionCode: null,
    ip: input.ip,
    userAgent: input.userAgent,
  };
}

/**
 * Checks the password, counts failures and locks the account after too many; on success opens a
 * session. Every outcome is audited in the same transaction as the change it makes.
 */
export async function login(deps: Deps, input: LoginInput): Promise<LoginResult> {
  const { store, clock, settings } = deps;
  const now = clock.now();
  const at = now.toISOString();
  const username = input.username.trim();
  const user = await store.users.getByUsername(username);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  const actor = actorOf(user, input);

  if (!user) {
    await store.audit.append(
      actor,
      { action: 'LOGIN_FAILED', outcome: 'failure', details: { username, reason: 'UNKNOWN_USER' } },
      at,
    );
    throw new AppError('INVALID_CREDENTIALS', INVALID);
  }
  if (user.lockedUntil && user.lockedUntil > at) {
    await store.transaction(async (tx) => {
      await loginEvent(deps, tx, user.id, actor, 'password', 'denied', 'LOCKED');
      await tx.audit.append(
        actor,
        {
          action: 'LOGIN_FAILED',
          outcome: 'denied',
          objectType: 'user',
          objectId: String(user.id),
          details: { username, reason: 'LOCKED' },
        },
        at,
      );
    });
    throw new AppError(
      'ACCOUNT_LOCKED',
      `账户因多次登录失败已锁定，请于 ${user.lockedUntil} 后重试或联系管理员解锁`,
      {
        lockedUntil: user.lockedUntil,
      },
    );
  }
  if (!passwordOk) {
    const failures = user.failedLoginCount + 1;
    const locks = failures >= settings.lockoutThreshold;
    const lockedUntil = locks
      ? new Date(now.getTime() + settings.lockoutMinutes * 60_000).toISOString()
      : null;
    await store.transaction(async (tx) => {
      await tx.users.update(user.id, { failedLoginCount: locks ? 0 : failures, lockedUntil });
      await loginEvent(
        deps,
        tx,
        user.id,
        actor,
        'password',
        'failure',
        locks ? 'BAD_PASSWORD_LOCKED' : 'BAD_PASSWORD',
      );
      await tx.audit.append(
        actor,
        {
          action: 'LOGIN_FAILED',
          outcome: 'failure',
          objectType: 'user',
          objectId: String(user.id),
          details: { username, reason: 'BAD_PASSWORD', failures },
        },
        at,
      );
      if (locks)
        await tx.audit.append(
          actor,
          {
            action: 'ACCOUNT_LOCKED',
            outcome: 'success',
            objectType: 'user',
            objectId: String(user.id),
            details: { username, lockedUntil },
          },
          at,
        );
    });
    if (locks)
      throw new AppError('ACCOUNT_LOCKED', `连续 ${failures} 次登录失败，账户已锁定至 ${lockedUntil}`, {
        lockedUntil,
      });
    // Same answer as for an unknown user: a remaining-attempts count would tell which usernames exist.
    throw new AppError('INVALID_CREDENTIALS', INVALID);
  }
  const organisation = await store.organisations.get(user.organisationId);
  if (!user.active || !organisation?.active) {
    await store.transaction(async (tx) => {
      await loginEvent(deps, tx, user.id, actor, 'password', 'denied', 'DISABLED');
      await tx.audit.append(
        actor,
        {
          action: 'LOGIN_FAILED',
          outcome: 'denied',
          objectType: 'user',
          objectId: String(user.id),
          details: { username, reason: 'DISABLED' },
        },
        at,
      );
    });
    throw new AppError('ACCOUNT_DISABLED', '账户或所属机构已停用，请联系管理员');
  }
  const stage = await stageAfter(deps, 'password', user);
  const issued = await store.transaction(async (tx) => {
    // Failures are reset only once the second factor is passed too: re-entering the password must not buy
    // more guesses at the code.
    if (stage !== 'second_factor')
      await tx.users.update(user.id, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: at });
    await loginEvent(
      deps,
      tx,
      user.id,
      actor,
      'password',
      'success',
      stage === 'full' ? null : `NEXT_${stage.toUpperCase()}`,
    );
    return issueSession(deps, tx, {
      user,
      organisation,
      stage,
      previousIdHash: null,
      actor,
      method: 'password',
    });
  });
  return {
    token: issued.token,
    user: { ...user, lastLoginAt: at },
    organisation,
    expiresAt: issued.expiresAt,
    stage,
  };
}

import { secondFactorRequired } from '../../domain/auth/login-stage.ts';
import {
  looksLikeRecoveryCode,
  newRecoveryCodes,
  recoveryCodeHash,
} from '../../domain/auth/recovery-codes.ts';
import { base32Decode, matchTotp, newTotpSecret, otpauthUri } from '../../domain/auth/totp.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, UserRecord } from '../ports.ts';
import { type IssuedSession, issueSession, loginEvent, stageAfter } from './login-steps.ts';
import type { AuthContext } from './resolve-session.ts';

const ISSUER = '核对平台';
const WRONG_CODE = '验证码不正确或已使用，请输入身份验证器中的最新验证码';

function userActor(auth: AuthContext, actor: Actor): Actor {
  return { ...actor, userId: auth.user.id, name: auth.user.displayName, roles: auth.user.roles };
}

/** The code matched against the user's secret: its step, or null (wrong, out of window, or replayed). */
function totpStepOf(deps: Deps, secretEnc: string, lastStep: number | null, code: string): number | null {
  const secret = base32Decode(deps.crypto.decrypt(secretEnc));
  return matchTotp(secret, code.trim(), deps.clock.now().getTime(), { window: 1, lastUsedStep: lastStep });
}

/**
 * The second step of logging in: a TOTP code (±1 step, each step once) or an unused recovery code. On success
 * the session is replaced by one with a new identifier at the next step (usually `full`). Wrong codes count
 * towards the lockout like wrong passwords, and a lockout ends the half-open session.
 */
export async function verifySecondFactor(
  deps: Deps,
  auth: AuthContext,
  code: string,
  actor: Actor,
): Promise<IssuedSession> {
  const { store } = deps;
  const at = deps.clock.now().toISOString();
  const user = auth.user;
  const who = userActor(auth, actor);
  if (user.lockedUntil && user.lockedUntil > at)
    throw new AppError(
      'ACCOUNT_LOCKED',
      `账户因多次验证失败已锁定，请于 ${user.lockedUntil} 后重试或联系管理员解锁`,
      {
        lockedUntil: user.lockedUntil,
      },
    );
  const factor = await store.accountSecurity.secondFactor(user.id);
  if (!factor?.secretEnc) throw new AppError('SECOND_FACTOR_ENROLMENT_REQUIRED', '尚未绑定身份验证器');
  const recovery = looksLikeRecoveryCode(code);
  let reason: string | null = null;
  const step = recovery ? null : totpStepOf(deps, factor.secretEnc, factor.lastStep, code);
  // Read before the transaction: on SQLite a read outside it would wait for the one connection it holds.
  const next = await stageAfter(deps, 'second_factor', user);
  const outcome = await store.transaction(async (tx) => {
    const accepted = recovery
      ? await tx.accountSecurity.consumeRecoveryCode(user.id, recoveryCodeHash(user.id, code), at)
      : step !== null && (await tx.accountSecurity.consumeStep(user.id, step));
    if (!accepted) {
      reason = recovery ? 'BAD_RECOVERY_CODE' : 'BAD_TOTP';
      return null;
    }
    await tx.users.update(user.id, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: at });
    await loginEvent(deps, tx, user.id, who, 'second_factor', 'success', recovery ? 'RECOVERY_CODE' : null);
    if (recovery) {
      const left = await tx.accountSecurity.recoveryCodesLeft(user.id);
      await tx.audit.append(
        who,
        {
          action: 'RECOVERY_CODE_USED',
          outcome: 'success',
          objectType: 'user',
          objectId: String(user.id),
          details: { left },
        },
        at,
      );
    }
    return issueSession(deps, tx, {
      user,
      organisation: auth.organisation,
      stage: next,
      previousIdHash: auth.sessionIdHash,
      actor: who,
      method: recovery ? 'recovery_code' : 'totp',
    });
  });
  if (outcome) return outcome;
  await countFailure(deps, auth, who, reason ?? 'BAD_TOTP');
  throw new AppError('INVALID_SECOND_FACTOR', WRONG_CODE);
}

async function countFailure(deps: Deps, auth: AuthContext, who: Actor, reason: string): Promise<void> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const fresh = (await deps.store.users.get(auth.user.id)) as UserRecord;
  const failures = fresh.failedLoginCount + 1;
  const locks = failures >= deps.settings.lockoutThreshold;
  const lockedUntil = locks
    ? new Date(now.getTime() + deps.settings.lockoutMinutes * 60_000).toISOString()
    : null;
  await deps.store.transaction(async (tx) => {
    await tx.users.update(fresh.id, { failedLoginCount: locks ? 0 : failures, lockedUntil });
    await loginEvent(deps, tx, fresh.id, who, 'second_factor', 'failure', reason);
    await tx.audit.append(
      who,
      {
        action: 'SECOND_FACTOR_FAILED',
        outcome: 'failure',
        objectType: 'user',
        objectId: String(fresh.id),
        details: { reason, failures },
      },
      at,
    );
    if (locks) {
      await tx.sessions.end(auth.sessionIdHash, at, 'ACCOUNT_LOCKED');
      await tx.audit.append(
        who,
        {
          action: 'ACCOUNT_LOCKED',
          outcome: 'success',
          objectType: 'user',
          objectId: String(fresh.id),
          details: { username: fresh.username, lockedUntil },
        },
        at,
      );
    }
  });
  if (locks)
    throw new AppError('ACCOUNT_LOCKED', `连续 ${failures} 次验证失败，账户已锁定至 ${lockedUntil}`, {
      lockedUntil,
    });
}

export interface Enrolment {
  secret: string;
  otpauthUri: string;
}

/**
 * Generates a new secret, kept pending (encrypted) until a first code confirms it. A user with a confirmed
 * factor must have it reset by an administrator first: enrolling anew would let a stolen session replace it.
 */
export async function startEnrolment(deps: Deps, auth: AuthContext): Promise<Enrolment> {
  const existing = await deps.store.accountSecurity.secondFactor(auth.user.id);
  if (existing?.secretEnc) throw new AppError('CONFLICT', '已绑定身份验证器；如需更换，请联系管理员重置');
  const secret = newTotpSecret();
  await deps.store.accountSecurity.setPendingSecret(
    auth.user.id,
    deps.crypto.encrypt(secret),
    deps.clock.now().toISOString(),
  );
  return { secret, otpauthUri: otpauthUri({ issuer: ISSUER, account: auth.user.username, secret }) };
}

/**
 * A first code confirms the pending secret; 10 recovery codes are issued (shown once, stored hashed). A session
 * at the enrolment step moves on with a new identifier; a full session stays as it is.
 */
export async function confirmEnrolment(
  deps: Deps,
  auth: AuthContext,
  code: string,
  actor: Actor,
): Promise<{ recoveryCodes: string[]; session: IssuedSession | null }> {
  const at = deps.clock.now().toISOString();
  const factor = await deps.store.accountSecurity.secondFactor(auth.user.id);
  if (factor?.secretEnc) throw new AppError('CONFLICT', '已绑定身份验证器');
  if (!factor?.pendingEnc) throw new AppError('CONFLICT', '请先生成绑定二维码');
  const secret = base32Decode(deps.crypto.decrypt(factor.pendingEnc));
  const step = matchTotp(secret, code.trim(), deps.clock.now().getTime(), { window: 1 });
  const who = userActor(auth, actor);
  if (step === null) throw new AppError('INVALID_SECOND_FACTOR', WRONG_CODE);
  const recoveryCodes = newRecoveryCodes();
  const next = await stageAfter(deps, 'enrol', auth.user);
  const session = await deps.store.transaction(async (tx) => {
    await tx.accountSecurity.confirmSecret(auth.user.id, factor.pendingEnc as string, step, at);
    await tx.accountSecurity.replaceRecoveryCodes(
      auth.user.id,
      recoveryCodes.map((c) => recoveryCodeHash(auth.user.id, c)),
      at,
    );
    await tx.audit.append(
      who,
      {
        action: 'SECOND_FACTOR_ENROLLED',
        outcome: 'success',
        objectType: 'user',
        objectId: String(auth.user.id),
        details: { recoveryCodes: recoveryCodes.length },
      },
      at,
    );
    if (auth.stage !== 'enrol') return null;
    return issueSession(deps, tx, {
      user: auth.user,
      organisation: auth.organisation,
      stage: next,
      previousIdHash: auth.sessionIdHash,
      actor: who,
      method: 'enrolment',
    });
  });
  return { recoveryCodes, session };
}

/** New recovery codes (the old ones stop working), against a current TOTP code. */
export async function regenerateRecoveryCodes(
  deps: Deps,
  auth: AuthContext,
  code: string,
  actor: Actor,
): Promise<string[]> {
  const at = deps.clock.now().toISOString();
  const factor = await deps.store.accountSecurity.secondFactor(auth.user.id);
  if (!factor?.secretEnc) throw new AppError('CONFLICT', '尚未绑定身份验证器');
  const step = totpStepOf(deps, factor.secretEnc, factor.lastStep, code);
  const who = userActor(auth, actor);
  const recoveryCodes = newRecoveryCodes();
  const ok = await deps.store.transaction(async (tx) => {
    if (step === null || !(await tx.accountSecurity.consumeStep(auth.user.id, step))) return false;
    await tx.accountSecurity.replaceRecoveryCodes(
      auth.user.id,
      recoveryCodes.map((c) => recoveryCodeHash(auth.user.id, c)),
      at,
    );
    await tx.audit.append(
      who,
      {
        action: 'RECOVERY_CODES_REGENERATED',
        outcome: 'success',
        objectType: 'user',
        objectId: String(auth.user.id),
      },
      at,
    );
    return true;
  });
  if (!ok) throw new AppError('INVALID_SECOND_FACTOR', WRONG_CODE);
  return recoveryCodes;
}

export async function secondFactorStatus(deps: Deps, auth: AuthContext) {
  const factor = await deps.store.accountSecurity.secondFactor(auth.user.id);
  const enrolled = Boolean(factor?.secretEnc);
  return {
    enrolled,
    enrolledAt: enrolled ? (factor?.enabledAt ?? null) : null,
    recoveryCodesLeft: enrolled ? await deps.store.accountSecurity.recoveryCodesLeft(auth.user.id) : 0,
    required: secondFactorRequired(auth.user.roles, deps.settings.secondFactor),
  };
}

import { type LoginStage, nextLoginStage } from '../../domain/auth/login-stage.ts';
import type { Actor, Deps, OrganisationRecord, Repositories, UserRecord } from '../ports.ts';
import type { LoginEventOutcome, LoginEventStep } from './account-security.port.ts';
import { newSessionToken } from './session-token.ts';

/** A session at a step of logging in lives this long at most: enough to type a code or a new password. */
export const LOGIN_STEP_MINUTES = 10;

export interface IssuedSession {
  token: string;
  idHash: string;
  stage: LoginStage;
  expiresAt: string;
}

/** The step that follows `done` for this user, from the stored facts. */
export async function stageAfter(
  deps: Deps,
  done: 'password' | LoginStage,
  user: UserRecord,
): Promise<LoginStage> {
  const factor = await deps.store.accountSecurity.secondFactor(user.id);
  return nextLoginStage(done, {
    roles: user.roles,
    hasSecondFactor: Boolean(factor?.secretEnc),
    passwordChangedAt: user.passwordChangedAt,
    now: deps.clock.now(),
    mode: deps.settings.secondFactor,
    passwordMaxAgeDays: deps.settings.passwordMaxAgeDays,
  });
}

/**
 * Opens a session at `stage` with a NEW identifier (fixation: an identifier known before a step is worth
 * nothing after it), ending `previousIdHash` if given. A `full` session is audited as the LOGIN.
 */
export async function issueSession(
  deps: Deps,
  tx: Repositories,
  input: {
    user: UserRecord;
    organisation: OrganisationRecord;
    stage: LoginStage;
    previousIdHash: string | null;
    actor: Actor;
    method: 'password' | 'totp' | 'recovery_code' | 'enrolment' | 'password_change';
  },
): Promise<IssuedSession> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const absolute = now.getTime() + deps.settings.sessionAbsoluteHours * 3_600_000;
  const limit =
    input.stage === 'full' ? absolute : Math.min(absolute, now.getTime() + LOGIN_STEP_MINUTES * 60_000);
  const expiresAt = new Date(limit).toISOString();
  if (input.previousIdHash) await tx.sessions.end(input.previousIdHash, at, 'LOGIN_STEP_PASSED');
  const { token, idHash } = newSessionToken();
  await tx.sessions.create({
    idHash,
    userId: input.user.id,
    createdAt: at,
    lastSeenAt: at,
    expiresAt,
    ip: input.actor.ip,
    userAgent: input.actor.userAgent,
    endedAt: null,
    endReason: null,
    stage: input.stage,
  });
  await tx.audit.append(
    { ...input.actor, regionCode: input.organisation.regionCode },
    input.stage === 'full'
      ? {
          action: 'LOGIN',
          outcome: 'success',
          objectType: 'user',
          objectId: String(input.user.id),
          details: { username: input.user.username, method: input.method },
        }
      : {
          action: 'LOGIN_PASSWORD_VERIFIED',
          outcome: 'success',
          objectType: 'user',
          objectId: String(input.user.id),
          details: { username: input.user.username, next: input.stage, method: input.method },
        },
    at,
  );
  return { token, idHash, stage: input.stage, expiresAt };
}

export function loginEvent(
  deps: Deps,
  tx: Repositories,
  userId: number,
  actor: Actor,
  step: LoginEventStep,
  outcome: LoginEventOutcome,
  reason: string | null,
): Promise<void> {
  return tx.accountSecurity.addLoginEvent({
    userId,
    at: deps.clock.now().toISOString(),
    step,
    outcome,
    reason,
    ip: actor.ip,
    userAgent: actor.userAgent,
  });
}

/** After an expired password was changed at login: the session moves on (new identifier) to the next step. */
export async function completePasswordChange(
  deps: Deps,
  auth: { user: UserRecord; organisation: OrganisationRecord; sessionIdHash: string },
  actor: Actor,
): Promise<IssuedSession> {
  const user = (await deps.store.users.get(auth.user.id)) as UserRecord;
  const stage = await stageAfter(deps, 'password_change', user);
  return deps.store.transaction((tx) =>
    issueSession(deps, tx, {
      user,
      organisation: auth.organisation,
      stage,
      previousIdHash: auth.sessionIdHash,
      actor: { ...actor, userId: user.id, name: user.displayName, roles: user.roles },
      method: 'password_change',
    }),
  );
}

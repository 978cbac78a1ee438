import type { LoginStage } from '../../domain/auth/login-stage.ts';
import type { Actor, Deps, OrganisationRecord, UserRecord } from '../ports.ts';
import { sessionIdHash } from './session-token.ts';

export interface AuthContext {
  user: UserRecord;
  organisation: OrganisationRecord;
  sessionIdHash: string;
  /** `full`, or the step of logging in the session is at (the auth plugin keeps it to that step's routes). */
  stage: LoginStage;
}

/** lastSeenAt is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * The user behind a session token, or why there is none. Idle and absolute timeouts end the
 * session for good; a disabled user or organisation ends it too.
 */
export async function resolveSession(
  deps: Deps,
  token: string,
): Promise<{ ok: true; auth: AuthContext } | { ok: false; reason: 'NONE' | 'EXPIRED' }> {
  const { store, clock, settings } = deps;
  const idHash = sessionIdHash(token);
  // Session, user with roles and organisation in one read: this runs on every request.
  const found = await store.sessions.withUser(idHash);
  if (!found || found.session.endedAt) return { ok: false, reason: 'NONE' };
  const { session, user, organisation } = found;
  const now = clock.now();
  const at = now.toISOString();
  const idleLimit = new Date(
    new Date(session.lastSeenAt).getTime() + settings.sessionIdleMinutes * 60_000,
  ).toISOString();
  const expiredBy = session.expiresAt <= at ? 'ABSOLUTE_TIMEOUT' : idleLimit <= at ? 'IDLE_TIMEOUT' : null;
  const disabled = !(user?.active && organisation?.active);
  if (expiredBy || disabled) {
    const reason = expiredBy ?? 'ACCOUNT_DISABLED';
    const actor: Actor = {
      userId: user?.id ?? null,
      name: user?.displayName ?? null,
      roles: user?.roles ?? [],
      organisationId: user?.organisationId ?? null,
      regionCode: organisation?.regionCode ?? null,
      ip: null,
      userAgent: null,
    };
    await store.transaction(async (tx) => {
      await tx.sessions.end(idHash, at, reason);
      await tx.audit.append(
        actor,
        { action: 'SESSION_EXPIRED', outcome: 'success', details: { reason } },
        at,
      );
    });
    return { ok: false, reason: 'EXPIRED' };
  }
  if (now.getTime() - new Date(session.lastSeenAt).getTime() > TOUCH_INTERVAL_MS)
    await store.sessions.touch(idHash, at);
  return {
    ok: true,
    auth: { user: user, organisation: organisation, sessionIdHash: idHash, stage: session.stage },
  };
}

export function actorFromAuth(auth: AuthContext, ip: string | null, userAgent: string | null): Actor {
  return {
    userId: auth.user.id,
    name: auth.user.displayName,
    roles: auth.user.roles,
    organisationId: auth.organisation.id,
    regionCode: auth.organisation.regionCode,
    ip,
    userAgent,
  };
}

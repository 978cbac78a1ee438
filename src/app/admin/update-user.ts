import { checkRoleCombination, type Role } from '../../domain/access/roles.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, UserRecord } from '../ports.ts';
import { checkPasswordStrength, hashPassword } from '../security/password.ts';
import { organisationInScope } from './scope.ts';

export async function userInScope(deps: Deps, actor: Actor, id: number): Promise<UserRecord> {
  const user = await deps.store.users.get(id);
  if (!user) throw new AppError('OUT_OF_SCOPE', '用户不存在或不在您的数据范围内', { userId: id });
  await organisationInScope(deps.store, actor, user.organisationId).catch(() => {
    throw new AppError('OUT_OF_SCOPE', '用户不存在或不在您的数据范围内', { userId: id });
  });
  return user;
}

/** Display name, roles and enabled state. Disabling a user ends all their sessions at once. */
export async function updateUser(
  deps: Deps,
  id: number,
  patch: { displayName?: string; roles?: Role[]; active?: boolean },
  actor: Actor,
): Promise<UserRecord> {
  const before = await userInScope(deps, actor, id);
  const displayName = patch.displayName?.trim();
  if (displayName !== undefined && (displayName.length === 0 || displayName.length > 50))
    throw new AppError('VALIDATION_FAILED', '姓名须为 1–50 个字符');
  if (id === actor.userId && (patch.active === false || patch.roles !== undefined))
    throw new AppError('CONFLICT', '不能停用自己或修改自己的角色');
  const roles = patch.roles ? [...new Set(patch.roles)] : undefined;
  if (roles) {
    const org = await organisationInScope(deps.store, actor, before.organisationId);
    const problem = checkRoleCombination(roles, org.kind);
    if (problem) throw new AppError('INVALID_ROLE_FOR_ORGANISATION', problem);
  }
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    await tx.users.update(id, {
      ...(displayName === undefined ? {} : { displayName }),
      ...(patch.active === undefined ? {} : { active: patch.active }),
    });
    if (roles) await tx.users.setRoles(id, roles);
    const endedSessions =
      patch.active === false ? await tx.sessions.endAllForUser(id, at, 'ACCOUNT_DISABLED') : 0;
    const after = (await tx.users.get(id)) as UserRecord;
    await tx.audit.append(
      actor,
      {
        action: 'USER_UPDATED',
        outcome: 'success',
        objectType: 'user',
        objectId: String(id),
        details: {
          before: { displayName: before.displayName, roles: before.roles, active: before.active },
          after: { displayName: after.displayName, roles: after.roles, active: after.active },
          endedSessions,
        },
      },
      at,
    );
    return after;
  });
}

/** The administrator sets a new password; the user's sessions end. */
export async function resetUserPassword(
  deps: Deps,
  id: number,
  password: string,
  actor: Actor,
): Promise<void> {
  const user = await userInScope(deps, actor, id);
  const weak = checkPasswordStrength(password, user.username);
  if (weak) throw new AppError('WEAK_PASSWORD', weak);
  const passwordHash = await hashPassword(password);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(id, {
      passwordHash,
      passwordChangedAt: at,
      failedLoginCount: 0,
      lockedUntil: null,
    });
    const endedSessions = await tx.sessions.endAllForUser(id, at, 'PASSWORD_RESET');
    await tx.audit.append(
      actor,
      {
        action: 'USER_PASSWORD_RESET',
        outcome: 'success',
        objectType: 'user',
        objectId: String(id),
        details: { endedSessions },
      },
      at,
    );
  });
}

export async function unlockUser(deps: Deps, id: number, actor: Actor): Promise<void> {
  await userInScope(deps, actor, id);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(id, { failedLoginCount: 0, lockedUntil: null });
    await tx.audit.append(
      actor,
      { action: 'USER_UNLOCKED', outcome: 'success', objectType: 'user', objectId: String(id) },
      at,
    );
  });
}

import { checkRoleCombination, type Role } from '../../domain/access/roles.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, UserRecord } from '../ports.ts';
import { checkPasswordStrength, hashPassword } from '../security/password.ts';
import { organisationInScope } from './scope.ts';

export interface CreateUserInput {
  username: string;
  displayName: string;
  organisationId: number;
  roles: Role[];
  password: string;
}

const USERNAME = /^[a-zA-Z0-9_.-]{3,40}$/;

export async function createUser(deps: Deps, input: CreateUserInput, actor: Actor): Promise<UserRecord> {
  const username = input.username.trim();
  const displayName = input.displayName.trim();
  if (!USERNAME.test(username))
    throw new AppError('VALIDATION_FAILED', '用户名须为 3–40 位字母、数字、下划线、点或连字符');
  if (displayName.length === 0 || displayName.length > 50)
    throw new AppError('VALIDATION_FAILED', '姓名须为 1–50 个字符');
  const org = await organisationInScope(deps.store, actor, input.organisationId);
  const roles = [...new Set(input.roles)];
  const roleProblem = checkRoleCombination(roles, org.kind);
  if (roleProblem) throw new AppError('INVALID_ROLE_FOR_ORGANISATION', roleProblem);
  const weak = checkPasswordStrength(input.password, username);
  if (weak) throw new AppError('WEAK_PASSWORD', weak);
  if (await deps.store.users.getByUsername(username))
    throw new AppError('USERNAME_TAKEN', `用户名 ${username} 已被使用`);
  const passwordHash = await hashPassword(input.password);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const user = await tx.users.create({
      username,
      displayName,
      organisationId: org.id,
      passwordHash,
      active: true,
      failedLoginCount: 0,
      lockedUntil: null,
      passwordChangedAt: at,
      lastLoginAt: null,
      createdAt: at,
      roles,
    });
    await tx.audit.append(
      actor,
      {
        action: 'USER_CREATED',
        outcome: 'success',
        objectType: 'user',
        objectId: String(user.id),
        details: { username, organisationId: org.id, roles },
      },
      at,
    );
    return user;
  });
}

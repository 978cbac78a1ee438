import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps } from '../ports.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from '../security/password.ts';

/** The user changes their own password; every other session of theirs ends. */
export async function changePassword(
  deps: Deps,
  input: { currentPassword: string; newPassword: string; keepSessionIdHash: string },
  actor: Actor & { userId: number },
): Promise<void> {
  const user = await deps.store.users.get(actor.userId);
  if (!user) throw new AppError('NOT_FOUND', '用户不存在');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
    throw new AppError('INVALID_CREDENTIALS', '当前密码不正确');
  const weak = checkPasswordStrength(input.newPassword, user.username);
  if (weak) throw new AppError('WEAK_PASSWORD', weak);
  if (input.newPassword === input.currentPassword)
    throw new AppError('WEAK_PASSWORD', '新密码不能与当前密码相同');
  const passwordHash = await hashPassword(input.newPassword);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.users.update(user.id, { passwordHash, passwordChangedAt: at });
    const sessions = await tx.sessions.endAllForUser(
      user.id,
      at,
      'PASSWORD_CHANGED',
      input.keepSessionIdHash,
    );
    await tx.audit.append(
      actor,
      {
        action: 'PASSWORD_CHANGED',
        outcome: 'success',
        objectType: 'user',
        objectId: String(user.id),
        details: { endedSessions: sessions },
      },
      at,
    );
  });
}

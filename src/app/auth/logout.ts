import type { Actor, Deps } from '../ports.ts';

export async function logout(deps: Deps, sessionIdHash: string, actor: Actor): Promise<void> {
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.sessions.end(sessionIdHash, at, 'LOGOUT');
    await tx.audit.append(
      actor,
      { action: 'LOGOUT', outcome: 'success', objectType: 'user', objectId: String(actor.userId) },
      at,
    );
  });
}

import type { Actor, Repositories } from './ports.ts';

/** The actor for work the platform does by itself (boot, seeding, scheduled jobs). */
export const SYSTEM_ACTOR: Actor = {
  userId: null,
  name: '系统',
  roles: [],
  organisationId: null,
  regionCode: null,
  ip: null,
  userAgent: null,
};

export function anonymousActor(ip: string | null, userAgent: string | null): Actor {
  return { ...SYSTEM_ACTOR, name: null, ip, userAgent };
}

/** The actor of a user acting by themselves (demo set-up, tests): their roles and their organisation's region. */
export async function actorOfUser(repos: Repositories, username: string): Promise<Actor> {
  const user = await repos.users.getByUsername(username);
  if (!user) throw new Error(`用户 ${username} 不存在`);
  const org = await repos.organisations.get(user.organisationId);
  return {
    userId: user.id,
    name: user.displayName,
    roles: user.roles,
    organisationId: user.organisationId,
    regionCode: org?.regionCode ?? null,
    ip: null,
    userAgent: null,
  };
}

import type { Actor } from './ports.ts';

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

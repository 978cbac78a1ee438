import type { Role } from '../domain/access/roles.ts';

/**
 * Every route states who may call it (deny by default): `public`, any signed-in user, or a list
 * of roles. A route registered without a policy is refused at request time and fails the
 * route-policy test.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'roles'; roles: readonly Role[]; machine?: boolean };

export const publicAccess: Access = { kind: 'public' };
export const anyUser: Access = { kind: 'authenticated' };
export function allow(...roles: Role[]): Access {
  return { kind: 'roles', roles };
}

/** The roles, or a department's system presenting its API key (`Authorization: Bearer hd_…`). */
export function allowWithApiKey(...roles: Role[]): Access {
  return { kind: 'roles', roles, machine: true };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

import type { Role } from '../domain/access/roles.ts';
import type { ApiScope } from '../domain/access/scopes.ts';

/**
 * Every route states who may call it (deny by default): `public`, any signed-in user, or a list
 * of roles. A route registered without a policy is refused at request time and fails the
 * route-policy test.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'roles'; roles: readonly Role[]; machine?: boolean; scope?: ApiScope };

export const publicAccess: Access = { kind: 'public' };
export const anyUser: Access = { kind: 'authenticated' };
export function allow(...roles: Role[]): Access {
  return { kind: 'roles', roles };
}

/**
 * The roles, or an organisation's system presenting its API key (`Authorization: Bearer hd_…`) or an
 * OAuth2 access token issued for one (`hdt_…`), whose key carries `scope` (403 SCOPE_REQUIRED otherwise).
 * A machine client acts in its organisation kind's role, which must be among `roles`.
 */
export function allowWithApiKey(scope: ApiScope, ...roles: Role[]): Access {
  return { kind: 'roles', roles, machine: true, scope };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * A public route that reads no cookie and authenticates its caller itself (the OAuth2 token endpoint): a
     * cross-site form gains nothing there, so it needs no `x-hedui-csrf` header.
     */
    csrfExempt?: boolean;
  }
}

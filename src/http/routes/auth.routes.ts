import { z } from 'zod';
import { changePassword } from '../../app/auth/change-password.ts';
import { login } from '../../app/auth/login.ts';
import { logout } from '../../app/auth/logout.ts';
import type { Deps } from '../../app/ports.ts';
import { anyUser, publicAccess } from '../access.ts';
import { requireAuth, SESSION_COOKIE } from '../plugins/auth.ts';
import { regionNames } from '../presenters.ts';
import { meSchema } from '../schemas.ts';
import type { App } from '../types.ts';

export function authRoutes(app: App, deps: Deps, cookieSecure: boolean): void {
  const me = async (auth: ReturnType<typeof requireAuth>) => {
    const names = await regionNames(deps.store, [auth.organisation.regionCode]);
    const o = auth.organisation;
    return {
      id: auth.user.id,
      username: auth.user.username,
      displayName: auth.user.displayName,
      roles: auth.user.roles,
      organisation: {
        id: o.id,
        name: o.name,
        kind: o.kind,
        regionCode: o.regionCode,
        regionName: names.get(o.regionCode) ?? '',
      },
    };
  };

  app.post('/api/auth/login', {
    config: { access: publicAccess },
    schema: {
      tags: ['auth'],
      summary: '登录',
      body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      response: { 200: z.object({ user: meSchema }) },
    },
    handler: async (request, reply) => {
      const result = await login(deps, {
        ...request.body,
        ip: request.ip,
        userAgent: request.actor.userAgent,
      });
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: cookieSecure,
        expires: new Date(result.expiresAt),
      });
      const auth = { user: result.user, organisation: result.organisation, sessionIdHash: '' };
      return { user: await me(auth) };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: anyUser },
    schema: { tags: ['auth'], summary: '退出登录' },
    handler: async (request, reply) => {
      await logout(deps, requireAuth(request).sessionIdHash, request.actor);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  });

  app.get('/api/auth/me', {
    config: { access: anyUser },
    schema: { tags: ['auth'], summary: '当前用户', response: { 200: z.object({ user: meSchema }) } },
    handler: async (request) => ({ user: await me(requireAuth(request)) }),
  });

  app.post('/api/auth/password', {
    config: { access: anyUser },
    schema: {
      tags: ['auth'],
      summary: '修改本人密码',
      body: z.object({
        currentPassword: z.string().min(1).max(200),
        newPassword: z.string().min(1).max(200),
      }),
    },
    handler: async (request, reply) => {
      const auth = requireAuth(request);
      await changePassword(
        deps,
        { ...request.body, keepSessionIdHash: auth.sessionIdHash },
        { ...request.actor, userId: auth.user.id },
      );
      return reply.status(204).send();
    },
  });
}

import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { changePassword } from '../../app/auth/change-password.ts';
import { login } from '../../app/auth/login.ts';
import { completePasswordChange } from '../../app/auth/login-steps.ts';
import { logout } from '../../app/auth/logout.ts';
import type { AuthContext } from '../../app/auth/resolve-session.ts';
import type { Deps } from '../../app/ports.ts';
import { LOGIN_STAGES } from '../../domain/auth/login-stage.ts';
import { anyUser, publicAccess } from '../access.ts';
import { ALL_STAGES } from '../login-stages.ts';
import { requireAuth, SESSION_COOKIE } from '../plugins/auth.ts';
import { regionNames } from '../presenters.ts';
import { meSchema } from '../schemas.ts';
import type { App } from '../types.ts';

/** The signed-in user as `/api/auth/me` shows it. */
export async function presentMe(deps: Deps, auth: Pick<AuthContext, 'user' | 'organisation'>) {
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
}

/** Sets the session cookie of a session just issued (at login or after a step of it: always a new identifier). */
export function setSessionCookie(
  reply: FastifyReply,
  session: { token: string; expiresAt: string },
  cookieSecure: boolean,
): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: cookieSecure,
    expires: new Date(session.expiresAt),
  });
}

/** What a login step answers: the next step, and the user once logged in. */
export const loginStepSchema = z.object({ step: z.enum(LOGIN_STAGES), user: meSchema.optional() });

export function authRoutes(app: App, deps: Deps, cookieSecure: boolean): void {
  const me = (auth: Pick<AuthContext, 'user' | 'organisation'>) => presentMe(deps, auth);

  app.post('/api/auth/login', {
    config: { access: publicAccess },
    schema: {
      tags: ['auth'],
      summary: '登录（第一步：用户名和密码）',
      body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      response: { 200: loginStepSchema },
    },
    handler: async (request, reply) => {
      const result = await login(deps, {
        ...request.body,
        ip: request.ip,
        userAgent: request.actor.userAgent,
      });
      setSessionCookie(reply, result, cookieSecure);
      if (result.stage !== 'full') return { step: result.stage };
      return { step: result.stage, user: await me(result) };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: anyUser, loginStages: ALL_STAGES },
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
    config: { access: anyUser, loginStages: ['password_change', 'full'] },
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
      // An expired password changed at login: the session moves on, with a new identifier.
      if (auth.stage === 'password_change')
        setSessionCookie(reply, await completePasswordChange(deps, auth, request.actor), cookieSecure);
      return reply.status(204).send();
    },
  });
}

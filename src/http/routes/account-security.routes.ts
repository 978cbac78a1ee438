import QRCode from 'qrcode';
import { z } from 'zod';
import {
  endSession,
  endUserSessions,
  listOpenSessions,
  resetSecondFactor,
  userLoginLog,
} from '../../app/admin/account-security.ts';
import {
  confirmEnrolment,
  regenerateRecoveryCodes,
  secondFactorStatus,
  startEnrolment,
  verifySecondFactor,
} from '../../app/auth/second-factor.ts';
import type { Deps } from '../../app/ports.ts';
import { LOGIN_STAGES } from '../../domain/auth/login-stage.ts';
import { allow, anyUser } from '../access.ts';
import { requireAuth } from '../plugins/auth.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';
import { loginStepSchema, presentMe, setSessionCookie } from './auth.routes.ts';

const admin = allow('system_admin');
const codeBody = z.object({ code: z.string().trim().min(6).max(40) });
const page = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
const loginEventSchema = z.object({
  id: z.number(),
  at: z.string(),
  step: z.enum(['password', 'second_factor']),
  outcome: z.enum(['success', 'failure', 'denied']),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
const loginLogSchema = z.object({ items: z.array(loginEventSchema), total: z.number() });
const openSessionSchema = z.object({
  id: z.string(),
  userId: z.number(),
  username: z.string(),
  displayName: z.string(),
  organisationName: z.string(),
  stage: z.enum(LOGIN_STAGES),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

/** Second factor (TOTP, recovery codes), login log and online sessions (issue #8 items 1–2). */
export function accountSecurityRoutes(app: App, deps: Deps, cookieSecure: boolean): void {
  app.post('/api/auth/login/second-factor', {
    config: { access: anyUser, loginStages: ['second_factor'] },
    schema: {
      tags: ['auth'],
      summary: '登录（第二步：动态验证码或恢复码）',
      body: codeBody,
      response: { 200: loginStepSchema },
    },
    handler: async (request, reply) => {
      const auth = requireAuth(request);
      const session = await verifySecondFactor(deps, auth, request.body.code, request.actor);
      setSessionCookie(reply, session, cookieSecure);
      if (session.stage !== 'full') return { step: session.stage };
      return { step: session.stage, user: await presentMe(deps, auth) };
    },
  });

  app.get('/api/auth/second-factor', {
    config: { access: anyUser },
    schema: {
      tags: ['auth'],
      summary: '本人双因素认证状态',
      response: {
        200: z.object({
          enrolled: z.boolean(),
          enrolledAt: z.string().nullable(),
          recoveryCodesLeft: z.number(),
          required: z.boolean(),
        }),
      },
    },
    handler: async (request) => secondFactorStatus(deps, requireAuth(request)),
  });

  app.post('/api/auth/second-factor/enrolment', {
    config: { access: anyUser, loginStages: ['enrol', 'full'] },
    schema: {
      tags: ['auth'],
      summary: '开始绑定身份验证器（生成密钥与二维码）',
      response: { 200: z.object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() }) },
    },
    handler: async (request, reply) => {
      const enrolment = await startEnrolment(deps, requireAuth(request));
      reply.header('cache-control', 'no-store');
      const qrSvg = await QRCode.toString(enrolment.otpauthUri, { type: 'svg', margin: 1, width: 200 });
      return { ...enrolment, qrSvg };
    },
  });

  app.post('/api/auth/second-factor/enrolment/confirm', {
    config: { access: anyUser, loginStages: ['enrol', 'full'] },
    schema: {
      tags: ['auth'],
      summary: '以首个动态验证码确认绑定，领取恢复码',
      body: codeBody,
      response: { 200: loginStepSchema.extend({ recoveryCodes: z.array(z.string()) }) },
    },
    handler: async (request, reply) => {
      const auth = requireAuth(request);
      const { recoveryCodes, session } = await confirmEnrolment(deps, auth, request.body.code, request.actor);
      reply.header('cache-control', 'no-store');
      if (session) setSessionCookie(reply, session, cookieSecure);
      const step = session?.stage ?? auth.stage;
      return step === 'full'
        ? { recoveryCodes, step, user: await presentMe(deps, auth) }
        : { recoveryCodes, step };
    },
  });

  app.post('/api/auth/second-factor/recovery-codes', {
    config: { access: anyUser },
    schema: {
      tags: ['auth'],
      summary: '重新生成恢复码（需当前动态验证码）',
      body: codeBody,
      response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
    },
    handler: async (request, reply) => {
      const recoveryCodes = await regenerateRecoveryCodes(
        deps,
        requireAuth(request),
        request.body.code,
        request.actor,
      );
      reply.header('cache-control', 'no-store');
      return { recoveryCodes };
    },
  });

  app.get('/api/auth/logins', {
    config: { access: anyUser },
    schema: { tags: ['auth'], summary: '本人登录记录', querystring: page, response: { 200: loginLogSchema } },
    handler: async (request) => {
      const { page: p, pageSize } = request.query;
      return deps.store.accountSecurity.loginEvents(requireAuth(request).user.id, {
        offset: (p - 1) * pageSize,
        limit: pageSize,
      });
    },
  });

  app.get('/api/users/:id/logins', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '用户登录记录',
      params: idParam,
      querystring: page,
      response: { 200: loginLogSchema },
    },
    handler: async (request) => {
      const { page: p, pageSize } = request.query;
      return userLoginLog(
        deps,
        request.params.id,
        { offset: (p - 1) * pageSize, limit: pageSize },
        request.actor,
      );
    },
  });

  app.post('/api/users/:id/reset-second-factor', {
    config: { access: admin },
    schema: { tags: ['admin'], summary: '重置用户的双因素认证（须重新绑定）', params: idParam },
    handler: async (request, reply) => {
      await resetSecondFactor(deps, request.params.id, request.actor);
      return reply.status(204).send();
    },
  });

  app.post('/api/users/:id/end-sessions', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '强制下线用户的全部会话',
      params: idParam,
      response: { 200: z.object({ endedSessions: z.number() }) },
    },
    handler: async (request) => ({
      endedSessions: await endUserSessions(deps, request.params.id, request.actor),
    }),
  });

  app.get('/api/sessions', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '在线会话（本人数据范围内）',
      response: { 200: z.object({ items: z.array(openSessionSchema) }) },
    },
    handler: async (request) => ({
      items: (await listOpenSessions(deps, request.actor)).map(({ idHash, ...s }) => ({ id: idHash, ...s })),
    }),
  });

  app.post('/api/sessions/:sessionId/end', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '强制下线一个会话',
      params: z.object({ sessionId: z.string().regex(/^[0-9a-f]{64}$/, '会话标识有误') }),
    },
    handler: async (request, reply) => {
      await endSession(deps, request.params.sessionId, request.actor);
      return reply.status(204).send();
    },
  });
}

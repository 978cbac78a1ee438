import type { FastifyInstance, FastifyRequest } from 'fastify';
import { anonymousActor } from '../../app/actor.ts';
import { type AuthContext, actorFromAuth, resolveSession } from '../../app/auth/resolve-session.ts';
import {
  authenticateMachine,
  type MachineClient,
  machineActor,
} from '../../app/integration/machine-clients.ts';
import type { Actor, Deps } from '../../app/ports.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Access } from '../access.ts';
import { stageRefusal } from '../login-stages.ts';
import { sendError } from './errors.ts';

export const SESSION_COOKIE = 'hedui_sid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
    actor: Actor;
    /** Set when an organisation's system authenticated with its API key or an OAuth2 token issued for one. */
    machine: MachineClient | null;
  }
}

/** The signed-in user behind a request, for handlers of routes that require one. */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new Error('route reached without authentication: its access policy is wrong');
  return request.auth;
}

function userAgentOf(request: FastifyRequest): string | null {
  const ua = request.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 300) : null;
}

/**
 * Resolves the session cookie, then enforces the route's declared access policy. Unknown or
 * missing policy is refused. Refusals of signed-in users are audited.
 */
export function registerAuth(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('machine', null);

  app.addHook('onRequest', async (request, reply) => {
    const ip = request.ip ?? null;
    const ua = userAgentOf(request);
    request.actor = anonymousActor(ip, ua);
    // No route matched: the not-found handler answers 404 (as the web app's catch-all does for /api/).
    if (request.is404) return;
    const access: Access | undefined = request.routeOptions.config?.access;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    // A route that checks its own bearer token (/metrics) is not handed to the API-key check.
    if (bearer && request.routeOptions.config?.ownBearerToken !== true) {
      // Machine clients send no cookies, so CSRF does not apply; the key (or token) must be valid and the route
      // open to machines, to the client's role, and the key must carry the route's scope.
      const found =
        access?.kind === 'roles' && access.machine ? await authenticateMachine(deps, bearer) : null;
      if (!found || access?.kind !== 'roles')
        return sendError(
          reply,
          request,
          'UNAUTHENTICATED',
          'API 密钥或访问令牌无效、已过期、已吊销，或此接口不接受 API 密钥',
        );
      request.machine = found;
      request.actor = machineActor(found, ip, ua);
      if (!access.roles.includes(found.role)) {
        await auditRefusal(deps, request, 'ROLE');
        return sendError(reply, request, 'PERMISSION_DENIED', '此类单位的密钥无权调用此接口');
      }
      if (access.scope !== undefined && !found.scopes.includes(access.scope)) {
        await auditRefusal(deps, request, `SCOPE:${access.scope}`);
        return sendError(reply, request, 'SCOPE_REQUIRED', `密钥缺少此接口所需的权限范围 ${access.scope}`, {
          scope: access.scope,
        });
      }
      return;
    }
    if (access?.kind === 'public' && request.routeOptions.config?.csrfExempt === true) return;
    // Writes must carry a header a cross-site form cannot set (login included, against login CSRF).
    if (!SAFE_METHODS.has(request.method) && request.headers['x-hedui-csrf'] !== '1')
      return sendError(reply, request, 'CSRF_REQUIRED', '缺少防跨站请求标头 x-hedui-csrf');
    if (access?.kind === 'public') return;
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const resolved = await resolveSession(deps, token);
      if (resolved.ok) {
        request.auth = resolved.auth;
        request.actor = actorFromAuth(resolved.auth, ip, ua);
      } else if (resolved.reason === 'EXPIRED') {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return sendError(reply, request, 'SESSION_EXPIRED', '会话已超时，请重新登录');
      }
    }
    if (!request.auth) return sendError(reply, request, 'UNAUTHENTICATED', '请先登录');
    // A session at a step of logging in (second factor, enrolment, expired password) reaches only that step.
    const refusal = stageRefusal(request.auth.stage, request.routeOptions.config?.loginStages);
    if (refusal) return sendError(reply, request, refusal.code, refusal.message);
    if (access?.kind === 'authenticated') return;
    const allowed = access?.kind === 'roles' && request.auth.user.roles.some((r) => access.roles.includes(r));
    if (allowed) return;
    await auditRefusal(deps, request, access ? 'ROLE' : 'NO_POLICY');
    return sendError(reply, request, 'PERMISSION_DENIED', '您的角色无权执行此操作');
  });

  // A use case's own refusal of a signed-in user — another county's object (OUT_OF_SCOPE), not in the case's
  // work group, four eyes — is audited like the role check's, after the use case's transaction rolled back.
  app.addHook('onError', async (request, _reply, error) => {
    if ((!request.auth && !request.machine) || !(error instanceof AppError)) return;
    if (error.code !== 'PERMISSION_DENIED' && error.code !== 'OUT_OF_SCOPE') return;
    const rule = (error.details as { code?: unknown } | null)?.code;
    await auditRefusal(
      deps,
      request,
      error.code === 'OUT_OF_SCOPE' ? 'OUT_OF_SCOPE' : String(rule ?? 'RULE'),
    );
  });
}

async function auditRefusal(deps: Deps, request: FastifyRequest, reason: string): Promise<void> {
  await deps.store.audit.append(
    request.actor,
    {
      action: 'PERMISSION_DENIED',
      outcome: 'denied',
      details: {
        method: request.method,
        route: request.routeOptions.url ?? request.url.split('?')[0],
        reason,
      },
    },
    deps.clock.now().toISOString(),
  );
}

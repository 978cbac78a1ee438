/**
 * Web hardening of every response and request: security headers (CSP, HSTS over TLS, nosniff, referrer, framing),
 * `Cache-Control: no-store` on the API (its answers carry personal data), and rate limits per client IP, per
 * signed-in account and, tighter, on credential checks. Limits are in-process (one instance's memory); 429 answers
 * carry Retry-After and the one error shape.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../domain/shared/errors.ts';

/**
 * Scripts only from the platform itself (no inline script, no eval); antd writes its CSS-in-JS as inline
 * `<style>` elements, hence 'unsafe-inline' for styles only. Images may be data:/blob: URLs (QR codes, previews).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const HSTS = 'max-age=31536000; includeSubDomains';

export interface RateLimitSettings {
  /** Requests per minute from one client IP (every route); 0 = off. */
  perIp: number;
  /** Requests per minute of one signed-in account or API key; 0 = off. */
  perAccount: number;
  /** Credential checks (public POST under /api/auth/, e.g. login) per minute from one IP; 0 = off. */
  login: number;
}

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    // request.protocol follows X-Forwarded-Proto only from a trusted proxy (HEDUI_TRUST_PROXY).
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    if (request.url.startsWith('/api/')) {
      reply.header('cache-control', 'no-store');
      reply.header('pragma', 'no-cache');
    }
    return payload;
  });
}

function tooMany(seconds: number): AppError {
  return new AppError('RATE_LIMITED', `请求过于频繁，请 ${seconds} 秒后再试`, { retryAfterSeconds: seconds });
}

const MINUTE = 60_000;

/** Registers the limiters; call before the auth hook so that floods are refused before any session lookup. */
export async function registerRateLimits(app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  if (settings.perIp <= 0 && settings.perAccount <= 0 && settings.login <= 0) return;
  await app.register(fastifyRateLimit, { global: false });
  type Limiter = (
    request: FastifyRequest,
  ) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;
  const limiter = (max: number, key: (request: FastifyRequest) => string): Limiter =>
    app.createRateLimit({ max, timeWindow: MINUTE, keyGenerator: key }) as Limiter;
  const enforce = async (
    request: FastifyRequest,
    reply: { header(n: string, v: unknown): unknown },
    limit: Limiter,
  ) => {
    const result = await limit(request);
    if (result.isAllowed || !result.isExceeded) return;
    const seconds = Math.max(1, result.ttlInSeconds ?? 60);
    reply.header('retry-after', String(seconds));
    throw tooMany(seconds);
  };

  const perIp = settings.perIp > 0 ? limiter(settings.perIp, (r) => `ip:${r.ip}`) : null;
  const login = settings.login > 0 ? limiter(settings.login, (r) => `login:${r.ip}`) : null;
  app.addHook('onRequest', async (request, reply) => {
    if (perIp) await enforce(request, reply, perIp);
    if (login && request.method === 'POST' && isCredentialCheck(request))
      await enforce(request, reply, login);
  });

  if (settings.perAccount > 0) {
    const perAccount = limiter(settings.perAccount, (r) =>
      r.auth ? `user:${r.auth.user.id}` : r.machine ? `key:${r.machine.apiKey.id}` : `ip:${r.ip}`,
    );
    // After the auth hook (onRequest) has resolved who is calling.
    app.addHook('preHandler', async (request, reply) => {
      if (request.auth || request.machine) await enforce(request, reply, perAccount);
    });
  }
}

/** Public writes under /api/auth/ check credentials (login, second factor): the tight limit applies. */
function isCredentialCheck(request: FastifyRequest): boolean {
  const url = request.routeOptions.url ?? '';
  return url.startsWith('/api/auth/') && request.routeOptions.config?.access?.kind === 'public';
}

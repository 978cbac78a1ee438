/**
 * Web hardening over HTTP: security headers (CSP without inline script, HSTS only over TLS from a trusted proxy),
 * no-store on the API, CSRF on cookie-authenticated writes, rate limits per IP, per account and on login (429 in
 * Chinese with Retry-After), and no stack trace or ID number in error bodies or logs.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/shared/errors.ts';
import { publicAccess } from '../../src/http/access.ts';
import { expectError, sessionCookie, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

const ID = '620102199001011234';

describeEachDatabase('web hardening: headers, caching and CSRF', (dialect) => {
  const t = useTestApp(dialect);

  it('sends a strict Content-Security-Policy and the other security headers on every response', async () => {
    for (const res of [await t.call('GET', '/healthz'), await t.call('GET', '/api/no-such-thing')]) {
      const csp = String(res.headers['content-security-policy']);
      const directives = Object.fromEntries(
        csp.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name, values.join(' ')];
        }),
      );
      expect(directives).toMatchObject({
        'default-src': "'self'",
        'script-src': "'self'",
        'object-src': "'none'",
        'frame-ancestors': "'none'",
        'base-uri': "'self'",
      });
      expect(directives['script-src']).not.toMatch(/unsafe/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('sends HSTS only when the request came over TLS through a trusted proxy', async () => {
    const plain = await t.call('GET', '/healthz');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const tls = await t.call('GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers['strict-transport-security']).toMatch(/^max-age=31536000/);
    // The same header from a peer that is not a trusted proxy is not believed.
    const spoofed = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });

  it('marks every API response no-store, signed-in answers and refusals alike', async () => {
    const cookie = await t.login('city_staff');
    for (const res of [
      await t.call('GET', '/api/auth/me', { cookie }),
      await t.call('GET', '/api/cases', { cookie }),
      await t.call('GET', '/api/cases'),
    ])
      expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a cookie-authenticated write without the CSRF header and changes nothing', async () => {
    const cookie = await t.login('city_staff');
    const forged = await t.call('POST', '/api/auth/logout', { cookie, csrf: false });
    expectError(forged, 403, 'CSRF_REQUIRED');
    // Also a form post a cross-site page could send (urlencoded, the session cookie attached by the browser).
    const form = await t.call('POST', '/api/auth/logout', {
      cookie,
      csrf: false,
      body: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(403);
    expect((await t.call('GET', '/api/auth/me', { cookie })).statusCode).toBe(200);
    // With the header the same write goes through.
    expect((await t.call('POST', '/api/auth/logout', { cookie })).statusCode).toBeLessThan(300);
    expect((await t.call('GET', '/api/auth/me', { cookie })).statusCode).toBe(401);
  });
});

describeEachDatabase('web hardening: rate limits', (dialect) => {
  describe('per client IP', () => {
    const t = useTestApp(dialect, { appOptions: { rateLimit: { perIp: 5, perAccount: 0, login: 0 } } });
    it('answers the request beyond the limit 429 in Chinese with Retry-After, per address', async () => {
      const from = (ip: string) =>
        t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-forwarded-for': ip } });
      for (let i = 0; i < 5; i++) expect((await from('198.51.100.7')).statusCode).toBe(200);
      const refused = await from('198.51.100.7');
      const error = expectError(refused, 429, 'RATE_LIMITED');
      expect(error.message).toMatch(/请求过于频繁/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await from('198.51.100.8')).statusCode).toBe(200);
    });
  });

  describe('per account', () => {
    const t = useTestApp(dialect, { appOptions: { rateLimit: { perIp: 0, perAccount: 4, login: 0 } } });
    it('limits one account whatever address it calls from, and not another account', async () => {
      const cookie = await t.login('city_staff');
      const other = await t.login('xifeng_staff');
      const me = (c: string, ip: string) =>
        t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: c, 'x-forwarded-for': ip } });
      for (let i = 0; i < 4; i++) expect((await me(cookie, `198.51.100.${i}`)).statusCode).toBe(200);
      const refused = await me(cookie, '198.51.100.99');
      expectError(refused, 429, 'RATE_LIMITED');
      expect(refused.headers['retry-after']).toBeDefined();
      expect((await me(other, '198.51.100.1')).statusCode).toBe(200);
    });
  });

  describe('login', () => {
    const t = useTestApp(dialect, { appOptions: { rateLimit: { perIp: 0, perAccount: 0, login: 3 } } });
    it('allows few login attempts per address, even with the right password, and leaves other routes alone', async () => {
      const attempt = (password: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'x-hedui-csrf': '1', 'x-forwarded-for': '192.0.2.1' },
          payload: { username: 'city_staff', password },
        });
      for (let i = 0; i < 3; i++) expect((await attempt(`Wrong#pass${i}`)).statusCode).toBe(401);
      const refused = await attempt(t.config.demoPassword);
      expectError(refused, 429, 'RATE_LIMITED');
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.cookies).toEqual([]);
      for (let i = 0; i < 5; i++) expect((await t.call('GET', '/healthz')).statusCode).toBe(200);
      // Another address may still sign in.
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-hedui-csrf': '1', 'x-forwarded-for': '192.0.2.2' },
        payload: { username: 'city_staff', password: t.config.demoPassword },
      });
      expect(sessionCookie(ok)).toMatch(/hedui_sid=/);
    });
  });
});

describeEachDatabase('web hardening: errors and logs', (dialect) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  const t = useTestApp(dialect, {
    appOptions: { logger: { level: 'info', stream } as never },
    extraRoutes: (app) => {
      app.get('/api/test/explode', { config: { access: publicAccess } }, async () => {
        throw new Error(`lookup of ${ID} failed`);
      });
      app.get('/api/test/refuse', { config: { access: publicAccess } }, async () => {
        throw new AppError('NOT_FOUND', `找不到身份证号为 ${ID} 的人员`, {
          idNumber: ID,
          rows: [{ value: ID }],
        });
      });
    },
  });

  it('answers an unexpected failure without stack trace or ID number, and logs it masked', async () => {
    const res = await t.call('GET', `/api/test/explode?idNumber=${ID}`);
    const error = expectError(res, 500, 'INTERNAL_ERROR');
    expect(error.message).toMatch(/请求编号/);
    expect(res.body).not.toMatch(/at .*\.ts|stack|Error:/);
    expect(res.body).not.toContain(ID);
    const log = lines.join('');
    expect(log).toContain('unhandled error');
    expect(log).toContain('6201**********1234');
    expect(log).not.toContain(ID);
  });

  it('masks ID numbers in the messages and details of error bodies', async () => {
    const res = await t.call('GET', '/api/test/refuse');
    const error = expectError(res, 404, 'NOT_FOUND');
    expect(error.message).toBe('找不到身份证号为 6201**********1234 的人员');
    expect(JSON.stringify(error.details)).not.toContain(ID);
    expect(res.body).not.toContain(ID);
  });

  it('keeps cookies, passwords and ID numbers out of the request log', async () => {
    const cookie = await t.login('city_staff');
    await t.call('GET', `/api/cases?q=${ID}`, { cookie });
    const log = lines.join('');
    expect(log).not.toContain(ID);
    expect(log).not.toContain(cookie.split('=')[1]);
    expect(log).not.toContain(t.config.demoPassword);
  });
});

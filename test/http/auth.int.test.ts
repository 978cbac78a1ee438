import { expect, it } from 'vitest';
import { expectError, SESSION_COOKIE, sessionCookie, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

const MINUTE = 60_000;
const STRONG_PASSWORD = 'Qc#2025-verify';

describeEachDatabase('authentication and sessions', (dialect) => {
  const t = useTestApp(dialect);

  const loginAttempt = (username: string, password: string, csrf = true) =>
    t.call('POST', '/api/auth/login', { body: { username, password }, csrf });
  const me = (cookie: string) => t.call('GET', '/api/auth/me', { cookie });
  const cleared = (res: Awaited<ReturnType<typeof me>>) =>
    res.cookies.some((c) => c.name === SESSION_COOKIE && c.value === '');

  it('logs a user in with an httpOnly SameSite=Strict session cookie and audits LOGIN', async () => {
    const res = await loginAttempt('city_staff', t.config.demoPassword);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value).toMatch(/^[\w-]{43}$/);
    expect(cookie?.expires?.toISOString()).toBe(
      new Date(t.clock.now().getTime() + 12 * 3_600_000).toISOString(),
    );
    expect(res.json()).toMatchObject({
      user: {
        username: 'city_staff',
        roles: ['agency_staff'],
        organisation: { kind: 'agency', regionCode: '621000', regionName: '庆阳市' },
      },
    });
    const id = await t.userId('city_staff');
    const [entry] = await t.audit('LOGIN');
    expect(entry).toMatchObject({
      actorUserId: id,
      objectType: 'user',
      objectId: String(id),
      outcome: 'success',
      details: { username: 'city_staff' },
    });
    expect((await me(sessionCookie(res))).json()).toMatchObject({ user: { id, username: 'city_staff' } });
  });

  it('refuses a wrong password with 401 INVALID_CREDENTIALS and audits LOGIN_FAILED', async () => {
    const res = await loginAttempt('dept_finance', 'Wrong#pass1');
    expectError(res, 401, 'INVALID_CREDENTIALS');
    expect(res.cookies).toEqual([]);
    const id = await t.userId('dept_finance');
    const [entry] = await t.audit('LOGIN_FAILED');
    expect(entry).toMatchObject({
      actorUserId: id,
      objectId: String(id),
      outcome: 'failure',
      details: { username: 'dept_finance', reason: 'BAD_PASSWORD', failures: 1 },
    });
  });

  it('answers an unknown user exactly as a wrong password, so usernames cannot be probed', async () => {
    const known = expectError(await loginAttempt('dept_finance', 'Wrong#pass2'), 401, 'INVALID_CREDENTIALS');
    const unknown = expectError(await loginAttempt('nobody_here', 'Wrong#pass2'), 401, 'INVALID_CREDENTIALS');
    expect({ ...unknown, requestId: null }).toEqual({ ...known, requestId: null });
    const [entry] = await t.audit('LOGIN_FAILED');
    expect(entry).toMatchObject({
      actorUserId: null,
      details: { username: 'nobody_here', reason: 'UNKNOWN_USER' },
    });
  });

  it('locks an account after five failures, refuses even the right password, and lets it in after 15 minutes', async () => {
    const id = await t.userId('dept_taxation');
    for (let i = 1; i < t.config.lockoutThreshold; i += 1)
      expectError(await loginAttempt('dept_taxation', `Wrong#pass${i}`), 401, 'INVALID_CREDENTIALS');
    const lockedUntil = new Date(t.clock.now().getTime() + 15 * MINUTE).toISOString();
    const locked = expectError(await loginAttempt('dept_taxation', 'Wrong#pass5'), 423, 'ACCOUNT_LOCKED');
    expect(locked.details).toEqual({ lockedUntil });
    const [lockEntry] = await t.audit('ACCOUNT_LOCKED');
    expect(lockEntry).toMatchObject({
      objectId: String(id),
      details: { username: 'dept_taxation', lockedUntil },
    });

    t.clock.advance(15 * MINUTE - 1000);
    const refused = expectError(
      await loginAttempt('dept_taxation', t.config.demoPassword),
      423,
      'ACCOUNT_LOCKED',
    );
    expect(refused.details).toEqual({ lockedUntil });
    const [refusal] = await t.audit('LOGIN_FAILED');
    expect(refusal).toMatchObject({ objectId: String(id), outcome: 'denied', details: { reason: 'LOCKED' } });

    t.clock.advance(2000);
    expect((await loginAttempt('dept_taxation', t.config.demoPassword)).statusCode).toBe(200);
  });

  it('lets a system administrator unlock a locked account, audited as USER_UNLOCKED', async () => {
    const id = await t.userId('dept_banking');
    for (let i = 1; i <= t.config.lockoutThreshold; i += 1)
      await loginAttempt('dept_banking', `Wrong#pass${i}`);
    expectError(await loginAttempt('dept_banking', t.config.demoPassword), 423, 'ACCOUNT_LOCKED');
    const admin = await t.login('admin');
    const listed = await t.call('GET', '/api/users?q=dept_banking', { cookie: admin });
    expect(listed.json()).toMatchObject({ items: [{ id, locked: true }] });

    const res = await t.call('POST', `/api/users/${id}/unlock`, { cookie: admin });
    expect(res.statusCode).toBe(204);
    const [entry] = await t.audit('USER_UNLOCKED');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('admin'),
      objectId: String(id),
      outcome: 'success',
    });
    expect((await loginAttempt('dept_banking', t.config.demoPassword)).statusCode).toBe(200);
  });

  it('ends a session left idle for more than 30 minutes with 401 SESSION_EXPIRED', async () => {
    const cookie = await t.login('city_reviewer');
    t.clock.advance(29 * MINUTE);
    expect((await me(cookie)).statusCode).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await me(cookie)).statusCode).toBe(200);
    t.clock.advance(31 * MINUTE);
    const expired = await me(cookie);
    expectError(expired, 401, 'SESSION_EXPIRED');
    expect(cleared(expired)).toBe(true);
    const [entry] = await t.audit('SESSION_EXPIRED');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('city_reviewer'),
      details: { reason: 'IDLE_TIMEOUT' },
    });
    expectError(await me(cookie), 401, 'UNAUTHENTICATED');
  });

  it('ends a session 12 hours after login however active it was', async () => {
    const cookie = await t.login('dept_transport');
    for (let elapsed = 20; elapsed < 12 * 60; elapsed += 20) {
      t.clock.advance(20 * MINUTE);
      expect({ elapsed, status: (await me(cookie)).statusCode }).toEqual({ elapsed, status: 200 });
    }
    t.clock.advance(20 * MINUTE);
    expectError(await me(cookie), 401, 'SESSION_EXPIRED');
    const [entry] = await t.audit('SESSION_EXPIRED');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('dept_transport'),
      details: { reason: 'ABSOLUTE_TIMEOUT' },
    });
  });

  it('ends the session on logout so that the cookie no longer works', async () => {
    const cookie = await t.login('dept_agriculture');
    const res = await t.call('POST', '/api/auth/logout', { cookie });
    expect(res.statusCode).toBe(204);
    expect(cleared(res)).toBe(true);
    const [entry] = await t.audit('LOGOUT');
    expect(entry).toMatchObject({ actorUserId: await t.userId('dept_agriculture'), outcome: 'success' });
    expectError(await me(cookie), 401, 'UNAUTHENTICATED');
  });

  it('refuses writes without the x-hedui-csrf header, login included', async () => {
    expectError(await loginAttempt('dept_housing_fund', t.config.demoPassword, false), 403, 'CSRF_REQUIRED');
    const cookie = await t.login('dept_housing_fund');
    expectError(await t.call('POST', '/api/auth/logout', { cookie, csrf: false }), 403, 'CSRF_REQUIRED');
    const wrongValue = await t.call('POST', '/api/auth/logout', {
      cookie,
      csrf: false,
      headers: { 'x-hedui-csrf': 'yes' },
    });
    expectError(wrongValue, 403, 'CSRF_REQUIRED');
    expect((await me(cookie)).statusCode).toBe(200);
  });

  it('ends every session of a user an administrator disables, and refuses their login', async () => {
    const id = await t.userId('qingcheng_reviewer');
    const cookie = await t.login('qingcheng_reviewer');
    const admin = await t.login('admin');
    const res = await t.call('PATCH', `/api/users/${id}`, { cookie: admin, body: { active: false } });
    expect(res.json()).toMatchObject({ user: { id, active: false } });
    const [entry] = await t.audit('USER_UPDATED');
    expect(entry).toMatchObject({
      objectId: String(id),
      details: { before: { active: true }, after: { active: false }, endedSessions: 1 },
    });
    expectError(await me(cookie), 401, 'UNAUTHENTICATED');
    expectError(await loginAttempt('qingcheng_reviewer', t.config.demoPassword), 403, 'ACCOUNT_DISABLED');

    await t.call('PATCH', `/api/users/${id}`, { cookie: admin, body: { active: true } });
    expect((await loginAttempt('qingcheng_reviewer', t.config.demoPassword)).statusCode).toBe(200);
  });

  it('refuses a weak new password with WEAK_PASSWORD and a wrong current one with INVALID_CREDENTIALS', async () => {
    const cookie = await t.login('qingcheng_staff');
    const change = (currentPassword: string, newPassword: string) =>
      t.call('POST', '/api/auth/password', { cookie, body: { currentPassword, newPassword } });
    const current = t.config.demoPassword;
    for (const weak of ['Sh0rt!', 'alllowercase1', 'Password123', 'Qingcheng_staff1', current])
      expectError(await change(current, weak), 400, 'WEAK_PASSWORD');
    expectError(await change('Not-the-0ne', STRONG_PASSWORD), 401, 'INVALID_CREDENTIALS');
    expect(await t.audit('PASSWORD_CHANGED')).toEqual([]);
    expect((await loginAttempt('qingcheng_staff', current)).statusCode).toBe(200);
  });

  it('changes the password to a strong one, keeps this session and ends the others', async () => {
    const id = await t.userId('qingcheng_requester');
    const current = t.config.demoPassword;
    const here = await t.login('qingcheng_requester');
    const elsewhere = await t.login('qingcheng_requester');
    const res = await t.call('POST', '/api/auth/password', {
      cookie: here,
      body: { currentPassword: current, newPassword: STRONG_PASSWORD },
    });
    expect(res.statusCode).toBe(204);
    const [entry] = await t.audit('PASSWORD_CHANGED');
    expect(entry).toMatchObject({ actorUserId: id, objectId: String(id), details: { endedSessions: 1 } });
    expect((await me(here)).statusCode).toBe(200);
    expectError(await me(elsewhere), 401, 'UNAUTHENTICATED');
    expectError(await loginAttempt('qingcheng_requester', current), 401, 'INVALID_CREDENTIALS');
    expect((await loginAttempt('qingcheng_requester', STRONG_PASSWORD)).statusCode).toBe(200);
  });

  it('answers every failure in the one error shape, and an unknown address with 404 to anyone', async () => {
    expectError(await t.call('GET', '/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectError(await t.call('GET', '/api/no-such-route'), 404, 'NOT_FOUND');
    const deniedBefore = (await t.audit('PERMISSION_DENIED')).length;
    const cookie = await t.login('city_staff');
    expectError(await t.call('POST', '/api/no-such-route', { cookie }), 404, 'NOT_FOUND');
    expect(await t.audit('PERMISSION_DENIED')).toHaveLength(deniedBefore);
    const invalid = expectError(
      await t.call('POST', '/api/auth/login', { body: { username: 'admin' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(invalid.details).toMatchObject({ errors: [expect.objectContaining({ path: 'body/password' })] });
    const malformed = await t.call('POST', '/api/auth/login', {
      body: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expectError(malformed, 400, 'BAD_REQUEST');
  });
});

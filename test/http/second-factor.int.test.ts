import type { LightMyRequestResponse } from 'fastify';
import { expect, it } from 'vitest';
import { base32Decode, totpAt } from '../../src/domain/auth/totp.ts';
import { expectError, SESSION_COOKIE, sessionCookie, type TestApp, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

const STEP_MS = 30_000;
const UA = 'Mozilla/5.0 (X11; Linux x86_64) HeduiTest/1.0';

interface StepBody {
  step: string;
  user?: { username: string };
  recoveryCodes?: string[];
}

/** Logs in through every step; enrols (and remembers the secret) where the factor is required. */
function loginHelpers(t: TestApp) {
  const secrets = new Map<string, string>();
  const password = (username: string, pw = t.config.demoPassword) =>
    t.call('POST', '/api/auth/login', { body: { username, password: pw }, headers: { 'user-agent': UA } });
  /** A code of a step not used before: the clock moves on one step first. */
  const freshCode = (secret: string) => {
    t.clock.advance(STEP_MS);
    return totpAt(base32Decode(secret), t.clock.now().getTime());
  };
  const enrol = async (cookie: string, username: string) => {
    const started = await t.call('POST', '/api/auth/second-factor/enrolment', { cookie });
    expect(started.statusCode).toBe(200);
    const { secret } = started.json<{ secret: string }>();
    const confirmed = await t.call('POST', '/api/auth/second-factor/enrolment/confirm', {
      cookie,
      body: { code: freshCode(secret) },
    });
    expect(confirmed.statusCode).toBe(200);
    secrets.set(username, secret);
    return confirmed;
  };
  const fullLogin = async (username: string): Promise<string> => {
    const res = await password(username);
    const cookie = sessionCookie(res);
    const { step } = res.json<StepBody>();
    if (step === 'full') return cookie;
    if (step === 'enrol') return sessionCookie(await enrol(cookie, username));
    if (step === 'second_factor') {
      const next = await t.call('POST', '/api/auth/login/second-factor', {
        cookie,
        body: { code: freshCode(secrets.get(username) as string) },
      });
      expect(next.json<StepBody>().step).toBe('full');
      return sessionCookie(next);
    }
    throw new Error(`unexpected step ${step}`);
  };
  return { secrets, password, freshCode, enrol, fullLogin };
}

const cookieValue = (res: LightMyRequestResponse) =>
  res.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? null;

describeEachDatabase('second factor (HEDUI_MFA=required)', (dialect) => {
  const t = useTestApp(dialect, { env: { HEDUI_MFA: 'required' } });
  const h = loginHelpers(t);

  it('forces a user without a factor to enrol before anything else, then issues a new session', async () => {
    const res = await h.password('city_staff');
    expect(res.json()).toEqual({ step: 'enrol' });
    const pending = sessionCookie(res);
    expectError(
      await t.call('GET', '/api/auth/me', { cookie: pending }),
      403,
      'SECOND_FACTOR_ENROLMENT_REQUIRED',
    );
    expectError(
      await t.call('GET', '/api/cases', { cookie: pending }),
      403,
      'SECOND_FACTOR_ENROLMENT_REQUIRED',
    );
    expectError(
      await t.call('GET', '/api/notices', { cookie: pending }),
      403,
      'SECOND_FACTOR_ENROLMENT_REQUIRED',
    );

    const started = await t.call('POST', '/api/auth/second-factor/enrolment', { cookie: pending });
    const { secret, otpauthUri, qrSvg } = started.json<{
      secret: string;
      otpauthUri: string;
      qrSvg: string;
    }>();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.+:city_staff\?/);
    expect(qrSvg).toMatch(/^<svg/);
    expectError(
      await t.call('POST', '/api/auth/second-factor/enrolment/confirm', {
        cookie: pending,
        body: { code: '000000' },
      }),
      401,
      'INVALID_SECOND_FACTOR',
    );
    const confirmed = await t.call('POST', '/api/auth/second-factor/enrolment/confirm', {
      cookie: pending,
      body: { code: h.freshCode(secret) },
    });
    const body = confirmed.json<StepBody>();
    expect(body.step).toBe('full');
    expect(body.user?.username).toBe('city_staff');
    expect(body.recoveryCodes).toHaveLength(10);
    expect(new Set(body.recoveryCodes).size).toBe(10);
    h.secrets.set('city_staff', secret);
    const full = sessionCookie(confirmed);
    expect(full).not.toBe(pending);
    expectError(await t.call('GET', '/api/auth/me', { cookie: pending }), 401, 'UNAUTHENTICATED');
    expect((await t.call('GET', '/api/auth/me', { cookie: full })).statusCode).toBe(200);

    // The secret is stored only encrypted; the recovery codes only hashed.
    const id = await t.userId('city_staff');
    const row = await t.deps.store.accountSecurity.secondFactor(id);
    expect(row?.secretEnc).not.toContain(secret);
    expect(t.deps.crypto.decrypt(row?.secretEnc as string)).toBe(secret);
    const stored = await t.database.db
      .selectFrom('recoveryCode')
      .select('codeHash')
      .where('userId', '=', id)
      .execute();
    expect(stored).toHaveLength(10);
    for (const code of body.recoveryCodes ?? [])
      expect(stored.some((r) => r.codeHash.includes(code.replace(/-/g, '')))).toBe(false);
    const [entry] = await t.audit('SECOND_FACTOR_ENROLLED');
    expect(entry).toMatchObject({ actorUserId: id, objectId: String(id), details: { recoveryCodes: 10 } });
    const [login] = await t.audit('LOGIN');
    expect(login).toMatchObject({
      actorUserId: id,
      details: { username: 'city_staff', method: 'enrolment' },
    });
  });

  it('logs in in two steps: the session reaches nothing before the code, and gets a new identifier after it', async () => {
    const res = await h.password('city_staff');
    expect(res.json()).toEqual({ step: 'second_factor' });
    const pending = sessionCookie(res);
    expectError(await t.call('GET', '/api/auth/me', { cookie: pending }), 401, 'SECOND_FACTOR_REQUIRED');
    expectError(await t.call('GET', '/api/cases', { cookie: pending }), 401, 'SECOND_FACTOR_REQUIRED');
    expectError(
      await t.call('POST', '/api/auth/second-factor/enrolment', { cookie: pending }),
      401,
      'SECOND_FACTOR_REQUIRED',
    );
    expectError(
      await t.call('POST', '/api/auth/login/second-factor', { cookie: pending, body: { code: '123456' } }),
      401,
      'INVALID_SECOND_FACTOR',
    );
    const secret = h.secrets.get('city_staff') as string;
    const code = h.freshCode(secret);
    const ok = await t.call('POST', '/api/auth/login/second-factor', { cookie: pending, body: { code } });
    expect(ok.json<StepBody>()).toMatchObject({ step: 'full', user: { username: 'city_staff' } });
    const full = sessionCookie(ok);
    expect(full).not.toBe(pending);
    expectError(await t.call('GET', '/api/auth/me', { cookie: pending }), 401, 'UNAUTHENTICATED');
    expect((await t.call('GET', '/api/auth/me', { cookie: full })).statusCode).toBe(200);
    const [failed] = await t.audit('SECOND_FACTOR_FAILED');
    expect(failed).toMatchObject({ details: { reason: 'BAD_TOTP', failures: 1 } });

    // The same code, replayed in the same 30 seconds on a new login, is refused.
    const again = sessionCookie(await h.password('city_staff'));
    expectError(
      await t.call('POST', '/api/auth/login/second-factor', { cookie: again, body: { code } }),
      401,
      'INVALID_SECOND_FACTOR',
    );
    // One step of drift either way is accepted: the code of the step before now.
    t.clock.advance(2 * STEP_MS);
    const previous = totpAt(base32Decode(secret), t.clock.now().getTime() - STEP_MS);
    const late = await t.call('POST', '/api/auth/login/second-factor', {
      cookie: again,
      body: { code: previous },
    });
    expect(late.json<StepBody>().step).toBe('full');
  });

  it('refuses a code two steps old', async () => {
    const pending = sessionCookie(await h.password('city_staff'));
    t.clock.advance(3 * STEP_MS);
    const stale = totpAt(
      base32Decode(h.secrets.get('city_staff') as string),
      t.clock.now().getTime() - 2 * STEP_MS,
    );
    expectError(
      await t.call('POST', '/api/auth/login/second-factor', { cookie: pending, body: { code: stale } }),
      401,
      'INVALID_SECOND_FACTOR',
    );
  });

  it('accepts each recovery code once', async () => {
    const first = await h.password('xifeng_staff');
    const enrolled = (await h.enrol(sessionCookie(first), 'xifeng_staff')).json<StepBody>();
    const [code] = enrolled.recoveryCodes ?? [];
    const pending = sessionCookie(await h.password('xifeng_staff'));
    const ok = await t.call('POST', '/api/auth/login/second-factor', {
      cookie: pending,
      body: { code: (code as string).toLowerCase() },
    });
    expect(ok.json<StepBody>().step).toBe('full');
    const id = await t.userId('xifeng_staff');
    const [used] = await t.audit('RECOVERY_CODE_USED');
    expect(used).toMatchObject({ objectId: String(id), details: { left: 9 } });
    const status = await t.call('GET', '/api/auth/second-factor', { cookie: sessionCookie(ok) });
    expect(status.json()).toMatchObject({ enrolled: true, recoveryCodesLeft: 9, required: true });

    const again = sessionCookie(await h.password('xifeng_staff'));
    expectError(
      await t.call('POST', '/api/auth/login/second-factor', { cookie: again, body: { code } }),
      401,
      'INVALID_SECOND_FACTOR',
    );
  });

  it('locks the account after five wrong codes and ends the half-open session', async () => {
    await h.fullLogin('xifeng_reviewer');
    const pending = sessionCookie(await h.password('xifeng_reviewer'));
    for (let i = 1; i < 5; i += 1)
      expectError(
        await t.call('POST', '/api/auth/login/second-factor', {
          cookie: pending,
          body: { code: `00000${i}` },
        }),
        401,
        'INVALID_SECOND_FACTOR',
      );
    expectError(
      await t.call('POST', '/api/auth/login/second-factor', { cookie: pending, body: { code: '000009' } }),
      423,
      'ACCOUNT_LOCKED',
    );
    expectError(await t.call('GET', '/api/auth/me', { cookie: pending }), 401, 'UNAUTHENTICATED');
    expectError(await h.password('xifeng_reviewer'), 423, 'ACCOUNT_LOCKED');
    // Re-entering the password does not reset the count of wrong codes either.
    t.clock.advance(16 * 60_000);
    const retry = sessionCookie(await h.password('xifeng_reviewer'));
    for (let i = 1; i < 5; i += 1)
      await t.call('POST', '/api/auth/login/second-factor', { cookie: retry, body: { code: `11111${i}` } });
    const fresh = sessionCookie(await h.password('xifeng_reviewer'));
    expectError(
      await t.call('POST', '/api/auth/login/second-factor', { cookie: fresh, body: { code: '111119' } }),
      423,
      'ACCOUNT_LOCKED',
    );
    const id = await t.userId('xifeng_reviewer');
    await t.call('POST', `/api/users/${id}/unlock`, { cookie: await h.fullLogin('admin') });
  });

  it('lets an administrator reset a factor (audited): sessions end and the user must enrol again', async () => {
    const staff = await h.fullLogin('xifeng_requester');
    const admin = await h.fullLogin('admin');
    const id = await t.userId('xifeng_requester');
    const listed = async () =>
      (await t.call('GET', '/api/users?q=xifeng_requester', { cookie: admin }))
        .json<{ items: { id: number; secondFactor: boolean }[] }>()
        .items.find((u) => u.id === id)?.secondFactor;
    expect(await listed()).toBe(true);
    const res = await t.call('POST', `/api/users/${id}/reset-second-factor`, { cookie: admin });
    expect(res.statusCode).toBe(204);
    const [entry] = await t.audit('USER_SECOND_FACTOR_RESET');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('admin'),
      objectId: String(id),
      details: { hadFactor: true, endedSessions: 1 },
    });
    expectError(await t.call('GET', '/api/auth/me', { cookie: staff }), 401, 'UNAUTHENTICATED');
    expect((await t.deps.store.accountSecurity.secondFactor(id)) ?? null).toBeNull();
    expect(await listed()).toBe(false);
    expect((await h.password('xifeng_requester')).json()).toEqual({ step: 'enrol' });
    expectError(
      await t.call('POST', `/api/users/${id}/reset-second-factor`, { cookie: staff }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('refuses a user with a factor to enrol a second one over it', async () => {
    const cookie = await h.fullLogin('city_staff');
    expectError(await t.call('POST', '/api/auth/second-factor/enrolment', { cookie }), 409, 'CONFLICT');
  });

  it('regenerates recovery codes against a current code; the old ones stop working', async () => {
    const cookie = await h.fullLogin('city_staff');
    const res = await t.call('POST', '/api/auth/second-factor/recovery-codes', {
      cookie,
      body: { code: h.freshCode(h.secrets.get('city_staff') as string) },
    });
    expect(res.json<{ recoveryCodes: string[] }>().recoveryCodes).toHaveLength(10);
    expect(await t.audit('RECOVERY_CODES_REGENERATED')).toHaveLength(1);
  });
});

describeEachDatabase('passwords and sessions', (dialect) => {
  const t = useTestApp(dialect);
  const h = loginHelpers(t);

  it('gives every login a new session identifier, even over a cookie the browser already had', async () => {
    const a = await h.password('city_staff');
    const b = await t.call('POST', '/api/auth/login', {
      body: { username: 'city_staff', password: t.config.demoPassword },
      cookie: sessionCookie(a),
    });
    expect(cookieValue(b)).not.toBe(cookieValue(a));
    expect(cookieValue(b)).toMatch(/^[\w-]{43}$/);
  });

  it('refuses weak and common passwords when changing one', async () => {
    const cookie = sessionCookie(await h.password('city_staff'));
    for (const newPassword of ['Ab#1xyz', 'abcdefgh12', 'Password1', 'P@ssw0rd', 'Woaini1314', 'Qq123456!'])
      expectError(
        await t.call('POST', '/api/auth/password', {
          cookie,
          body: { currentPassword: t.config.demoPassword, newPassword },
        }),
        400,
        'WEAK_PASSWORD',
      );
  });

  it('ends every session of a disabled account at once', async () => {
    const staff = sessionCookie(await h.password('qingcheng_staff'));
    const admin = sessionCookie(await h.password('admin'));
    const id = await t.userId('qingcheng_staff');
    const res = await t.call('PATCH', `/api/users/${id}`, { cookie: admin, body: { active: false } });
    expect(res.statusCode).toBe(200);
    expectError(await t.call('GET', '/api/auth/me', { cookie: staff }), 401, 'UNAUTHENTICATED');
    const [entry] = await t.audit('USER_UPDATED');
    expect(entry).toMatchObject({ objectId: String(id), details: { endedSessions: 1 } });
    await t.call('PATCH', `/api/users/${id}`, { cookie: admin, body: { active: true } });
  });

  it('lists online sessions for administrators and logs one out by force (audited)', async () => {
    const staff = sessionCookie(await h.password('xifeng_staff'));
    const admin = sessionCookie(await h.password('admin'));
    const list = await t.call('GET', '/api/sessions', { cookie: admin });
    const items = list.json<{
      items: { id: string; username: string; userAgent: string | null; ip: string }[];
    }>().items;
    const mine = items.find((s) => s.username === 'xifeng_staff');
    expect(mine).toMatchObject({ userAgent: UA, ip: '127.0.0.1' });
    expect(JSON.stringify(items)).not.toContain(staff.split('=')[1]);
    const res = await t.call('POST', `/api/sessions/${mine?.id}/end`, { cookie: admin });
    expect(res.statusCode).toBe(204);
    expectError(await t.call('GET', '/api/auth/me', { cookie: staff }), 401, 'UNAUTHENTICATED');
    const [entry] = await t.audit('SESSION_FORCED_LOGOUT');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('admin'),
      objectId: String(await t.userId('xifeng_staff')),
    });
    expect(
      (await t.call('GET', '/api/sessions', { cookie: admin }))
        .json<{ items: { username: string }[] }>()
        .items.some((s) => s.username === 'xifeng_staff'),
    ).toBe(false);
    expectError(
      await t.call('GET', '/api/sessions', { cookie: await t.login('xifeng_staff') }),
      403,
      'PERMISSION_DENIED',
    );
  });

  it('logs every session of a user out at once', async () => {
    const one = await t.login('xifeng_reviewer');
    const two = await t.login('xifeng_reviewer');
    const admin = await t.login('admin');
    const id = await t.userId('xifeng_reviewer');
    const res = await t.call('POST', `/api/users/${id}/end-sessions`, { cookie: admin });
    expect(res.json()).toEqual({ endedSessions: 2 });
    for (const cookie of [one, two])
      expectError(await t.call('GET', '/api/auth/me', { cookie }), 401, 'UNAUTHENTICATED');
  });

  it('keeps a login log with IP and browser, for the user and (audited) for administrators', async () => {
    await h.password('dept_finance', 'Wrong#pass1');
    const cookie = sessionCookie(await h.password('dept_finance'));
    const own = (await t.call('GET', '/api/auth/logins', { cookie })).json<{
      items: { outcome: string; reason: string | null; ip: string; userAgent: string }[];
      total: number;
    }>();
    expect(own.items.slice(0, 2)).toEqual([
      expect.objectContaining({ outcome: 'success', ip: '127.0.0.1', userAgent: UA }),
      expect.objectContaining({ outcome: 'failure', reason: 'BAD_PASSWORD', userAgent: UA }),
    ]);
    const id = await t.userId('dept_finance');
    const admin = await t.login('admin');
    const seen = await t.call('GET', `/api/users/${id}/logins`, { cookie: admin });
    expect(seen.json<{ total: number }>().total).toBe(own.total);
    const [entry] = await t.audit('LOGIN_LOG_VIEWED');
    expect(entry).toMatchObject({ objectId: String(id), actorUserId: await t.userId('admin') });
  });

  it('makes staff change a password older than 90 days before anything else', async () => {
    t.clock.advance(91 * 86_400_000);
    const res = await h.password('qingcheng_reviewer');
    expect(res.json()).toEqual({ step: 'password_change' });
    const pending = sessionCookie(res);
    expectError(await t.call('GET', '/api/auth/me', { cookie: pending }), 403, 'PASSWORD_CHANGE_REQUIRED');
    expectError(await t.call('GET', '/api/cases', { cookie: pending }), 403, 'PASSWORD_CHANGE_REQUIRED');
    const changed = await t.call('POST', '/api/auth/password', {
      cookie: pending,
      body: { currentPassword: t.config.demoPassword, newPassword: 'Qy#renewed-2026' },
    });
    expect(changed.statusCode).toBe(204);
    const full = sessionCookie(changed);
    expect(full).not.toBe(pending);
    expect((await t.call('GET', '/api/auth/me', { cookie: full })).statusCode).toBe(200);
    expect((await h.password('qingcheng_reviewer', 'Qy#renewed-2026')).json<StepBody>().step).toBe('full');
  });
});

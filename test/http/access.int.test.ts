import { beforeAll, expect, it } from 'vitest';
import type { ChainedAuditEntry } from '../../src/domain/audit/chain.ts';
import { expectError, type HttpMethod, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

const XIFENG = '621002';
const QINGCHENG = '621021';

interface Named {
  id: number;
  regionCode: string;
}
interface ListedUser {
  id: number;
  username: string;
  organisationId: number;
}

describeEachDatabase('roles and data scope', (dialect) => {
  const t = useTestApp(dialect);
  let xifengOrgIds: Set<number>;
  let qingchengOrg: Named;
  let qingchengStaffId: number;

  beforeAll(async () => {
    const all = await t.deps.store.organisations.list(null);
    xifengOrgIds = new Set(all.filter((o) => o.regionCode.startsWith(XIFENG)).map((o) => o.id));
    const found = all.find((o) => o.regionCode === QINGCHENG && o.kind === 'agency');
    if (!found) throw new Error('demo city lacks the 庆城县 agency');
    qingchengOrg = found;
    qingchengStaffId = await t.userId('qingcheng_staff');
  });

  /** `route` is the pattern the denial records, e.g. /api/calendar/years/:year. */
  async function expectDenied(
    username: string,
    method: HttpMethod,
    url: string,
    body?: unknown,
    route = url.split('?')[0],
  ) {
    const cookie = await t.login(username);
    expectError(await t.call(method, url, { cookie, body }), 403, 'PERMISSION_DENIED');
    const [entry] = await t.audit('PERMISSION_DENIED');
    expect(entry).toMatchObject({
      actorUserId: await t.userId(username),
      outcome: 'denied',
      details: { method, route, reason: 'ROLE' },
    });
  }

  it('keeps the system administrator out of the audit log, and audits the attempt', async () => {
    await expectDenied('admin', 'GET', '/api/audit');
    await expectDenied('admin', 'POST', '/api/audit/verify');
  });

  it('lets the audit officer read the audit log, recording the reading itself', async () => {
    const cookie = await t.login('auditor');
    const res = await t.call('GET', '/api/audit?pageSize=5', { cookie });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ items: ChainedAuditEntry[]; total: number }>();
    expect(page.items).toHaveLength(5);
    expect(page.total).toBeGreaterThan(5);
    const [entry] = await t.audit('AUDIT_LOG_VIEWED');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('auditor'),
      details: { filter: { offset: 0, limit: 5 }, returned: 5 },
    });
    const verified = await t.call('POST', '/api/audit/verify', { cookie });
    expect(verified.json()).toMatchObject({ ok: true, firstBroken: null });
    const [verification] = await t.audit('AUDIT_CHAIN_VERIFIED');
    expect(verification).toMatchObject({ actorUserId: await t.userId('auditor'), details: { ok: true } });
  });

  it('keeps the audit officer from creating users and organisations or changing the calendar', async () => {
    const before = await t.deps.store.organisations.count();
    await expectDenied('auditor', 'POST', '/api/organisations', {
      name: '审计员新建的机构',
      kind: 'agency',
      regionCode: XIFENG,
    });
    await expectDenied('auditor', 'POST', '/api/users', {
      username: 'made_by_auditor',
      displayName: '审计员新建',
      organisationId: [...xifengOrgIds][0],
      roles: ['agency_staff'],
      password: 'Strong#pass2025',
    });
    await expectDenied(
      'auditor',
      'PUT',
      '/api/calendar/years/2027',
      { source: '审计员录入', publishedOn: null, days: [] },
      '/api/calendar/years/:year',
    );
    await expectDenied('auditor', 'GET', '/api/users');
    expect(await t.deps.store.organisations.count()).toBe(before);
    expect(await t.deps.store.users.getByUsername('made_by_auditor')).toBeUndefined();
    expect(await t.deps.store.calendar.getYear(2027)).toBeUndefined();
  });

  it('keeps agency staff out of administration and the audit log', async () => {
    await expectDenied('xifeng_staff', 'GET', '/api/organisations');
    await expectDenied('xifeng_staff', 'GET', '/api/users');
    await expectDenied('xifeng_staff', 'POST', '/api/regions', { code: '621002199', name: '越权镇' });
    await expectDenied('xifeng_staff', 'GET', '/api/audit');
    const cookie = await t.login('xifeng_staff');
    expect((await t.call('GET', '/api/calendar/years', { cookie })).statusCode).toBe(200);
  });

  it('lists only the organisations and users of 西峰区 to its county administrator', async () => {
    const cookie = await t.login('xifeng_admin');
    const orgs = (await t.call('GET', '/api/organisations', { cookie })).json<{ items: Named[] }>().items;
    expect(new Set(orgs.map((o) => o.id))).toEqual(xifengOrgIds);
    expect(orgs.filter((o) => !o.regionCode.startsWith(XIFENG))).toEqual([]);
    const users = (await t.call('GET', '/api/users', { cookie })).json<{ items: ListedUser[] }>().items;
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['xifeng_staff', 'xifeng_township']));
    expect(users.filter((u) => !xifengOrgIds.has(u.organisationId)).map((u) => u.username)).toEqual([]);
  });

  it('lets the city administrator see both counties', async () => {
    const cookie = await t.login('admin');
    const orgs = (await t.call('GET', '/api/organisations', { cookie })).json<{ items: Named[] }>().items;
    expect(orgs.some((o) => o.regionCode.startsWith(XIFENG))).toBe(true);
    expect(orgs.some((o) => o.regionCode.startsWith(QINGCHENG))).toBe(true);
    const users = (await t.call('GET', '/api/users', { cookie })).json<{ items: ListedUser[] }>().items;
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['xifeng_staff', 'qingcheng_staff']));
  });

  it('answers a county administrator reaching into another county with 404 OUT_OF_SCOPE and changes nothing', async () => {
    const cookie = await t.login('xifeng_admin');
    const orgUpdatesBefore = (await t.audit('ORGANISATION_UPDATED')).length;
    const userUpdatesBefore = (await t.audit('USER_UPDATED')).length;
    const attempts: [HttpMethod, string, unknown][] = [
      ['PATCH', `/api/organisations/${qingchengOrg.id}`, { name: '被改名的机构' }],
      ['PATCH', `/api/users/${qingchengStaffId}`, { active: false }],
      ['POST', `/api/users/${qingchengStaffId}/reset-password`, { password: 'Strong#pass2025' }],
      ['POST', `/api/users/${qingchengStaffId}/unlock`, undefined],
      ['GET', `/api/users?organisationId=${qingchengOrg.id}`, undefined],
    ];
    for (const [method, url, body] of attempts)
      expectError(await t.call(method, url, { cookie, body }), 404, 'OUT_OF_SCOPE');
    expect((await t.deps.store.organisations.get(qingchengOrg.id))?.name).not.toBe('被改名的机构');
    expect((await t.deps.store.users.get(qingchengStaffId))?.active).toBe(true);
    expect(await t.audit('ORGANISATION_UPDATED')).toHaveLength(orgUpdatesBefore);
    expect(await t.audit('USER_UPDATED')).toHaveLength(userUpdatesBefore);
    expect(
      (
        await t.call('POST', '/api/auth/login', {
          body: { username: 'qingcheng_staff', password: t.config.demoPassword },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('lets a county administrator create an organisation in their county only', async () => {
    const cookie = await t.login('xifeng_admin');
    const outside = await t.call('POST', '/api/organisations', {
      cookie,
      body: { name: '庆城县越权机构', kind: 'agency', regionCode: QINGCHENG },
    });
    expect(expectError(outside, 404, 'OUT_OF_SCOPE').details).toEqual({ regionCode: QINGCHENG });
    const inside = await t.call('POST', '/api/organisations', {
      cookie,
      body: { name: '西峰区第二核对站', kind: 'agency', regionCode: '621002002' },
    });
    const created = inside.json<{ organisation: Named & { name: string } }>().organisation;
    expect(created).toMatchObject({ name: '西峰区第二核对站', regionCode: '621002002' });
    const [entry] = await t.audit('ORGANISATION_CREATED');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('xifeng_admin'),
      objectId: String(created.id),
      details: { regionCode: '621002002' },
    });
    expect((await t.deps.store.organisations.list(null)).some((o) => o.name === '庆城县越权机构')).toBe(
      false,
    );
  });

  it('shows a county auditor the audit entries of 西峰区 and of the system, not 庆城县 logins', async () => {
    await t.login('qingcheng_staff');
    await t.login('xifeng_staff');
    const cookie = await t.login('xifeng_auditor');
    const res = await t.call('GET', '/api/audit?action=LOGIN&pageSize=200', { cookie });
    const { items } = res.json<{ items: ChainedAuditEntry[] }>();
    const names = new Set(items.map((e) => e.actorName));
    expect(names.has('西峰区核对员（演示）')).toBe(true);
    expect(names.has('庆城县核对员（演示）')).toBe(false);
    const all = (await t.call('GET', '/api/audit?pageSize=200', { cookie })).json<{
      items: ChainedAuditEntry[];
    }>().items;
    expect(all.some((e) => e.organisationId === null)).toBe(true);
    expect(all.filter((e) => e.organisationId !== null && !xifengOrgIds.has(e.organisationId))).toEqual([]);

    const city = await t.login('auditor');
    const cityItems = (await t.call('GET', '/api/audit?action=LOGIN&pageSize=200', { cookie: city })).json<{
      items: ChainedAuditEntry[];
    }>().items;
    expect(cityItems.map((e) => e.actorName)).toEqual(
      expect.arrayContaining(['西峰区核对员（演示）', '庆城县核对员（演示）']),
    );
  });

  it('gives a county user only their own region as the root of the region tree', async () => {
    const cookie = await t.login('xifeng_staff');
    const roots = await t.call('GET', '/api/regions', { cookie });
    expect(roots.json()).toEqual({
      items: [{ code: XIFENG, name: '西峰区', level: 'county', hasChildren: true }],
    });
    const townships = (await t.call('GET', `/api/regions?parent=${XIFENG}`, { cookie })).json<{
      items: { code: string }[];
    }>();
    expect(townships.items.map((r) => r.code)).toEqual(['621002001', '621002002', '621002003']);
    expectError(await t.call('GET', `/api/regions?parent=${QINGCHENG}`, { cookie }), 404, 'OUT_OF_SCOPE');
    const city = await t.login('admin');
    expect((await t.call('GET', '/api/regions', { cookie: city })).json()).toMatchObject({
      items: [{ code: '621000', level: 'city' }],
    });
  });
});

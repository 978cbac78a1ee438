import { beforeAll, expect, it } from 'vitest';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

const PASSWORD = 'Verify#2025ok';

interface Organisation {
  id: number;
  name: string;
  kind: string;
  regionCode: string;
  regionName: string;
  parentId: number | null;
  departmentCode: string | null;
  active: boolean;
  userCount: number;
}

describeEachDatabase('administration of organisations, users and townships', (dialect) => {
  const t = useTestApp(dialect);
  let admin: string;
  let adminId: number;
  let agency: Organisation;

  beforeAll(async () => {
    admin = await t.login('admin');
    adminId = await t.userId('admin');
  });

  const post = (url: string, body: unknown) => t.call('POST', url, { cookie: admin, body });
  const newUser = (overrides: Record<string, unknown>) =>
    post('/api/users', {
      username: 'hz_new_staff',
      displayName: '环县新核对员',
      organisationId: agency.id,
      roles: ['agency_staff'],
      password: PASSWORD,
      ...overrides,
    });

  it('creates an organisation and audits ORGANISATION_CREATED', async () => {
    const res = await post('/api/organisations', {
      name: '  环县第二核对中心 ',
      kind: 'agency',
      regionCode: '621022',
    });
    expect(res.statusCode).toBe(200);
    agency = res.json<{ organisation: Organisation }>().organisation;
    expect(agency).toMatchObject({
      name: '环县第二核对中心',
      kind: 'agency',
      regionCode: '621022',
      regionName: '环县',
      parentId: null,
      departmentCode: null,
      active: true,
      userCount: 0,
    });
    const [entry] = await t.audit('ORGANISATION_CREATED');
    expect(entry).toMatchObject({
      actorUserId: adminId,
      objectType: 'organisation',
      objectId: String(agency.id),
      outcome: 'success',
      details: { name: '环县第二核对中心', kind: 'agency', regionCode: '621022' },
    });
  });

  it('refuses an organisation with an unknown region, or a department without its code', async () => {
    const before = (await t.audit('ORGANISATION_CREATED')).length;
    expectError(
      await post('/api/organisations', { name: '无此区划', kind: 'agency', regionCode: '621099' }),
      400,
      'INVALID_REGION',
    );
    expectError(
      await post('/api/organisations', { name: '某局', kind: 'department', regionCode: '621000' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await post('/api/organisations', { name: '某局', kind: 'bank', regionCode: '621000' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await t.audit('ORGANISATION_CREATED')).toHaveLength(before);
  });

  it('creates a user whose roles suit the organisation, audits USER_CREATED, and the user can log in', async () => {
    const res = await newUser({ roles: ['agency_staff', 'agency_reviewer'] });
    expect(res.statusCode).toBe(200);
    const { user } = res.json<{ user: { id: number; roles: string[]; organisationName: string } }>();
    expect(user).toMatchObject({
      username: 'hz_new_staff',
      roles: ['agency_staff', 'agency_reviewer'],
      organisationName: '环县第二核对中心',
      active: true,
      locked: false,
    });
    expect(res.body).not.toContain('scrypt');
    const [entry] = await t.audit('USER_CREATED');
    expect(entry).toMatchObject({
      actorUserId: adminId,
      objectType: 'user',
      objectId: String(user.id),
      details: {
        username: 'hz_new_staff',
        organisationId: agency.id,
        roles: ['agency_staff', 'agency_reviewer'],
      },
    });
    expect(JSON.stringify(entry?.details)).not.toContain(PASSWORD);
    const me = await t.call('GET', '/api/auth/me', { cookie: await t.login('hz_new_staff', PASSWORD) });
    expect(me.json()).toMatchObject({ user: { id: user.id, organisation: { id: agency.id } } });
  });

  it('refuses a system administrator in an agency with INVALID_ROLE_FOR_ORGANISATION', async () => {
    expectError(
      await newUser({ username: 'hz_bad_admin', roles: ['system_admin'] }),
      400,
      'INVALID_ROLE_FOR_ORGANISATION',
    );
    expect(await t.deps.store.users.getByUsername('hz_bad_admin')).toBeUndefined();
  });

  it('refuses one person as both system administrator and audit officer (three-role separation)', async () => {
    const civil = (await t.deps.store.organisations.list('621000')).find((o) => o.kind === 'admin');
    const res = await newUser({
      username: 'both_roles',
      organisationId: civil?.id,
      roles: ['system_admin', 'audit_officer'],
    });
    expect(expectError(res, 400, 'INVALID_ROLE_FOR_ORGANISATION').message).toContain('三员分立');
    expect(await t.deps.store.users.getByUsername('both_roles')).toBeUndefined();
  });

  it('refuses a username already taken with 409 USERNAME_TAKEN', async () => {
    const before = (await t.audit('USER_CREATED')).length;
    expectError(await newUser({ username: 'xifeng_staff' }), 409, 'USERNAME_TAKEN');
    expectError(await newUser({ username: 'hz_weak', password: 'weakpass' }), 400, 'WEAK_PASSWORD');
    expectError(await newUser({ username: 'no spaces allowed' }), 400, 'VALIDATION_FAILED');
    expect(await t.audit('USER_CREATED')).toHaveLength(before);
  });

  it('resets a password: the old one and the user’s sessions stop working, the new one works', async () => {
    const id = await t.userId('hz_new_staff');
    const session = await t.login('hz_new_staff', PASSWORD);
    const weak = await post(`/api/users/${id}/reset-password`, { password: 'short' });
    expectError(weak, 400, 'WEAK_PASSWORD');
    const res = await post(`/api/users/${id}/reset-password`, { password: 'Reset#2025new' });
    expect(res.statusCode).toBe(204);
    const [entry] = await t.audit('USER_PASSWORD_RESET');
    // Two sessions end: this test's and the one the creation test opened.
    expect(entry).toMatchObject({
      actorUserId: adminId,
      objectId: String(id),
      details: { endedSessions: 2 },
    });
    expectError(await t.call('GET', '/api/auth/me', { cookie: session }), 401, 'UNAUTHENTICATED');
    const old = await t.call('POST', '/api/auth/login', {
      body: { username: 'hz_new_staff', password: PASSWORD },
    });
    expectError(old, 401, 'INVALID_CREDENTIALS');
    await t.login('hz_new_staff', 'Reset#2025new');
  });

  it('changes a user’s roles and audits the before and after', async () => {
    const id = await t.userId('hz_new_staff');
    const res = await t.call('PATCH', `/api/users/${id}`, {
      cookie: admin,
      body: { displayName: '环县审核员', roles: ['agency_reviewer'] },
    });
    expect(res.json()).toMatchObject({ user: { displayName: '环县审核员', roles: ['agency_reviewer'] } });
    const [entry] = await t.audit('USER_UPDATED');
    expect(entry).toMatchObject({
      objectId: String(id),
      details: {
        before: { displayName: '环县新核对员', roles: ['agency_reviewer', 'agency_staff'] },
        after: { displayName: '环县审核员', roles: ['agency_reviewer'] },
      },
    });
    const refused = await t.call('PATCH', `/api/users/${adminId}`, {
      cookie: admin,
      body: { active: false },
    });
    expectError(refused, 409, 'CONFLICT');
  });

  it('renames an organisation and audits ORGANISATION_UPDATED', async () => {
    const res = await t.call('PATCH', `/api/organisations/${agency.id}`, {
      cookie: admin,
      body: { name: '环县核对分中心' },
    });
    expect(res.json()).toMatchObject({
      organisation: { id: agency.id, name: '环县核对分中心', userCount: 0 },
    });
    const [entry] = await t.audit('ORGANISATION_UPDATED');
    expect(entry).toMatchObject({
      objectId: String(agency.id),
      details: { before: { name: '环县第二核对中心' }, after: { name: '环县核对分中心' } },
    });
  });

  it('adds a township under a county, audits REGION_CREATED, and shows it in the region tree', async () => {
    const res = await post('/api/regions', { code: '621022101', name: '测试镇' });
    expect(res.json()).toEqual({
      region: { code: '621022101', name: '测试镇', level: 'township', hasChildren: false },
    });
    const [entry] = await t.audit('REGION_CREATED');
    expect(entry).toMatchObject({ actorUserId: adminId, objectId: '621022101', details: { name: '测试镇' } });
    const tree = await t.call('GET', '/api/regions?parent=621022', { cookie: admin });
    expect(tree.json<{ items: { code: string }[] }>().items.map((r) => r.code)).toContain('621022101');
  });

  it('refuses a township that exists, lacks a county, has a malformed code or lies outside the caller’s scope', async () => {
    const before = (await t.audit('REGION_CREATED')).length;
    expectError(await post('/api/regions', { code: '621022101', name: '重复镇' }), 409, 'CONFLICT');
    expectError(await post('/api/regions', { code: '621099101', name: '无县镇' }), 400, 'INVALID_REGION');
    expectError(await post('/api/regions', { code: '62102210', name: '八位镇' }), 400, 'INVALID_REGION');
    const county = await t.login('xifeng_admin');
    const outside = await t.call('POST', '/api/regions', {
      cookie: county,
      body: { code: '621021101', name: '越权镇' },
    });
    expectError(outside, 404, 'OUT_OF_SCOPE');
    expect(await t.audit('REGION_CREATED')).toHaveLength(before);
  });
});

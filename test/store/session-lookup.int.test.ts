import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../src/app/ports.ts';
import { createStore } from '../../src/store/store.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.ts';

const AT = '2025-09-26T02:00:00.000Z';

/** The session look-up of every request (`sessions.withUser`): one statement, the same records as the single reads. */
describeEachDatabase('the session look-up with its user and organisation', (dialect) => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    store = createStore(database);
  });
  afterAll(() => database.close());

  it('answers the session, the user with every role and the organisation as the single reads do', async () => {
    await store.regions.upsertMany([{ code: '621002', name: '西峰区', level: 'county', parentCode: null }]);
    const organisation = await store.organisations.create({
      name: '西峰区居民家庭经济状况核对中心',
      kind: 'agency',
      regionCode: '621002',
      parentId: null,
      departmentCode: null,
      active: true,
      createdAt: AT,
    });
    const user = await store.users.create({
      username: 'lookup_staff',
      displayName: '核对员',
      organisationId: organisation.id,
      passwordHash: 'scrypt$x',
      active: true,
      failedLoginCount: 0,
      lockedUntil: null,
      passwordChangedAt: AT,
      lastLoginAt: null,
      createdAt: AT,
      roles: ['agency_staff', 'agency_reviewer'],
    });
    await store.sessions.create({
      idHash: 'a'.repeat(64),
      userId: user.id,
      createdAt: AT,
      lastSeenAt: AT,
      expiresAt: '2025-09-26T14:00:00.000Z',
      ip: '127.0.0.1',
      userAgent: 'vitest',
      endedAt: null,
      endReason: null,
      stage: 'full',
    });
    const found = await store.sessions.withUser('a'.repeat(64));
    expect(found?.session).toEqual(await store.sessions.get('a'.repeat(64)));
    expect(found?.user).toEqual(await store.users.get(user.id));
    expect(found?.user?.roles).toEqual(['agency_reviewer', 'agency_staff']);
    expect(found?.organisation).toEqual(await store.organisations.get(organisation.id));

    await store.users.update(user.id, { active: false });
    await store.organisations.update(organisation.id, { active: false });
    const after = await store.sessions.withUser('a'.repeat(64));
    expect({ user: after?.user?.active, organisation: after?.organisation?.active }).toEqual({
      user: false,
      organisation: false,
    });
    expect(await store.sessions.withUser('b'.repeat(64))).toBeUndefined();
  });
});

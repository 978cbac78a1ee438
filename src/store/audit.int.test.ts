import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { withoutAuditGuards } from '../../test/support/audit-guards.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { verifyAudit } from '../app/audit/audit.ts';
import type { Actor, Store } from '../app/ports.ts';
import { chainAuditEntry } from '../domain/audit/chain.ts';
import { createStore } from './store.ts';

const ACTOR: Actor = {
  userId: null,
  name: '测试',
  roles: ['audit_officer'],
  organisationId: null,
  regionCode: null,
  ip: '127.0.0.1',
  userAgent: 'vitest',
};
const AT = '2025-09-26T02:00:00.000Z';
const ENTRIES = 6;

describeEachDatabase('audit chain in the store', (dialect) => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    store = createStore(database);
  });
  afterAll(() => database.close());

  beforeEach(async () => {
    await withoutAuditGuards(database, async () => {
      await database.db.deleteFrom('auditLog').execute();
      await database.db.deleteFrom('auditHead').execute();
    });
    for (let i = 1; i <= ENTRIES; i += 1)
      await store.audit.append(ACTOR, { action: 'LOGIN', outcome: 'success', details: { n: i } }, AT);
  });

  it('appends entries that verify as one chain with seqs 1..N and a matching head', async () => {
    expect(await verifyAudit(store)).toMatchObject({ ok: true, checked: ENTRIES, firstBroken: null });
    const entries = [];
    for await (const e of store.audit.all()) entries.push(e);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries.map((e) => e.details)).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({ n })));
    expect(await store.audit.head()).toEqual({ seq: ENTRIES, hash: entries[ENTRIES - 1]?.hash });
  });

  it('names a row whose details were changed with an UPDATE', async () => {
    await withoutAuditGuards(database, () =>
      database.db.updateTable('auditLog').set({ details: '{"n":99}' }).where('seq', '=', 3).execute(),
    );
    expect((await verifyAudit(store)).firstBroken).toMatchObject({ seq: 3, reason: 'HASH_MISMATCH' });
  });

  it('names the gap left by a middle row removed with a DELETE', async () => {
    await withoutAuditGuards(database, () =>
      database.db.deleteFrom('auditLog').where('seq', '=', 4).execute(),
    );
    expect((await verifyAudit(store)).firstBroken).toMatchObject({ seq: 4, reason: 'SEQUENCE_GAP' });
  });

  it('names a forged row added with an INSERT, even with a correctly computed hash', async () => {
    const head = await store.audit.head();
    const forged = chainAuditEntry(head?.hash ?? '', {
      seq: ENTRIES + 1,
      at: AT,
      actorUserId: null,
      actorName: '伪造',
      actorRoles: [],
      organisationId: null,
      action: 'LOGOUT',
      objectType: null,
      objectId: null,
      caseId: null,
      outcome: 'success',
      ip: null,
      userAgent: null,
      details: {},
    });
    await database.db
      .insertInto('auditLog')
      .values({ ...forged, actorRoles: '[]', details: '{}' })
      .execute();
    expect((await verifyAudit(store)).firstBroken).toMatchObject({
      seq: ENTRIES + 1,
      reason: 'HEAD_MISMATCH',
    });
  });

  it('names the first of two rows whose seq numbers were swapped', async () => {
    await withoutAuditGuards(database, async () => {
      await database.db.updateTable('auditLog').set({ seq: -2 }).where('seq', '=', 2).execute();
      await database.db.updateTable('auditLog').set({ seq: 2 }).where('seq', '=', 5).execute();
      await database.db.updateTable('auditLog').set({ seq: 5 }).where('seq', '=', -2).execute();
    });
    expect((await verifyAudit(store)).firstBroken).toMatchObject({
      seq: 2,
      reason: 'PREVIOUS_HASH_MISMATCH',
    });
  });

  it('names the newest row when it was deleted and only the head remembers it', async () => {
    await withoutAuditGuards(database, () =>
      database.db.deleteFrom('auditLog').where('seq', '=', ENTRIES).execute(),
    );
    expect(await verifyAudit(store)).toMatchObject({
      ok: false,
      checked: ENTRIES - 1,
      firstBroken: { seq: ENTRIES, reason: 'HEAD_MISMATCH' },
    });
  });

  it('chains 50 appends made at once without a gap or a fork', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.audit.append(ACTOR, { action: 'AUDIT_LOG_VIEWED', outcome: 'success', details: { i } }, AT),
      ),
    );
    const total = ENTRIES + 50;
    expect(await verifyAudit(store)).toMatchObject({ ok: true, checked: total, firstBroken: null });
    const rows = await database.db
      .selectFrom('auditLog')
      .select([sql<number>`count(distinct prev_hash)`.as('prevs'), sql<number>`max(seq)`.as('last')])
      .executeTakeFirstOrThrow();
    expect({ prevs: Number(rows.prevs), last: Number(rows.last) }).toEqual({ prevs: total, last: total });
    const logged = new Set<unknown>();
    for await (const e of store.audit.all()) if (e.action === 'AUDIT_LOG_VIEWED') logged.add(e.details.i);
    expect(logged.size).toBe(50);
  });

  it('rolls an audit entry back with the transaction it belongs to', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.audit.append(ACTOR, { action: 'USER_CREATED', outcome: 'success' }, AT);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await store.audit.head()).toMatchObject({ seq: ENTRIES });
    expect(await verifyAudit(store)).toMatchObject({ ok: true, checked: ENTRIES });
  });
});

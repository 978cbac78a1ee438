import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { createAuditCheckpoint, verifyAudit } from '../../src/app/audit/checkpoints.ts';
import type { Actor } from '../../src/app/ports.ts';
import { runRetention } from '../../src/app/retention/run-retention.ts';
import { testDatabaseSettings } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/store/db.ts';
import { createStore } from '../../src/store/store.ts';
import { TEST_START, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

const ACTOR: Actor = { ...SYSTEM_ACTOR, name: '保护测试' };
const APP_ROLE = 'hedui_app';

describeEachDatabase('the database guards the audit tables', (dialect) => {
  const t = useTestApp(dialect);
  const db = () => t.database.db;
  const refused = /AUDIT_IMMUTABLE|permission denied/;

  it('refuses to change or delete an audit entry, even for the tables’ owner', async () => {
    await expect(
      db().updateTable('auditLog').set({ details: '{"forged":true}' }).where('seq', '=', 2).execute(),
    ).rejects.toThrow(refused);
    await expect(db().deleteFrom('auditLog').where('seq', '=', 2).execute()).rejects.toThrow(refused);
    await expect(db().deleteFrom('auditLog').execute()).rejects.toThrow(refused);
    if (dialect === 'postgres') await expect(sql`truncate audit_log`.execute(db())).rejects.toThrow(refused);
    expect((await verifyAudit(t.deps.store, t.deps.auditSigner, t.clock.now())).ok).toBe(true);
  });

  it('lets the chain head only move forward onto an existing entry', async () => {
    const head = await t.deps.store.audit.head();
    if (!head) throw new Error('no head');
    await expect(
      db()
        .updateTable('auditHead')
        .set({ seq: head.seq - 1 })
        .execute(),
    ).rejects.toThrow(refused);
    await expect(
      db()
        .updateTable('auditHead')
        .set({ seq: head.seq + 1, hash: 'f'.repeat(64) })
        .execute(),
    ).rejects.toThrow(refused);
    await expect(db().deleteFrom('auditHead').execute()).rejects.toThrow(refused);
    await t.deps.store.audit.append(ACTOR, { action: 'LOGIN', outcome: 'success' }, TEST_START);
    expect((await t.deps.store.audit.head())?.seq).toBe(head.seq + 1);
  });

  it('refuses to change or delete a checkpoint', async () => {
    const c = await createAuditCheckpoint(t.deps, ACTOR);
    expect(c).not.toBeNull();
    await expect(
      db()
        .updateTable('auditCheckpoint')
        .set({ rootHash: '0'.repeat(64) })
        .execute(),
    ).rejects.toThrow(refused);
    await expect(db().deleteFrom('auditCheckpoint').execute()).rejects.toThrow(refused);
  });

  it('removes old entries only through retention, only to a checkpoint boundary, and the chain verifies from there', async () => {
    // Entries from the test clock (2025-09-26) are far older than the database's 180-day floor.
    await t.deps.store.audit.append(ACTOR, { action: 'LOGIN', outcome: 'success' }, TEST_START);
    const boundary = await createAuditCheckpoint(t.deps, ACTOR);
    if (!boundary) throw new Error('no checkpoint');
    await t.deps.store.audit.append(ACTOR, { action: 'LOGOUT', outcome: 'success' }, TEST_START);
    await expect(t.deps.store.auditCheckpoints.purgeThrough(boundary.toSeq - 1)).rejects.toThrow(
      /AUDIT_PURGE_REFUSED/,
    );
    expect(await t.deps.store.auditCheckpoints.oldestSeq()).toBe(1);

    // A year and more after the entries (the configured audit period, 365 days by default).
    t.clock.set('2027-01-01T00:00:00.000Z');
    try {
      const run = await runRetention(t.deps, { dryRun: false, trigger: 'job' }, ACTOR);
      expect(run.counts).toMatchObject({
        auditPurgedThrough: boundary.toSeq,
        auditEntriesPurged: boundary.toSeq,
      });
      expect(await t.deps.store.auditCheckpoints.oldestSeq()).toBe(boundary.toSeq + 1);
      const result = await verifyAudit(t.deps.store, t.deps.auditSigner, new Date());
      expect(result).toMatchObject({ ok: true, from: boundary.toSeq + 1, firstBroken: null });
      expect(result.checkpoints.firstBroken).toBeNull();
      const [audited] = await t.audit('RETENTION_PURGED');
      expect(audited?.details).toMatchObject({ auditPurgedThrough: boundary.toSeq });
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('refuses, in the database itself, to remove entries younger than 180 days even at a checkpoint boundary', async () => {
    t.clock.set(new Date().toISOString());
    try {
      await t.deps.store.audit.append(
        ACTOR,
        { action: 'LOGIN', outcome: 'success' },
        new Date().toISOString(),
      );
      const young = await createAuditCheckpoint(t.deps, ACTOR);
      if (!young) throw new Error('no checkpoint');
      await expect(t.deps.store.auditCheckpoints.purgeThrough(young.toSeq)).rejects.toThrow(
        /AUDIT_PURGE_REFUSED/,
      );
      if (dialect === 'sqlite')
        await expect(
          db().insertInto('auditPurgePermit').values({ upToSeq: young.toSeq }).execute(),
        ).rejects.toThrow(/AUDIT_PURGE_REFUSED/);
    } finally {
      t.clock.set(TEST_START);
    }
  });

  if (dialect === 'postgres')
    describe('connected as the application’s own role', () => {
      let appDb: Database;

      beforeAll(async () => {
        const schema = t.database.schema as string;
        const admin = new pg.Client({ connectionString: testDatabaseSettings().postgresUrl });
        await admin.connect();
        try {
          await admin.query(
            `do $$ begin create role ${APP_ROLE} login; exception when duplicate_object then null; end $$`,
          );
          // Everything on every table, as a careless grant would give: the guard must still hold.
          await admin.query(`grant usage on schema ${schema} to ${APP_ROLE}`);
          await admin.query(`grant all on all tables in schema ${schema} to ${APP_ROLE}`);
          await admin.query(`grant all on all sequences in schema ${schema} to ${APP_ROLE}`);
        } finally {
          await admin.end();
        }
        const url = new URL(testDatabaseSettings().postgresUrl);
        url.username = APP_ROLE;
        url.password = '';
        appDb = openDatabase(url.toString(), { schema, poolSize: 2 });
      });
      afterAll(async () => {
        await appDb?.close();
        const admin = new pg.Client({ connectionString: testDatabaseSettings().postgresUrl });
        await admin.connect();
        await admin.query(`revoke all on all tables in schema ${t.database.schema} from ${APP_ROLE}`);
        await admin.query(`revoke all on all sequences in schema ${t.database.schema} from ${APP_ROLE}`);
        await admin.query(`revoke usage on schema ${t.database.schema} from ${APP_ROLE}`);
        await admin.end();
      });

      it('appends audit entries but cannot UPDATE or DELETE them, not even by setting the purge flag itself', async () => {
        const who = await sql<{ u: string }>`select current_user as u`.execute(appDb.db);
        expect(who.rows[0]?.u).toBe(APP_ROLE);
        const store = createStore(appDb);
        const entry = await store.audit.append(ACTOR, { action: 'LOGIN', outcome: 'success' }, TEST_START);
        await expect(
          appDb.db.updateTable('auditLog').set({ outcome: 'failure' }).where('seq', '=', entry.seq).execute(),
        ).rejects.toThrow(refused);
        await expect(appDb.db.deleteFrom('auditLog').where('seq', '=', entry.seq).execute()).rejects.toThrow(
          refused,
        );
        await expect(
          appDb.db.connection().execute(async (c) => {
            await sql`select set_config('hedui.audit_purge', 'on', false)`.execute(c);
            await c.deleteFrom('auditLog').where('seq', '=', entry.seq).execute();
          }),
        ).rejects.toThrow(refused);
        await expect(sql`truncate audit_log`.execute(appDb.db)).rejects.toThrow(refused);
        await expect(appDb.db.updateTable('auditHead').set({ seq: 1 }).execute()).rejects.toThrow(refused);
        const still = await appDb.db
          .selectFrom('auditLog')
          .select('outcome')
          .where('seq', '=', entry.seq)
          .executeTakeFirst();
        expect(still?.outcome).toBe('success');
      });
    });
});

import { execFile } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/checkpoints.ts';
import type { Store } from '../../src/app/ports.ts';
import { createStore } from '../../src/store/store.ts';
import { cliDatabase, ROOT } from '../support/cli.ts';
import type { TestDatabase } from '../support/databases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { type TempDir, tempDir } from '../support/department-data.ts';

/**
 * Several server processes on one database (`hedui serve --workers N`) append to one audit chain. SQLite: each
 * append's transaction takes the write lock at BEGIN IMMEDIATE and waits for it (busy_timeout) — with a deferred
 * BEGIN, the second process to write after reading the head fails with SQLITE_BUSY. PostgreSQL: the row lock on
 * the head serialises appends from separate connection pools.
 */
const PROCESSES = 3;
const EACH = 150;

function appender(url: string, label: string, startAt: number): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', 'test/support/append-audit.ts', url, String(EACH), label, String(startAt)],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
}

describeEachDatabase('audit appends from several processes at once', (dialect) => {
  let dir: TempDir;
  let database: TestDatabase;
  let url: string;
  let store: Store;

  beforeAll(async () => {
    dir = tempDir('hedui-audit-processes-');
    const opened = await cliDatabase(dialect, dir);
    database = opened.database;
    url = opened.env.HEDUI_DB as string;
    store = createStore(database);
  });
  afterAll(async () => {
    await database.close();
    dir.remove();
  });

  it('chains every entry of every process once, without a gap, a fork or an error', async () => {
    const startAt = Date.now() + 1500;
    const outputs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, p) => appender(url, `process-${p}`, startAt)),
    );
    expect(outputs.map((o) => o.trim())).toEqual(Array(PROCESSES).fill(String(EACH)));
    const total = PROCESSES * EACH;
    expect(await verifyAudit(store)).toMatchObject({ ok: true, checked: total, firstBroken: null });
    const seen = new Set<string>();
    const labels = new Set<string>();
    for await (const entry of store.audit.all()) {
      seen.add(`${entry.details.label}:${entry.details.i}`);
      labels.add(String(entry.details.label));
    }
    expect(seen.size).toBe(total);
    expect(labels.size).toBe(PROCESSES);
    expect(await store.audit.head()).toMatchObject({ seq: total });
  }, 90_000);
});

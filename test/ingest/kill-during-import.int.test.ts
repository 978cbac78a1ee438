import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImportResult } from '../../src/app/ingest/import-batch.ts';
import { cliDatabase, hedui, startHedui } from '../support/cli.ts';
import { describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { csvBytes, hukouRows, tempDir } from '../support/department-data.ts';

/** Big enough that the import takes seconds; small enough to keep the file near a minute on both databases. */
const ROWS = 60_000;
const KILLS = 8;
const MAX_TRIALS = 14;
const SEED = 20250926;

/** mulberry32: the same kill moments on every run, so a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface BatchState {
  id: number;
  period: string;
  status: string;
  rowsRead: number;
  rowsStored: number;
  finishedAt: string | null;
  records: number;
}

/**
 * SQLite's crash tests as an ordinary test (STYLE.md): `hedui import` of a large hukou file is killed with
 * SIGKILL at seeded random moments spread over the measured import time. After every kill the database
 * holds the batch completely or not at all — never some of its rows, never a batch without its data.
 */
describeEachDatabase('an import killed at any moment', (dialect) => {
  const dir = tempDir('hedui-kill-');
  let database: TestDatabase;
  let env: Record<string, string>;
  let file: string;

  beforeAll(async () => {
    ({ database, env } = await cliDatabase(dialect, dir));
    file = dir.write('hukou-big.csv', csvBytes(hukouRows(ROWS)));
  });
  afterAll(async () => {
    await database?.close();
    dir.remove();
  });

  const args = (period: string) => ['import', '--dataset', 'hukou', '--period', period, file];

  async function batches(): Promise<BatchState[]> {
    const rows = await database.db
      .selectFrom('batch')
      .select(['id', 'period', 'status', 'rowsRead', 'rowsStored', 'finishedAt'])
      .select((eb) =>
        eb
          .selectFrom('record')
          .select((c) => c.fn.countAll<number>().as('n'))
          .whereRef('record.batchId', '=', 'batch.id')
          .as('records'),
      )
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, records: Number(r.records) }));
  }

  async function totalRecords(): Promise<number> {
    const r = await database.db
      .selectFrom('record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Whole or nothing: the 2025-Q2 batch untouched, and 2025-Q3 either absent or complete. */
  async function expectWholeOrNothing(): Promise<'nothing' | 'whole'> {
    const all = await batches();
    for (const b of all) {
      expect(b, `batch ${b.id}`).toMatchObject({ status: 'committed', rowsRead: ROWS, rowsStored: ROWS });
      expect(b.records, `records of batch ${b.id}`).toBe(b.rowsStored);
      expect(b.finishedAt, `batch ${b.id} finished`).not.toBeNull();
    }
    const q3 = all.filter((b) => b.period === '2025-Q3');
    expect(all.filter((b) => b.period === '2025-Q2')).toHaveLength(1);
    expect(q3.length).toBeLessThanOrEqual(1);
    expect(await totalRecords()).toBe(ROWS * (1 + q3.length));
    return q3.length === 0 ? 'nothing' : 'whole';
  }

  /** A kill that landed after the commit: its batch is taken away again so the next kill meets an import. */
  async function removeQ3(): Promise<void> {
    const ids = (await batches()).filter((b) => b.period === '2025-Q3').map((b) => b.id);
    if (ids.length === 0) return;
    await database.db.deleteFrom('record').where('batchId', 'in', ids).execute();
    await database.db.deleteFrom('batch').where('id', 'in', ids).execute();
  }

  it('holds either the whole batch or nothing after every SIGKILL, and a clean run then commits it all', async () => {
    const started = performance.now();
    const timing = await hedui(args('2025-Q2'), env);
    let duration = performance.now() - started;
    expect(timing.code, timing.stderr).toBe(0);
    expect(JSON.parse(timing.stdout) as ImportResult).toMatchObject({ status: 'committed', stored: ROWS });
    // The same file again is a duplicate: start-up, migrations check and fingerprint, but no import.
    const restarted = performance.now();
    const duplicate = await hedui(args('2025-Q2'), env);
    const startup = performance.now() - restarted;
    expect(JSON.parse(duplicate.stdout) as ImportResult).toMatchObject({ status: 'duplicate' });
    expect(duration - startup).toBeGreaterThan(1000);

    const random = seededRandom(SEED + (dialect === 'sqlite' ? 0 : 1));
    const outcomes: { delay: number; killed: boolean; state: 'nothing' | 'whole' }[] = [];
    while (outcomes.filter((o) => o.killed).length < KILLS && outcomes.length < MAX_TRIALS) {
      const delay = Math.round(startup + (duration - startup) * random());
      const launched = performance.now();
      const { child, exited } = startHedui(args('2025-Q3'), env);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const exit = await exited;
      clearTimeout(timer);
      const killed = exit.signal === 'SIGKILL';
      if (!killed) {
        expect(exit.code, exit.stderr).toBe(0);
        // Finished before its kill: later kills aim within the time this run took.
        duration = Math.min(duration, performance.now() - launched);
      }
      const state = await expectWholeOrNothing();
      outcomes.push({ delay, killed, state });
      if (state === 'whole') await removeQ3();
    }
    expect(outcomes.filter((o) => o.killed).length, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(KILLS);
    // The kills land while rows are being written: most before the commit, when nothing may remain.
    expect(
      outcomes.filter((o) => o.killed && o.state === 'nothing').length,
      JSON.stringify(outcomes),
    ).toBeGreaterThanOrEqual(KILLS / 2);

    const clean = await hedui(args('2025-Q3'), env);
    expect(clean.code, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout) as ImportResult).toMatchObject({
      status: 'committed',
      rows: ROWS,
      stored: ROWS,
    });
    expect(await expectWholeOrNothing()).toBe('whole');
  }, 300_000); // A guard against a hang, not a speed goal: every kill and the clean run start a tsx process.
});

import { afterAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { importBatch } from '../../src/app/ingest/import-batch.ts';
import type { Deps } from '../../src/app/ports.ts';
import { RowEncoderPool } from '../../src/ingest/row-encoder-pool.ts';
import { useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { csvBytes, hukouRow, hukouRows, tempDir } from '../support/department-data.ts';

/**
 * Large files are validated and encrypted on worker threads (issue #7) while the import reads and stores. The
 * workers must give exactly what the import's own thread gives: the same rows stored, the same duplicates
 * dropped, every error reported with its row, and nothing stored when any row fails.
 */
const ROWS = 5_500; // three chunks of 2 000 rows: several in flight at once

describeEachDatabase('import of a large file on worker threads', (dialect) => {
  // Every file goes to the two workers, however small.
  const t = useTestApp(dialect, { env: { HEDUI_IMPORT_WORKERS: '2', HEDUI_IMPORT_PARALLEL_MIN_MB: '0' } });
  const files = tempDir('hedui-parallel-');
  afterAll(() => files.remove());

  const load = (deps: Deps, period: string, name: string, content: Buffer) =>
    importBatch(
      deps,
      { datasetCode: 'hukou', period, source: 'cli', fileName: name, path: files.write(name, content) },
      SYSTEM_ACTOR,
    );

  it('is configured with the pool', () => {
    expect(t.deps.rowEncoder?.encoder).toBeInstanceOf(RowEncoderPool);
    expect(t.deps.rowEncoder?.minBytes).toBe(0);
  });

  it('stores the rows as the single-threaded import does, duplicates once', async () => {
    const rows = [...hukouRows(ROWS), hukouRow(17), hukouRow(4_321)];
    const parallel = await load(t.deps, '2025-Q1', 'parallel.csv', csvBytes(rows));
    expect(parallel).toMatchObject({ status: 'committed', rows: ROWS + 2, stored: ROWS });
    expect(parallel.warnings).toEqual(['2 行与文件中其他行完全相同，只保存一次']);

    const { rowEncoder: _, ...inlineDeps } = t.deps;
    const inline = await load(inlineDeps, '2025-Q2', 'inline.csv', csvBytes(rows));
    expect(inline).toMatchObject({ status: 'committed', rows: ROWS + 2, stored: ROWS });

    const stored = async (batchId: number) =>
      (await t.deps.store.batches.records(batchId, 0, ROWS + 10)).map((r) => ({
        rowNumber: r.rowNumber,
        personKey: r.personKey,
        birthKey: r.birthKey,
        rowHash: r.rowHash,
        id: t.deps.crypto.decrypt(r.idEnc as string),
        name: t.deps.crypto.decrypt(r.nameEnc as string),
        values: r.values,
      }));
    const a = await stored(parallel.batchId as number);
    const b = await stored(inline.batchId as number);
    expect(a).toHaveLength(ROWS);
    // In file order, identical to the single-threaded import, and decryptable with the process's keys.
    expect(a).toEqual(b);
    expect(a.map((r) => r.rowNumber)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 2));
    expect(a[4_000]?.id).toBe(hukouRow(4_000)['身份证号']);
    expect(a[4_000]?.name).toBe(hukouRow(4_000)['姓名']);
  });

  it('reports every error of every chunk and stores nothing when a late row fails', async () => {
    const before = await t.deps.store.batches.list({ offset: 0, limit: 1000 });
    const rows = hukouRows(ROWS);
    rows[1_000] = hukouRow(1_000, { 性别: '未知' });
    rows[5_400] = hukouRow(5_400, { 出生日期: '2025-13-40' });
    const result = await load(t.deps, '2025-Q3', 'late-error.csv', csvBytes(rows));
    expect(result.status).toBe('rejected');
    expect(result.stored).toBe(0);
    expect(result.errors.map((e) => [e.row, e.column])).toEqual([
      [1_002, '性别'],
      [5_402, '出生日期'],
    ]);
    const after = await t.deps.store.batches.list({ offset: 0, limit: 1000 });
    expect(after.total).toBe(before.total + 1);
    const rejected = after.items.find((b) => b.id === result.batchId);
    expect(rejected).toMatchObject({ status: 'rejected', rowsStored: 0 });
    expect(await t.deps.store.batches.countRecords(result.batchId as number)).toBe(0);
  });
});

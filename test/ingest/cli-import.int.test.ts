import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/app/ingest/import-batch.ts';
import type { Store } from '../../src/app/ports.ts';
import { findDataset } from '../../src/domain/catalog/datasets.ts';
import { createStore } from '../../src/store/store.ts';
import { cliDatabase, hedui } from '../support/cli.ts';
import { describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { csvBytes, hukouRow, hukouRows, readXlsx, tempDir } from '../support/department-data.ts';

const RESULT_KEYS = [
  'status',
  'batchId',
  'dataset',
  'period',
  'rows',
  'stored',
  'warnings',
  'errors',
  'fileErrors',
];

/** stdout is exactly one line holding one JSON object. */
function resultOf(stdout: string): ImportResult {
  const lines = stdout.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  const result = JSON.parse(lines[0] ?? '') as ImportResult;
  expect(Object.keys(result)).toEqual(RESULT_KEYS);
  return result;
}

describeEachDatabase('hedui import', (dialect) => {
  const dir = tempDir('hedui-cli-import-');
  let database: TestDatabase;
  let store: Store;
  let env: Record<string, string>;
  const good = dir.write('hukou.csv', csvBytes(hukouRows(6)));
  const bad = dir.write(
    'bad.csv',
    csvBytes([hukouRow(10), hukouRow(11, { 性别: '男性' }), hukouRow(12, { 出生日期: '' })]),
  );

  beforeAll(async () => {
    ({ database, env } = await cliDatabase(dialect, dir));
    store = createStore(database);
  });
  afterAll(async () => {
    await database?.close();
    dir.remove();
  });

  let committedId: number;

  it('commits a valid file: exit 0 and one JSON object, audited as BATCH_COMMITTED by the command line', async () => {
    const run = await hedui(['import', '--dataset', 'hukou', '--period', '2025-Q3', good], env);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const result = resultOf(run.stdout);
    expect(result).toEqual({
      status: 'committed',
      batchId: expect.any(Number),
      dataset: 'hukou',
      period: '2025-Q3',
      rows: 6,
      stored: 6,
      warnings: [],
      errors: [],
      fileErrors: [],
    });
    committedId = result.batchId as number;
    expect(await store.batches.get(committedId)).toMatchObject({
      status: 'committed',
      source: 'cli',
      fileName: 'hukou.csv',
      departmentCode: 'public_security',
      rowsStored: 6,
    });
    expect(await store.batches.countRecords(committedId)).toBe(6);
    const { items } = await store.audit.list({ action: 'BATCH_COMMITTED', offset: 0, limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({
        actorUserId: null,
        actorName: '命令行导入',
        objectId: String(committedId),
        outcome: 'success',
        details: expect.objectContaining({ dataset: 'hukou', period: '2025-Q3', rows: 6, stored: 6 }),
      }),
    ]);
  });

  it('answers the same file again with duplicate and exit 0, storing nothing new', async () => {
    const run = await hedui(['import', '--dataset', 'hukou', '--period', '2025-Q3', good], env);
    expect(run.code).toBe(0);
    expect(resultOf(run.stdout)).toMatchObject({
      status: 'duplicate',
      batchId: committedId,
      rows: 6,
      stored: 6,
    });
    expect((await store.batches.list({ offset: 0, limit: 10 })).total).toBe(1);
    const { items } = await store.audit.list({ action: 'BATCH_DUPLICATE', offset: 0, limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({ actorName: '命令行导入', objectId: String(committedId) }),
    ]);
  });

  it('rejects a file with row errors: exit 3, every error in the JSON, nothing stored', async () => {
    const run = await hedui(['import', '--dataset', 'hukou', '--period', '2025-Q2', bad], env);
    expect(run.code).toBe(3);
    const result = resultOf(run.stdout);
    expect(result).toMatchObject({ status: 'rejected', rows: 3, stored: 0, fileErrors: [] });
    expect(result.errors.map(({ row, column, code }) => [row, column, code])).toEqual([
      [3, '性别', 'INVALID_ENUM'],
      [4, '出生日期', 'MISSING_VALUE'],
    ]);
    expect(await store.batches.get(result.batchId as number)).toMatchObject({
      status: 'rejected',
      rowsStored: 0,
    });
    expect(await store.batches.countRecords(result.batchId as number)).toBe(0);
    const { items } = await store.audit.list({ action: 'BATCH_REJECTED', offset: 0, limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({
        objectId: String(result.batchId),
        outcome: 'failure',
        details: expect.objectContaining({ errorCount: 2 }),
      }),
    ]);
  });

  it('rejects an unknown dataset with exit 3 and UNKNOWN_DATASET', async () => {
    const run = await hedui(['import', '--dataset', 'hukou2', '--period', '2025-Q2', good], env);
    expect(run.code).toBe(3);
    expect(resultOf(run.stdout)).toMatchObject({
      status: 'rejected',
      batchId: null,
      fileErrors: [expect.objectContaining({ code: 'UNKNOWN_DATASET' })],
    });
  });
});

describe('hedui import and template usage', () => {
  const dir = tempDir('hedui-cli-usage-');
  const env = {
    HEDUI_DB: `sqlite:${dir.path('never-opened.sqlite')}`,
    HEDUI_KEY_FILE: dir.path('keys.json'),
    HEDUI_FILES_DIR: dir.path('files'),
  };
  const file = dir.write('hukou.csv', csvBytes(hukouRows(1)));
  const headers = findDataset('hukou')?.columns.map((c) => c.header) ?? [];
  afterAll(() => dir.remove());

  it('exits 2 on an unknown option, a missing file argument or a file that does not exist, printing no JSON', async () => {
    const runs = await Promise.all([
      hedui(['import', '--dataset', 'hukou', '--period', '2025-Q3', '--bogus', file], env),
      hedui(['import', '--dataset', 'hukou', '--period', '2025-Q3'], env),
      hedui(['import', '--period', '2025-Q3', file], env),
      hedui(['import', '--dataset', 'hukou', '--period', '2025-Q3', dir.path('absent.csv')], env),
    ]);
    expect(runs.map((r) => [r.code, r.stdout])).toEqual([
      [2, ''],
      [2, ''],
      [2, ''],
      [2, ''],
    ]);
    expect(runs[0]?.stderr).toContain("unknown option '--bogus'");
    expect(runs[1]?.stderr).toContain("missing required argument 'file'");
    expect(runs[2]?.stderr).toContain('--dataset');
    expect(runs[3]?.stderr).toContain('找不到文件');
    // Refused before any database or key file is touched.
    expect([existsSync(dir.path('never-opened.sqlite')), existsSync(dir.path('keys.json'))]).toEqual([
      false,
      false,
    ]);
  });

  it('writes the hukou template as XLSX and as CSV, with the catalog headers', async () => {
    expect(headers).toEqual([
      '身份证号',
      '姓名',
      '性别',
      '出生日期',
      '户号',
      '与户主关系',
      '户籍地址',
      '户籍状态',
      '状态变更日期',
    ]);
    const xlsx = dir.path('hukou.xlsx');
    const csv = dir.path('hukou.csv.txt');
    const [a, b] = await Promise.all([
      hedui(['template', '--dataset', 'hukou', '--format', 'xlsx', '-o', xlsx], env),
      hedui(['template', '--dataset', 'hukou', '--format', 'csv', '-o', csv], env),
    ]);
    expect([a, b]).toEqual([
      { code: 0, stdout: `${xlsx}\n`, stderr: '' },
      { code: 0, stdout: `${csv}\n`, stderr: '' },
    ]);
    const sheet = (await readXlsx(readFileSync(xlsx))).worksheets[0];
    if (!sheet) throw new Error('the template has no sheet');
    expect(sheet.name).toBe('数据');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(headers);
    expect(readFileSync(csv, 'utf8')).toBe(`\uFEFF${headers.join(',')}\r\n`);
  });

  it('refuses an unknown template format or dataset with exit 2', async () => {
    const runs = await Promise.all([
      hedui(['template', '--dataset', 'hukou', '--format', 'pdf', '-o', dir.path('x.pdf')], env),
      hedui(['template', '--dataset', 'nope', '-o', dir.path('x.xlsx')], env),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2]);
    expect(runs[0]?.stderr).toContain('xlsx 或 csv');
    expect(runs[1]?.stderr).toContain('nope');
  });
});

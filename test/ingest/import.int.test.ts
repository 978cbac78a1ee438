import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/app/ingest/import-batch.ts';
import type { BatchRecord } from '../../src/app/ports.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import {
  csvBytes,
  hukouRow,
  hukouRows,
  idNumber,
  multipart,
  payrollRow,
  personName,
  type Row,
  readXlsx,
  tempDir,
  xlsxBytes,
} from '../support/department-data.ts';

interface BatchView {
  id: number;
  dataset: string;
  period: string;
  departmentCode: string;
  source: string;
  fileName: string | null;
  format: string;
  encoding: string | null;
  rowsRead: number;
  rowsStored: number;
  duplicateRows: number;
  errorCount: number;
  status: string;
  supersededBy: number | null;
  retractedAt: string | null;
  retractReason: string | null;
  hasErrorReport: boolean;
}

interface BatchDetail {
  batch: BatchView;
  errors: { row: number; column: string; code: string; message: string }[];
  fileErrors: { code: string; message: string }[];
  warnings: string[];
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ERROR_FILL_ARGB = 'FFFFC7CE';

/** The text of a cell's note, whichever form exceljs reads it back in. */
function noteOf(cell: ExcelJS.Cell): string {
  const note = cell.note;
  if (note === undefined) return '';
  return typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join('');
}

function fillOf(cell: ExcelJS.Cell): string | undefined {
  const fill = cell.fill;
  return fill?.type === 'pattern' ? fill.fgColor?.argb : undefined;
}

describeEachDatabase('department data import', (dialect) => {
  const t = useTestApp(dialect);
  const files = tempDir('hedui-import-');
  let police: string;
  let finance: string;
  let staff: string;
  let policeUserId: number;
  let financeUserId: number;

  beforeAll(async () => {
    police = await t.login('dept_public_security');
    finance = await t.login('dept_finance');
    staff = await t.login('city_staff');
    policeUserId = await t.userId('dept_public_security');
    financeUserId = await t.userId('dept_finance');
  });
  afterAll(() => files.remove());

  const upload = (
    cookie: string,
    dataset: string,
    period: string,
    file: { name: string; content: Buffer },
  ): Promise<LightMyRequestResponse> => {
    const { payload, headers } = multipart({ dataset, period }, file);
    return t.call('POST', '/api/batches', { cookie, body: payload, headers });
  };
  const uploadOk = async (
    cookie: string,
    dataset: string,
    period: string,
    file: { name: string; content: Buffer },
  ): Promise<ImportResult> => {
    const res = await upload(cookie, dataset, period, file);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ImportResult>();
  };
  const detail = async (id: number, cookie = police): Promise<BatchDetail> => {
    const res = await t.call('GET', `/api/batches/${id}`, { cookie });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<BatchDetail>();
  };
  const batch = async (id: number | null): Promise<BatchRecord> => {
    const found = await t.deps.store.batches.get(id ?? -1);
    if (!found) throw new Error(`no batch ${id}`);
    return found;
  };
  const countRecords = async (): Promise<number> => {
    const r = await t.database.db
      .selectFrom('record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  const countBatches = async (): Promise<number> => {
    const r = await t.database.db
      .selectFrom('batch')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  /** Every stored record of a batch, identifiers decrypted. */
  const decrypted = async (batchId: number) => {
    const records = await t.deps.store.batches.records(batchId, 0, 10_000);
    return records.map((r) => ({
      row: r.rowNumber,
      id: r.idEnc === null ? null : t.deps.crypto.decrypt(r.idEnc),
      name: r.nameEnc === null ? null : t.deps.crypto.decrypt(r.nameEnc),
      personKey: r.personKey,
      values: JSON.parse(r.values) as Record<string, unknown>,
    }));
  };
  const auditCount = async (): Promise<number> =>
    (
      await Promise.all(
        (['BATCH_COMMITTED', 'BATCH_REJECTED', 'BATCH_DUPLICATE', 'BATCH_RETRACTED'] as const).map((a) =>
          t.audit(a),
        ),
      )
    ).reduce((n, entries) => n + entries.length, 0);

  describe('valid files', () => {
    it('commits a UTF-8 hukou CSV, every row encrypted, indexed and audited as BATCH_COMMITTED', async () => {
      const rows = hukouRows(5, 0);
      const before = await countRecords();
      const result = await uploadOk(police, 'hukou', '2025-Q3', {
        name: 'hukou.csv',
        content: csvBytes(rows),
      });
      expect(result).toEqual({
        status: 'committed',
        batchId: expect.any(Number),
        dataset: 'hukou',
        period: '2025-Q3',
        rows: 5,
        stored: 5,
        warnings: [],
        errors: [],
        fileErrors: [],
      });
      expect(await countRecords()).toBe(before + 5);
      const stored = await decrypted(result.batchId as number);
      expect(stored.map((r) => [r.row, r.id, r.name])).toEqual(
        rows.map((r, i) => [i + 2, r.身份证号, r.姓名]),
      );
      for (const r of stored) expect(r.personKey).toBe(t.deps.crypto.blindIndex(r.id as string));
      expect(stored[1]?.values).toEqual({
        sex: '男',
        birthDate: '1980-01-01',
        householdNumber: 'H0000000',
        relationToHead: '子',
        address: '甘肃省庆阳市西峰区合成路1号',
        hukouStatus: '正常',
        statusChangeDate: null,
      });
      expect((await detail(result.batchId as number)).batch).toMatchObject({
        status: 'committed',
        departmentCode: 'public_security',
        source: 'upload',
        fileName: 'hukou.csv',
        format: 'csv',
        encoding: 'utf-8',
        rowsRead: 5,
        rowsStored: 5,
        duplicateRows: 0,
        errorCount: 0,
        supersededBy: null,
        hasErrorReport: false,
      });
      const [entry] = await t.audit('BATCH_COMMITTED');
      expect(entry).toMatchObject({
        actorUserId: policeUserId,
        objectType: 'batch',
        objectId: String(result.batchId),
        outcome: 'success',
        details: { dataset: 'hukou', period: '2025-Q3', rows: 5, stored: 5, supersedes: null },
      });
    });

    it('commits a GBK-encoded CSV as Excel saves it on a Chinese Windows, names decoded correctly', async () => {
      const rows = hukouRows(4, 100);
      const content = csvBytes(rows, { encoding: 'gbk' });
      expect(content.includes(Buffer.from(personName(100), 'utf8'))).toBe(false);
      const result = await uploadOk(police, 'hukou', '2025-Q2', { name: 'gbk.csv', content });
      expect(result).toMatchObject({ status: 'committed', rows: 4, stored: 4, errors: [], fileErrors: [] });
      expect((await decrypted(result.batchId as number)).map((r) => r.name)).toEqual(rows.map((r) => r.姓名));
      expect((await detail(result.batchId as number)).batch).toMatchObject({
        format: 'csv',
        encoding: 'gb18030',
      });
      const [entry] = await t.audit('BATCH_COMMITTED');
      expect(entry).toMatchObject({ objectId: String(result.batchId), details: { period: '2025-Q2' } });
    });

    it('commits an XLSX with date cells and text ID cells', async () => {
      const rows: Row[] = hukouRows(3, 200).map((r) => ({
        ...r,
        出生日期: new Date(`${String(r.出生日期)}T00:00:00Z`),
      }));
      const result = await uploadOk(police, 'hukou', '2025-Q1', {
        name: '户籍.xlsx',
        content: await xlsxBytes(rows),
      });
      expect(result).toMatchObject({ status: 'committed', rows: 3, stored: 3, errors: [], fileErrors: [] });
      const stored = await decrypted(result.batchId as number);
      expect(stored.map((r) => [r.id, r.name, r.values.birthDate])).toEqual(
        hukouRows(3, 200).map((r) => [r.身份证号, r.姓名, r.出生日期]),
      );
      expect((await detail(result.batchId as number)).batch).toMatchObject({
        fileName: '户籍.xlsx',
        format: 'xlsx',
        encoding: null,
      });
      const [entry] = await t.audit('BATCH_COMMITTED');
      expect(entry).toMatchObject({ objectId: String(result.batchId), details: { rows: 3, stored: 3 } });
    });

    it('stores exact duplicate rows once and warns about them', async () => {
      const rows = [hukouRow(300), hukouRow(301), hukouRow(300), hukouRow(302), hukouRow(301)];
      const result = await uploadOk(police, 'hukou', '2024-Q1', {
        name: 'dups.csv',
        content: csvBytes(rows),
      });
      expect(result).toMatchObject({ status: 'committed', rows: 5, stored: 3 });
      expect(result.warnings).toEqual(['2 行与文件中其他行完全相同，只保存一次']);
      expect(await t.deps.store.batches.countRecords(result.batchId as number)).toBe(3);
      expect((await decrypted(result.batchId as number)).map((r) => r.row)).toEqual([2, 3, 5]);
      const view = await detail(result.batchId as number);
      expect(view.batch).toMatchObject({ rowsRead: 5, rowsStored: 3, duplicateRows: 2 });
      expect(view.warnings).toEqual(result.warnings);
      const [entry] = await t.audit('BATCH_COMMITTED');
      expect(entry).toMatchObject({ objectId: String(result.batchId), details: { rows: 5, stored: 3 } });
    });
  });

  describe('rejected files', () => {
    const goodRows = (from: number) => [hukouRow(from), hukouRow(from + 1)];
    const badId = `${idNumber(402).slice(0, 17)}${idNumber(402).endsWith('0') ? '1' : '0'}`;
    /** Errors in several rows and columns, with a blank line (row 5) in between. */
    const badFile: (Row | null)[] = [
      hukouRow(400),
      hukouRow(401, { 身份证号: badId, 性别: '未知' }),
      hukouRow(403),
      null,
      hukouRow(404, { 姓名: '', 出生日期: '1980-13-01' }),
      hukouRow(405, { 户籍状态: '迁移', 状态变更日期: '2026-01-01' }),
      hukouRow(406),
      hukouRow(407, { 姓名: '12345', 户号: '' }),
    ];
    const expected = [
      { row: 3, column: '身份证号', code: 'INVALID_ID_NUMBER' },
      { row: 3, column: '性别', code: 'INVALID_ENUM' },
      { row: 6, column: '姓名', code: 'MISSING_VALUE' },
      { row: 6, column: '出生日期', code: 'INVALID_DATE' },
      { row: 7, column: '户籍状态', code: 'INVALID_ENUM' },
      { row: 7, column: '状态变更日期', code: 'FUTURE_DATE' },
      { row: 9, column: '姓名', code: 'INVALID_NAME' },
      { row: 9, column: '户号', code: 'MISSING_VALUE' },
    ];
    let rejectedId: number;

    it('rejects a file with errors in several rows and columns, reporting every one and storing nothing', async () => {
      const [recordsBefore, batchesBefore] = [await countRecords(), await countBatches()];
      const result = await uploadOk(police, 'hukou', '2024-Q3', {
        name: 'bad.csv',
        content: csvBytes(badFile),
      });
      expect(result).toMatchObject({ status: 'rejected', rows: 7, stored: 0, warnings: [], fileErrors: [] });
      expect(result.errors.map(({ row, column, code }) => ({ row, column, code }))).toEqual(expected);
      expect(result.errors[0]?.message).toContain('校验位');
      expect(result.errors[3]?.message).toContain('1980-13-01');
      rejectedId = result.batchId as number;
      expect(await t.deps.store.batches.countRecords(rejectedId)).toBe(0);
      expect(await countRecords()).toBe(recordsBefore);
      expect(await countBatches()).toBe(batchesBefore + 1);
      const view = await detail(rejectedId);
      expect(view.batch).toMatchObject({
        status: 'rejected',
        rowsRead: 7,
        rowsStored: 0,
        errorCount: 8,
        hasErrorReport: true,
      });
      expect(view.errors).toEqual(result.errors);
      expect(await t.deps.store.batches.current('hukou', '2024-Q3')).toBeUndefined();
      const [entry] = await t.audit('BATCH_REJECTED');
      expect(entry).toMatchObject({
        actorUserId: policeUserId,
        objectType: 'batch',
        objectId: String(rejectedId),
        outcome: 'failure',
        details: { dataset: 'hukou', period: '2024-Q3', rows: 7, errorCount: 8, fileErrors: [] },
      });
    });

    it('serves the error report as XLSX: the upload with its bad cells marked red, and every error listed', async () => {
      const stored = await batch(rejectedId);
      expect(stored.reportFile).not.toBeNull();
      expect(existsSync(join(t.config.filesDir, 'reports', stored.reportFile as string))).toBe(true);
      const res = await t.call('GET', `/api/batches/${rejectedId}/error-report`, { cookie: police });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(XLSX_TYPE);
      expect(String(res.headers['content-disposition'])).toContain(
        encodeURIComponent(`错误报告_hukou_2024-Q3_批次${rejectedId}.xlsx`),
      );
      const workbook = await readXlsx(res.rawPayload);
      const data = workbook.getWorksheet('数据');
      const summary = workbook.getWorksheet('错误汇总');
      if (!data || !summary) throw new Error('the report lacks its sheets');
      const headers = Object.keys(hukouRow(0));
      expect((data.getRow(1).values as unknown[]).slice(1)).toEqual(headers);
      expect(data.getCell(2, 1).value).toBe(idNumber(400));
      expect(data.getCell(3, 1).value).toBe(badId);
      expect(data.getCell(8, 2).value).toBe(personName(406));
      const marked: { row: number; column: string; code: string }[] = [];
      data.eachRow({ includeEmpty: true }, (row) => {
        row.eachCell({ includeEmpty: true }, (cell, col) => {
          if (fillOf(cell) !== ERROR_FILL_ARGB) return;
          const code = /（([A-Z_]+)）$/.exec(noteOf(cell))?.[1] ?? '';
          marked.push({ row: row.number, column: headers[col - 1] ?? '', code });
        });
      });
      expect(
        marked.sort((a, b) => a.row - b.row || headers.indexOf(a.column) - headers.indexOf(b.column)),
      ).toEqual(expected);
      const lines: unknown[][] = [];
      summary.eachRow((row) => {
        lines.push((row.values as unknown[]).slice(1));
      });
      const start = lines.findIndex((l) => l[0] === '逐行错误');
      expect(lines[start + 1]).toEqual(['行号', '列名', '错误代码', '说明']);
      expect(lines.slice(start + 2).map(([row, column, code]) => ({ row, column, code }))).toEqual(expected);
    });

    it('keeps the error report from other departments and from agency staff', async () => {
      expectError(
        await t.call('GET', `/api/batches/${rejectedId}/error-report`, { cookie: finance }),
        404,
        'OUT_OF_SCOPE',
      );
      expectError(
        await t.call('GET', `/api/batches/${rejectedId}/error-report`, { cookie: staff }),
        403,
        'PERMISSION_DENIED',
      );
    });

    it('rejects a file with a column the template does not have (UNKNOWN_COLUMN), though every row is valid', async () => {
      const recordsBefore = await countRecords();
      const rows = goodRows(410).map((r) => ({ ...r, 备注: '无' }));
      const result = await uploadOk(police, 'hukou', '2024-Q3', {
        name: 'extra.csv',
        content: csvBytes(rows),
      });
      expect(result).toMatchObject({ status: 'rejected', rows: 0, stored: 0, errors: [] });
      expect(result.fileErrors.map((e) => e.code)).toEqual(['UNKNOWN_COLUMN']);
      expect(result.fileErrors[0]?.message).toContain('备注');
      expect(await countRecords()).toBe(recordsBefore);
      expect((await detail(result.batchId as number)).batch).toMatchObject({
        status: 'rejected',
        rowsStored: 0,
        hasErrorReport: false,
      });
      const [entry] = await t.audit('BATCH_REJECTED');
      expect(entry).toMatchObject({
        objectId: String(result.batchId),
        details: { fileErrors: ['UNKNOWN_COLUMN'] },
      });
    });

    it('rejects a file without a required column (MISSING_COLUMN), naming each missing one', async () => {
      const recordsBefore = await countRecords();
      const rows = goodRows(420).map(({ 户号: _h, 户籍状态: _s, ...rest }) => rest);
      const result = await uploadOk(police, 'hukou', '2024-Q3', {
        name: 'missing.csv',
        content: csvBytes(rows),
      });
      expect(result).toMatchObject({ status: 'rejected', stored: 0, errors: [] });
      expect(result.fileErrors.map((e) => e.code)).toEqual(['MISSING_COLUMN', 'MISSING_COLUMN']);
      expect(result.fileErrors.map((e) => e.message).join()).toMatch(/户号.*户籍状态/);
      expect(await countRecords()).toBe(recordsBefore);
      const [entry] = await t.audit('BATCH_REJECTED');
      expect(entry).toMatchObject({
        objectId: String(result.batchId),
        details: { fileErrors: ['MISSING_COLUMN', 'MISSING_COLUMN'] },
      });
    });
  });

  describe('re-uploads', () => {
    const original = csvBytes(hukouRows(3, 500));
    const corrected = csvBytes([
      ...hukouRows(2, 500),
      hukouRow(502, { 户籍状态: '迁出', 状态变更日期: '2025-08-01' }),
    ]);
    let firstId: number;

    it('recognises the identical file as a duplicate and changes nothing', async () => {
      const first = await uploadOk(police, 'hukou', '2024-Q4', { name: 'q4.csv', content: original });
      expect(first.status).toBe('committed');
      firstId = first.batchId as number;
      const [records, batches, committed] = [
        await countRecords(),
        await countBatches(),
        (await t.audit('BATCH_COMMITTED')).length,
      ];
      const again = await uploadOk(police, 'hukou', '2024-Q4', { name: 'q4-again.csv', content: original });
      expect(again).toEqual({
        status: 'duplicate',
        batchId: firstId,
        dataset: 'hukou',
        period: '2024-Q4',
        rows: 3,
        stored: 3,
        warnings: ['该文件与本期已入库批次完全相同，未作任何变更'],
        errors: [],
        fileErrors: [],
      });
      expect([await countRecords(), await countBatches()]).toEqual([records, batches]);
      expect((await t.audit('BATCH_COMMITTED')).length).toBe(committed);
      expect(await batch(firstId)).toMatchObject({
        status: 'committed',
        fileName: 'q4.csv',
        supersededBy: null,
      });
      const [entry] = await t.audit('BATCH_DUPLICATE');
      expect(entry).toMatchObject({
        actorUserId: policeUserId,
        objectType: 'batch',
        objectId: String(firstId),
        outcome: 'success',
        details: { dataset: 'hukou', period: '2024-Q4' },
      });
    });

    it('lets a corrected file for the same period supersede the old batch, whose rows stay for provenance', async () => {
      const records = await countRecords();
      const second = await uploadOk(police, 'hukou', '2024-Q4', { name: 'q4-fixed.csv', content: corrected });
      expect(second).toMatchObject({ status: 'committed', rows: 3, stored: 3 });
      const old = await batch(firstId);
      expect(old).toMatchObject({ status: 'superseded', supersededBy: second.batchId });
      expect(await t.deps.store.batches.countRecords(firstId)).toBe(3);
      expect(await countRecords()).toBe(records + 3);
      expect((await t.deps.store.batches.current('hukou', '2024-Q4'))?.id).toBe(second.batchId);
      expect((await decrypted(second.batchId as number))[2]?.values).toMatchObject({
        hukouStatus: '迁出',
        statusChangeDate: '2025-08-01',
      });
      const [entry] = await t.audit('BATCH_COMMITTED');
      expect(entry).toMatchObject({
        objectId: String(second.batchId),
        details: { period: '2024-Q4', supersedes: firstId },
      });
    });
  });

  describe('a periodic dataset (payroll, half-yearly)', () => {
    const months = (year: number, from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `${year}-${String(from + i).padStart(2, '0')}`);
    const payroll = (year: number, from: number, to: number, person = 600) =>
      csvBytes(months(year, from, to).map((m) => payrollRow(person, m)));

    it('rejects a month outside the batch period with PERIOD_OUT_OF_RANGE', async () => {
      const records = await countRecords();
      const rows = [payrollRow(610, '2025-03'), payrollRow(610, '2025-07'), payrollRow(611, '2025-06')];
      const result = await uploadOk(finance, 'payroll', '2025-H1', {
        name: 'pay.csv',
        content: csvBytes(rows),
      });
      expect(result.status).toBe('rejected');
      expect(result.errors.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
        { row: 3, column: '所属月份', code: 'PERIOD_OUT_OF_RANGE' },
      ]);
      expect(result.errors[0]?.message).toContain('2025-01至2025-06');
      expect(await countRecords()).toBe(records);
      const [entry] = await t.audit('BATCH_REJECTED');
      expect(entry).toMatchObject({
        actorUserId: financeUserId,
        objectId: String(result.batchId),
        details: { dataset: 'payroll', period: '2025-H1', errorCount: 1 },
      });
    });

    it('refuses a half-year overlapping a committed year with PERIOD_OVERLAP, and a year overlapping a half-year', async () => {
      const year = await uploadOk(finance, 'payroll', '2024', {
        name: 'y.csv',
        content: payroll(2024, 1, 12),
      });
      expect(year).toMatchObject({ status: 'committed', rows: 12, stored: 12 });
      const records = await countRecords();
      const half = await uploadOk(finance, 'payroll', '2024-H1', {
        name: 'h.csv',
        content: payroll(2024, 1, 6),
      });
      expect(half).toMatchObject({ status: 'rejected', rows: 0, stored: 0, errors: [] });
      expect(half.fileErrors.map((e) => e.code)).toEqual(['PERIOD_OVERLAP']);
      expect(half.fileErrors[0]?.message).toContain('2024');
      expect(await countRecords()).toBe(records);
      expect(await batch(year.batchId)).toMatchObject({ status: 'committed', supersededBy: null });
      const [refusal] = await t.audit('BATCH_REJECTED');
      expect(refusal).toMatchObject({
        objectId: String(half.batchId),
        details: { period: '2024-H1', fileErrors: ['PERIOD_OVERLAP'] },
      });

      const h1 = await uploadOk(finance, 'payroll', '2025-H1', {
        name: 'h1.csv',
        content: payroll(2025, 1, 6),
      });
      expect(h1.status).toBe('committed');
      const whole = await uploadOk(finance, 'payroll', '2025', {
        name: 'y25.csv',
        content: payroll(2025, 1, 8),
      });
      expect(whole.status).toBe('rejected');
      expect(whole.fileErrors).toEqual([
        { code: 'PERIOD_OVERLAP', message: expect.stringContaining('2025-H1') },
      ]);
      expect(await batch(h1.batchId)).toMatchObject({ status: 'committed' });
      const [second] = await t.audit('BATCH_REJECTED');
      expect(second).toMatchObject({
        objectId: String(whole.batchId),
        details: { fileErrors: ['PERIOD_OVERLAP'] },
      });
    });

    it('lets the same half-year be delivered again in full, superseding the earlier batch', async () => {
      const previous = await t.deps.store.batches.current('payroll', '2025-H1');
      const again = await uploadOk(finance, 'payroll', '2025-H1', {
        name: 'h1-fixed.csv',
        content: payroll(2025, 1, 6, 601),
      });
      expect(again).toMatchObject({ status: 'committed', stored: 6, fileErrors: [] });
      expect(await batch(previous?.id ?? null)).toMatchObject({
        status: 'superseded',
        supersededBy: again.batchId,
      });
      const [entry] = await t.audit('BATCH_COMMITTED');
      expect(entry).toMatchObject({ objectId: String(again.batchId), details: { supersedes: previous?.id } });
    });
  });

  describe('retraction', () => {
    const file = csvBytes(hukouRows(2, 700));
    let id: number;
    const retract = (batchId: number, reason: string, cookie = police) =>
      t.call('POST', `/api/batches/${batchId}/retract`, { cookie, body: { reason } });

    beforeAll(async () => {
      id = (await uploadOk(police, 'hukou', '2023-Q4', { name: 'r.csv', content: file })).batchId as number;
    });

    it('refuses another department with 404 OUT_OF_SCOPE, and agency staff by role', async () => {
      const audits = await auditCount();
      expectError(await retract(id, '不是我的批次', finance), 404, 'OUT_OF_SCOPE');
      expectError(await retract(id, '核对中心撤回', staff), 403, 'PERMISSION_DENIED');
      expect(await batch(id)).toMatchObject({ status: 'committed', retractedAt: null });
      expect(await auditCount()).toBe(audits);
    });

    it('requires a reason', async () => {
      expectError(await retract(id, '  '), 400, 'VALIDATION_FAILED');
      expect((await batch(id)).status).toBe('committed');
      expect(await t.audit('BATCH_RETRACTED')).toEqual([]);
    });

    it('retracts the department’s own batch, keeping its rows and auditing BATCH_RETRACTED', async () => {
      const res = await retract(id, ' 提取口径有误，整批撤回 ');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ batch: BatchView }>().batch).toMatchObject({
        id,
        status: 'retracted',
        retractReason: '提取口径有误，整批撤回',
        retractedAt: t.clock.now().toISOString(),
      });
      expect(await t.deps.store.batches.countRecords(id)).toBe(2);
      expect(await t.deps.store.batches.current('hukou', '2023-Q4')).toBeUndefined();
      const [entry] = await t.audit('BATCH_RETRACTED');
      expect(entry).toMatchObject({
        actorUserId: policeUserId,
        objectType: 'batch',
        objectId: String(id),
        outcome: 'success',
        details: { dataset: 'hukou', period: '2023-Q4', reason: '提取口径有误，整批撤回' },
      });
    });

    it('refuses a batch that is not committed with 409 CONFLICT', async () => {
      const superseded = (
        await t.deps.store.batches.list({ statuses: ['superseded'], offset: 0, limit: 100 })
      ).items.find((b) => b.departmentCode === 'public_security');
      const rejected = (
        await t.deps.store.batches.list({ statuses: ['rejected'], offset: 0, limit: 100 })
      ).items.find((b) => b.departmentCode === 'public_security');
      const retracted = (await t.audit('BATCH_RETRACTED')).length;
      for (const target of [id, superseded?.id, rejected?.id]) {
        expect(target).toEqual(expect.any(Number));
        expectError(await retract(target as number, '再撤回一次'), 409, 'CONFLICT');
      }
      expect((await t.audit('BATCH_RETRACTED')).length).toBe(retracted);
    });

    it('no longer treats the retracted file as the period’s current batch', async () => {
      const again = await uploadOk(police, 'hukou', '2023-Q4', { name: 'r.csv', content: file });
      expect(again.status).toBe('committed');
      expect(again.batchId).not.toBe(id);
      expect((await batch(id)).status).toBe('retracted');
      const [entry] = await t.audit('BATCH_COMMITTED');
      expect(entry).toMatchObject({ objectId: String(again.batchId), details: { supersedes: null } });
    });
  });

  describe('who may upload and see batches', () => {
    it('refuses a department officer uploading another department’s dataset (403 PERMISSION_DENIED)', async () => {
      const [batches, records, audits] = [await countBatches(), await countRecords(), await auditCount()];
      expectError(
        await upload(finance, 'hukou', '2022-Q1', { name: 'h.csv', content: csvBytes(hukouRows(2, 800)) }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await upload(police, 'payroll', '2022-H1', {
          name: 'p.csv',
          content: csvBytes([payrollRow(800, '2022-01')]),
        }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await upload(staff, 'hukou', '2022-Q1', { name: 'h.csv', content: csvBytes(hukouRows(2, 800)) }),
        403,
        'PERMISSION_DENIED',
      );
      expect([await countBatches(), await countRecords(), await auditCount()]).toEqual([
        batches,
        records,
        audits,
      ]);
    });

    it('shows agency staff every department’s batches and a department officer only its own', async () => {
      const all = await t.deps.store.batches.list({ offset: 0, limit: 1000 });
      const departments = new Set(all.items.map((b) => b.departmentCode));
      expect([...departments].sort()).toEqual(['finance', 'public_security']);

      const forStaff = await t.call('GET', '/api/batches?pageSize=200', { cookie: staff });
      expect(forStaff.statusCode).toBe(200);
      const staffView = forStaff.json<{ items: BatchView[]; total: number }>();
      expect(staffView.total).toBe(all.total);
      expect(staffView.items.map((b) => b.id)).toEqual(all.items.map((b) => b.id));

      const forFinance = await t.call('GET', '/api/batches?pageSize=200', { cookie: finance });
      const financeView = forFinance.json<{ items: BatchView[]; total: number }>();
      const financeIds = all.items.filter((b) => b.departmentCode === 'finance').map((b) => b.id);
      expect(financeView.items.map((b) => b.id)).toEqual(financeIds);
      expect(financeView.total).toBe(financeIds.length);

      const policeBatch = all.items.find((b) => b.departmentCode === 'public_security')?.id;
      expectError(
        await t.call('GET', `/api/batches/${policeBatch}`, { cookie: finance }),
        404,
        'OUT_OF_SCOPE',
      );
      expect((await detail(policeBatch as number, staff)).batch.id).toBe(policeBatch);
      const admin = await t.login('admin');
      expectError(await t.call('GET', '/api/batches', { cookie: admin }), 403, 'PERMISSION_DENIED');
    });
  });
});

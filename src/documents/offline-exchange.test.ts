import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { findDataset } from '../domain/catalog/datasets.ts';
import type { DatasetDef } from '../domain/catalog/types.ts';
import { checkReply, type ExchangePerson, REPLY_SHEET } from '../domain/exchange/offline-exchange.ts';
import { computeCheckChar } from '../domain/identity/id-number.ts';
import { openTable } from '../ingest/read-table.ts';
import {
  BINDING_SHEET,
  EXCHANGE_EXPLANATION_SHEET,
  readExchangeBinding,
  writeExchangeWorkbook,
} from './offline-exchange.ts';

const dir = mkdtempSync(join(tmpdir(), 'hedui-exchange-doc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const first17 = '62100219800101011';
const ID = `${first17}${computeCheckChar(first17)}`;
const payroll = findDataset('payroll') as DatasetDef;
const persons: ExchangePerson[] = [
  { seq: 1, caseRef: '=HYPERLINK("x")', idNumber: ID, name: '赵婉瑾' },
  {
    seq: 2,
    caseRef: 'HD-2',
    idNumber: `11010120000101001${computeCheckChar('11010120000101001')}`,
    name: '钱琨珂',
  },
];
const input = {
  reference: 'LX-20250926-000007',
  fingerprint: 'abcDEF_123-xyz',
  dataset: payroll,
  persons,
  exportDate: '2025-09-26',
  requesterName: '庆阳市居民家庭经济状况核对中心',
};

async function written(name: string, bytes?: Uint8Array): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, bytes ?? (await writeExchangeWorkbook(input)));
  return path;
}

describe(writeExchangeWorkbook.name, () => {
  it('writes the persons with the dataset columns, instructions and a very hidden binding', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await writeExchangeWorkbook(input)) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      REPLY_SHEET,
      EXCHANGE_EXPLANATION_SHEET,
      BINDING_SHEET,
    ]);
    const sheet = workbook.getWorksheet(REPLY_SHEET) as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      '序号',
      '案件编号',
      '身份证号',
      '姓名',
      '出生日期',
      '工作单位',
      '所属月份',
      '应发工资',
      '实发工资',
    ]);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([
      '1',
      `'=HYPERLINK("x")`,
      ID,
      '赵婉瑾',
      '1980-01-01',
    ]);
    expect(sheet.getCell('C2').numFmt).toBe('@');
    expect(sheet.getCell('H2').numFmt).toBe('@');
    expect(workbook.getWorksheet(BINDING_SHEET)?.state).toBe('veryHidden');
    const explanation = workbook.getWorksheet(EXCHANGE_EXPLANATION_SHEET) as ExcelJS.Worksheet;
    const texts: string[] = [];
    explanation.eachRow((row) => {
      texts.push(String(row.getCell(1).value ?? ''), String(row.getCell(2).value ?? ''));
    });
    expect(texts).toContain(input.reference);
    expect(texts.some((t) => t.includes('同一人查到多条记录'))).toBe(true);
  });

  it('is read back by the table reader and accepted by the reply check as exported (nothing found)', async () => {
    const path = await written('as-exported.xlsx');
    const table = await openTable(path, { maxBytes: 1e7 });
    const rows = [];
    for await (const row of table.rows) rows.push(row);
    const binding = await readExchangeBinding(path);
    expect(binding).toEqual({
      reference: input.reference,
      fingerprint: input.fingerprint,
      dataset: 'payroll',
    });
    const check = checkReply({
      dataset: payroll,
      persons: persons.map((p) => ({ ...p, caseRef: p.caseRef })),
      reference: input.reference,
      fingerprint: input.fingerprint,
      binding,
      headers: table.headers,
      rows,
      today: '2025-09-26',
    });
    expect(check.fileErrors).toEqual([]);
    expect(check.errors).toEqual([]);
    expect(check.findings).toEqual([]);
    expect(check.rowsRead).toBe(2);
  });
});

describe(readExchangeBinding.name, () => {
  it('reads back a fingerprint that begins with a formula character exactly (base64url may begin with -)', async () => {
    const dashed = { ...input, fingerprint: '-bcDEF_123-xyz' };
    const path = await written('dashed.xlsx', await writeExchangeWorkbook(dashed));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    // The hidden cell is neutralised like every cell the platform writes…
    expect(workbook.getWorksheet(BINDING_SHEET)?.getCell(2, 2).value).toBe("'-bcDEF_123-xyz");
    // …and the binding is read back as exported.
    expect(await readExchangeBinding(path)).toEqual({
      reference: input.reference,
      fingerprint: '-bcDEF_123-xyz',
      dataset: 'payroll',
    });
  });

  it('falls back on the workbook keywords when the hidden sheet is gone', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await writeExchangeWorkbook(input)) as unknown as ArrayBuffer);
    workbook.removeWorksheet((workbook.getWorksheet(BINDING_SHEET) as ExcelJS.Worksheet).id);
    const path = await written('no-sheet.xlsx', new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(await readExchangeBinding(path)).toEqual({
      reference: input.reference,
      fingerprint: input.fingerprint,
      dataset: 'payroll',
    });
  });

  it('answers null for an ordinary workbook or a file that is no workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('数据').addRow(['身份证号']);
    expect(
      await readExchangeBinding(
        await written('plain.xlsx', new Uint8Array(await workbook.xlsx.writeBuffer())),
      ),
    ).toBeNull();
    expect(
      await readExchangeBinding(await written('text.xlsx', new TextEncoder().encode('hello'))),
    ).toBeNull();
  });
});

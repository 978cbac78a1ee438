import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetDef, FileError, RawCell, RowError } from '../domain/catalog/types.ts';
import { openTable } from '../ingest/read-table.ts';
import {
  describeRowError,
  ERROR_FILL,
  type ErrorReportInput,
  REPORT_DATA_SHEET,
  REPORT_SUMMARY_SHEET,
  SUMMARY_SECTIONS,
  type UploadedRow,
  writeErrorReport,
} from './error-report.ts';

const DATASET: DatasetDef = {
  code: 'payroll',
  name: '财政供养人员',
  departmentCode: 'finance',
  departmentName: '财政',
  frequency: 'half_yearly',
  kind: 'periodic',
  core: true,
  description: '财政供养人员工资',
  columns: [
    { header: '身份证号', key: 'idNumber', type: 'id_number', required: true, description: '', example: '' },
    { header: '姓名', key: 'name', type: 'name', required: true, description: '', example: '' },
    { header: '工作单位', key: 'employer', type: 'text', required: false, description: '', example: '' },
    { header: '所属月份', key: 'month', type: 'month', required: true, description: '', example: '' },
    { header: '应发工资', key: 'grossFen', type: 'amount', required: true, description: '', example: '' },
    { header: '发放日期', key: 'paidOn', type: 'date', required: false, description: '', example: '' },
  ],
};

/** The upload's own column order differs from the catalog's: the report keeps the upload's. */
const HEADERS = ['姓名', '身份证号', '所属月份', '应发工资', '工作单位', '发放日期'];

const ROWS: UploadedRow[] = [
  {
    rowNumber: 2,
    cells: ['张三', '110101199003074514', '2025-01', '5000.00', '第一中学', new Date(Date.UTC(2025, 0, 15))],
  },
  { rowNumber: 3, cells: ['李四', '11010119900307451X', '2025-13', 4800, '=HYPERLINK("http://evil")', null] },
  // rows 4 and 5 were blank in the upload and skipped by the importer
  { rowNumber: 6, cells: ['王五', '110101199003071234', '2025-02', '', null, null] },
  { rowNumber: 7, cells: ['赵六', '110101199003075656', '2025-02', '-3', '+连字符单位', null] },
];

const ERRORS: RowError[] = [
  {
    row: 7,
    column: '应发工资',
    code: 'NEGATIVE_AMOUNT',
    message: '「应发工资」的值「-3」是负数，金额不能为负',
  },
  {
    row: 3,
    column: '身份证号',
    code: 'INVALID_ID_NUMBER',
    message: '「身份证号」的值「11010119900307451X」不是有效的身份证号码',
  },
  { row: 3, column: '所属月份', code: 'INVALID_MONTH', message: '「所属月份」的值「2025-13」不是有效的月份' },
  {
    row: 3,
    column: '所属月份',
    code: 'PERIOD_OUT_OF_RANGE',
    message: '「所属月份」的值「2025-13」不在本批次的数据期间内',
  },
  { row: 6, column: 'grossFen', code: 'MISSING_VALUE', message: '「应发工资」为必填项，不能为空' },
  { row: 5, column: '姓名', code: 'MISSING_VALUE', message: '「姓名」为必填项，不能为空' },
];

const FILE_ERRORS: FileError[] = [{ code: 'TOO_MANY_ERRORS', message: '错误过多，只列出了前面的部分错误' }];

async function* iterate(rows: readonly UploadedRow[]): AsyncIterable<UploadedRow> {
  for (const row of rows) yield row;
}

const input = (overrides: Partial<ErrorReportInput> = {}): ErrorReportInput => ({
  dataset: DATASET,
  headers: HEADERS,
  rows: iterate(ROWS),
  errors: ERRORS,
  fileErrors: FILE_ERRORS,
  ...overrides,
});

let dir: string;
let workbook: ExcelJS.Workbook;
let rowsWritten: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hedui-error-report-'));
  const path = join(dir, 'report.xlsx');
  ({ rowsWritten } = await writeErrorReport(input(), path));
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sheet = (name: string) => {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
};
const data = () => sheet(REPORT_DATA_SHEET);
const col = (header: string) => HEADERS.indexOf(header) + 1;

const noteText = (cell: ExcelJS.Cell): string => {
  const note = cell.note;
  if (note === undefined) return '';
  return typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join('');
};

const values = (row: ExcelJS.Row) => (row.values as ExcelJS.CellValue[]).slice(1);

const summaryRows = (): ExcelJS.CellValue[][] => {
  const rows: ExcelJS.CellValue[][] = [];
  sheet(REPORT_SUMMARY_SHEET).eachRow((row) => {
    rows.push(values(row));
  });
  return rows;
};

const section = (title: string): ExcelJS.CellValue[][] => {
  const rows = summaryRows();
  const start = rows.findIndex((r) => r[0] === title);
  const end = rows.findIndex(
    (r, i) => i > start + 1 && Object.values(SUMMARY_SECTIONS).includes(String(r[0]) as never),
  );
  return rows.slice(start + 2, end === -1 ? undefined : end);
};

describe(writeErrorReport.name, () => {
  it('puts the mirrored data first and the summary second, so the corrected file re-uploads as it is', () => {
    expect(workbook.worksheets.map((w) => w.name)).toEqual([REPORT_DATA_SHEET, REPORT_SUMMARY_SHEET]);
  });

  it('keeps the upload headers in the upload order, with no extra column', () => {
    expect(values(data().getRow(1))).toEqual(HEADERS);
    expect(data().columnCount).toBe(HEADERS.length);
  });

  it('writes every uploaded row, with or without errors, at its original row number', () => {
    expect(rowsWritten).toBe(ROWS.length);
    expect(data().getCell(2, col('身份证号')).value).toBe('110101199003074514');
    expect(data().getCell(6, col('姓名')).value).toBe('王五');
    expect(data().getCell(7, col('姓名')).value).toBe('赵六');
    expect(data().getRow(4).hasValues).toBe(false);
  });

  it('keeps numbers as numbers and dates as dates in yyyy-mm-dd', () => {
    expect(data().getCell(3, col('应发工资')).value).toBe(4800);
    const paidOn = data().getCell(2, col('发放日期'));
    expect(paidOn.value).toEqual(new Date(Date.UTC(2025, 0, 15)));
    expect(paidOn.numFmt).toBe('yyyy-mm-dd');
  });

  it('keeps text formats on the ID and amount columns so corrections stay text', () => {
    expect(data().getColumn(col('身份证号')).numFmt).toBe('@');
    expect(data().getColumn(col('应发工资')).numFmt).toBe('@');
  });

  it('fills offending cells red with a note giving the message and code, and leaves the others alone', () => {
    const id = data().getCell(3, col('身份证号'));
    expect(id.fill).toEqual(ERROR_FILL);
    expect(noteText(id)).toBe(
      '「身份证号」的值「11010119900307451X」不是有效的身份证号码（INVALID_ID_NUMBER）',
    );
    const name = data().getCell(3, col('姓名'));
    expect(name.fill).not.toEqual(ERROR_FILL);
    expect(noteText(name)).toBe('');
    expect(data().getCell(7, col('应发工资')).fill).toEqual(ERROR_FILL);
  });

  it('lists every error of one cell in its note', () => {
    const note = noteText(data().getCell(3, col('所属月份')));
    expect(note).toContain('INVALID_MONTH');
    expect(note).toContain('PERIOD_OUT_OF_RANGE');
  });

  it('marks an empty required cell, naming the column by its key', () => {
    const cell = data().getCell(6, col('应发工资'));
    expect(cell.fill).toEqual(ERROR_FILL);
    expect(noteText(cell)).toContain('MISSING_VALUE');
  });

  it('marks an error on a row the upload left out at that row number', () => {
    const cell = data().getCell(5, col('姓名'));
    expect(cell.value).toBeNull();
    expect(cell.fill).toEqual(ERROR_FILL);
    expect(noteText(cell)).toContain('「姓名」为必填项');
  });

  it('neutralises formula-like text from the upload', () => {
    expect(data().getCell(3, col('工作单位')).value).toBe(`'=HYPERLINK("http://evil")`);
    expect(data().getCell(7, col('工作单位')).value).toBe("'+连字符单位");
    expect(data().getCell(7, col('应发工资')).value).toBe("'-3");
  });

  it('lists the file errors in the summary', () => {
    expect(section(SUMMARY_SECTIONS.fileErrors)).toEqual([
      ['TOO_MANY_ERRORS', '错误过多，只列出了前面的部分错误'],
    ]);
  });

  it('counts the errors per code in the summary', () => {
    const counts = new Map(section(SUMMARY_SECTIONS.counts).map((r) => [r[0], r[1]]));
    expect(Object.fromEntries(counts)).toEqual({
      TOO_MANY_ERRORS: 1,
      NEGATIVE_AMOUNT: 1,
      INVALID_ID_NUMBER: 1,
      INVALID_MONTH: 1,
      PERIOD_OUT_OF_RANGE: 1,
      MISSING_VALUE: 2,
    });
  });

  it('lists every row error by row number, then by the column order of the upload, under the upload header', () => {
    expect(section(SUMMARY_SECTIONS.rowErrors).map((r) => r.slice(0, 3))).toEqual([
      [3, '身份证号', 'INVALID_ID_NUMBER'],
      [3, '所属月份', 'INVALID_MONTH'],
      [3, '所属月份', 'PERIOD_OUT_OF_RANGE'],
      [5, '姓名', 'MISSING_VALUE'],
      [6, '应发工资', 'MISSING_VALUE'],
      [7, '应发工资', 'NEGATIVE_AMOUNT'],
    ]);
    expect(section(SUMMARY_SECTIONS.rowErrors)[0]?.[3]).toBe(ERRORS[1]?.message);
  });

  it('tells the department how many errors it has and that nothing was stored', () => {
    const intro = summaryRows()
      .slice(0, 4)
      .map((r) => String(r[0]))
      .join('\n');
    expect(intro).toContain('财政 财政供养人员（payroll）');
    expect(intro).toContain('未入库');
    expect(intro).toContain('共 1 个文件错误、6 个单元格错误，涉及 4 行');
  });

  it('reads back through the importer as the upload: same headers, same rows at the same row numbers', async () => {
    const table = await openTable(join(dir, 'report.xlsx'));
    expect(table.headers).toEqual(HEADERS);
    const rows: { rowNumber: number; name: RawCell }[] = [];
    for await (const row of table.rows) rows.push({ rowNumber: row.rowNumber, name: row.cells[0] ?? null });
    expect(rows).toEqual(ROWS.map((r) => ({ rowNumber: r.rowNumber, name: r.cells[0] })));
  });

  it('writes to a stream and ends it', async () => {
    const out = new PassThrough();
    const again = new ExcelJS.Workbook();
    const reading = again.xlsx.read(out);
    const result = await writeErrorReport(input(), out);
    expect(result.rowsWritten).toBe(ROWS.length);
    expect(out.writableEnded).toBe(true);
    await reading;
    expect(again.getWorksheet(REPORT_DATA_SHEET)?.getCell(7, col('姓名')).value).toBe('赵六');
  });

  it('rejects rows that do not come in ascending order and leaves no partial file behind', async () => {
    const rows = iterate([ROWS[1], ROWS[0]].filter((r) => r !== undefined));
    const path = join(dir, 'out-of-order.xlsx');
    await expect(writeErrorReport(input({ rows }), path)).rejects.toThrow(RangeError);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('stops reading the upload when the output fails', async () => {
    let read = 0;
    async function* endless(): AsyncIterable<UploadedRow> {
      for (let rowNumber = 2; ; rowNumber++) {
        read++;
        yield { rowNumber, cells: ['张三', '110101199003074514', '2025-01', '5000.00', null, null] };
      }
    }
    const out = new PassThrough();
    setTimeout(() => out.destroy(new Error('client went away')), 20);
    await expect(writeErrorReport(input({ rows: endless() }), out)).rejects.toThrow('client went away');
    const readWhenRejected = read;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(read - readWhenRejected).toBeLessThanOrEqual(100);
  });
});

describe(describeRowError.name, () => {
  it('adds the code to a message that names its column', () => {
    expect(
      describeRowError({
        row: 2,
        column: '身份证号',
        code: 'INVALID_ID_NUMBER',
        message: '「身份证号」校验码错误',
      }),
    ).toBe('「身份证号」校验码错误（INVALID_ID_NUMBER）');
  });

  it('puts the column in front of a message that does not name it', () => {
    expect(
      describeRowError({ row: 2, column: '身份证号', code: 'INVALID_ID_NUMBER', message: '校验码错误' }),
    ).toBe('身份证号：校验码错误（INVALID_ID_NUMBER）');
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { computeCheckChar } from '../../src/domain/identity/id-number.ts';

/**
 * Test data for department uploads: rows keyed by the template's Chinese headers (as departments
 * write them), turned into CSV text (UTF-8, UTF-8 with BOM or GBK bytes) or XLSX files, with valid
 * resident ID numbers and distinct synthetic names.
 */

export type Cell = string | number | boolean | Date | null;
export type Row = Record<string, Cell>;

// ---------------------------------------------------------------- people

const SURNAMES = [
  ...new Set('赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹严华金魏陶姜戚谢邹喻柏窦章云苏潘葛范彭'),
];
const GIVEN = [
  ...new Set(
    '婉瑾璇琨珂瑜瑶琪珏璐琦琛琳璋瑛瑢瑭璟璠玥珺琰瑷琬瑄珩璞琮瑗璇璨玮珈琇瑾琤瑀珞岚峤嵘崧巍屹岑峥嵩崟岱峄嶙岷峦嶂崇岫峙崴',
  ),
];

/**
 * A valid 18-digit ID: region (default 621002 西峰区), a birth date counted in days from `birth`
 * (one new day every 1 000 people) and a three-digit sequence, with its check character.
 */
export function idNumber(index: number, options: { region?: string; birth?: string } = {}): string {
  const region = options.region ?? '621002';
  const birth = options.birth ?? '19800101';
  const start = Date.UTC(Number(birth.slice(0, 4)), Number(birth.slice(4, 6)) - 1, Number(birth.slice(6, 8)));
  const day = new Date(start + Math.floor(index / 1000) * 86_400_000).toISOString().slice(0, 10);
  const first17 = `${region}${day.replaceAll('-', '')}${String(index % 1000).padStart(3, '0')}`;
  return `${first17}${computeCheckChar(first17)}`;
}

/** `1980-01-01`: the birth date written inside idNumber(index, options). */
export function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Distinct three-character names (surname + two given characters) for index < 130 000. */
export function personName(index: number): string {
  const g = GIVEN.length;
  const surname = SURNAMES[Math.floor(index / (g * g)) % SURNAMES.length] ?? '赵';
  return `${surname}${GIVEN[Math.floor(index / g) % g] ?? ''}${GIVEN[index % g] ?? ''}`;
}

// ---------------------------------------------------------------- rows per dataset

/** A valid `hukou` (公安 户籍人口) row for person `index`. */
export function hukouRow(index: number, overrides: Row = {}): Row {
  const id = idNumber(index);
  return {
    身份证号: id,
    姓名: personName(index),
    性别: index % 2 === 0 ? '女' : '男',
    出生日期: birthDateOf(id),
    户号: `H${String(Math.floor(index / 3)).padStart(7, '0')}`,
    与户主关系: index % 3 === 0 ? '户主' : '子',
    户籍地址: '甘肃省庆阳市西峰区合成路1号',
    户籍状态: '正常',
    状态变更日期: '',
    ...overrides,
  };
}

export function hukouRows(count: number, from = 0): Row[] {
  return Array.from({ length: count }, (_, i) => hukouRow(from + i));
}

/** A valid `payroll` (财政 财政供养人员) row: one month's pay of person `index`. */
export function payrollRow(index: number, month: string, overrides: Row = {}): Row {
  return {
    身份证号: idNumber(index),
    姓名: personName(index),
    工作单位: '西峰区第一小学',
    所属月份: month,
    应发工资: (5000 + index).toFixed(2),
    实发工资: (4000 + index).toFixed(2),
    ...overrides,
  };
}

// ---------------------------------------------------------------- files

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gbk';

function csvField(cell: Cell): string {
  const text =
    cell === null
      ? ''
      : cell instanceof Date
        ? cell.toISOString().slice(0, 10)
        : typeof cell === 'boolean'
          ? cell
            ? '是'
            : '否'
          : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The headers of a file: those given, or the keys of the first row. */
function headersOf(rows: readonly Row[], headers?: readonly string[]): readonly string[] {
  return headers ?? Object.keys(rows[0] ?? {});
}

/** CSV text (CRLF line ends, as Excel saves it); a `null` row is a blank line. */
export function csvText(rows: readonly (Row | null)[], headers?: readonly string[]): string {
  const columns = headersOf(
    rows.filter((r): r is Row => r !== null),
    headers,
  );
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows)
    lines.push(row === null ? '' : columns.map((h) => csvField(row[h] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

let gbkTable: Map<string, number[]> | null = null;

/** Node decodes GBK but cannot encode it: the table is built by decoding every two-byte code once. */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    const table = new Map<string, number[]>();
    const decoder = new TextDecoder('gbk', { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        try {
          const char = decoder.decode(Uint8Array.of(lead, trail));
          if (!table.has(char)) table.set(char, [lead, trail]);
        } catch {
          // an unassigned code
        }
      }
    gbkTable = table;
  }
  const table = gbkTable;
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = table.get(char);
      if (!pair) throw new Error(`${char} has no GBK code`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

export function csvBytes(
  rows: readonly (Row | null)[],
  options: { headers?: readonly string[]; encoding?: CsvEncoding } = {},
): Buffer {
  const text = csvText(rows, options.headers);
  switch (options.encoding ?? 'utf-8') {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.from(`\uFEFF${text}`, 'utf8');
    case 'gbk':
      return encodeGbk(text);
  }
}

/** An XLSX workbook with one sheet `数据`; empty strings become empty cells, Dates date cells. */
export async function xlsxBytes(rows: readonly Row[], headers?: readonly string[]): Promise<Buffer> {
  const columns = headersOf(rows, headers);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('数据');
  sheet.addRow([...columns]);
  for (const row of rows)
    sheet.addRow(columns.map((h) => (row[h] === '' || row[h] === undefined ? null : row[h])));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Every worksheet of an XLSX as rows of cell values (index 0 = row 1), for reading reports back. */
export async function readXlsx(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

// ---------------------------------------------------------------- temp files and uploads

export interface TempDir {
  dir: string;
  path(name: string): string;
  /** Writes the file and returns its path. */
  write(name: string, content: string | Buffer): string;
  remove(): void;
}

export function tempDir(prefix = 'hedui-data-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A multipart/form-data body (text fields, then one file) for `app.inject`. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; content: Buffer; type?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----hedui${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Marriage registrations of people 0…count−1 with partners of another county (whose IDs are stored encrypted too). */
export function marriageRowsFor(count: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    身份证号: idNumber(i),
    姓名: personName(i),
    登记类型: '结婚',
    登记日期: `2025-08-${String((i % 28) + 1).padStart(2, '0')}`,
    对方身份证号: idNumber(i, { region: '621021', birth: '19900101' }),
    对方姓名: personName(5000 + i),
  }));
}

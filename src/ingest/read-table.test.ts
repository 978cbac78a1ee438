import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fileFingerprint } from './fingerprint.ts';
import { openTable, type Table, TableError, type TableRow } from './read-table.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);
const scratch = mkdtempSync(join(tmpdir(), 'hedui-ingest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let scratchCount = 0;
function scratchFile(content: string | Buffer, name = `file-${++scratchCount}.csv`): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

async function readAll(table: Table): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

async function failure(run: () => Promise<unknown>): Promise<TableError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof TableError) return e;
    throw e;
  }
  throw new Error('expected a TableError');
}

const openAndRead = async (path: string, opts?: { maxBytes?: number }) =>
  readAll(await openTable(path, opts));

describe('openTable on CSV', () => {
  it('reads a UTF-8 CSV: headers, string cells and row numbers from 2', async () => {
    const table = await openTable(fixture('utf8.csv'));
    expect(table).toMatchObject({
      format: 'csv',
      encoding: 'utf-8',
      headers: ['姓名', '身份证号', '出生日期', '月收入'],
    });
    expect(await readAll(table)).toEqual([
      { rowNumber: 2, cells: ['张三', '330106199001011234', '1990-01-01', '3500.50'] },
      { rowNumber: 3, cells: ['李四', '110101198001010011', '1980-01-01', '0'] },
    ]);
  });

  it('detects a UTF-8 BOM and keeps it out of the first header', async () => {
    const table = await openTable(fixture('utf8-bom.csv'));
    expect(table.encoding).toBe('utf-8-bom');
    expect(table.headers[0]).toBe('姓名');
    expect((await readAll(table)).map((r) => r.rowNumber)).toEqual([2, 3]);
  });

  it('detects GBK and decodes the Chinese names', async () => {
    const table = await openTable(fixture('gbk.csv'));
    expect(table.encoding).toBe('gb18030');
    expect(table.headers).toEqual(['姓名', '身份证号', '出生日期', '月收入']);
    expect((await readAll(table)).map((r) => [r.rowNumber, r.cells[0]])).toEqual([
      [2, '张三'],
      [3, '欧阳娜娜'],
      [4, '王小明'],
    ]);
  });

  it('keeps quoted multi-line cells, commas and doubled quotes, numbering rows by record', async () => {
    const table = await openTable(fixture('multiline.csv'));
    expect(await readAll(table)).toEqual([
      { rowNumber: 2, cells: ['张三', '浙江省杭州市\r\n西湖区 1 号', '他说"你好"'] },
      { rowNumber: 3, cells: ['李四', '北京市, 东城区', '第一行\n第二行\n第三行'] },
      { rowNumber: 4, cells: ['王五', '上海市', ''] },
    ]);
  });

  it('skips blank and whitespace-only lines but counts them, as a spreadsheet shows them as rows', async () => {
    const rows = await openAndRead(fixture('blank-lines.csv'));
    expect(rows).toEqual([
      { rowNumber: 2, cells: ['张三', '330106199001011234'] },
      { rowNumber: 6, cells: ['李四', '110101198001010011'] },
      { rowNumber: 8, cells: ['王五', null] },
    ]);
  });

  it('pads short rows with null, keeps cells beyond the header and trims nothing', async () => {
    const path = scratchFile('姓名, 身份证号 ,,\n 张三 ,1,x,y,z\n李四\n');
    const table = await openTable(path);
    expect(table.headers).toEqual(['姓名', ' 身份证号 ']);
    expect(await readAll(table)).toEqual([
      { rowNumber: 2, cells: [' 张三 ', '1', 'x', 'y', 'z'] },
      { rowNumber: 3, cells: ['李四', null] },
    ]);
  });

  it('treats full-width and zero-width spaces as blank', async () => {
    const rows = await openAndRead(scratchFile('姓名,备注\n\u3000,\u200b\n张三,\n'));
    expect(rows.map((r) => r.rowNumber)).toEqual([3]);
  });

  it('reads a header-only file as a table without rows', async () => {
    const table = await openTable(fixture('header-only.csv'));
    expect(table.headers).toHaveLength(4);
    expect(await readAll(table)).toEqual([]);
  });

  it('accepts CR line endings and a file without a final newline', async () => {
    const rows = await openAndRead(scratchFile('姓名,年龄\r张三,1\r李四,2'));
    expect(rows).toEqual([
      { rowNumber: 2, cells: ['张三', '1'] },
      { rowNumber: 3, cells: ['李四', '2'] },
    ]);
  });

  it('judges the encoding by the first non-ASCII text when the first 64 KiB are plain ASCII', async () => {
    const ascii = `name,id\n${'x,1\n'.repeat(20_000)}`;
    const gbkZhangSan = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]);
    const path = scratchFile(Buffer.concat([Buffer.from(ascii), gbkZhangSan, Buffer.from(',2\n')]));
    const table = await openTable(path);
    expect(table.encoding).toBe('gb18030');
    const rows = await readAll(table);
    expect(rows.at(-1)).toEqual({ rowNumber: 20_002, cells: ['张三', '2'] });
  });

  it('does not mistake a character cut by the 64 KiB sample for an encoding error', async () => {
    const head = '姓名,备注\n张三,';
    const filler = 'a'.repeat(64 * 1024 - Buffer.byteLength(head) - 1);
    const path = scratchFile(`${head}${filler}中文\n`);
    expect(readFileSync(path).subarray(64 * 1024 - 1, 64 * 1024 + 2)).toEqual(Buffer.from('中'));
    const table = await openTable(path);
    expect(table.encoding).toBe('utf-8');
    expect((await readAll(table))[0]?.cells[1]).toBe(`${filler}中文`);
  });

  it('fails while streaming with ENCODING_ERROR when invalid UTF-8 follows 100 KiB of valid text', async () => {
    const path = fixture('late-invalid-utf8.csv');
    expect(statSync(path).size).toBeGreaterThan(100 * 1024);
    const table = await openTable(path);
    expect(table.encoding).toBe('utf-8');
    let read = 0;
    const error = await failure(async () => {
      for await (const _ of table.rows) read++;
    });
    expect(error.code).toBe('ENCODING_ERROR');
    expect(error.message).toContain('第 2346 行');
    expect(read).toBeGreaterThan(1000);
  });

  it('fails with ENCODING_ERROR for bytes that are neither UTF-8 nor GB18030', async () => {
    const path = scratchFile(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xff, 0x2c, 0x31, 0x0a]));
    expect((await failure(() => openTable(path))).code).toBe('ENCODING_ERROR');
  });

  it('fails with ENCODING_ERROR on a GBK file that turns invalid later on', async () => {
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x0a]);
    const path = scratchFile(
      Buffer.concat([gbk, Buffer.alloc(70_000, 0x61), Buffer.from([0x0a, 0xff, 0x0a])]),
    );
    const table = await openTable(path);
    expect(table.encoding).toBe('gb18030');
    const error = await failure(() => readAll(table));
    expect(error.code).toBe('ENCODING_ERROR');
    expect(error.message).toContain('第 4 行');
  });

  it('refuses UTF-16 text with ENCODING_ERROR', async () => {
    const path = scratchFile(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('姓名,年龄\n', 'utf16le')]),
    );
    expect((await failure(() => openTable(path))).code).toBe('ENCODING_ERROR');
  });

  it('reports an unclosed quote as NOT_A_SPREADSHEET with the row it starts on', async () => {
    const table = await openTable(scratchFile('姓名,备注\n张三,好\n李四,"没有结束\n王五,好\n'));
    const error = await failure(() => readAll(table));
    expect(error.code).toBe('NOT_A_SPREADSHEET');
    expect(error.message).toContain('第 3 行');
  });

  it('refuses a record longer than 1 MB instead of buffering the rest of the file', async () => {
    const table = await openTable(scratchFile(`姓名,备注\n张三,${'长'.repeat(400_000)}\n`));
    const error = await failure(() => readAll(table));
    expect(error.code).toBe('NOT_A_SPREADSHEET');
    expect(error.message).toContain('第 2 行');
  });

  it('keeps a stray quote inside an unquoted cell as text', async () => {
    const rows = await openAndRead(scratchFile('姓名,规格\n张三,5"屏\n'));
    expect(rows[0]?.cells).toEqual(['张三', '5"屏']);
  });
});

describe('openTable on XLSX', () => {
  it('reads an exceljs workbook: texts, numbers, dates, rich text, formulas, links, booleans, errors', async () => {
    const table = await openTable(fixture('basic.xlsx'));
    expect(table).toMatchObject({
      format: 'xlsx',
      encoding: null,
      headers: ['姓名', '身份证号', '出生日期', '月收入', '备注'],
    });
    const rows = await readAll(table);
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 3, 6]);
    const [zhang, li, wang] = rows.map((r) => r.cells);
    expect(zhang).toEqual([
      '张三',
      '330106199001011234',
      new Date(Date.UTC(1990, 0, 1)),
      3500.5,
      '低保边缘户',
    ]);
    // The ID typed as a number arrives as the (already imprecise) number; the domain decides.
    expect(li?.[1]).toBe(Number('330106199001011234'));
    expect(String(li?.[1])).toBe('330106199001011260');
    expect(li?.slice(2)).toEqual([new Date(Date.UTC(1985, 11, 31)), 7001, '政策链接']);
    expect(wang).toEqual(['王五', '110101198001010011', null, true, '#N/A', '表头之外']);
  });

  it('gives dates with the displayed calendar date in their UTC fields', async () => {
    const rows = await openAndRead(fixture('basic.xlsx'));
    const date = rows[1]?.cells[2];
    expect(date).toBeInstanceOf(Date);
    const d = date as Date;
    expect([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours()]).toEqual([
      1985, 12, 31, 0,
    ]);
  });

  it('reads an Excel-style workbook: first tab, shared strings, East Asian date formats, cached results', async () => {
    const table = await openTable(fixture('excel-style.xlsx'));
    expect(table.headers).toEqual(['姓名', '身份证号', '出生日期', '登记月份', '月收入', '备注']);
    expect(await readAll(table)).toEqual([
      {
        rowNumber: 2,
        cells: [
          '张三',
          '330106199001011234',
          new Date(Date.UTC(1990, 0, 1)),
          new Date(Date.UTC(2024, 5, 1)),
          3500.5,
          7001,
        ],
      },
      {
        rowNumber: 3,
        cells: ['王小明', '110101198001010011', new Date(Date.UTC(1980, 0, 1)), null, '3501', '#DIV/0!'],
      },
      { rowNumber: 5, cells: [' 带空格 ', '#N/A', new Date(Date.UTC(2000, 1, 29)), null, true, null] },
      { rowNumber: 7, cells: ['赵六', '', null, false, 0, 0] },
    ]);
  });

  it('judges the file by its content, not its name', async () => {
    const path = join(scratch, 'renamed.csv');
    copyFileSync(fixture('basic.xlsx'), path);
    expect((await openTable(path)).format).toBe('xlsx');
    const csvNamedXlsx = join(scratch, 'really-text.xlsx');
    copyFileSync(fixture('utf8.csv'), csvNamedXlsx);
    expect((await openTable(csvNamedXlsx)).format).toBe('csv');
  });

  it('lets rows be read again, each time as a fresh pass, and stops cleanly when a loop breaks', async () => {
    const table = await openTable(fixture('excel-style.xlsx'));
    for await (const row of table.rows) {
      expect(row.rowNumber).toBe(2);
      break;
    }
    expect((await readAll(table)).map((r) => r.rowNumber)).toEqual([2, 3, 5, 7]);
    const csv = await openTable(fixture('utf8.csv'));
    expect(await readAll(csv)).toEqual(await readAll(csv));
  });

  it.skipIf(!existsSync('/proc/self/fd'))(
    'leaves no file open after reading, breaking off a loop or dropping a table unread',
    async () => {
      const openFiles = () => readdirSync('/proc/self/fd').length;
      const before = openFiles();
      for (let i = 0; i < 10; i++) {
        for (const name of [
          'utf8.csv',
          'gbk.csv',
          'late-invalid-utf8.csv',
          'excel-style.xlsx',
          'basic.xlsx',
        ]) {
          const table = await openTable(fixture(name));
          for await (const _ of table.rows) break;
          await openTable(fixture(name));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(openFiles()).toBeLessThanOrEqual(before + 2);
    },
  );

  it('refuses a truncated workbook with NOT_A_SPREADSHEET', async () => {
    const bytes = readFileSync(fixture('basic.xlsx'));
    const error = await failure(() =>
      openTable(scratchFile(bytes.subarray(0, bytes.length - 200), 'cut.xlsx')),
    );
    expect(error.code).toBe('NOT_A_SPREADSHEET');
  });
});

describe('openTable refusing files', () => {
  it('refuses a zero-byte file with EMPTY_FILE', async () => {
    expect((await failure(() => openTable(fixture('empty.csv')))).code).toBe('EMPTY_FILE');
  });

  it('refuses a file whose first row is blank with EMPTY_FILE', async () => {
    expect((await failure(() => openTable(scratchFile(',,\n张三,1\n')))).code).toBe('EMPTY_FILE');
    expect((await failure(() => openTable(scratchFile('\n\n  \n')))).code).toBe('EMPTY_FILE');
  });

  it('refuses a file over the size limit with FILE_TOO_LARGE before looking at its content', async () => {
    const error = await failure(() => openTable(fixture('image.png'), { maxBytes: 10 }));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.toFileError()).toEqual({ code: 'FILE_TOO_LARGE', message: error.message });
  });

  it('refuses a legacy .xls file, asking for .xlsx or CSV', async () => {
    const error = await failure(() => openTable(fixture('legacy.xls')));
    expect(error.code).toBe('NOT_A_SPREADSHEET');
    expect(error.message).toContain('.xls');
    expect(error.message).toContain('.xlsx');
  });

  it('refuses images, PDFs and other binary content with NOT_A_SPREADSHEET', async () => {
    expect((await failure(() => openTable(fixture('image.png')))).message).toContain('PNG');
    const pdf = scratchFile('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'doc.csv');
    expect((await failure(() => openTable(pdf))).message).toContain('PDF');
    const binary = scratchFile(Buffer.from([0x41, 0x42, 0x00, 0x43, 0x0a]));
    expect((await failure(() => openTable(binary))).code).toBe('NOT_A_SPREADSHEET');
  });

  it('refuses a zip archive that is not a workbook with NOT_A_SPREADSHEET', async () => {
    const error = await failure(() => openTable(fixture('not-xlsx.zip')));
    expect(error.code).toBe('NOT_A_SPREADSHEET');
    expect(error.message).toContain('压缩包');
  });

  it('refuses a web page saved as ".xls" with NOT_A_SPREADSHEET', async () => {
    const html = scratchFile('<html><body><table><tr><td>姓名</td></tr></table></body></html>', 'export.xls');
    expect((await failure(() => openTable(html))).code).toBe('NOT_A_SPREADSHEET');
  });
});

describe('fileFingerprint', () => {
  it('gives the SM3 digest of the standard test vector', async () => {
    const fp = await fileFingerprint(scratchFile('abc'));
    expect(fp).toEqual({ sm3: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0', bytes: 3 });
  });

  it('streams a file to the same digest as hashing it whole', async () => {
    const path = fixture('late-invalid-utf8.csv');
    const whole = createHash('sm3').update(readFileSync(path)).digest('hex');
    expect(await fileFingerprint(path)).toEqual({ sm3: whole, bytes: statSync(path).size });
  });
});

// ---------------------------------------------------------------------------------------------
// Large files. They are generated by a child process so that the generator's own memory does not
// mask (or inflate) what the reader uses; the reader then runs here while RSS is sampled.

function generate(script: string, path: string, rows: number, ...extra: string[]): void {
  execFileSync(process.execPath, ['--input-type=module', '-e', script, path, String(rows), ...extra], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}

const CSV_SCRIPT = `
import { createWriteStream } from 'node:fs';
const [path, rows] = [process.argv[1], Number(process.argv[2])];
const out = createWriteStream(path);
out.write('姓名,身份证号,出生日期,月收入,住址\\n');
for (let i = 0; i < rows; i += 10000) {
  let s = '';
  for (let j = i; j < Math.min(rows, i + 10000); j++) {
    s += '张三' + j + ',3301061990' + String(j).padStart(8, '0') + ',1990-01-01,' + (3500.5 + j) +
      ',"浙江省杭州市西湖区文三路' + j + '号, 某某小区 3 幢"\\n';
  }
  if (!out.write(s)) await new Promise((r) => out.once('drain', r));
}
await new Promise((r) => out.end(r));
`;

const XLSX_SCRIPT = `
import ExcelJS from 'exceljs';
const [path, rows, shared] = [process.argv[1], Number(process.argv[2]), process.argv[3] === 'shared'];
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: shared, useStyles: true });
const ws = wb.addWorksheet('数据');
ws.addRow(['姓名', '身份证号', '出生日期', '月收入', '住址']).commit();
const names = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜';
for (let i = 0; i < rows; i++) {
  const name = names[i % names.length] + names[(i * 7) % names.length] + names[(i * 13) % names.length] + i;
  const row = ws.addRow([name, '3301061990' + String(i).padStart(8, '0'), new Date(Date.UTC(1990, 0, 1 + (i % 9000))),
    3500.5 + i, '浙江省杭州市西湖区文三路' + i + '号']);
  row.getCell(3).numFmt = 'yyyy-mm-dd';
  row.commit();
}
ws.commit();
await wb.commit();
`;

interface Measured {
  rows: number;
  lastRowNumber: number;
  seconds: number;
  growthMb: number;
}

async function measure(path: string, check?: (row: TableRow) => void): Promise<Measured> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const started = performance.now();
  const table = await openTable(path);
  let rows = 0;
  let lastRowNumber = 0;
  for await (const row of table.rows) {
    rows++;
    lastRowNumber = row.rowNumber;
    check?.(row);
    if (rows % 2000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows, lastRowNumber, seconds, growthMb: (peak - baseline) / 2 ** 20 };
}

function report(label: string, path: string, m: Measured): void {
  const mb = (statSync(path).size / 2 ** 20).toFixed(1);
  console.info(
    `${label}: ${m.rows} rows, ${mb} MiB in ${m.seconds.toFixed(1)} s = ${Math.round(m.rows / m.seconds)} rows/s, ` +
      `RSS growth ${m.growthMb.toFixed(0)} MiB`,
  );
}

describe('reading large files', () => {
  it('reads a 500 000-row CSV of about 60 MB with RSS growing less than 150 MB', {
    timeout: 60_000,
  }, async () => {
    const path = join(scratch, 'large.csv');
    generate(CSV_SCRIPT, path, 500_000);
    expect(statSync(path).size).toBeGreaterThan(50 * 2 ** 20);
    const m = await measure(path);
    report('CSV', path, m);
    expect(m.rows).toBe(500_000);
    expect(m.lastRowNumber).toBe(500_001);
    expect(m.growthMb).toBeLessThan(150);
  });

  it('reads a 200 000-row XLSX with RSS growing less than 150 MB', { timeout: 60_000 }, async () => {
    const path = join(scratch, 'large.xlsx');
    generate(XLSX_SCRIPT, path, 200_000);
    let dates = 0;
    const m = await measure(path, (row) => {
      if (row.cells[2] instanceof Date) dates++;
    });
    report('XLSX', path, m);
    expect(m.rows).toBe(200_000);
    expect(m.lastRowNumber).toBe(200_001);
    expect(dates).toBe(200_000);
    expect(m.growthMb).toBeLessThan(150);
  });

  it('keeps every Chinese character intact in a shared-strings table far larger than one chunk', async () => {
    const path = join(scratch, 'shared.xlsx');
    const rows = 20_000;
    generate(XLSX_SCRIPT, path, rows, 'shared');
    const names = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜';
    const expected = (i: number) =>
      `${names[i % names.length]}${names[(i * 7) % names.length]}${names[(i * 13) % names.length]}${i}`;
    const wrong: string[] = [];
    const m = await measure(path, (row) => {
      const i = row.rowNumber - 2;
      if (row.cells[0] !== expected(i) || row.cells[4] !== `浙江省杭州市西湖区文三路${i}号`) {
        wrong.push(`${row.rowNumber}: ${String(row.cells[0])} ${String(row.cells[4])}`);
      }
    });
    expect(m.rows).toBe(rows);
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../src/documents/zip-writer.ts';
import { FILE_ERROR_CODES, type RawCell } from '../../src/domain/catalog/types.ts';
import { openTable, TableError, type TableRow } from '../../src/ingest/read-table.ts';
import { CHINESE, fuzzAsync, runsOf, timeoutFor } from './support.ts';

/**
 * The CSV and XLSX readers against generated files: anything at all must give rows or a TableError (coded,
 * in Chinese) — never another exception, never a hang; and a well-formed table must read back cell for cell.
 */
const RUNS = runsOf(200);
const dir = mkdtempSync(join(tmpdir(), 'hedui-fuzz-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;

async function readAll(bytes: Uint8Array): Promise<{ headers: string[]; rows: TableRow[] } | TableError> {
  const path = join(dir, `f${serial++}`);
  writeFileSync(path, bytes);
  try {
    const table = await openTable(path, { maxBytes: 1024 * 1024 });
    const rows: TableRow[] = [];
    for await (const row of table.rows) rows.push(row);
    return { headers: table.headers, rows };
  } catch (e) {
    if (!(e instanceof TableError)) throw e;
    expect(FILE_ERROR_CODES).toContain(e.code);
    expect(e.message).toMatch(CHINESE);
    return e;
  } finally {
    rmSync(path, { force: true });
  }
}

const BLANK = /^[\s\u200b-\u200d\u2060\ufeff]*$/;
const isBlank = (c: RawCell) => c === null || (typeof c === 'string' && BLANK.test(c));

/** A table as a department would make it: a header of named columns, rows of the same width. */
function tableOf(cell: fc.Arbitrary<RawCell>) {
  return fc.integer({ min: 1, max: 6 }).chain((width) =>
    fc.record({
      headers: fc.array(
        fc.string({ minLength: 1, maxLength: 10 }).filter((h) => !BLANK.test(h)),
        { minLength: width, maxLength: width },
      ),
      rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 8 }),
    }),
  );
}

function expectedRows(rows: RawCell[][]): TableRow[] {
  return rows.flatMap((cells, i) => (cells.every(isBlank) ? [] : [{ rowNumber: i + 2, cells }]));
}

// ---------------------------------------------------------------- CSV

const CSV_ALPHABET = [...'a,"\n\r ;\t中文，“”\u3000\u200b\ufeff=+-@0.'];
const csvText = fc.string({ unit: fc.constantFrom(...CSV_ALPHABET), maxLength: 200 });

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

describe('fuzzing the CSV reader', () => {
  it(
    'reads any bytes as rows or refuses them with a coded Chinese TableError',
    async () => {
      await fuzzAsync(
        'CSV reader (any bytes, any CSV-like text)',
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            csvText.map((t) => Buffer.from(t, 'utf8')),
            csvText.map((t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')])),
            // GB18030 lead and trail bytes with ASCII around them, valid or not.
            fc
              .array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x81, max: 0xfe })), {
                maxLength: 200,
              })
              .map((b) => Uint8Array.from(b)),
          ),
          async (bytes) => {
            await readAll(bytes);
          },
        ),
        RUNS,
        [[Buffer.from('"unclosed\n1,2\n')], [Buffer.from([0xef, 0xbb])], [Buffer.from('\n\n\n')]],
      );
    },
    timeoutFor(RUNS, 2),
  );

  it(
    'reads a quoted CSV back exactly, cell for cell, with honest row numbers',
    async () => {
      const cell = fc.string({
        unit: fc.constantFrom(...CSV_ALPHABET.filter((c) => c !== '\ufeff')),
        maxLength: 12,
      });
      await fuzzAsync(
        'CSV reader (round trip)',
        fc.asyncProperty(tableOf(cell), fc.constantFrom('\n', '\r\n'), async ({ headers, rows }, eol) => {
          const text = [headers, ...(rows as string[][])].map((r) => r.map(csvCell).join(',')).join(eol);
          const read = await readAll(Buffer.from(`${text}${eol}`, 'utf8'));
          if (read instanceof TableError) throw read;
          expect(read.headers).toEqual(headers);
          // A record whose one cell is empty is a blank line in the file: the reader skips it like a blank row.
          expect(read.rows).toEqual(expectedRows(rows));
        }),
        RUNS,
      );
    },
    timeoutFor(RUNS, 2),
  );
});

// ---------------------------------------------------------------- XLSX

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

function xmlText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function column(index: number): string {
  return String.fromCharCode(65 + index);
}

/** A minimal workbook: shared strings for text, numbers as numbers, empty cells left out. */
function xlsxOf(headers: string[], rows: RawCell[][]): Buffer {
  const strings: string[] = [];
  const cellXml = (value: RawCell, ref: string) => {
    if (value === null) return '';
    if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
    strings.push(String(value));
    return `<c r="${ref}" t="s"><v>${strings.length - 1}</v></c>`;
  };
  const sheetRows = [headers, ...rows]
    .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => cellXml(v, `${column(j)}${i + 1}`)).join('')}</row>`)
    .join('');
  const files: Record<string, string> = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${sheetRows}</sheetData></worksheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t xml:space="preserve">${xmlText(s)}</t></si>`).join('')}</sst>`,
  };
  return writeZip(Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text, 'utf8') })));
}

/** Text XML can carry: no control characters but tab and LF (CR is folded into LF by XML), no lone surrogates. */
const xmlSafeText = fc
  .string({ unit: 'grapheme', maxLength: 12 })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 cannot carry
  .filter((t) => !/[\u0000-\u0008\u000b-\u001f\ufffe\uffff]/.test(t));
const xlsxCell: fc.Arbitrary<RawCell> = fc.oneof(
  xmlSafeText,
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.constant(null),
);

describe('fuzzing the XLSX reader', () => {
  it(
    'reads a generated workbook back exactly: text, numbers and empty cells',
    async () => {
      await fuzzAsync(
        'XLSX reader (round trip)',
        fc.asyncProperty(tableOf(xlsxCell), async ({ headers, rows }) => {
          const read = await readAll(xlsxOf(headers, rows));
          if (read instanceof TableError) throw read;
          expect(read.headers).toEqual(headers);
          // An empty text cell is an empty cell (xlsx.ts: empty → null).
          expect(read.rows).toEqual(expectedRows(rows.map((r) => r.map((c) => (c === '' ? null : c)))));
        }),
        RUNS,
      );
    },
    timeoutFor(RUNS, 15),
  );

  it(
    'reads a damaged workbook (bytes changed, cut short, junk) as rows or refuses it with a TableError',
    async () => {
      const base = xlsxOf(
        ['姓名', '金额'],
        [
          ['张三', 12.5],
          ['李四', null],
        ],
      );
      await fuzzAsync(
        'XLSX reader (damaged workbooks)',
        fc.asyncProperty(
          fc.oneof(
            fc
              .array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })), {
                minLength: 1,
                maxLength: 8,
              })
              .map((flips) => {
                const b = Buffer.from(base);
                for (const [at, x] of flips) b[at] = (b[at] ?? 0) ^ x;
                return b;
              }),
            fc.nat(base.length).map((n) => base.subarray(0, n)),
            fc.uint8Array({ maxLength: 200 }).map((junk) => Buffer.concat([Buffer.from('PK\x03\x04'), junk])),
          ),
          async (bytes) => {
            await readAll(bytes);
          },
        ),
        RUNS,
      );
    },
    timeoutFor(RUNS, 15),
  );
});

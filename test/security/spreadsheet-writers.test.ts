/**
 * Every CSV and XLSX the platform writes, enumerated: each writer is fed text that a spreadsheet would run as a
 * formula (cells starting with = + - @, tab or carriage return) wherever its input carries text, and no text cell
 * of what it writes may start with one. A scan of the sources makes sure a new writer cannot escape the list.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchTemplateXlsx } from '../../src/documents/case-batch-template.ts';
import { dishonestyCsv } from '../../src/documents/dishonesty-export.ts';
import { writeErrorReport } from '../../src/documents/error-report.ts';
import { exportWatermark } from '../../src/documents/export-watermark.ts';
import { writeExchangeWorkbook } from '../../src/documents/offline-exchange.ts';
import { recheckReportWorkbook } from '../../src/documents/recheck-report-workbook.ts';
import { rosterTemplateBytes } from '../../src/documents/roster-template.ts';
import { neutraliseWorkbook } from '../../src/documents/safe-workbook.ts';
import { statisticsWorkbook } from '../../src/documents/statistics-workbook.ts';
import { csvTemplate, writeXlsxTemplate } from '../../src/documents/templates.ts';
import { findDataset } from '../../src/domain/catalog/datasets.ts';
import type { DatasetDef } from '../../src/domain/catalog/types.ts';
import {
  DISHONESTY_EXPORT_FIELDS,
  type DishonestyExportRow,
} from '../../src/domain/dishonesty/export-format.ts';

/** What spreadsheet programs may evaluate: the first character of each. */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
const HOSTILE = [
  '=HYPERLINK("http://evil.example","点我")',
  '+1+cmd|" /C calc"!A0',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
];
const hostile = (i: number): string => HOSTILE[i % HOSTILE.length] as string;

type Output = { kind: 'xlsx' | 'csv'; bytes: Buffer };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hedui-writers-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const payroll = findDataset('payroll') as DatasetDef;
/** The catalog is the platform's own, but a writer must not rely on that: every text of it made hostile. */
const hostileDataset: DatasetDef = {
  ...payroll,
  name: hostile(0),
  departmentName: hostile(1),
  columns: payroll.columns.map((c, i) => ({
    ...c,
    header: `${hostile(i)}${c.header}`,
    description: hostile(i + 1),
  })),
};

/**
 * The writers, by source file. `hostileInput` says the sample puts hostile text into the writer's input, so the
 * output must also show it neutralised (proof the text reached the file).
 */
const WRITERS: Record<string, { hostileInput: boolean; samples: () => Promise<Output[]> }> = {
  'src/documents/templates.ts': {
    hostileInput: true,
    samples: async () => {
      const path = join(dir, 'template.xlsx');
      await writeXlsxTemplate(hostileDataset, path);
      return [
        { kind: 'csv', bytes: Buffer.from(csvTemplate(hostileDataset)) },
        { kind: 'xlsx', bytes: await readFile(path) },
      ];
    },
  },
  'src/documents/error-report.ts': {
    hostileInput: true,
    samples: async () => {
      const headers = payroll.columns.map((c) => c.header);
      async function* rows() {
        for (let r = 2; r < 8; r++) yield { rowNumber: r, cells: headers.map((_, i) => hostile(r + i)) };
      }
      const path = join(dir, 'error-report.xlsx');
      await writeErrorReport(
        {
          dataset: payroll,
          headers: [...headers, hostile(3)],
          rows: rows(),
          errors: headers.map((column, i) => ({
            row: 2 + i,
            column,
            code: 'MISSING_VALUE',
            message: hostile(i),
          })),
          fileErrors: [{ code: 'UNKNOWN_COLUMN', message: hostile(2) }],
        },
        path,
      );
      return [{ kind: 'xlsx', bytes: await readFile(path) }];
    },
  },
  'src/documents/recheck-report-workbook.ts': {
    hostileInput: true,
    samples: async () => {
      const bytes = await recheckReportWorkbook(
        {
          kind: 'recheck-report',
          requester: hostile(0),
          month: '2025-08',
          runId: 1,
          scopeName: hostile(1),
          startedOn: '2025-09-01',
          finishedOn: null,
          counts: { families: 2, rechecked: 1, carried: 0, skipped: 1, failed: 0, changed: 1 },
          notRechecked: [
            {
              familyKey: hostile(2),
              applicantName: hostile(3),
              applicantIdMasked: hostile(4),
              reason: hostile(5),
            },
          ],
          families: [
            {
              familyKey: hostile(0),
              applicantName: hostile(1),
              applicantIdMasked: hostile(2),
              changes: [
                {
                  kindLabel: hostile(3),
                  member: hostile(4),
                  description: hostile(5),
                  before: hostile(0),
                  after: hostile(1),
                  sources: [{ dataset: hostile(2), batchId: hostile(3), dataAsOf: hostile(4) }],
                },
              ],
            },
          ],
        } as Parameters<typeof recheckReportWorkbook>[0],
        { agencyName: hostile(5), documentNumber: hostile(0), generatedAt: hostile(1) },
      );
      return [{ kind: 'xlsx', bytes }];
    },
  },
  'src/documents/dishonesty-export.ts': {
    hostileInput: true,
    samples: async () => {
      const row = Object.fromEntries(
        DISHONESTY_EXPORT_FIELDS.map((f, i) => [f.key, hostile(i)]),
      ) as DishonestyExportRow;
      return [{ kind: 'csv', bytes: dishonestyCsv([row, row]) }];
    },
  },
  'src/documents/offline-exchange.ts': {
    hostileInput: true,
    samples: async () => {
      const bytes = await writeExchangeWorkbook({
        reference: '-LX-20250926-1',
        fingerprint: '-abc',
        dataset: payroll,
        persons: [0, 1, 2, 3, 4, 5].map((i) => ({
          seq: i + 1,
          caseRef: hostile(i),
          idNumber: '620102199001011234',
          name: hostile(i + 1),
        })),
        exportDate: '2025-09-26',
        requesterName: hostile(2),
      });
      return [{ kind: 'xlsx', bytes: Buffer.from(bytes) }];
    },
  },
  'src/documents/statistics-workbook.ts': {
    hostileInput: true,
    samples: async () => [
      {
        kind: 'xlsx',
        bytes: await statisticsWorkbook(
          {
            chart: 'cases' as never,
            title: hostile(2),
            columns: [hostile(1), hostile(2)],
            rows: HOSTILE.map((h, i) => [h, i]),
          },
          [[hostile(3), hostile(4)]],
        ),
      },
    ],
  },
  'src/documents/case-batch-template.ts': {
    hostileInput: false,
    samples: async () => [{ kind: 'xlsx', bytes: await batchTemplateXlsx() }],
  },
  'src/documents/roster-template.ts': {
    hostileInput: false,
    samples: async () => [{ kind: 'xlsx', bytes: await rosterTemplateBytes() }],
  },
  // Bulk exports' watermarks (issue #8 item 4): a workbook is loaded, marked and written again.
  'src/documents/export-watermark.ts': {
    hostileInput: true,
    samples: async () => {
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('明细').addRow([hostile(0), hostile(1)]);
      const raw = Buffer.from(await workbook.xlsx.writeBuffer());
      const marked = await exportWatermark.apply(
        { bytes: raw, fileName: 'x.xlsx', contentType: '', format: 'xlsx' },
        `核对专用 · 导出编号 1 · ${hostile(2)}`,
        'HEDUI-EXPORT:1:AAAAAAAAAAAAAAAAAAAAAA',
      );
      return [{ kind: 'xlsx', bytes: Buffer.from(marked) }];
    },
  },
};

/** Routes that send a writer's bytes as CSV: they must get them from the writer, never build CSV themselves. */
const CSV_ROUTES: Record<string, { writer: string; fn: string }> = {
  'src/http/routes/datasets.routes.ts': { writer: 'src/documents/templates.ts', fn: 'csvTemplate' },
  'src/http/routes/exports.routes.ts': {
    writer: 'src/documents/dishonesty-export.ts',
    fn: 'dishonestyCsv',
  },
};

/** Not writers of user-facing files, with the reason. */
const EXEMPT: Record<string, string> = {
  'src/documents/safe-cell.ts': 'the neutralisation itself (csvLine)',
  'src/documents/safe-workbook.ts': 'the neutralisation itself (the last pass of in-memory workbooks)',
  'src/app/demo/load-demo-department-data.ts':
    'writes the synthetic demo batches as CSV input for the importer; never handed to a person',
};

const WRITER_PATTERN =
  /writeBuffer\(|xlsx\.writeFile\(|xlsx\.WorkbookWriter|safeXlsxBytes\(|neutraliseWorkbook\(|csvLine\(|text\/csv|\.csv['`"]/;

async function sourceFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Every text cell of every sheet (values and the text of rich text and hyperlinks). */
async function xlsxTexts(bytes: Buffer): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const texts: string[] = [];
  workbook.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value;
        if (typeof v === 'string') texts.push(v);
        else if (v && typeof v === 'object' && 'richText' in v)
          texts.push(v.richText.map((r) => r.text).join(''));
        else if (v && typeof v === 'object' && 'text' in v && typeof v.text === 'string') texts.push(v.text);
        else if (v && typeof v === 'object' && 'formula' in v) texts.push(`=${String(v.formula)}`);
      }),
    ),
  );
  return texts;
}

function csvTexts(bytes: Buffer): string[] {
  const records = parse(bytes.toString('utf8').replace(/^\uFEFF/, ''), {
    relax_column_count: true,
  }) as string[][];
  return records.flat();
}

describe('every CSV and XLSX the platform writes', () => {
  it('is listed here: a scan of src finds no other writer', async () => {
    const found: string[] = [];
    for (const file of await sourceFiles('src')) {
      if (WRITER_PATTERN.test(await readFile(file, 'utf8'))) found.push(relative('.', file));
    }
    const listed = [...Object.keys(WRITERS), ...Object.keys(CSV_ROUTES), ...Object.keys(EXEMPT)];
    expect(found.sort()).toEqual(listed.sort());
  });

  it.each(Object.entries(CSV_ROUTES))('%s sends CSV made by its writer', async (route, { writer, fn }) => {
    const text = await readFile(route, 'utf8');
    expect(text).toContain(`${fn}(`);
    expect(await readFile(writer, 'utf8')).toMatch(new RegExp(`export function ${fn}\\b[\\s\\S]*csvLine\\(`));
  });

  it.each(Object.entries(WRITERS))(
    '%s writes no cell a spreadsheet would run as a formula',
    async (_file, writer) => {
      const outputs = await writer.samples();
      expect(outputs.length).toBeGreaterThan(0);
      for (const output of outputs) {
        const texts = output.kind === 'xlsx' ? await xlsxTexts(output.bytes) : csvTexts(output.bytes);
        expect(texts.length).toBeGreaterThan(0);
        const dangerous = texts.filter((t) => TRIGGERS.includes(t.charAt(0)));
        expect(dangerous).toEqual([]);
        if (writer.hostileInput) {
          // The hostile text did reach the file, neutralised by a leading quote.
          expect(
            texts.some((t) => HOSTILE.some((h) => t === `'${h}` || t.startsWith(`'${h}`))),
            output.kind,
          ).toBe(true);
        }
      }
    },
  );

  it('neutralises in the last pass whatever a writer left: text, rich text and hyperlink text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('x');
    sheet.addRow([
      '=1+1',
      { richText: [{ text: '@x' }, { text: 'y' }] },
      { text: '-3', hyperlink: 'https://a' },
      5,
      'ok',
    ]);
    neutraliseWorkbook(workbook);
    const texts = await xlsxTexts(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(texts).toEqual(["'=1+1", "'@xy", "'-3", 'ok']);
  });
});

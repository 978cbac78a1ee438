/**
 * The error report of a rejected upload, written as XLSX with exceljs's streaming writer so a
 * million-row file with a handful of errors never sits in memory as a whole.
 *
 * Design: sheet 1 `数据` is the uploaded file itself, same headers and same rows at the same row
 * numbers (rows the importer skipped stay empty), with no extra column. The offending cells are
 * filled red and carry a note with the message; sheet 2 `错误汇总` lists the file errors, counts
 * per code and every cell error with its row number. A column such as `错误说明` inside the data
 * sheet would be easier to spot, but the importer rejects any column it does not know
 * (UNKNOWN_COLUMN), so the department would have to delete it before every re-upload; this way
 * the department corrects the red cells and uploads the same file again as it is (the importer
 * reads only the first sheet, so `错误汇总` does no harm).
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { FILE_ERROR_MESSAGES, ROW_ERROR_MESSAGES } from '../domain/catalog/messages.ts';
import {
  type ColumnDef,
  type DatasetDef,
  type FileError,
  type FileErrorCode,
  type RawCell,
  ROW_ERROR_CODES,
  type RowError,
  type RowErrorCode,
} from '../domain/catalog/types.ts';
import { neutraliseCell } from './safe-cell.ts';
import { columnWidth, DATE_FORMAT, MONTH_FORMAT, numFmtFor } from './sheet-format.ts';

export const REPORT_DATA_SHEET = '数据';
export const REPORT_SUMMARY_SHEET = '错误汇总';

export const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const ERROR_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

const DEFAULT_ROW_HEIGHT = 15;
/**
 * exceljs's worksheet streams ignore backpressure: rows written faster than the zip compresses
 * them, or than the reader of the report takes them, pile up in memory (a million rows reached
 * 430 MB). Every so many rows the writer therefore gives the compressor a turn and waits while
 * the output is full; with this a million rows stay under 60 MB of heap.
 */
const YIELD_EVERY_ROWS = 100;

async function letZipCatchUp(sink: PassThrough): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  // The output failed: stop reading the upload instead of compressing it into nothing.
  if (sink.destroyed) throw new Error('the error report output was closed');
  while (sink.writableNeedDrain && !sink.destroyed) {
    const stop = new AbortController();
    try {
      await Promise.race([
        once(sink, 'drain', { signal: stop.signal }),
        once(sink, 'close', { signal: stop.signal }),
      ]);
    } finally {
      stop.abort();
    }
  }
}

export interface UploadedRow {
  /** The row's number in the uploaded spreadsheet (the header is row 1). */
  rowNumber: number;
  cells: readonly RawCell[];
}

export interface ErrorReportInput {
  dataset: DatasetDef;
  /** Row 1 of the upload, as written, in the upload's order. */
  headers: readonly string[];
  /** The upload's rows in ascending row order; blank and skipped rows may be left out. */
  rows: AsyncIterable<UploadedRow>;
  errors: readonly RowError[];
  fileErrors: readonly FileError[];
}

/**
 * `「身份证号」的值「…」不是有效的身份证号码（INVALID_ID_NUMBER）`; a message that does not name its
 * column gets it in front: `身份证号：校验码错误（INVALID_ID_NUMBER）`.
 */
export function describeRowError(error: RowError): string {
  const message = error.message.includes(error.column) ? error.message : `${error.column}：${error.message}`;
  return `${message}（${error.code}）`;
}

export async function writeErrorReport(
  input: ErrorReportInput,
  out: NodeJS.WritableStream | string,
): Promise<{ rowsWritten: number }> {
  const sink = new PassThrough();
  const delivered = pipeline(sink, typeof out === 'string' ? createWriteStream(out) : out);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: false,
  });
  const written = (async () => {
    const data = workbook.addWorksheet(REPORT_DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
    const summary = workbook.addWorksheet(REPORT_SUMMARY_SHEET);
    const rowsWritten = await writeDataSheet(data, input, sink);
    writeSummarySheet(summary, input);
    summary.commit();
    await workbook.commit();
    return rowsWritten;
  })();
  written.catch((error: unknown) => sink.destroy(error instanceof Error ? error : new Error(String(error))));
  try {
    // Whichever fails first is reported; a broken output stream must not leave the caller waiting.
    const [rowsWritten] = await Promise.all([written, delivered]);
    return { rowsWritten };
  } catch (error) {
    if (typeof out === 'string') await rm(out, { force: true });
    throw error;
  }
}

class ColumnResolver {
  readonly defs: (ColumnDef | undefined)[];
  private readonly index = new Map<string, number>();

  constructor(dataset: DatasetDef, headers: readonly string[]) {
    const byHeader = new Map(dataset.columns.map((c) => [c.header, c]));
    this.defs = headers.map((h) => byHeader.get(h.trim()));
    headers.forEach((h, i) => {
      if (!this.index.has(h)) this.index.set(h, i);
      if (!this.index.has(h.trim())) this.index.set(h.trim(), i);
    });
    this.defs.forEach((def, i) => {
      if (def && !this.index.has(def.key)) this.index.set(def.key, i);
    });
  }

  /** Zero-based position of an error's column among the upload's headers (by header or key). */
  positionOf(column: string): number | undefined {
    return this.index.get(column) ?? this.index.get(column.trim());
  }
}

async function writeDataSheet(
  sheet: ExcelJS.Worksheet,
  input: ErrorReportInput,
  sink: PassThrough,
): Promise<number> {
  const columns = new ColumnResolver(input.dataset, input.headers);
  sheet.columns = input.headers.map((header, i) => {
    const def = columns.defs[i];
    return { width: columnWidth(def, header), style: def ? { numFmt: numFmtFor(def.type) } : {} };
  });
  const header = sheet.getRow(1);
  input.headers.forEach((h, i) => {
    const cell = header.getCell(i + 1);
    cell.value = neutraliseCell(h);
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
  });
  header.commit();

  const errorsByRow = groupByRow(input.errors);
  const pendingErrorRows = [...errorsByRow.keys()].filter((r) => r > 1).sort((a, b) => a - b);
  let nextPending = 0;
  const markRow = (row: ExcelJS.Row) => {
    let marked = false;
    for (const error of errorsByRow.get(row.number) ?? []) {
      const position = columns.positionOf(error.column);
      if (position === undefined) continue;
      markCell(row.getCell(position + 1), error);
      marked = true;
    }
    // The streaming writer drops rows without values unless they have a height.
    if (marked && !row.hasValues) row.height = DEFAULT_ROW_HEIGHT;
  };
  // A row the upload left blank can still hold an error (a required cell of a skipped line):
  // it is written empty with the red cell, so the note sits where the department will look.
  const flushErrorRowsBefore = (rowNumber: number) => {
    while (nextPending < pendingErrorRows.length && (pendingErrorRows[nextPending] ?? 0) < rowNumber) {
      const row = sheet.getRow(pendingErrorRows[nextPending] ?? 0);
      markRow(row);
      row.commit();
      nextPending++;
    }
  };

  let last = 1;
  let rowsWritten = 0;
  for await (const uploaded of input.rows) {
    if (!Number.isInteger(uploaded.rowNumber) || uploaded.rowNumber <= last) {
      throw new RangeError(`rows must come in ascending order after the header: ${uploaded.rowNumber}`);
    }
    flushErrorRowsBefore(uploaded.rowNumber);
    if (pendingErrorRows[nextPending] === uploaded.rowNumber) nextPending++;
    const row = sheet.getRow(uploaded.rowNumber);
    uploaded.cells.forEach((value, i) => {
      if (value === null || value === '') return;
      const cell = row.getCell(i + 1);
      cell.value = reportValue(value);
      if (value instanceof Date) cell.numFmt = columns.defs[i]?.type === 'month' ? MONTH_FORMAT : DATE_FORMAT;
    });
    markRow(row);
    row.commit();
    last = uploaded.rowNumber;
    rowsWritten++;
    if (rowsWritten % YIELD_EVERY_ROWS === 0) await letZipCatchUp(sink);
  }
  flushErrorRowsBefore(Number.POSITIVE_INFINITY);
  sheet.commit();
  return rowsWritten;
}

function reportValue(value: Exclude<RawCell, null>): ExcelJS.CellValue {
  if (typeof value === 'string') return neutraliseCell(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : neutraliseCell(String(value));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  return value;
}

function markCell(cell: ExcelJS.Cell, error: RowError) {
  const text = neutraliseCell(describeRowError(error));
  const previous = cell.note;
  const earlier = typeof previous === 'string' ? previous : previous?.texts?.map((t) => t.text).join('');
  cell.note = earlier ? `${earlier}\n${text}` : text;
  cell.fill = ERROR_FILL;
  cell.font = ERROR_FONT;
}

function groupByRow(errors: readonly RowError[]): Map<number, RowError[]> {
  const byRow = new Map<number, RowError[]>();
  for (const error of errors) {
    const list = byRow.get(error.row);
    if (list) list.push(error);
    else byRow.set(error.row, [error]);
  }
  return byRow;
}

function codeMeaning(code: RowErrorCode | FileErrorCode): string {
  return isRowErrorCode(code) ? ROW_ERROR_MESSAGES[code] : FILE_ERROR_MESSAGES[code];
}

function isRowErrorCode(code: string): code is RowErrorCode {
  return (ROW_ERROR_CODES as readonly string[]).includes(code);
}

export const SUMMARY_SECTIONS = {
  fileErrors: '文件错误',
  counts: '按错误代码统计',
  rowErrors: '逐行错误',
} as const;

function writeSummarySheet(sheet: ExcelJS.Worksheet, input: ErrorReportInput) {
  const { dataset, errors, fileErrors } = input;
  sheet.columns = [{ width: 22 }, { width: 18 }, { width: 24 }, { width: 70 }];
  const add = (values: readonly (string | number)[], bold = false) => {
    const row = sheet.addRow(values.map((v) => (typeof v === 'string' ? neutraliseCell(v) : v)));
    if (bold) row.font = { bold: true };
    row.commit();
  };
  const tableHeader = (values: readonly string[]) => {
    const row = sheet.addRow(values.map(neutraliseCell));
    row.eachCell((cell) => {
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
    });
    row.commit();
  };

  const rowsWithErrors = new Set(errors.map((e) => e.row)).size;
  add([`${dataset.departmentName} ${dataset.name}（${dataset.code}）导入错误报告`], true);
  add(['本文件未入库：只要有一处错误，整个文件都不会保存。']);
  add([
    '请在“数据”工作表中改正标红的单元格（批注中有错误说明），保存后直接重新上传本文件；本工作表不会被读取，无需删除。',
  ]);
  add([`共 ${fileErrors.length} 个文件错误、${errors.length} 个单元格错误，涉及 ${rowsWithErrors} 行。`]);
  add([]);

  add([SUMMARY_SECTIONS.fileErrors], true);
  tableHeader(['错误代码', '说明']);
  if (fileErrors.length === 0) add(['无']);
  for (const error of fileErrors) add([error.code, error.message]);
  add([]);

  add([SUMMARY_SECTIONS.counts], true);
  tableHeader(['错误代码', '数量', '说明']);
  const counts = new Map<RowErrorCode | FileErrorCode, number>();
  for (const { code } of [...fileErrors, ...errors]) counts.set(code, (counts.get(code) ?? 0) + 1);
  if (counts.size === 0) add(['无']);
  for (const [code, count] of counts) add([code, count, codeMeaning(code)]);
  add([]);

  add([SUMMARY_SECTIONS.rowErrors], true);
  tableHeader(['行号', '列名', '错误代码', '说明']);
  if (errors.length === 0) add(['无']);
  const columns = new ColumnResolver(dataset, input.headers);
  const position = (e: RowError) => columns.positionOf(e.column) ?? Number.MAX_SAFE_INTEGER;
  const sorted = [...errors].sort((a, b) => a.row - b.row || position(a) - position(b));
  for (const error of sorted) {
    const at = columns.positionOf(error.column);
    add([
      error.row,
      (at === undefined ? undefined : input.headers[at]) ?? error.column,
      error.code,
      error.message,
    ]);
  }
}

/**
 * Opens an uploaded CSV or XLSX file as a stream of rows with flat memory, whatever its size.
 *
 * - The kind of file is judged by its content, never its name (see sniff.ts).
 * - `headers` is row 1 as text, without trailing empty header cells; the reader does not trim or
 *   otherwise judge the header texts.
 * - `rows` yields every later non-blank row (a row whose cells are all empty or whitespace is
 *   skipped). Cells are padded with null to the header width; cells beyond it are kept.
 * - `rowNumber` is the row number the department sees in Excel or WPS (header = 1):
 *   XLSX — the sheet's own row number, so rows missing or blank in between leave honest gaps;
 *   CSV  — the record number (header = record 1). A quoted cell spanning several lines is one
 *   record, exactly as a spreadsheet shows it as one row, so it does not shift later numbers; blank
 *   lines count as records (they are rows in a spreadsheet too) even though they are not yielded.
 * - Cell values: CSV cells are strings ('' for an empty field). XLSX cells are strings, numbers,
 *   booleans, Dates or null (see xlsx.ts); XLSX Dates carry the displayed wall-clock value in their
 *   UTC fields and must be read with UTC getters.
 * - Problems with the file as a whole are thrown as TableError, at open or while iterating `rows`
 *   (an encoding error late in a CSV is only found when reading reaches it).
 * - No file stays open between calls: `openTable` reads the header and closes the file, and each
 *   iteration of `rows` makes a fresh pass that ends (and closes) with the loop, also when the loop is
 *   left early. A Table that is dropped unread therefore leaks nothing.
 */
import type { RawCell } from '../domain/catalog/types.ts';
import { csvRecords, type SourceRow } from './csv.ts';
import { sniffFile } from './sniff.ts';
import { TableError } from './table-error.ts';
import { openWorkbook } from './xlsx.ts';

export { TableError } from './table-error.ts';

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

export interface TableRow {
  rowNumber: number;
  cells: RawCell[];
}

export interface Table {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'utf-8-bom' | 'gb18030' | null;
  headers: string[];
  rows: AsyncIterable<TableRow>;
}

export interface OpenTableOptions {
  /** Larger files are refused with FILE_TOO_LARGE before any content is read. Default 200 MiB. */
  maxBytes?: number;
}

const BLANK = /^[\s\u200b-\u200d\u2060\ufeff]*$/;

function isBlankCell(cell: RawCell): boolean {
  return cell === null || (typeof cell === 'string' && BLANK.test(cell));
}

/** True when every cell is empty or whitespace (including full-width and zero-width spaces). */
export function isBlankRow(cells: readonly RawCell[]): boolean {
  return cells.every(isBlankCell);
}

function headerText(cell: RawCell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell);
}

export async function openTable(path: string, opts: OpenTableOptions = {}): Promise<Table> {
  const sniffed = await sniffFile(path, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  const records =
    sniffed.format === 'xlsx'
      ? await openWorkbook(path, sniffed.entries)
      : () => csvRecords(path, sniffed.encoding);
  const first = await firstRecord(records());
  if (first?.rowNumber !== 1 || isBlankRow(first.cells)) {
    throw new TableError(
      'EMPTY_FILE',
      first
        ? '第 1 行（表头）是空的：第 1 行应为各列的列名，数据从第 2 行开始。'
        : '文件里没有任何内容：第 1 行应为表头（各列的列名）。',
    );
  }
  const headers = first.cells.map(headerText);
  while (headers.length > 0 && BLANK.test(headers[headers.length - 1] ?? '')) headers.pop();
  return {
    format: sniffed.format,
    encoding: sniffed.format === 'csv' ? sniffed.encoding : null,
    headers,
    rows: { [Symbol.asyncIterator]: () => dataRows(records(), headers.length) },
  };
}

async function firstRecord(source: AsyncGenerator<SourceRow>): Promise<SourceRow | undefined> {
  try {
    const first = await source.next();
    return first.done ? undefined : first.value;
  } finally {
    await source.return(undefined);
  }
}

async function* dataRows(source: AsyncGenerator<SourceRow>, width: number): AsyncGenerator<TableRow> {
  for await (const { rowNumber, cells } of source) {
    if (rowNumber === 1 || isBlankRow(cells)) continue;
    while (cells.length < width) cells.push(null);
    yield { rowNumber, cells };
  }
}

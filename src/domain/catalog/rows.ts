import { isBlankCell, parseCell } from './cells.ts';
import { fileError, rowErrorMessage, showCellValue } from './messages.ts';
import { periodContainsMonth } from './period.ts';
import type {
  CellValue,
  ColumnDef,
  DatasetDef,
  FileError,
  ParsedPeriod,
  RawCell,
  RowError,
} from './types.ts';

/** Header and row checks of CATALOG.md "File rules", for one dataset's file. */

export interface HeaderCheck {
  /** Per dataset column (in the dataset's order), its position in the file; undefined when absent. */
  columnIndex: (number | undefined)[];
  errors: FileError[];
}

export interface RowContext {
  /** `YYYY-MM-DD` in Asia/Shanghai. */
  today: string;
  /** The batch's period; months of periodic datasets must lie inside it. */
  period: ParsedPeriod | null;
}

export interface RowCheck {
  /** Parsed values by column key; null for an empty optional cell or a cell in error. */
  values: Record<string, CellValue>;
  errors: RowError[];
}

export function normalizeHeader(header: string): string {
  return header.normalize('NFKC').trim();
}

/**
 * Headers may come in any order and optional columns may be left out. A blank header cell (a formatted but
 * unused column) is ignored.
 */
export function checkHeaders(dataset: DatasetDef, headers: string[]): HeaderCheck {
  const positions = new Map<string, number>();
  const reported = new Set<string>();
  const errors: FileError[] = [];
  const known = new Set(dataset.columns.map((column) => normalizeHeader(column.header)));

  headers.forEach((raw, position) => {
    const header = normalizeHeader(raw);
    if (header === '') return;
    if (positions.has(header)) {
      if (!reported.has(header)) errors.push(fileError('DUPLICATE_COLUMN', `「${header}」`));
      reported.add(header);
      return;
    }
    positions.set(header, position);
    if (!known.has(header)) errors.push(fileError('UNKNOWN_COLUMN', `「${header}」`));
  });

  const columnIndex = dataset.columns.map((column) => positions.get(normalizeHeader(column.header)));
  dataset.columns.forEach((column, index) => {
    if (column.required && columnIndex[index] === undefined) {
      errors.push(fileError('MISSING_COLUMN', `「${column.header}」`));
    }
  });
  return { columnIndex, errors };
}

export function isBlankRow(cells: readonly RawCell[]): boolean {
  return cells.every(isBlankCell);
}

/**
 * Every problem of the row, not just the first: each cell, then the months of a periodic dataset against the
 * batch period, then ranges such as 所属期起 ≤ 所属期止.
 */
export function validateRow(
  dataset: DatasetDef,
  columnIndex: readonly (number | undefined)[],
  rowNumber: number,
  cells: readonly RawCell[],
  ctx: RowContext,
): RowCheck {
  const values: Record<string, CellValue> = {};
  const errors: RowError[] = [];
  const rawOf = new Map<string, RawCell>();
  const failed = new Set<string>();

  dataset.columns.forEach((column, index) => {
    const position = columnIndex[index];
    const raw = position === undefined ? null : (cells[position] ?? null);
    rawOf.set(column.key, raw);
    const result = parseCell(column, raw, { today: ctx.today });
    if (result.ok) {
      values[column.key] = result.value;
    } else {
      values[column.key] = null;
      failed.add(column.key);
      errors.push({ row: rowNumber, column: column.header, code: result.code, message: result.message });
    }
  });

  const period = ctx.period;
  if (dataset.kind === 'periodic' && period) {
    for (const column of dataset.columns) {
      const month = values[column.key];
      if (column.type !== 'month' || typeof month !== 'string' || periodContainsMonth(period, month))
        continue;
      const detail = `本批次期间为${period.label}（${period.firstMonth}至${period.lastMonth}）`;
      errors.push({
        row: rowNumber,
        column: column.header,
        code: 'PERIOD_OUT_OF_RANGE',
        message: rowErrorMessage('PERIOD_OUT_OF_RANGE', column.header, rawOf.get(column.key) ?? null, detail),
      });
    }
  }

  for (const column of dataset.columns) {
    const error = rangeError(dataset, column, values, rawOf);
    if (error) errors.push({ row: rowNumber, column: column.header, ...error });
  }
  return { values, errors };
}

/** A column with `notAfter` must not be later than that other column, when both hold a value. */
function rangeError(
  dataset: DatasetDef,
  column: ColumnDef,
  values: Record<string, CellValue>,
  rawOf: Map<string, RawCell>,
): Pick<RowError, 'code' | 'message'> | undefined {
  if (!column.notAfter) return undefined;
  const other = dataset.columns.find((candidate) => candidate.key === column.notAfter);
  const from = values[column.key];
  const to = other ? values[other.key] : undefined;
  if (!other || typeof from !== 'string' || typeof to !== 'string' || from <= to) return undefined;
  const code = column.type === 'month' ? 'INVALID_MONTH' : 'INVALID_DATE';
  const shown = showCellValue(rawOf.get(column.key) ?? null);
  const message = `「${column.header}」的值「${shown}」晚于「${other.header}」（${to}）：起始不能晚于截止，请检查是否填反`;
  return { code, message };
}

/** A canonical text of a row's parsed values: rows with the same key are exact duplicates. */
export function rowKey(values: Record<string, CellValue>): string {
  return JSON.stringify(
    Object.keys(values)
      .sort()
      .map((key) => [key, values[key] ?? null]),
  );
}

import { validateRow } from '../catalog/rows.ts';
import type { CellValue, DatasetDef, RawCell, RowErrorCode } from '../catalog/types.ts';
import { maskIdNumber } from '../identity/id-number.ts';
import { readPath } from './config.ts';

/**
 * One record of a department's answer → one row of catalog values, checked with the same cell rules as an
 * uploaded file (CATALOG.md). A record that fails is reported with every problem, never dropped silently.
 */

export type QueryRowErrorCode = RowErrorCode | 'NOT_AN_OBJECT' | 'NOT_A_SCALAR' | 'OTHER_PERSON';

export interface QueryRowError {
  /** The column's Chinese header; empty for a problem with the whole record. */
  column: string;
  code: QueryRowErrorCode;
  message: string;
}

export type MappedRecord =
  | { ok: true; values: Record<string, CellValue> }
  | { ok: false; errors: QueryRowError[] };

export interface PersonAsked {
  /** 18-digit ID number the platform asked about. */
  idNumber: string;
  name: string;
}

export interface MappingContext {
  /** `YYYY-MM-DD` in Asia/Shanghai. */
  today: string;
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

/**
 * Maps and validates one record. `idNumber` and `name` not in the field map are the person asked about (the
 * call is per person); when the record carries its own ID number it must be that person's, or the record is
 * rejected rather than attributed to the wrong member.
 */
export function mapRecord(
  dataset: DatasetDef,
  fieldMap: Readonly<Record<string, string>>,
  record: unknown,
  person: PersonAsked,
  ctx: MappingContext,
): MappedRecord {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return {
      ok: false,
      errors: [{ column: '', code: 'NOT_AN_OBJECT', message: '返回的记录不是对象，无法按字段读取' }],
    };
  }
  const errors: QueryRowError[] = [];
  const cells: RawCell[] = dataset.columns.map((column) => {
    const path = fieldMap[column.key];
    if (path === undefined) {
      if (column.key === 'idNumber') return person.idNumber;
      if (column.key === 'name') return person.name;
      return null;
    }
    const value = readPath(record, path);
    if (value === undefined) return null;
    if (isScalar(value)) return value;
    errors.push({
      column: column.header,
      code: 'NOT_A_SCALAR',
      message: `「${column.header}」对应的返回字段「${path}」不是单个值（文本、数字或布尔值）`,
    });
    return null;
  });
  const columnIndex = dataset.columns.map((_, index) => index);
  const check = validateRow(dataset, columnIndex, 0, cells, { today: ctx.today, period: null });
  for (const error of check.errors) {
    if (errors.some((earlier) => earlier.column === error.column)) continue;
    errors.push({ column: error.column, code: error.code, message: error.message });
  }
  const returnedId = check.values.idNumber;
  if (typeof returnedId === 'string' && returnedId !== person.idNumber) {
    errors.push({
      column: dataset.columns.find((column) => column.key === 'idNumber')?.header ?? '身份证号',
      code: 'OTHER_PERSON',
      message: `返回记录的身份证号（${maskIdNumber(returnedId)}）不是所查询的人（${maskIdNumber(person.idNumber)}），该记录不予采用`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values: check.values };
}

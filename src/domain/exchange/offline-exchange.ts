import { isBlankCell, parseCell } from '../catalog/cells.ts';
import { checkHeaders, isBlankRow, validateRow } from '../catalog/rows.ts';
import type { CellValue, ColumnDef, DatasetDef, FileError, RawCell, RowError } from '../catalog/types.ts';
import { maskIdNumber, parseIdNumber } from '../identity/id-number.ts';

/**
 * The offline exchange (C§3 "导出的民政信息模板"): the agency exports the persons to check for one department
 * without data sharing; the department fills in what it found and returns the file. These are its rules:
 * the persons list, the layout of the reply sheet and the checks of a returned sheet. No I/O.
 */

/** At most this many persons per exchange: a department searches them by hand. */
export const MAX_EXCHANGE_PERSONS = 2000;
/** At most this many reply rows (a person may have several findings). */
export const MAX_REPLY_ROWS = 50_000;
/** The purpose of the keyed hash that binds a returned file to its export. */
export const EXCHANGE_FINGERPRINT_PURPOSE = 'offline-exchange';

export type ExchangeStatus = 'exported' | 'answered';

/** One person to check, as stored (encrypted) and written into the template; `seq` is the 序号 (1-based). */
export interface ExchangePerson {
  seq: number;
  caseRef: string;
  idNumber: string;
  name: string;
}

export interface ExchangePersonInput {
  caseRef: string;
  idNumber: string;
  name: string;
}

export const PERSON_ERROR_CODES = [
  'MISSING_VALUE',
  'INVALID_ID_NUMBER',
  'INVALID_NAME',
  'TOO_LONG',
  'DUPLICATE_PERSON',
] as const;
export type PersonErrorCode = (typeof PERSON_ERROR_CODES)[number];

/** A problem in the persons list: `row` is the person's 1-based position in the list. */
export interface PersonError {
  row: number;
  field: 'caseRef' | 'idNumber' | 'name';
  code: PersonErrorCode;
  message: string;
}

const CASE_REF_MAX = 64;
const NAME_MAX = 50;

/**
 * Checks the persons to export: every ID valid (normalised to 18 digits), a name and a case reference on every
 * line, and no person twice for the same case. Every problem is listed.
 */
export function checkExchangePersons(
  input: readonly ExchangePersonInput[],
  today: string,
): { ok: true; persons: ExchangePerson[] } | { ok: false; errors: PersonError[] } {
  const errors: PersonError[] = [];
  const persons: ExchangePerson[] = [];
  const seen = new Map<string, number>();
  input.forEach((raw, index) => {
    const row = index + 1;
    const caseRef = raw.caseRef.normalize('NFKC').trim();
    const name = raw.name.normalize('NFKC').trim();
    if (caseRef === '')
      errors.push({ row, field: 'caseRef', code: 'MISSING_VALUE', message: '案件编号不能为空' });
    else if (caseRef.length > CASE_REF_MAX)
      errors.push({
        row,
        field: 'caseRef',
        code: 'TOO_LONG',
        message: `案件编号不能超过${CASE_REF_MAX}个字符`,
      });
    if (name === '') errors.push({ row, field: 'name', code: 'MISSING_VALUE', message: '姓名不能为空' });
    else if (name.length > NAME_MAX || /^\d+$/.test(name))
      errors.push({
        row,
        field: 'name',
        code: 'INVALID_NAME',
        message: `姓名「${name.slice(0, 20)}」不是有效的姓名`,
      });
    const id = raw.idNumber.trim() === '' ? null : parseIdNumber(raw.idNumber, { today });
    if (id === null)
      errors.push({ row, field: 'idNumber', code: 'MISSING_VALUE', message: '身份证号不能为空' });
    else if (!id.ok)
      errors.push({
        row,
        field: 'idNumber',
        code: 'INVALID_ID_NUMBER',
        message: `身份证号有误：${id.message}`,
      });
    if (!id?.ok) return;
    const key = `${caseRef}\u0000${id.id18}`;
    const first = seen.get(key);
    if (first !== undefined)
      errors.push({
        row,
        field: 'idNumber',
        code: 'DUPLICATE_PERSON',
        message: `与第${first}行是同一案件的同一人（${maskIdNumber(id.id18)}）`,
      });
    else seen.set(key, row);
    persons.push({ seq: row, caseRef, idNumber: id.id18, name });
  });
  if (input.length === 0)
    errors.push({ row: 0, field: 'idNumber', code: 'MISSING_VALUE', message: '请至少填写一名待核查人员' });
  if (input.length > MAX_EXCHANGE_PERSONS)
    errors.push({
      row: 0,
      field: 'idNumber',
      code: 'TOO_LONG',
      message: `一次最多导出${MAX_EXCHANGE_PERSONS}人，请分批导出`,
    });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, persons };
}

/** The canonical text of a persons list: what the fingerprint binds. */
export function canonicalPersons(persons: readonly ExchangePerson[]): string {
  return JSON.stringify(persons.map((p) => [p.seq, p.caseRef, p.idNumber, p.name]));
}

/** `LX-20251126-000012`: the export date (Asia/Shanghai) and the exchange's number. */
export function exchangeReference(date: string, id: number): string {
  return `LX-${date.replaceAll('-', '')}-${String(id).padStart(6, '0')}`;
}

// ---------------------------------------------------------------- the reply sheet

export const REPLY_SHEET = '待核查人员及结果';
export const SEQ_HEADER = '序号';
export const CASE_REF_HEADER = '案件编号';
export const BIRTH_DATE_HEADER = '出生日期';

const SEQ_COLUMN: ColumnDef = {
  header: SEQ_HEADER,
  key: 'exchangeSeq',
  type: 'text',
  required: true,
  description: '导出时的人员序号，不要修改；同一人有多条记录时，复制该人的行并保留相同序号',
  example: '1',
};
const CASE_REF_COLUMN: ColumnDef = {
  header: CASE_REF_HEADER,
  key: 'exchangeCaseRef',
  type: 'text',
  required: false,
  description: '导出时的案件编号，不要修改',
  example: 'HD-2025-000123',
};
const BIRTH_DATE_COLUMN: ColumnDef = {
  header: BIRTH_DATE_HEADER,
  key: 'birthDate',
  type: 'date',
  required: false,
  description: '出生日期；查到的记录没有身份证号时必须填写（与姓名一起用于比对）',
  example: '1985-03-15',
};

/**
 * The columns of the reply sheet, in order: 序号, 案件编号, 身份证号, 姓名, 出生日期 (unless the dataset has its
 * own), then the dataset's other columns exactly as the catalog has them. 身份证号 may be empty (a record found
 * without one), so it is optional here; such a row needs 姓名 and 出生日期.
 */
export function replyDataset(dataset: DatasetDef): DatasetDef {
  const own = dataset.columns.filter((c) => c.key !== 'idNumber' && c.key !== 'name');
  const id = dataset.columns.find((c) => c.key === 'idNumber');
  const name = dataset.columns.find((c) => c.key === 'name');
  const identity = [
    ...(id ? [{ ...id, required: false }] : []),
    ...(name ? [name] : []),
    ...(own.some((c) => c.key === 'birthDate') ? [] : [BIRTH_DATE_COLUMN]),
  ];
  return { ...dataset, columns: [SEQ_COLUMN, CASE_REF_COLUMN, ...identity, ...own] };
}

/** Columns that only say who the row is about: a person row with nothing else filled in found nothing. */
const IDENTITY_KEYS: ReadonlySet<string> = new Set([
  SEQ_COLUMN.key,
  CASE_REF_COLUMN.key,
  'idNumber',
  'name',
  'birthDate',
]);

export const REPLY_ERROR_CODES = [
  'UNKNOWN_PERSON',
  'PERSON_MISMATCH',
  'CASE_REF_MISMATCH',
  'MISSING_BIRTH_DATE',
] as const;
export type ReplyErrorCode = (typeof REPLY_ERROR_CODES)[number];

export interface ReplyRowError extends Omit<RowError, 'code'> {
  code: RowError['code'] | ReplyErrorCode;
}

export const REPLY_FILE_ERROR_CODES = [
  'NOT_AN_EXCHANGE_REPLY',
  'EXCHANGE_MISMATCH',
  'FINGERPRINT_MISMATCH',
  'WRONG_DATASET',
] as const;
export type ReplyFileErrorCode = (typeof REPLY_FILE_ERROR_CODES)[number];

export interface ReplyFileError {
  code: FileError['code'] | ReplyFileErrorCode;
  message: string;
}

/** One finding the department reported: parsed values by catalog key (plus `birthDate` for rows without ID). */
export interface ReplyFinding {
  rowNumber: number;
  person: ExchangePerson;
  /** True when the row carries the person's ID number; false for a record found by name and birth date. */
  withId: boolean;
  values: Record<string, CellValue>;
}

export interface ReplyCheck {
  errors: ReplyRowError[];
  fileErrors: ReplyFileError[];
  findings: ReplyFinding[];
  rowsRead: number;
}

/** What a returned workbook says about itself: which export it answers. */
export interface ReplyBinding {
  reference: string;
  fingerprint: string;
  dataset: string | null;
}

/**
 * Checks that a returned file answers this export (its binding), then every row: each 序号 is a person of the
 * export, the row's ID number and case reference are that person's, a row without an ID has a name and a birth
 * date, and every dataset column follows the catalog rules. A person row left with only its identity filled in
 * found nothing and is no finding.
 */
export function checkReply(input: {
  dataset: DatasetDef;
  persons: readonly ExchangePerson[];
  reference: string;
  fingerprint: string;
  binding: ReplyBinding | null;
  headers: readonly string[];
  rows: readonly { rowNumber: number; cells: readonly RawCell[] }[];
  today: string;
}): ReplyCheck {
  const result: ReplyCheck = { errors: [], fileErrors: [], findings: [], rowsRead: 0 };
  const bindingError = checkBinding(input);
  if (bindingError) {
    result.fileErrors.push(bindingError);
    return result;
  }
  const def = replyDataset(input.dataset);
  const headers = checkHeaders(def, [...input.headers]);
  if (headers.errors.length > 0) {
    result.fileErrors.push(...headers.errors);
    return result;
  }
  const bySeq = new Map(input.persons.map((p) => [String(p.seq), p]));
  const filled = (cells: readonly RawCell[], key: string) => {
    const position = headers.columnIndex[def.columns.findIndex((c) => c.key === key)];
    const raw = position === undefined ? null : (cells[position] ?? null);
    return isBlankCell(raw) ? null : raw;
  };
  for (const { rowNumber, cells } of input.rows) {
    if (isBlankRow(cells)) continue;
    result.rowsRead += 1;
    const seqRaw = filled(cells, SEQ_COLUMN.key);
    const seq = seqRaw === null ? null : seqText(seqRaw);
    const person = seq === null ? undefined : bySeq.get(seq);
    if (!person) {
      result.errors.push({
        row: rowNumber,
        column: SEQ_HEADER,
        code: seqRaw === null ? 'MISSING_VALUE' : 'UNKNOWN_PERSON',
        message:
          seqRaw === null
            ? '「序号」不能为空：每一行须填写所查人员在导出名单中的序号'
            : `「序号」${String(seqRaw).slice(0, 20)} 不是本次导出名单中的序号（1–${input.persons.length}）`,
      });
      continue;
    }
    const hasFindings = def.columns.some((c) => !IDENTITY_KEYS.has(c.key) && filled(cells, c.key) !== null);
    const idRaw = filled(cells, 'idNumber');
    if (!hasFindings && idRaw !== null) {
      // A person row left as exported: nothing found. It must still be that person's row.
      const identity = identityOnly(def, headers.columnIndex, rowNumber, cells, input.today);
      result.errors.push(...identityErrors(rowNumber, person, identity.values, identity.errors));
      continue;
    }
    const check = validateRow(def, headers.columnIndex, rowNumber, cells, {
      today: input.today,
      period: null,
    });
    const errors = identityErrors(rowNumber, person, check.values, check.errors);
    if (idRaw === null && filled(cells, 'birthDate') === null)
      errors.push({
        row: rowNumber,
        column: BIRTH_DATE_HEADER,
        code: 'MISSING_BIRTH_DATE',
        message: '未填身份证号的记录须填写「出生日期」，以便按姓名和出生日期比对',
      });
    if (errors.length > 0) {
      result.errors.push(...errors);
      continue;
    }
    if (!hasFindings) continue;
    const ownBirthDate = input.dataset.columns.some((c) => c.key === 'birthDate');
    result.findings.push({
      rowNumber,
      person,
      withId: idRaw !== null,
      values: findingValues(check.values, idRaw !== null && !ownBirthDate),
    });
  }
  return result;
}

function checkBinding(input: {
  dataset: DatasetDef;
  reference: string;
  fingerprint: string;
  binding: ReplyBinding | null;
}): ReplyFileError | null {
  const { binding } = input;
  if (!binding)
    return {
      code: 'NOT_AN_EXCHANGE_REPLY',
      message:
        '文件中没有离线交换的绑定信息：请在平台导出的模板上填写后原样上传，不要另存为新文件或复制到新表格',
    };
  if (binding.reference !== input.reference)
    return {
      code: 'EXCHANGE_MISMATCH',
      message: `该文件答复的是交换「${binding.reference.slice(0, 40)}」，不是本交换「${input.reference}」`,
    };
  if (binding.fingerprint !== input.fingerprint)
    return {
      code: 'FINGERPRINT_MISMATCH',
      message: '文件的校验码与导出时不一致：文件的绑定信息被修改过，请使用平台导出的原始模板',
    };
  if (binding.dataset !== null && binding.dataset !== input.dataset.code)
    return {
      code: 'WRONG_DATASET',
      message: `文件的数据集为「${binding.dataset.slice(0, 40)}」，本交换为「${input.dataset.code}」`,
    };
  return null;
}

/** 序号 as typed: `3`, `3.0` (a number cell) or ` 3 `. */
function seqText(raw: RawCell): string | null {
  const parsed = parseCell(SEQ_COLUMN, raw, { today: '2000-01-01' });
  if (typeof raw === 'number') return Number.isInteger(raw) ? String(raw) : null;
  if (!parsed.ok || typeof parsed.value !== 'string') return null;
  const text = parsed.value.replace(/\.0+$/, '');
  return /^\d+$/.test(text) ? String(Number(text)) : null;
}

/** The identity columns of a row only (a row without findings is not held to the dataset's required columns). */
function identityOnly(
  def: DatasetDef,
  columnIndex: readonly (number | undefined)[],
  rowNumber: number,
  cells: readonly RawCell[],
  today: string,
): { values: Record<string, CellValue>; errors: RowError[] } {
  const keep = def.columns.map((c) => IDENTITY_KEYS.has(c.key));
  const identity = { ...def, columns: def.columns.filter((_, i) => keep[i]) };
  const index = columnIndex.filter((_, i) => keep[i]);
  return validateRow(identity, index, rowNumber, cells, { today, period: null });
}

/** The row's own errors, and those of a 案件编号 or 身份证号 that is not the exported person's. */
function identityErrors(
  rowNumber: number,
  person: ExchangePerson,
  values: Record<string, CellValue>,
  rowErrors: readonly RowError[],
): ReplyRowError[] {
  const errors: ReplyRowError[] = [...rowErrors];
  const caseRef = values[CASE_REF_COLUMN.key];
  if (typeof caseRef === 'string' && caseRef !== person.caseRef)
    errors.push({
      row: rowNumber,
      column: CASE_REF_HEADER,
      code: 'CASE_REF_MISMATCH',
      message: `「案件编号」${caseRef.slice(0, 64)} 与序号 ${person.seq} 导出的案件编号 ${person.caseRef} 不一致，请勿修改`,
    });
  const id = values.idNumber;
  if (typeof id === 'string' && id !== person.idNumber)
    errors.push({
      row: rowNumber,
      column: '身份证号',
      code: 'PERSON_MISMATCH',
      message: `「身份证号」与序号 ${person.seq} 导出的人员（${maskIdNumber(person.idNumber)}）不一致：同一序号只能填写该人的记录；未查到身份证号的记录请将身份证号留空并填写姓名、出生日期`,
    });
  return errors;
}

/**
 * The catalog values of a finding: the reply's bookkeeping columns are not stored, nor the 出生日期 of a row
 * with an ID number when the dataset has no such column (the ID carries it).
 */
function findingValues(values: Record<string, CellValue>, dropBirthDate: boolean): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === SEQ_COLUMN.key || key === CASE_REF_COLUMN.key) continue;
    if (key === 'birthDate' && dropBirthDate) continue;
    out[key] = value;
  }
  return out;
}

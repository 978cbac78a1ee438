import { parseIdNumber } from '../identity/id-number.ts';
import { shanghaiDateOf } from '../shared/clock.ts';
import { assertNever } from '../shared/errors.ts';
import { rowErrorMessage } from './messages.ts';
import type { CellValue, ColumnDef, RawCell, RowErrorCode } from './types.ts';

/** Column types (CATALOG.md "Column types"): one raw cell in, one stored value or one error out. */

export interface CellContext {
  /** `YYYY-MM-DD` in Asia/Shanghai: the upper bound for dates and ID birth dates. */
  today: string;
}

export type CellResult = { ok: true; value: CellValue } | { ok: false; code: RowErrorCode; message: string };

type PresentCell = Exclude<RawCell, null>;

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
const MAX_TEXT_LENGTH = 200;
const MAX_NAME_LENGTH = 50;
const EARLIEST_YEAR = 1880;
/** 9999-12-31, the last day Excel can show. */
const LAST_EXCEL_SERIAL = 2958465;
const DAY_MS = 86_400_000;

export function isBlankCell(raw: RawCell): boolean {
  return raw === null || (typeof raw === 'string' && raw.replace(INVISIBLE, '').trim() === '');
}

export function parseCell(column: ColumnDef, raw: RawCell, ctx: CellContext): CellResult {
  if (raw === null || isBlankCell(raw)) {
    if (column.required) return fail(column, 'MISSING_VALUE', raw);
    if (column.emptyMeans === undefined) return ok(null);
    return parseCell({ ...column, required: true, emptyMeans: undefined }, column.emptyMeans, ctx);
  }
  switch (column.type) {
    case 'id_number':
      return parseIdNumberCell(column, raw, ctx);
    case 'name':
      return parseNameCell(column, raw);
    case 'text':
      return parseTextCell(column, raw);
    case 'date':
      return parseDateCell(column, raw, ctx);
    case 'month':
      return parseMonthCell(column, raw);
    case 'amount':
      return parseAmountCell(column, raw);
    case 'area':
      return parseAreaCell(column, raw);
    case 'percent':
      return parsePercentCell(column, raw);
    case 'enum':
      return parseEnumCell(column, raw);
    case 'bool':
      return parseBoolCell(column, raw);
    case 'credit_code':
      return parseCreditCodeCell(column, raw);
    default:
      return assertNever(column.type);
  }
}

function ok(value: CellValue): CellResult {
  return { ok: true, value };
}

function fail(column: ColumnDef, code: RowErrorCode, raw: RawCell, detail?: string): CellResult {
  return { ok: false, code, message: rowErrorMessage(code, column.header, raw, detail) };
}

/** A non-text cell as the text a person would see; Excel dates are calendar days. */
function textOf(raw: PresentCell): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'boolean') return raw ? 'TRUE' : 'FALSE';
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? '' : shanghaiDateOf(raw);
  return String(raw);
}

const NUMBER_CELL_DETAIL =
  '该单元格是数字格式，表格软件会把长数字截断或转成科学计数法（如3.30106E+17），后几位已经丢失；请把该列设为文本格式后重新录入';

function parseIdNumberCell(column: ColumnDef, raw: PresentCell, ctx: CellContext): CellResult {
  if (typeof raw !== 'string') {
    return fail(column, 'INVALID_ID_NUMBER', raw, typeof raw === 'number' ? NUMBER_CELL_DETAIL : undefined);
  }
  const result = parseIdNumber(raw, { today: ctx.today });
  return result.ok ? ok(result.id18) : fail(column, 'INVALID_ID_NUMBER', raw, result.message);
}

function parseNameCell(column: ColumnDef, raw: PresentCell): CellResult {
  if (typeof raw === 'boolean' || raw instanceof Date) return fail(column, 'INVALID_NAME', raw);
  const name = textOf(raw).normalize('NFKC').replace(INVISIBLE, '').trim().replace(/\s+/g, ' ');
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) {
    return fail(column, 'INVALID_NAME', raw, `最长${MAX_NAME_LENGTH}个字符，实际为${length}个`);
  }
  if (length === 0) return fail(column, 'INVALID_NAME', raw);
  if (/^[\d ]+$/.test(name)) return fail(column, 'INVALID_NAME', raw, '姓名不能全是数字');
  return ok(name);
}

/**
 * Files the platform writes (error reports, exports) prefix text starting with = + - @ with an
 * apostrophe against formula injection; a department re-uploading such a file gets its text back intact.
 */
export function stripFormulaGuard(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

function parseTextCell(column: ColumnDef, raw: PresentCell): CellResult {
  const text = stripFormulaGuard(textOf(raw).trim());
  const length = [...text].length;
  if (length > MAX_TEXT_LENGTH) return fail(column, 'TOO_LONG', raw, `实际为${length}个字符`);
  return ok(text);
}

// ---------------------------------------------------------------- dates and months

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= daysInMonth;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < EARLIEST_YEAR || !isCalendarDate(year, month, day)) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Excel's day numbers count from 1900-01-01 = 1 and keep Lotus 1-2-3's phantom 1900-02-29 (= 60), so days
 * from 61 on are counted from 1899-12-30. A time of day (the fraction) is dropped.
 */
export function excelSerialToDate(serial: number): string | undefined {
  if (!Number.isFinite(serial)) return undefined;
  const day = Math.floor(serial);
  if (day < 1 || day > LAST_EXCEL_SERIAL || day === 60) return undefined;
  const epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return new Date(epoch + day * DAY_MS).toISOString().slice(0, 10);
}

const DATE_PATTERNS: readonly RegExp[] = [
  /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/,
  /^(\d{4})()(\d{2})(\d{2})$/,
  /^(\d{4})(年)(\d{1,2})月(\d{1,2})日$/,
];

function dateFromText(text: string): string | undefined {
  const compact = text.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, '');
  for (const pattern of DATE_PATTERNS) {
    const match = pattern.exec(compact);
    if (match) return isoDate(Number(match[1]), Number(match[3]), Number(match[4]));
  }
  return undefined;
}

/**
 * A number cell in a date column is either a date typed as digits (20250630) or an Excel day number
 * (45838) from a reader that does not convert date cells; real Excel day numbers never have 8 digits.
 */
function dateFromNumber(value: number): string | undefined {
  if (Number.isInteger(value) && value >= 10_000_000 && value <= 99_999_999)
    return dateFromText(String(value));
  const iso = excelSerialToDate(value);
  return iso && Number(iso.slice(0, 4)) >= EARLIEST_YEAR ? iso : undefined;
}

/**
 * A Date from a reader as a calendar day in 1880–9999 (found by fuzzing: a Date of year 61338 came out as
 * `61338-10-29`, which is no `YYYY-MM-DD` and compares wrongly as text).
 */
function dateOfInstant(instant: Date): string | undefined {
  const iso = shanghaiDateOf(instant);
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && Number(iso.slice(0, 4)) >= EARLIEST_YEAR ? iso : undefined;
}

/**
 * A date cell is a calendar day. Readers deliver it as UTC midnight (exceljs) or as midnight in Asia/Shanghai;
 * both fall on the same day in Shanghai.
 */
function dateOf(raw: PresentCell): string | undefined {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : dateOfInstant(raw);
  if (typeof raw === 'number') return dateFromNumber(raw);
  if (typeof raw === 'string') return dateFromText(raw);
  return undefined;
}

function parseDateCell(column: ColumnDef, raw: PresentCell, ctx: CellContext): CellResult {
  const date = dateOf(raw);
  if (date === undefined) return fail(column, 'INVALID_DATE', raw);
  if (!column.allowFuture && date > ctx.today) return fail(column, 'FUTURE_DATE', raw, `今天是${ctx.today}`);
  return ok(date);
}

const MONTH_PATTERNS: readonly RegExp[] = [
  /^(\d{4})[-/.](\d{1,2})$/,
  /^(\d{4})(\d{2})$/,
  /^(\d{4})年(\d{1,2})月$/,
];

function monthFromText(text: string): string | undefined {
  const compact = text.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, '');
  for (const pattern of MONTH_PATTERNS) {
    const match = pattern.exec(compact);
    if (match) return isoDate(Number(match[1]), Number(match[2]), 1)?.slice(0, 7);
  }
  // A date cell saved to CSV by Excel arrives as a whole date, e.g. 2025/6/1.
  return dateFromText(compact)?.slice(0, 7);
}

function monthOf(raw: PresentCell): string | undefined {
  if (typeof raw === 'string') return monthFromText(raw);
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 100_000 && raw <= 999_999) {
    return monthFromText(String(raw));
  }
  if (typeof raw === 'boolean') return undefined;
  return dateOf(raw)?.slice(0, 7);
}

function parseMonthCell(column: ColumnDef, raw: PresentCell): CellResult {
  const month = monthOf(raw);
  return month === undefined ? fail(column, 'INVALID_MONTH', raw) : ok(month);
}

// ---------------------------------------------------------------- decimal quantities

type Hundredths =
  | { ok: true; negative: boolean; hundredths: number }
  | { ok: false; reason: 'format' | 'decimals' | 'too_large' };

const DECIMAL_DETAILS = {
  format: undefined,
  decimals: '最多保留两位小数',
  too_large: '数值过大',
} as const;

/**
 * Decimal text to an integer number of hundredths by string arithmetic, never through a float: `1,234.50` →
 * 123450. Thousands separators must group by three; digits beyond the second decimal must be zeros.
 */
export function decimalTextToHundredths(text: string): Hundredths {
  let rest = text;
  let negative = false;
  if (/^[-−]/.test(rest)) {
    negative = true;
    rest = rest.slice(1);
  }
  if (rest.includes(',')) {
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(rest)) return { ok: false, reason: 'format' };
    rest = rest.replaceAll(',', '');
  }
  const match = /^(\d+)(?:\.(\d*))?$/.exec(rest) ?? /^()\.(\d+)$/.exec(rest);
  if (!match) return { ok: false, reason: 'format' };
  const units = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (/[1-9]/.test(fraction.slice(2))) return { ok: false, reason: 'decimals' };
  const digits = `${units}${fraction.slice(0, 2).padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return { ok: false, reason: 'too_large' };
  const hundredths = Number(digits);
  return { ok: true, negative: negative && hundredths !== 0, hundredths };
}

/**
 * A number cell from XLSX is a binary float: 1234.5 is exact in its shortest decimal form, but a sum such as
 * 0.1 + 0.2 arrives as 0.30000000000000004. Such a value is taken as its two-decimal neighbour only when it lies
 * within 1e-9 of it; anything further off really has more than two decimals.
 */
export function numberToHundredths(value: number): Hundredths {
  if (!Number.isFinite(value)) return { ok: false, reason: 'format' };
  const negative = value < 0;
  const magnitude = Math.abs(value);
  const shortest = String(magnitude);
  if (/^\d+(\.\d+)?$/.test(shortest)) {
    const exact = decimalTextToHundredths(shortest);
    if (exact.ok) return { ...exact, negative: negative && exact.hundredths !== 0 };
    if (exact.reason === 'too_large') return exact;
  }
  const rounded = Math.round(magnitude * 100);
  if (!Number.isSafeInteger(rounded) || rounded >= 1e15) return { ok: false, reason: 'too_large' };
  if (Math.abs(magnitude - rounded / 100) > 1e-9) return { ok: false, reason: 'decimals' };
  return { ok: true, negative: negative && rounded !== 0, hundredths: rounded };
}

function hundredthsOf(raw: PresentCell, strip: (text: string) => string): Hundredths {
  if (typeof raw === 'number') return numberToHundredths(raw);
  if (typeof raw !== 'string') return { ok: false, reason: 'format' };
  return decimalTextToHundredths(strip(raw.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, '')));
}

/** `¥1234.5`, `-¥1234.5`, `¥-1234.5`, `1234.5元` (NFKC has already turned ￥ into ¥). */
function stripCurrency(text: string): string {
  const sign = /^[-−]/.test(text) ? '-' : '';
  const withoutYuan = text.replace(/^[-−]/, '').replace(/^¥/, '').replace(/元$/, '');
  return `${sign}${withoutYuan}`;
}

function parseAmountCell(column: ColumnDef, raw: PresentCell): CellResult {
  const parsed = hundredthsOf(raw, stripCurrency);
  if (!parsed.ok) return fail(column, 'INVALID_AMOUNT', raw, DECIMAL_DETAILS[parsed.reason]);
  if (parsed.negative) return fail(column, 'NEGATIVE_AMOUNT', raw);
  return ok(parsed.hundredths);
}

/** `85.5平方米`, `85.5平米`, `85.5㎡` (NFKC: `m2`) are square metres too. */
function stripAreaUnit(text: string): string {
  return text.replace(/(平方米|平米|m2)$/i, '');
}

function parseAreaCell(column: ColumnDef, raw: PresentCell): CellResult {
  const parsed = hundredthsOf(raw, stripAreaUnit);
  if (!parsed.ok) return fail(column, 'INVALID_NUMBER', raw, DECIMAL_DETAILS[parsed.reason]);
  if (parsed.negative || parsed.hundredths === 0) return fail(column, 'INVALID_NUMBER', raw, '面积必须大于0');
  return ok(parsed.hundredths);
}

function parsePercentCell(column: ColumnDef, raw: PresentCell): CellResult {
  const parsed = hundredthsOf(raw, (text) => text.replace(/%$/, ''));
  if (!parsed.ok) return fail(column, 'INVALID_PERCENT', raw, DECIMAL_DETAILS[parsed.reason]);
  if (parsed.negative || parsed.hundredths > 10_000) {
    return fail(column, 'INVALID_PERCENT', raw, '必须在0至100之间');
  }
  return ok(parsed.hundredths);
}

// ---------------------------------------------------------------- choices and codes

function parseEnumCell(column: ColumnDef, raw: PresentCell): CellResult {
  const values = column.values ?? [];
  const text = textOf(raw).trim();
  if (values.includes(text)) return ok(text);
  return fail(column, 'INVALID_ENUM', raw, `应为${values.join('、')}之一`);
}

const TRUE_WORDS = new Set(['是', 'y', '1', 'true']);
const FALSE_WORDS = new Set(['否', 'n', '0', 'false']);

function parseBoolCell(column: ColumnDef, raw: PresentCell): CellResult {
  if (typeof raw === 'boolean') return ok(raw);
  const word = textOf(raw).normalize('NFKC').trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  return fail(column, 'INVALID_BOOL', raw);
}

/** GB 32100-2015: the alphabet leaves out I, O, Z, S and V. */
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character for the first 17 characters of a unified social credit code, or undefined. */
export function creditCodeCheckChar(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (const [index, weight] of CREDIT_CODE_WEIGHTS.entries()) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17.charAt(index));
    if (value < 0) return undefined;
    sum += value * weight;
  }
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

function creditCodeError(code: string): string | undefined {
  if ([...code].length !== 18) return `应为18位，实际为${[...code].length}位`;
  const bad = [...code].find((character) => !CREDIT_CODE_ALPHABET.includes(character));
  if (bad !== undefined) return `含有不允许的字符「${bad}」（不使用I、O、Z、S、V）`;
  if (creditCodeCheckChar(code.slice(0, 17)) !== code.charAt(17)) return '校验码不正确，请核对是否录错';
  return undefined;
}

export function isValidCreditCode(code: string): boolean {
  return creditCodeError(code) === undefined;
}

function parseCreditCodeCell(column: ColumnDef, raw: PresentCell): CellResult {
  if (typeof raw !== 'string') {
    return fail(column, 'INVALID_CREDIT_CODE', raw, typeof raw === 'number' ? NUMBER_CELL_DETAIL : undefined);
  }
  const code = raw.normalize('NFKC').replace(INVISIBLE, '').trim().toUpperCase();
  const error = creditCodeError(code);
  return error === undefined ? ok(code) : fail(column, 'INVALID_CREDIT_CODE', raw, error);
}

import { addMonths, isDate, isMonth } from '../assessment/window.ts';
import type { RawCell } from '../catalog/types.ts';
import { parseIdNumber } from '../identity/id-number.ts';
import { ASSISTANCE_TYPE_LABELS, ASSISTANCE_TYPES, type AssistanceType } from '../policy/assistance-types.ts';
import { lastDayOfMonth } from '../shared/clock.ts';

/**
 * The recipient roster (救助对象名册, issue #6): one row per member, grouped into families by the family key
 * the requester gives. The whole roster is checked before anything is stored (all or nothing), and every
 * problem is reported with its row and column in Chinese, so the clerk can fix the spreadsheet in one pass.
 */

export const ROSTER_FIELDS = [
  'familyKey',
  'regionCode',
  'assistanceType',
  'startDate',
  'monthlyAmount',
  'name',
  'idNumber',
  'relation',
  'authorizationSm3',
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/** The template's headers; a column is also recognised by its field name (the JSON push uses those). */
export const ROSTER_HEADERS: Readonly<Record<RosterField, string>> = {
  familyKey: '家庭编号',
  regionCode: '乡镇（街道）代码',
  assistanceType: '救助类型',
  startDate: '救助起始日期',
  monthlyAmount: '月救助金额（元）',
  name: '姓名',
  idNumber: '身份证号',
  relation: '与申请人关系',
  authorizationSm3: '授权书SM3指纹',
};

const OPTIONAL_FIELDS: ReadonlySet<RosterField> = new Set(['authorizationSm3']);
/** Required on every row. */
const MEMBER_FIELDS: readonly RosterField[] = ['familyKey', 'name', 'idNumber', 'relation'];
/** Required on the applicant's row; on other rows they may be left empty. */
const FAMILY_FIELDS: readonly RosterField[] = ['regionCode', 'assistanceType', 'startDate', 'monthlyAmount'];

/** Relations that mark the family's applicant (the row whose family-level values are the family's). */
export const APPLICANT_RELATIONS: ReadonlySet<string> = new Set(['本人', '申请人', '户主']);

export const MAX_ROSTER_ROWS = 200_000;
export const MAX_FAMILY_MEMBERS = 30;

export const ROSTER_PROBLEM_CODES = [
  'INVALID_MONTH',
  'MISSING_COLUMN',
  'EMPTY_ROSTER',
  'TOO_MANY_ROWS',
  'MISSING_VALUE',
  'INVALID_FAMILY_KEY',
  'INVALID_ID_NUMBER',
  'DUPLICATE_MEMBER',
  'MEMBER_IN_TWO_FAMILIES',
  'MISSING_APPLICANT',
  'TWO_APPLICANTS',
  'TOO_MANY_MEMBERS',
  'INVALID_AMOUNT',
  'INVALID_DATE',
  'START_AFTER_MONTH',
  'UNKNOWN_ASSISTANCE_TYPE',
  'UNKNOWN_REGION',
  'FAMILY_VALUES_DIFFER',
  'INVALID_NAME',
  'INVALID_FINGERPRINT',
  /** The named authorization is not filed with an accepted case of this requester (checked at import). */
  'UNKNOWN_AUTHORIZATION',
] as const;
export type RosterProblemCode = (typeof ROSTER_PROBLEM_CODES)[number];

export interface RosterProblem {
  /** The row as the spreadsheet shows it (header = 1); 0 for a problem with the roster as a whole. */
  row: number;
  /** The column's header text, or '' for the whole row or roster. */
  column: string;
  code: RosterProblemCode;
  message: string;
}

export interface RosterMember {
  /** Normalised 18-digit ID number. */
  idNumber: string;
  name: string;
  relation: string;
}

export interface RosterFamily {
  familyKey: string;
  /** Township (乡镇/街道) code, nine digits. */
  regionCode: string;
  assistanceType: AssistanceType;
  startDate: string;
  monthlyAmountFen: number;
  /** Applicant first, then the others in row order. */
  members: RosterMember[];
  /** SM3 of an authorization attachment already filed, when the requester names one. */
  authorizationSm3: string | null;
  /** The first row of the family in the input. */
  row: number;
}

export interface RosterRowInput {
  rowNumber: number;
  cells: Partial<Record<RosterField, RawCell>>;
}

export interface RosterContext {
  /** `YYYY-MM`: the month the roster stands for. */
  month: string;
  /** Today in Shanghai (ID numbers' birth dates are checked against it). */
  today: string;
  /** Whether a code is a township in the requester's region. */
  isRegionInScope: (code: string) => boolean;
}

export type RosterParseResult =
  | { ok: true; families: RosterFamily[]; memberCount: number }
  | { ok: false; problems: RosterProblem[] };

const ASSISTANCE_BY_TEXT: ReadonlyMap<string, AssistanceType> = new Map([
  ...ASSISTANCE_TYPES.map((t) => [t, t] as const),
  ...ASSISTANCE_TYPES.map((t) => [ASSISTANCE_TYPE_LABELS[t], t] as const),
  ['低保', 'subsistence_allowance'],
  ['城乡低保', 'subsistence_allowance'],
  ['特困', 'extreme_poverty'],
  ['特困供养', 'extreme_poverty'],
]);

/** Which field each header names: the template's Chinese header or the field name itself. */
export function mapRosterHeaders(headers: readonly string[]): {
  columns: Map<number, RosterField>;
  missing: RosterField[];
} {
  const byText = new Map<string, RosterField>();
  for (const field of ROSTER_FIELDS) {
    byText.set(ROSTER_HEADERS[field], field);
    byText.set(field.toLowerCase(), field);
  }
  const columns = new Map<number, RosterField>();
  headers.forEach((header, index) => {
    const key = header.normalize('NFKC').replace(/\s/g, '');
    const field = byText.get(key) ?? byText.get(key.toLowerCase()) ?? byText.get(header.trim());
    if (field !== undefined && ![...columns.values()].includes(field)) columns.set(index, field);
  });
  const present = new Set(columns.values());
  return { columns, missing: ROSTER_FIELDS.filter((f) => !OPTIONAL_FIELDS.has(f) && !present.has(f)) };
}

function cellText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell)
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .trim();
}

/** 元 → fen, exactly: at most two decimals, no floats on the way (`650.5` → 65 050). */
export function parseYuan(cell: RawCell | undefined): number | null {
  let text: string;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return null;
    text = String(cell);
  } else
    text = cellText(cell)
      .replace(/^[¥￥]/, '')
      .replace(/元$/, '')
      .replace(/,/g, '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** A calendar date from a text cell (`2025-01-05`, `2025/1/5`, `2025年1月5日`) or an XLSX date cell. */
export function parseRosterDate(cell: RawCell | undefined): string | null {
  if (cell instanceof Date) {
    // XLSX dates carry the displayed wall-clock value in their UTC fields.
    if (Number.isNaN(cell.getTime())) return null;
    return cell.toISOString().slice(0, 10);
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(cellText(cell));
  if (!m) return null;
  const date = `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
  return isDate(date) ? date : null;
}

interface MemberRow {
  row: number;
  familyKey: string;
  regionCode: string;
  assistanceType: AssistanceType | null;
  startDate: string | null;
  amountFen: number | null;
  idNumber: string | null;
  name: string;
  relation: string;
  authorizationSm3: string | null;
  /** The family fields left empty on this row. */
  empty: RosterField[];
}

class Problems {
  readonly list: RosterProblem[] = [];
  add(row: number, field: RosterField | '', code: RosterProblemCode, message: string): void {
    this.list.push({ row, column: field === '' ? '' : ROSTER_HEADERS[field], code, message });
  }
}

function readRow(input: RosterRowInput, context: RosterContext, problems: Problems): MemberRow {
  const row = input.rowNumber;
  const text = (field: RosterField) => cellText(input.cells[field]);
  // Family values are required on the applicant's row only (checked with the family).
  for (const field of MEMBER_FIELDS) {
    if (text(field) === '')
      problems.add(row, field, 'MISSING_VALUE', `第 ${row} 行未填写「${ROSTER_HEADERS[field]}」`);
  }
  const familyKey = text('familyKey');
  if (familyKey !== '' && !/^[\p{L}\p{N}_\-/()（）]{1,64}$/u.test(familyKey))
    problems.add(
      row,
      'familyKey',
      'INVALID_FAMILY_KEY',
      `第 ${row} 行家庭编号「${familyKey.slice(0, 64)}」无效：只能包含文字、数字、连字符、下划线、斜杠和括号，不超过 64 个字符`,
    );

  const regionCode = text('regionCode');
  if (regionCode !== '' && !context.isRegionInScope(regionCode))
    problems.add(
      row,
      'regionCode',
      'UNKNOWN_REGION',
      `第 ${row} 行乡镇（街道）代码「${regionCode.slice(0, 20)}」不是本单位辖区内的乡镇（街道）`,
    );

  const typeText = text('assistanceType');
  const assistanceType = ASSISTANCE_BY_TEXT.get(typeText) ?? null;
  if (typeText !== '' && assistanceType === null)
    problems.add(
      row,
      'assistanceType',
      'UNKNOWN_ASSISTANCE_TYPE',
      `第 ${row} 行救助类型「${typeText.slice(0, 20)}」无效，应为：${ASSISTANCE_TYPES.map((t) => ASSISTANCE_TYPE_LABELS[t]).join('、')}`,
    );

  let startDate: string | null = null;
  if (text('startDate') !== '') {
    startDate = parseRosterDate(input.cells.startDate);
    if (startDate === null)
      problems.add(
        row,
        'startDate',
        'INVALID_DATE',
        `第 ${row} 行救助起始日期「${text('startDate').slice(0, 20)}」不是有效日期，应为 YYYY-MM-DD`,
      );
    else if (startDate > lastDayOfMonth(context.month))
      problems.add(
        row,
        'startDate',
        'START_AFTER_MONTH',
        `第 ${row} 行救助起始日期 ${startDate} 晚于名册月份 ${context.month}`,
      );
  }

  let amountFen: number | null = null;
  if (text('monthlyAmount') !== '') {
    amountFen = parseYuan(input.cells.monthlyAmount);
    if (amountFen === null)
      problems.add(
        row,
        'monthlyAmount',
        'INVALID_AMOUNT',
        `第 ${row} 行月救助金额「${text('monthlyAmount').slice(0, 20)}」无效：应为不小于 0 的金额（元），最多两位小数`,
      );
  }

  const name = text('name');
  if (name.length > 64 || /[\d<>]/.test(name))
    problems.add(row, 'name', 'INVALID_NAME', `第 ${row} 行姓名无效：不能含数字或尖括号，且不超过 64 个字符`);

  let idNumber: string | null = null;
  if (text('idNumber') !== '') {
    const id = parseIdNumber(text('idNumber'), { today: context.today });
    if (id.ok) idNumber = id.id18;
    else problems.add(row, 'idNumber', 'INVALID_ID_NUMBER', `第 ${row} 行身份证号无效：${id.message}`);
  }

  const sm3 = text('authorizationSm3').toLowerCase();
  if (sm3 !== '' && !/^[0-9a-f]{64}$/.test(sm3))
    problems.add(
      row,
      'authorizationSm3',
      'INVALID_FINGERPRINT',
      `第 ${row} 行授权书SM3指纹应为 64 位十六进制字符（可留空）`,
    );

  return {
    row,
    familyKey,
    regionCode,
    assistanceType,
    startDate,
    amountFen,
    idNumber,
    name,
    relation: text('relation'),
    authorizationSm3: sm3 === '' ? null : sm3,
    empty: FAMILY_FIELDS.filter((field) => text(field) === ''),
  };
}

const FAMILY_VALUES: readonly { field: RosterField; key: keyof MemberRow }[] = [
  { field: 'regionCode', key: 'regionCode' },
  { field: 'assistanceType', key: 'assistanceType' },
  { field: 'startDate', key: 'startDate' },
  { field: 'monthlyAmount', key: 'amountFen' },
  { field: 'authorizationSm3', key: 'authorizationSm3' },
];

function buildFamily(familyKey: string, rows: MemberRow[], problems: Problems): RosterFamily | null {
  const first = rows[0] as MemberRow;
  const applicants = rows.filter((r) => APPLICANT_RELATIONS.has(r.relation));
  if (applicants.length === 0) {
    problems.add(
      first.row,
      'relation',
      'MISSING_APPLICANT',
      `家庭「${familyKey}」（第 ${rows.map((r) => r.row).join('、')} 行）没有与申请人关系为「本人」的成员`,
    );
    return null;
  }
  if (applicants.length > 1)
    problems.add(
      (applicants[1] as MemberRow).row,
      'relation',
      'TWO_APPLICANTS',
      `家庭「${familyKey}」有 ${applicants.length} 名「本人」（第 ${applicants.map((r) => r.row).join('、')} 行），只能有一名申请人`,
    );
  if (rows.length > MAX_FAMILY_MEMBERS)
    problems.add(
      first.row,
      'familyKey',
      'TOO_MANY_MEMBERS',
      `家庭「${familyKey}」有 ${rows.length} 名成员，超过 ${MAX_FAMILY_MEMBERS} 人`,
    );
  const applicant = applicants[0] as MemberRow;
  for (const field of applicant.empty)
    problems.add(
      applicant.row,
      field,
      'MISSING_VALUE',
      `第 ${applicant.row} 行（家庭「${familyKey}」的申请人）未填写「${ROSTER_HEADERS[field]}」`,
    );
  // Family-level values may be filled on every row of the family, but must then agree with the applicant's row.
  for (const { field, key } of FAMILY_VALUES) {
    // An applicant value missing or invalid is already reported; comparing with it would only add noise.
    if (applicant[key] === null || applicant[key] === '') continue;
    for (const r of rows) {
      if (r === applicant || r[key] === null || r[key] === '') continue;
      if (r[key] !== applicant[key])
        problems.add(
          r.row,
          field,
          'FAMILY_VALUES_DIFFER',
          `第 ${r.row} 行的「${ROSTER_HEADERS[field]}」与同一家庭申请人所在第 ${applicant.row} 行不一致`,
        );
    }
  }
  if (
    applicant.assistanceType === null ||
    applicant.startDate === null ||
    applicant.amountFen === null ||
    applicant.regionCode === '' ||
    rows.some((r) => r.idNumber === null)
  )
    return null;
  const ordered = [applicant, ...rows.filter((r) => r !== applicant)];
  return {
    familyKey,
    regionCode: applicant.regionCode,
    assistanceType: applicant.assistanceType,
    startDate: applicant.startDate,
    monthlyAmountFen: applicant.amountFen,
    members: ordered.map((r) => ({ idNumber: r.idNumber as string, name: r.name, relation: r.relation })),
    authorizationSm3: applicant.authorizationSm3,
    row: first.row,
  };
}

function checkMembersOnce(rows: readonly MemberRow[], problems: Problems): void {
  const seen = new Map<string, MemberRow>();
  for (const r of rows) {
    if (r.idNumber === null) continue;
    const earlier = seen.get(r.idNumber);
    if (earlier === undefined) {
      seen.set(r.idNumber, r);
      continue;
    }
    if (earlier.familyKey === r.familyKey)
      problems.add(
        r.row,
        'idNumber',
        'DUPLICATE_MEMBER',
        `第 ${r.row} 行与第 ${earlier.row} 行是同一人（身份证号相同），同一家庭中重复列出`,
      );
    else
      problems.add(
        r.row,
        'idNumber',
        'MEMBER_IN_TWO_FAMILIES',
        `第 ${r.row} 行的成员已在第 ${earlier.row} 行列为家庭「${earlier.familyKey}」的成员，一人只能属于一个家庭`,
      );
  }
}

/**
 * Checks a roster and groups its rows into families. `headers` (when the input is a spreadsheet) are checked
 * for the required columns first; rows are the mapped cells.
 */
export function parseRoster(
  rows: readonly RosterRowInput[],
  context: RosterContext,
  missingColumns: readonly RosterField[] = [],
): RosterParseResult {
  const problems = new Problems();
  if (!isMonth(context.month)) {
    problems.add(0, '', 'INVALID_MONTH', `名册月份「${context.month.slice(0, 20)}」无效，应为 YYYY-MM`);
    return { ok: false, problems: problems.list };
  }
  if (missingColumns.length > 0) {
    for (const field of missingColumns)
      problems.add(1, field, 'MISSING_COLUMN', `表头缺少「${ROSTER_HEADERS[field]}」列`);
    return { ok: false, problems: problems.list };
  }
  if (rows.length === 0) {
    problems.add(0, '', 'EMPTY_ROSTER', '名册中没有任何成员');
    return { ok: false, problems: problems.list };
  }
  if (rows.length > MAX_ROSTER_ROWS) {
    problems.add(0, '', 'TOO_MANY_ROWS', `名册超过 ${MAX_ROSTER_ROWS} 行，请按乡镇拆分后分别上传`);
    return { ok: false, problems: problems.list };
  }
  const read = rows.map((r) => readRow(r, context, problems));
  checkMembersOnce(read, problems);
  const byFamily = new Map<string, MemberRow[]>();
  for (const r of read) {
    if (r.familyKey === '') continue;
    const list = byFamily.get(r.familyKey);
    if (list) list.push(r);
    else byFamily.set(r.familyKey, [r]);
  }
  const families: RosterFamily[] = [];
  for (const [familyKey, members] of byFamily) {
    const family = buildFamily(familyKey, members, problems);
    if (family) families.push(family);
  }
  if (problems.list.length > 0) {
    problems.list.sort((a, b) => a.row - b.row);
    return { ok: false, problems: problems.list };
  }
  return { ok: true, families, memberCount: read.length };
}

export interface RosterDiffFamily {
  familyKey: string;
  regionCode: string;
  assistanceType: string;
  monthlyAmountFen: number;
  memberCount: number;
}

export interface RosterDiff {
  added: RosterDiffFamily[];
  removed: RosterDiffFamily[];
  amountChanged: { familyKey: string; fromFen: number; toFen: number }[];
  unchanged: number;
}

/** Families added, removed and with a changed monthly amount between two months, by family key. */
export function diffRosters(
  previous: readonly RosterDiffFamily[],
  current: readonly RosterDiffFamily[],
): RosterDiff {
  const before = new Map(previous.map((f) => [f.familyKey, f]));
  const after = new Map(current.map((f) => [f.familyKey, f]));
  const diff: RosterDiff = { added: [], removed: [], amountChanged: [], unchanged: 0 };
  for (const f of current) {
    const old = before.get(f.familyKey);
    if (old === undefined) diff.added.push(f);
    else if (old.monthlyAmountFen !== f.monthlyAmountFen)
      diff.amountChanged.push({
        familyKey: f.familyKey,
        fromFen: old.monthlyAmountFen,
        toFen: f.monthlyAmountFen,
      });
    else diff.unchanged += 1;
  }
  for (const f of previous) if (!after.has(f.familyKey)) diff.removed.push(f);
  return diff;
}

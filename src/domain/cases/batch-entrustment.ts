import type { RequestProblem } from '../assessment/household-request.ts';
import { DECLARABLE_INCOME, type DeclarableIncome, EXCLUSIONS, type Exclusion } from '../assessment/types.ts';
import { isBlankCell, parseCell, stripFormulaGuard } from '../catalog/cells.ts';
import type { ColumnDef, RawCell } from '../catalog/types.ts';
import { parseIdNumber } from '../identity/id-number.ts';
import { ASSISTANCE_TYPE_LABELS, ASSISTANCE_TYPES, type AssistanceType } from '../policy/assistance-types.ts';

/**
 * Batch entrustment (issue #5): requester staff hand in the month's intake as one spreadsheet, one row per
 * household member, rows of one family sharing a 家庭序号. Each family becomes exactly the request a single
 * submission sends (`POST /api/cases`), so it is validated by the same rules; this file only reads the sheet
 * into those requests and names every problem by its sheet row, with a stable code.
 */

export const BATCH_DATA_SHEET = '委托名单';
export const BATCH_NOTE_SHEET = '填写说明';
/** A month's intake of a township is a few hundred families; beyond this the file is refused as a whole. */
export const MAX_BATCH_ROWS = 3000;
/** Problems listed at most; a file with more is wrong throughout and the first ones tell why. */
export const MAX_BATCH_PROBLEMS = 1000;

export const BATCH_PROBLEM_CODES = [
  'NOT_A_WORKBOOK',
  'ZIP_UNREADABLE',
  'ZIP_TOO_MANY_FILES',
  'ZIP_NO_WORKBOOK',
  'ZIP_SEVERAL_WORKBOOKS',
  'MISSING_COLUMN',
  'UNKNOWN_COLUMN',
  'DUPLICATE_COLUMN',
  'NO_ROWS',
  'TOO_MANY_ROWS',
  'TOO_MANY_PROBLEMS',
  'MISSING_VALUE',
  'INVALID_FIELD',
  'INVALID_ID_NUMBER',
  'DUPLICATE_MEMBER',
  'MEMBER_IN_TWO_FAMILIES',
  'MISSING_APPLICANT',
  'SEVERAL_APPLICANTS',
  'APPLICANT_NAME_MISMATCH',
  'UNKNOWN_ASSISTANCE_TYPE',
  'CONFLICTING_FAMILY_VALUE',
  'ATTACHMENT_MISSING',
  'ATTACHMENT_WRONG_TYPE',
  'ATTACHMENT_TOO_LARGE',
  'AUTHORIZATION_REPEATED',
  'AUTHORIZATION_ON_FILE',
] as const;
export type BatchProblemCode = (typeof BATCH_PROBLEM_CODES)[number];

/** One problem: the sheet row (header = 1; null for the file as a whole) and column it lies in. */
export interface BatchProblem {
  row: number | null;
  column: string | null;
  code: BatchProblemCode;
  message: string;
}

type Level = 'family' | 'member';

export interface BatchColumn {
  key: string;
  header: string;
  level: Level;
  required: boolean;
  description: string;
  example: string;
}

const INCOME_HEADERS: Readonly<Record<DeclarableIncome, string>> = {
  wages: '申报工资性收入（元）',
  business: '申报经营净收入（元）',
  property: '申报财产净收入（元）',
  transferNet: '申报转移净收入（元）',
  other: '申报其他收入（元）',
};

/** The reasons a member is not counted as co-residing, as the form's drop-down shows them. */
export const EXCLUSION_LABELS: Readonly<Record<Exclusion, string>> = {
  prison: '服刑',
  compulsory_rehabilitation: '强制隔离戒毒',
  missing: '宣告失踪',
  religious_apart: '宗教教职人员离家3年以上',
  conscript: '服义务兵役',
};

/** The relation that marks the applicant (申请人本人): the case's applicant and its first member. */
export const APPLICANT_RELATION = '本人';

export const BATCH_COLUMNS: readonly BatchColumn[] = [
  {
    key: 'family',
    header: '家庭序号',
    level: 'family',
    required: true,
    description:
      '同一家庭的各成员填写相同的序号（如 1、2、3），每个家庭成为一件核对委托；同一家庭的行不必相邻',
    example: '1',
  },
  {
    key: 'assistanceType',
    header: '救助类型',
    level: 'family',
    required: true,
    description: `从下拉列表选择：${ASSISTANCE_TYPES.map((t) => ASSISTANCE_TYPE_LABELS[t]).join('、')}；同一家庭只需在一行填写，各行填写的须一致`,
    example: '最低生活保障',
  },
  {
    key: 'applicantName',
    header: '户主/申请人姓名',
    level: 'family',
    required: false,
    description: `可留空；填写时须与该家庭“与申请人关系”为“${APPLICANT_RELATION}”的成员姓名一致`,
    example: '张三',
  },
  {
    key: 'name',
    header: '成员姓名',
    level: 'member',
    required: true,
    description: '家庭成员的姓名（含申请人本人）',
    example: '张三',
  },
  {
    key: 'idNumber',
    header: '公民身份号码',
    level: 'member',
    required: true,
    description: '18 位公民身份号码（15 位旧号码也可），请保持文本格式，不要让表格显示为科学计数法',
    example: '621002198001010011',
  },
  {
    key: 'relation',
    header: '与申请人关系',
    level: 'member',
    required: true,
    description: `如 ${APPLICANT_RELATION}、配偶、子、女、父、母、孙子女、兄弟姐妹、其他；每个家庭须有且仅有一名“${APPLICANT_RELATION}”`,
    example: APPLICANT_RELATION,
  },
  {
    key: 'coResiding',
    header: '是否共同生活',
    level: 'member',
    required: false,
    description: '是 / 否；留空视为“是”',
    example: '是',
  },
  {
    key: 'exclusion',
    header: '排除原因/不计入说明',
    level: 'member',
    required: false,
    description: `不计入共同生活家庭成员的原因，可留空；填写时从下拉列表选择：${EXCLUSIONS.map((e) => EXCLUSION_LABELS[e]).join('、')}`,
    example: '',
  },
  ...DECLARABLE_INCOME.map(
    (category): BatchColumn => ({
      key: `income.${category}`,
      header: INCOME_HEADERS[category],
      level: 'member',
      required: false,
      description: '该成员在核对回溯期内申报的收入合计，以元为单位，最多两位小数；未申报的留空',
      example: category === 'wages' ? '12000.00' : '',
    }),
  ),
  {
    key: 'assets.deposits',
    header: '申报存款及金融资产（元）',
    level: 'family',
    required: false,
    description: '家庭申报的存款及金融资产合计，以元为单位；同一家庭只需在一行填写',
    example: '5000.00',
  },
  {
    key: 'assets.vehicles',
    header: '申报车辆船舶（辆）',
    level: 'family',
    required: false,
    description: '家庭申报的车辆船舶数量（整数）；同一家庭只需在一行填写',
    example: '0',
  },
  {
    key: 'assets.realEstate',
    header: '申报不动产（处）',
    level: 'family',
    required: false,
    description: '家庭申报的不动产数量（整数）；同一家庭只需在一行填写',
    example: '1',
  },
  {
    key: 'assets.marketEntities',
    header: '申报市场主体（户）',
    level: 'family',
    required: false,
    description: '家庭成员名下的市场主体数量（整数）；同一家庭只需在一行填写',
    example: '',
  },
  {
    key: 'authorizationFile',
    header: '授权书文件',
    level: 'member',
    required: false,
    description:
      '该成员签署的授权书扫描件在 ZIP 压缩包中的文件名（PDF、JPEG 或 PNG，10 MB 以内）；一事一授权，已用于其他案件的授权书不能再用。可留空，受理前在案件页补交',
    example: '张三授权书.pdf',
  },
  {
    key: 'idDocumentFile',
    header: '身份证件文件',
    level: 'member',
    required: false,
    description: '该成员身份证件扫描件在 ZIP 压缩包中的文件名，可留空',
    example: '',
  },
  {
    key: 'pledgeFile',
    header: '诚信承诺书文件',
    level: 'family',
    required: false,
    description: '家庭诚信承诺书扫描件在 ZIP 压缩包中的文件名，同一家庭只需在一行填写，可留空',
    example: '',
  },
];

const COLUMN_BY_KEY = new Map(BATCH_COLUMNS.map((c) => [c.key, c]));

function headerOf(key: string): string {
  return COLUMN_BY_KEY.get(key)?.header ?? key;
}

// ---------------------------------------------------------------- the families read from the sheet

/** One member as `POST /api/cases` takes it. */
export interface BatchMemberInput {
  idNumber: string;
  name: string;
  relation: string;
  coResiding: boolean;
  exclusion: Exclusion | null;
  declaredIncome?: Partial<Record<DeclarableIncome, number>>;
}

export interface BatchDeclaredAssets {
  depositsFen?: number;
  vehicles?: { count: number };
  realEstate?: { count: number };
  marketEntities?: { count: number };
}

export interface BatchFileRef {
  /** The file name as written in the cell. */
  name: string;
  row: number;
  column: string;
}

export interface BatchFamily {
  /** The 家庭序号 as written. */
  key: string;
  firstRow: number;
  /** Exactly the body of `POST /api/cases`; the applicant (本人) is the first member. */
  input: {
    assistanceType: AssistanceType;
    members: BatchMemberInput[];
    declaredAssets?: BatchDeclaredAssets;
  };
  /** The sheet row of each member, in the order of `input.members`. */
  memberRows: number[];
  authorizations: (BatchFileRef | null)[];
  idDocuments: (BatchFileRef | null)[];
  pledge: BatchFileRef | null;
}

export interface BatchSheetRow {
  rowNumber: number;
  cells: RawCell[];
}

export interface ParsedBatchSheet {
  families: BatchFamily[];
  problems: BatchProblem[];
  /** Data rows read. */
  rows: number;
  /** Files named by rows of families that could not be assembled: still checked, so every problem is listed. */
  unplacedFiles: { ref: BatchFileRef; kind: 'authorization' | 'id_document' | 'pledge' }[];
}

/** Column index by key, or the header problems (missing required, unknown, duplicate columns). */
export function mapBatchHeaders(
  headers: readonly string[],
): { ok: true; index: Map<string, number> } | { ok: false; problems: BatchProblem[] } {
  const byHeader = new Map(BATCH_COLUMNS.map((c) => [c.header, c]));
  const index = new Map<string, number>();
  const problems: BatchProblem[] = [];
  headers.forEach((raw, position) => {
    const header = stripFormulaGuard(raw.replace(/[\s\u200b-\u200d\u2060\ufeff]/g, '').normalize('NFKC'));
    if (header === '') return;
    const column = byHeader.get(header) ?? byHeader.get(denormalise(header));
    if (!column) {
      problems.push({
        row: 1,
        column: raw,
        code: 'UNKNOWN_COLUMN',
        message: `表头中的“${raw}”不是模板中的列；请使用下载的批量委托模板`,
      });
      return;
    }
    if (index.has(column.key)) {
      problems.push({
        row: 1,
        column: column.header,
        code: 'DUPLICATE_COLUMN',
        message: `表头中“${column.header}”出现了不止一次`,
      });
      return;
    }
    index.set(column.key, position);
  });
  for (const column of BATCH_COLUMNS)
    if (column.required && !index.has(column.key))
      problems.push({
        row: 1,
        column: column.header,
        code: 'MISSING_COLUMN',
        message: `缺少必填列“${column.header}”`,
      });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, index };
}

/** NFKC turns the template's full-width brackets into ASCII ones; map them back for the comparison. */
function denormalise(header: string): string {
  return header.replaceAll('(', '（').replaceAll(')', '）');
}

const TEXT: ColumnDef = { header: '', key: '', type: 'text', required: false, description: '', example: '' };

function cellText(raw: RawCell): string {
  const parsed = parseCell(TEXT, raw, { today: '2000-01-01' });
  return parsed.ok && typeof parsed.value === 'string' ? parsed.value : '';
}

interface RowReading {
  row: number;
  family: string;
  familyValues: Map<string, { value: unknown; row: number }>;
  member: BatchMemberInput;
  /** The row has problems of its own: its family is reported but not checked as a request. */
  broken: boolean;
  authorization: BatchFileRef | null;
  idDocument: BatchFileRef | null;
}

/**
 * Reads the data rows into families and lists every problem the sheet shows by itself. The household rules of
 * a single submission (what a member must carry) are checked afterwards, on each family's request, by the same
 * function that checks `POST /api/cases` (see {@link householdProblemsOf}).
 */
export function parseBatchSheet(
  index: ReadonlyMap<string, number>,
  rows: readonly BatchSheetRow[],
  today: string,
): ParsedBatchSheet {
  const problems: BatchProblem[] = [];
  const readings: RowReading[] = [];
  for (const row of rows) {
    const reading = readRow(index, row, today, problems);
    if (reading) readings.push(reading);
  }
  if (rows.length === 0)
    problems.push({
      row: null,
      column: null,
      code: 'NO_ROWS',
      message: '表格中没有任何成员行（数据从第 2 行开始）',
    });

  const grouped = new Map<string, RowReading[]>();
  for (const reading of readings) {
    const list = grouped.get(reading.family) ?? [];
    list.push(reading);
    grouped.set(reading.family, list);
  }
  const families: BatchFamily[] = [];
  const unplacedFiles: ParsedBatchSheet['unplacedFiles'] = [];
  const familyOfId = new Map<string, { family: string; row: number }>();
  for (const [key, members] of grouped) {
    const family = assembleFamily(key, members, problems);
    for (const reading of members) {
      const id18 = reading.member.idNumber;
      if (id18 === '') continue;
      const seen = familyOfId.get(id18);
      if (seen === undefined) familyOfId.set(id18, { family: key, row: reading.row });
      else if (seen.family !== key)
        problems.push({
          row: reading.row,
          column: headerOf('idNumber'),
          code: 'MEMBER_IN_TWO_FAMILIES',
          message: `该成员已在第 ${seen.row} 行列入家庭“${seen.family}”，同一人不能同时属于本批的两个家庭`,
        });
    }
    if (family) families.push(family);
    else
      for (const reading of members) {
        if (reading.authorization) unplacedFiles.push({ ref: reading.authorization, kind: 'authorization' });
        if (reading.idDocument) unplacedFiles.push({ ref: reading.idDocument, kind: 'id_document' });
        const pledge = reading.familyValues.get('pledgeFile');
        if (pledge)
          unplacedFiles.push({
            ref: { name: pledge.value as string, row: pledge.row, column: headerOf('pledgeFile') },
            kind: 'pledge',
          });
      }
  }
  return { families, problems: sortProblems(problems), rows: rows.length, unplacedFiles };
}

function readRow(
  index: ReadonlyMap<string, number>,
  { rowNumber, cells }: BatchSheetRow,
  today: string,
  problems: BatchProblem[],
): RowReading | null {
  const raw = (key: string): RawCell => {
    const at = index.get(key);
    return at === undefined ? null : (cells[at] ?? null);
  };
  const problem = (key: string, code: BatchProblemCode, message: string) =>
    problems.push({ row: rowNumber, column: headerOf(key), code, message });
  const required = (key: string): string | null => {
    const text = cellText(raw(key));
    if (text === '') {
      problem(key, 'MISSING_VALUE', `“${headerOf(key)}”为必填项，不能为空`);
      return null;
    }
    return text;
  };
  const before = problems.length;
  const family = required('family');
  const name = required('name');
  const relation = required('relation');

  const idRaw = raw('idNumber');
  let idNumber = '';
  if (isBlankCell(idRaw)) problem('idNumber', 'MISSING_VALUE', `“${headerOf('idNumber')}”为必填项，不能为空`);
  else if (typeof idRaw !== 'string')
    problem(
      'idNumber',
      'INVALID_ID_NUMBER',
      '公民身份号码被表格存成了数字，后几位可能已经丢失；请把该列设为文本格式后重新录入',
    );
  else {
    const id = parseIdNumber(idRaw, { today });
    if (id.ok) idNumber = id.id18;
    else problem('idNumber', 'INVALID_ID_NUMBER', `公民身份号码“${idRaw.trim()}”无效：${id.message}`);
  }

  const coResidingRaw = raw('coResiding');
  let coResiding = true;
  if (!isBlankCell(coResidingRaw)) {
    const parsed = parseCell({ ...TEXT, header: headerOf('coResiding'), type: 'bool' }, coResidingRaw, {
      today,
    });
    if (parsed.ok) coResiding = parsed.value === true;
    else problem('coResiding', 'INVALID_FIELD', `“${headerOf('coResiding')}”应填写“是”或“否”`);
  }

  const exclusionText = cellText(raw('exclusion'));
  let exclusion: Exclusion | null = null;
  if (exclusionText !== '') {
    const found = EXCLUSIONS.find((e) => e === exclusionText || EXCLUSION_LABELS[e] === exclusionText);
    if (found) exclusion = found;
    else
      problem(
        'exclusion',
        'INVALID_FIELD',
        `不计入共同生活的原因“${exclusionText}”无效，应为${EXCLUSIONS.map((e) => EXCLUSION_LABELS[e]).join('、')}之一`,
      );
  }

  const declaredIncome: Partial<Record<DeclarableIncome, number>> = {};
  for (const category of DECLARABLE_INCOME) {
    const fen = amount(`income.${category}`, raw(`income.${category}`), today, problem);
    if (fen !== undefined) declaredIncome[category] = fen;
  }

  const familyValues = new Map<string, { value: unknown; row: number }>();
  const typeText = cellText(raw('assistanceType'));
  if (typeText !== '') {
    const type = ASSISTANCE_TYPES.find((t) => t === typeText || ASSISTANCE_TYPE_LABELS[t] === typeText);
    if (type) familyValues.set('assistanceType', { value: type, row: rowNumber });
    else
      problem(
        'assistanceType',
        'UNKNOWN_ASSISTANCE_TYPE',
        `救助类型“${typeText}”无效，应为${ASSISTANCE_TYPES.map((t) => ASSISTANCE_TYPE_LABELS[t]).join('、')}之一`,
      );
  }
  const applicantName = cellText(raw('applicantName'));
  if (applicantName !== '') familyValues.set('applicantName', { value: applicantName, row: rowNumber });
  const deposits = amount('assets.deposits', raw('assets.deposits'), today, problem);
  if (deposits !== undefined) familyValues.set('assets.deposits', { value: deposits, row: rowNumber });
  for (const kind of ['vehicles', 'realEstate', 'marketEntities'] as const) {
    const count = itemCount(`assets.${kind}`, raw(`assets.${kind}`), problem);
    if (count !== undefined) familyValues.set(`assets.${kind}`, { value: count, row: rowNumber });
  }
  const pledge = cellText(raw('pledgeFile'));
  if (pledge !== '') familyValues.set('pledgeFile', { value: pledge, row: rowNumber });

  const fileRef = (key: string): BatchFileRef | null => {
    const text = cellText(raw(key));
    return text === '' ? null : { name: text, row: rowNumber, column: headerOf(key) };
  };
  if (family === null) return null;
  return {
    row: rowNumber,
    family,
    broken: problems.length > before,
    familyValues,
    member: {
      idNumber,
      name: name ?? '',
      relation: relation ?? '',
      coResiding,
      exclusion,
      ...(Object.keys(declaredIncome).length > 0 ? { declaredIncome } : {}),
    },
    authorization: fileRef('authorizationFile'),
    idDocument: fileRef('idDocumentFile'),
  };
}

function amount(
  key: string,
  raw: RawCell,
  today: string,
  problem: (key: string, code: BatchProblemCode, message: string) => void,
): number | undefined {
  if (isBlankCell(raw)) return undefined;
  const parsed = parseCell({ ...TEXT, header: headerOf(key), type: 'amount' }, raw, { today });
  if (parsed.ok && typeof parsed.value === 'number') return parsed.value;
  problem(key, 'INVALID_FIELD', parsed.ok ? `“${headerOf(key)}”不是有效的金额` : parsed.message);
  return undefined;
}

function itemCount(
  key: string,
  raw: RawCell,
  problem: (key: string, code: BatchProblemCode, message: string) => void,
): number | undefined {
  if (isBlankCell(raw)) return undefined;
  const text = typeof raw === 'number' ? String(raw) : cellText(raw);
  if (/^\d{1,4}$/.test(text)) return Number(text);
  problem(key, 'INVALID_FIELD', `“${headerOf(key)}”应为不小于 0 的整数`);
  return undefined;
}

/** A family's rows as one request, its applicant first; null (with problems) when it cannot be one. */
function assembleFamily(key: string, rows: RowReading[], problems: BatchProblem[]): BatchFamily | null {
  const firstRow = rows[0]?.row ?? 0;
  const values = new Map<string, { value: unknown; row: number }>();
  let conflicting = false;
  for (const reading of rows)
    for (const [field, entry] of reading.familyValues) {
      const held = values.get(field);
      if (held === undefined) values.set(field, entry);
      else if (held.value !== entry.value) {
        conflicting = true;
        problems.push({
          row: entry.row,
          column: headerOf(field),
          code: 'CONFLICTING_FAMILY_VALUE',
          message: `家庭“${key}”的“${headerOf(field)}”与第 ${held.row} 行填写的不一致；同一家庭只需在一行填写`,
        });
      }
    }
  const type = values.get('assistanceType')?.value as AssistanceType | undefined;
  if (type === undefined)
    problems.push({
      row: firstRow,
      column: headerOf('assistanceType'),
      code: 'MISSING_VALUE',
      message: `家庭“${key}”没有填写救助类型`,
    });

  const applicants = rows.filter((r) => r.member.relation === APPLICANT_RELATION);
  const [applicant] = applicants;
  // A row whose relation is empty is already reported; it may well be the applicant's.
  if (applicant === undefined && rows.every((r) => r.member.relation !== ''))
    problems.push({
      row: firstRow,
      column: headerOf('relation'),
      code: 'MISSING_APPLICANT',
      message: `家庭“${key}”没有申请人：须有一名成员的“与申请人关系”为“${APPLICANT_RELATION}”`,
    });
  for (const extra of applicants.slice(1))
    problems.push({
      row: extra.row,
      column: headerOf('relation'),
      code: 'SEVERAL_APPLICANTS',
      message: `家庭“${key}”已在第 ${applicant?.row} 行有申请人本人，一个家庭只能有一名“${APPLICANT_RELATION}”`,
    });
  const named = values.get('applicantName');
  if (applicant !== undefined && named !== undefined && named.value !== applicant.member.name)
    problems.push({
      row: named.row,
      column: headerOf('applicantName'),
      code: 'APPLICANT_NAME_MISMATCH',
      message: `户主/申请人姓名“${String(named.value)}”与第 ${applicant.row} 行申请人本人的姓名“${applicant.member.name}”不一致`,
    });

  const seen = new Map<string, number>();
  let duplicate = false;
  for (const reading of rows) {
    if (reading.member.idNumber === '') continue;
    const first = seen.get(reading.member.idNumber);
    if (first !== undefined) {
      duplicate = true;
      problems.push({
        row: reading.row,
        column: headerOf('idNumber'),
        code: 'DUPLICATE_MEMBER',
        message: `与第 ${first} 行是同一家庭中的同一个人（公民身份号码相同）`,
      });
    } else seen.set(reading.member.idNumber, reading.row);
  }
  const broken = rows.some((r) => r.broken);
  if (
    type === undefined ||
    applicant === undefined ||
    applicants.length > 1 ||
    duplicate ||
    conflicting ||
    broken
  )
    return null;

  const ordered = [applicant, ...rows.filter((r) => r !== applicant)];
  const assets: BatchDeclaredAssets = {};
  const deposits = values.get('assets.deposits');
  if (deposits !== undefined) assets.depositsFen = deposits.value as number;
  for (const kind of ['vehicles', 'realEstate', 'marketEntities'] as const) {
    const count = values.get(`assets.${kind}`);
    if (count !== undefined) assets[kind] = { count: count.value as number };
  }
  const pledge = values.get('pledgeFile');
  return {
    key,
    firstRow,
    input: {
      assistanceType: type,
      members: ordered.map((r) => r.member),
      ...(Object.keys(assets).length > 0 ? { declaredAssets: assets } : {}),
    },
    memberRows: ordered.map((r) => r.row),
    authorizations: ordered.map((r) => r.authorization),
    idDocuments: ordered.map((r) => r.idDocument),
    pledge:
      pledge === undefined
        ? null
        : { name: pledge.value as string, row: pledge.row, column: headerOf('pledgeFile') },
  };
}

const MEMBER_FIELD_KEYS: Readonly<Record<string, string>> = {
  idNumber: 'idNumber',
  name: 'name',
  relation: 'relation',
  coResiding: 'coResiding',
  exclusion: 'exclusion',
};

/**
 * The problems a single submission would answer for this family's request (paths like `members.1.name`),
 * placed on the sheet: a member's problem on its row and column, the family's on its first row.
 */
export function householdProblemsOf(
  family: BatchFamily,
  problems: readonly RequestProblem[],
): BatchProblem[] {
  return problems.map((p) => {
    const [head, second, field, sub] = p.path.split('.');
    let row = family.firstRow;
    let column: string | null = null;
    if (head === 'members' && second !== undefined && /^\d+$/.test(second)) {
      row = family.memberRows[Number(second)] ?? family.firstRow;
      if (field === 'declaredIncome' && sub !== undefined) column = headerOf(`income.${sub}`);
      else if (field !== undefined) column = headerOf(MEMBER_FIELD_KEYS[field] ?? field);
    } else if (head === 'assistanceType') column = headerOf('assistanceType');
    else if (head === 'declaredAssets' && second !== undefined)
      column = headerOf(`assets.${second === 'depositsFen' ? 'deposits' : second}`);
    const code = (BATCH_PROBLEM_CODES as readonly string[]).includes(p.code)
      ? (p.code as BatchProblemCode)
      : 'INVALID_FIELD';
    return { row, column, code, message: `家庭“${family.key}”：${p.message}` };
  });
}

/** Problems in sheet order: by row, then by the template's column order; file-wide ones first. */
export function sortProblems(problems: readonly BatchProblem[]): BatchProblem[] {
  const order = new Map(BATCH_COLUMNS.map((c, i) => [c.header, i]));
  return [...problems].sort(
    (a, b) =>
      (a.row ?? 0) - (b.row ?? 0) ||
      (a.column === null ? -1 : (order.get(a.column) ?? 99)) -
        (b.column === null ? -1 : (order.get(b.column) ?? 99)),
  );
}

/** The list as returned: at most MAX_BATCH_PROBLEMS, with a last line saying how many were left out. */
export function capProblems(problems: readonly BatchProblem[]): BatchProblem[] {
  if (problems.length <= MAX_BATCH_PROBLEMS) return [...problems];
  return [
    ...problems.slice(0, MAX_BATCH_PROBLEMS),
    {
      row: null,
      column: null,
      code: 'TOO_MANY_PROBLEMS',
      message: `问题过多，只列出了前 ${MAX_BATCH_PROBLEMS} 处（共 ${problems.length} 处）`,
    },
  ];
}

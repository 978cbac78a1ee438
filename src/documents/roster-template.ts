/**
 * The recipient roster template (docs/roster.md): a 名册 sheet, one row per member, with the headers the
 * importer recognises, text format on the ID and code columns, and a 填写说明 sheet with the rules and an example.
 * Every string goes through neutraliseCell.
 */
import type { Buffer } from 'node:buffer';
import ExcelJS from 'exceljs';
import { ASSISTANCE_TYPE_LABELS, ASSISTANCE_TYPES } from '../domain/policy/assistance-types.ts';
import { ROSTER_FIELDS, ROSTER_HEADERS, type RosterField } from '../domain/roster/roster.ts';
import { neutraliseCell } from './safe-cell.ts';
import { safeXlsxBytes } from './safe-workbook.ts';
import { REQUIRED_FILL } from './templates.ts';

export const ROSTER_SHEET = '名册';
export const ROSTER_TEMPLATE_FILE_NAME = '救助对象名册模板.xlsx';

const TEXT_COLUMNS: ReadonlySet<RosterField> = new Set([
  'familyKey',
  'regionCode',
  'idNumber',
  'authorizationSm3',
]);
const OPTIONAL: ReadonlySet<RosterField> = new Set(['authorizationSm3']);

const RULES: readonly string[] = [
  '每个家庭成员一行；同一家庭的各行填写相同的“家庭编号”，每个家庭有且只有一名与申请人关系为“本人”的成员。',
  '乡镇（街道）代码、救助类型、救助起始日期、月救助金额以“本人”所在行为准；其他成员行可留空，填写时须与“本人”行一致。',
  '乡镇（街道）代码为9位数字，须在本单位辖区内。',
  `救助类型填写：${ASSISTANCE_TYPES.map((t) => ASSISTANCE_TYPE_LABELS[t]).join('、')}。`,
  '月救助金额以元为单位，最多两位小数；救助起始日期不能晚于名册月份。',
  '身份证号为18位（旧的15位号码也可）；同一人不能在名册中出现两次，也不能同时属于两个家庭。',
  '授权书SM3指纹可留空：系统会按成员身份证号查找本单位已受理的核对案件，案件中包含全部成员即视为授权在案。',
  '示例：家庭编号 JT-0001，乡镇（街道）代码 621002001，救助类型 最低生活保障，救助起始日期 2025-01-01，月救助金额 650.00，姓名 张三，身份证号 18位号码，与申请人关系 本人；其配偶一行填写相同的家庭编号，与申请人关系 配偶。',
  '整表导入：只要有一处错误，整个名册都不会保存，系统会列出全部错误；同一月份重新上传会替代上一版（旧版保留可查）。',
];

export function buildRosterTemplate(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(ROSTER_SHEET);
  sheet.columns = ROSTER_FIELDS.map((field) => ({
    header: neutraliseCell(ROSTER_HEADERS[field]),
    key: field,
    width: field === 'authorizationSm3' ? 40 : 18,
    style: TEXT_COLUMNS.has(field) ? { numFmt: '@' } : {},
  }));
  ROSTER_FIELDS.forEach((field, index) => {
    const cell = sheet.getRow(1).getCell(index + 1);
    cell.font = { bold: true };
    if (!OPTIONAL.has(field)) cell.fill = REQUIRED_FILL;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];

  const help = workbook.addWorksheet('填写说明');
  help.columns = [{ header: neutraliseCell('填写说明'), key: 'rule', width: 110 }];
  RULES.forEach((rule, index) => {
    help.addRow([neutraliseCell(`${index + 1}. ${rule}`)]);
  });
  return workbook;
}

export async function rosterTemplateBytes(): Promise<Buffer> {
  return safeXlsxBytes(buildRosterTemplate());
}

/**
 * The fixed templates departments download and fill in (CATALOG.md): an XLSX with the data sheet
 * first (the importer reads the first sheet) and a 填写说明 sheet, or a header-only CSV.
 */
import { Buffer } from 'node:buffer';
import ExcelJS from 'exceljs';
import { DEPARTMENTS, isDepartmentCode } from '../domain/catalog/datasets.ts';
import type { ColumnDef, DatasetDef } from '../domain/catalog/types.ts';
import { csvLine, neutraliseCell } from './safe-cell.ts';
import { neutraliseWorkbook } from './safe-workbook.ts';
import {
  choicesFor,
  columnWidth,
  FREQUENCY_LABELS,
  numFmtFor,
  TEXT_FORMAT,
  TYPE_LABELS,
} from './sheet-format.ts';

export type TemplateFormat = 'xlsx' | 'csv';

export const DATA_SHEET = '数据';
export const EXPLANATION_SHEET = '填写说明';
/** Hidden sheet holding drop-down lists too long for an inline list. */
export const CHOICES_SHEET = '选项';

/**
 * Rows below the header that carry text formats and drop-downs. Formats also sit on the columns
 * themselves (Excel applies them to any new cell), but the explicit cells keep the formats for
 * programs that ignore column styles. Drop-downs stop here because exceljs expands a validation
 * range into one entry per cell when it reads a file back, and the importer reads uploads with it.
 */
export const TEMPLATE_ROWS = 10_000;

/** Excel refuses an inline list (`"a,b,c"`) longer than 255 characters. */
const INLINE_LIST_LIMIT = 255;
/** Excel's limits for a data validation's error message and its title. */
const VALIDATION_MESSAGE_LIMIT = 225;
const VALIDATION_TITLE_LIMIT = 32;

export const REQUIRED_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFFFE699' },
};
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

export const FILE_RULES: readonly string[] = [
  '第1行为列名，须与本模板的列名完全一致；各列的先后顺序可以调整，必填列不能缺少，也不能增加其他列。',
  '标黄的列为必填列，每一行都要填写；其他列可以留空。',
  '整批导入：文件中只要有一处错误，整个文件都不会入库，系统会列出全部错误；请改正后重新上传整个文件。',
  '有下拉列表的列请从列表中选择，取值须与“允许值”完全一致。',
  '空行会被跳过；完全相同的重复行只保存一次。',
  '金额以元为单位，最多两位小数，可写作 1234.50、1,234.50、¥1234.5 或 1234.5元。',
  '日期可写作 2025-06-30、2025/6/30、2025.06.30、20250630、2025年6月30日，或使用Excel日期格式；月份可写作 2025-06、2025/6、202506 或 2025年6月。',
  '身份证号为18位（旧的15位号码也可），末位X大小写均可；请保持文本格式，不要让Excel显示为科学计数法。',
  '可上传XLSX文件（只读取第一个工作表“数据”）或CSV文件（UTF-8或GB18030/GBK编码）。',
];

/** `核对数据模板_hukou_户籍人口.xlsx` */
export function templateFileName(dataset: DatasetDef, format: TemplateFormat): string {
  const safe = (part: string) => part.replace(/[\\/:*?"<>|\s]+/g, '_');
  return `核对数据模板_${safe(dataset.code)}_${safe(dataset.name)}.${format}`;
}

/** Header row only, UTF-8 with a BOM so Excel opens the Chinese headers correctly. */
export function csvTemplate(dataset: DatasetDef): string {
  return `\uFEFF${csvLine(dataset.columns.map((c) => c.header))}`;
}

export async function writeXlsxTemplate(
  dataset: DatasetDef,
  out: NodeJS.WritableStream | string,
): Promise<void> {
  const workbook = neutraliseWorkbook(buildTemplateWorkbook(dataset));
  if (typeof out === 'string') {
    await workbook.xlsx.writeFile(out);
    return;
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(buffer, () => resolve());
  });
}

export function buildTemplateWorkbook(dataset: DatasetDef): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '核对';
  const data = workbook.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  writeExplanationSheet(workbook.addWorksheet(EXPLANATION_SHEET), dataset);
  writeDataSheet(data, dataset, hiddenLists(workbook));
  return workbook;
}

function writeDataSheet(
  sheet: ExcelJS.Worksheet,
  dataset: DatasetDef,
  hiddenList: (values: readonly string[]) => string,
) {
  const header = sheet.getRow(1);
  dataset.columns.forEach((column, i) => {
    const col = sheet.getColumn(i + 1);
    const numFmt = numFmtFor(column.type);
    col.width = columnWidth(column, column.header);
    col.numFmt = numFmt;
    for (let r = 2; r <= TEMPLATE_ROWS + 1; r++) sheet.getCell(r, i + 1).numFmt = numFmt;

    const cell = header.getCell(i + 1);
    cell.value = neutraliseCell(column.header);
    cell.numFmt = TEXT_FORMAT;
    cell.font = { bold: true };
    cell.fill = column.required ? REQUIRED_FILL : HEADER_FILL;
    cell.note = `${column.required ? '必填' : '选填'}。${column.description}`;

    const values = choicesFor(column);
    if (!values) return;
    const formula = inlineList(values) ?? hiddenList(values);
    addValidation(
      sheet,
      `${col.letter}2:${col.letter}${TEMPLATE_ROWS + 1}`,
      listValidation(column, values, formula),
    );
  });
}

/** Writes each long list into its own column of the hidden sheet (created on first use); returns its range. */
function hiddenLists(workbook: ExcelJS.Workbook): (values: readonly string[]) => string {
  let sheet: ExcelJS.Worksheet | undefined;
  let column = 0;
  return (values) => {
    if (!sheet) sheet = workbook.addWorksheet(CHOICES_SHEET, { state: 'hidden' });
    const target = sheet;
    column++;
    values.forEach((v, r) => {
      target.getCell(r + 1, column).value = neutraliseCell(v);
    });
    const letter = target.getColumn(column).letter;
    return `'${CHOICES_SHEET}'!$${letter}$1:$${letter}$${Math.max(1, values.length)}`;
  };
}

/** `"男,女"`, or undefined when Excel cannot take the list inline. */
function inlineList(values: readonly string[]): string | undefined {
  const joined = values.map(neutraliseCell).join(',');
  if (joined.length > INLINE_LIST_LIMIT || values.some((v) => /[,"]/.test(v))) return undefined;
  return `"${joined}"`;
}

function listValidation(
  column: ColumnDef,
  values: readonly string[],
  formula: string,
): ExcelJS.DataValidation {
  const message = `请从下拉列表中选择：${values.join('、')}`;
  const title = `${column.header}取值不正确`;
  return {
    type: 'list',
    allowBlank: true,
    formulae: [formula],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: title.length <= VALIDATION_TITLE_LIMIT ? title : '取值不正确',
    error: message.length <= VALIDATION_MESSAGE_LIMIT ? message : '请从下拉列表中选择允许的值。',
  };
}

/** exceljs keeps range validations on the worksheet but leaves them out of its type declarations. */
interface WithValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

function addValidation(sheet: ExcelJS.Worksheet, range: string, validation: ExcelJS.DataValidation) {
  (sheet as unknown as WithValidations).dataValidations.add(range, validation);
}

export const EXPLANATION_HEADERS = ['列名', '类型', '是否必填', '允许值', '说明', '示例'] as const;

function writeExplanationSheet(sheet: ExcelJS.Worksheet, dataset: DatasetDef) {
  const widths = [18, 16, 10, 32, 56, 22];
  widths.forEach((w, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = w;
    col.numFmt = TEXT_FORMAT;
    col.alignment = { vertical: 'top', wrapText: true };
  });
  const lastColumn = sheet.getColumn(widths.length).letter;
  const add = (values: readonly string[]) => sheet.addRow(values.map(neutraliseCell));
  const wide = (row: ExcelJS.Row, text: string, height?: number) => {
    row.getCell(1).value = neutraliseCell(text);
    sheet.mergeCells(`A${row.number}:${lastColumn}${row.number}`);
    if (height) row.height = height;
  };

  const title = sheet.addRow([]);
  wide(title, `${dataset.departmentName} ${dataset.name}（${dataset.code}）数据模板填写说明`, 24);
  title.font = { bold: true, size: 14 };
  const facts: [string, string][] = [
    ['数据集', dataset.name],
    ['数据集代码', dataset.code],
    ['报送部门', departmentsOf(dataset)],
    ['报送频率', FREQUENCY_LABELS[dataset.frequency]],
    ['数据说明', dataset.description],
  ];
  for (const [label, value] of facts) {
    const row = add([label]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).value = neutraliseCell(value);
    sheet.mergeCells(`B${row.number}:${lastColumn}${row.number}`);
  }
  sheet.addRow([]);
  const rulesTitle = add(['文件规则']);
  rulesTitle.font = { bold: true };
  FILE_RULES.forEach((rule, i) => {
    wide(sheet.addRow([]), `${i + 1}. ${rule}`, rule.length > 60 ? 30 : undefined);
  });
  sheet.addRow([]);

  const tableHeader = add(EXPLANATION_HEADERS);
  tableHeader.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
  });
  for (const column of dataset.columns) {
    const row = add([
      column.header,
      TYPE_LABELS[column.type],
      column.required ? '必填' : '选填',
      (choicesFor(column) ?? []).join('、'),
      explain(column),
      column.example,
    ]);
    if (column.required) row.getCell(1).fill = REQUIRED_FILL;
  }
}

/** `民政、卫健` for a dataset several departments deliver on the same template. */
function departmentsOf(dataset: DatasetDef): string {
  const others = (dataset.otherDepartmentCodes ?? []).map((code) =>
    isDepartmentCode(code) ? DEPARTMENTS[code] : code,
  );
  return [dataset.departmentName, ...others].join('、');
}

function explain(column: ColumnDef): string {
  if (!column.emptyMeans || column.description.includes('留空')) return column.description;
  return `${column.description}（留空视为“${column.emptyMeans}”）`;
}

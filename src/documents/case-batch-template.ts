/**
 * The batch entrustment template (issue #5): the data sheet 委托名单 first (the reader takes the first sheet),
 * one row per household member, then the 填写说明 sheet with the rules and every column explained. Every text
 * written passes through neutraliseCell.
 */
import type { Buffer } from 'node:buffer';
import ExcelJS from 'exceljs';
import { EXCLUSIONS } from '../domain/assessment/types.ts';
import {
  BATCH_COLUMNS,
  BATCH_DATA_SHEET,
  BATCH_NOTE_SHEET,
  type BatchColumn,
  EXCLUSION_LABELS,
  MAX_BATCH_ROWS,
} from '../domain/cases/batch-entrustment.ts';
import { ASSISTANCE_TYPE_LABELS, ASSISTANCE_TYPES } from '../domain/policy/assistance-types.ts';
import { neutraliseCell } from './safe-cell.ts';
import { safeXlsxBytes } from './safe-workbook.ts';
import { TEXT_FORMAT } from './sheet-format.ts';
import { REQUIRED_FILL } from './templates.ts';

export const BATCH_TEMPLATE_FILE_NAME = '批量委托模板.xlsx';

/** Rows below the header that carry the text format and drop-downs. */
const PREPARED_ROWS = 1000;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

export const BATCH_RULES: readonly string[] = [
  '每行填写一名家庭成员（含申请人本人）；同一家庭的各成员填写相同的“家庭序号”，每个家庭生成一件核对委托。',
  '每个家庭须有且仅有一名成员的“与申请人关系”为“本人”，即申请人；家庭一级的列（救助类型、户主/申请人姓名、申报资产、诚信承诺书文件）只需在该家庭的一行填写，多行填写时须一致。',
  '标黄的列为必填列；第 1 行的列名不能修改，列的先后顺序可以调整，选填列可以删除。',
  `整批提交：只要有一处问题，整批都不会提交，系统会按行列出全部问题；改正后重新上传整个文件。一次最多 ${MAX_BATCH_ROWS} 行。`,
  '可先选择“只校验不提交”检查文件，没有问题后再正式提交。',
  '只上传表格时，授权书等材料可在各案件页补交；如需同时提交扫描件，请把本表格和扫描件一起打包成一个 ZIP 压缩包上传，并在“授权书文件”等列中填写压缩包内的文件名（可含文件夹路径；文件名在压缩包中唯一时可只写文件名）。',
  '扫描件须为 PDF、JPEG 或 PNG 文件（按文件内容识别），每个不超过 10 MB。一事一授权：每名成员须有本人签署的授权书，已用于其他案件的授权书不能再用。',
  '金额以元为单位，最多两位小数；公民身份号码请保持文本格式。',
  '提交成功后每个家庭成为一件“已提交”的核对委托，与逐件提交完全相同：按县（区）和年度编号，3 个工作日内受理；受理前须每名成员的授权书齐全。',
];

export function buildBatchTemplateWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '核对';
  writeDataSheet(workbook.addWorksheet(BATCH_DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] }));
  writeNoteSheet(workbook.addWorksheet(BATCH_NOTE_SHEET));
  return workbook;
}

export async function batchTemplateXlsx(): Promise<Buffer> {
  return safeXlsxBytes(buildBatchTemplateWorkbook());
}

function choicesOf(column: BatchColumn): readonly string[] | undefined {
  switch (column.key) {
    case 'assistanceType':
      return ASSISTANCE_TYPES.map((t) => ASSISTANCE_TYPE_LABELS[t]);
    case 'coResiding':
      return ['是', '否'];
    case 'exclusion':
      return EXCLUSIONS.map((e) => EXCLUSION_LABELS[e]);
    default:
      return undefined;
  }
}

/** exceljs keeps range validations on the worksheet but leaves them out of its type declarations. */
interface WithValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

function writeDataSheet(sheet: ExcelJS.Worksheet) {
  const header = sheet.getRow(1);
  BATCH_COLUMNS.forEach((column, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = Math.max(12, Math.min(28, [...column.header].length * 2 + 4));
    // Text throughout: an 18-digit ID stays exact, an amount stays as typed.
    col.numFmt = TEXT_FORMAT;
    for (let r = 2; r <= PREPARED_ROWS + 1; r++) sheet.getCell(r, i + 1).numFmt = TEXT_FORMAT;
    const cell = header.getCell(i + 1);
    cell.value = neutraliseCell(column.header);
    cell.font = { bold: true };
    cell.fill = column.required ? REQUIRED_FILL : HEADER_FILL;
    cell.note = neutraliseCell(`${column.required ? '必填' : '选填'}。${column.description}`);
    const values = choicesOf(column);
    if (!values) return;
    (sheet as unknown as WithValidations).dataValidations.add(
      `${col.letter}2:${col.letter}${PREPARED_ROWS + 1}`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`"${values.map(neutraliseCell).join(',')}"`],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: '取值不正确',
        error: '请从下拉列表中选择',
      },
    );
  });
}

function writeNoteSheet(sheet: ExcelJS.Worksheet) {
  const widths = [22, 10, 12, 60, 24];
  widths.forEach((w, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = w;
    col.numFmt = TEXT_FORMAT;
    col.alignment = { vertical: 'top', wrapText: true };
  });
  const add = (values: readonly string[]) => sheet.addRow(values.map(neutraliseCell));
  const wide = (text: string, height?: number) => {
    const row = add([text]);
    sheet.mergeCells(`A${row.number}:E${row.number}`);
    if (height) row.height = height;
    return row;
  };
  const title = wide('居民家庭经济状况核对 批量委托模板填写说明', 24);
  title.font = { bold: true, size: 14 };
  sheet.addRow([]);
  wide('填写规则').font = { bold: true };
  BATCH_RULES.forEach((rule, i) => {
    wide(`${i + 1}. ${rule}`, rule.length > 60 ? 45 : undefined);
  });
  sheet.addRow([]);
  const head = add(['列名', '级别', '是否必填', '说明', '示例']);
  head.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
  });
  for (const column of BATCH_COLUMNS) {
    const row = add([
      column.header,
      column.level === 'family' ? '家庭' : '成员',
      column.required ? '必填' : '选填',
      column.description,
      column.example,
    ]);
    if (column.required) row.getCell(1).fill = REQUIRED_FILL;
  }
}

/**
 * The offline exchange workbook (C§3): the persons a department is asked to check, with the dataset's columns
 * for its findings, bound to its export by the exchange reference and fingerprint; and the reading of that
 * binding from the file the department returns. Rows of a returned file are read by the ordinary table reader.
 */
import { open } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { OfflineExchangeDocumentPort } from '../app/ports.ts';
import type { ColumnDef, DatasetDef } from '../domain/catalog/types.ts';
import {
  BIRTH_DATE_HEADER,
  CASE_REF_HEADER,
  type ExchangePerson,
  REPLY_SHEET,
  type ReplyBinding,
  replyDataset,
  SEQ_HEADER,
} from '../domain/exchange/offline-exchange.ts';
import { readZipDirectory, type ZipEntry } from '../ingest/zip.ts';
import { membersMatchDirectory, zipProblem } from '../ingest/zip-guard.ts';
import { neutraliseCell, restoreNeutralisedCell } from './safe-cell.ts';
import { safeXlsxBytes } from './safe-workbook.ts';
import { choicesFor, columnWidth, numFmtFor, TEXT_FORMAT, TYPE_LABELS } from './sheet-format.ts';
import { REQUIRED_FILL } from './templates.ts';

export const EXCHANGE_EXPLANATION_SHEET = '填写说明';
/** Very hidden: Excel's own menus cannot show it; it only carries the binding. */
export const BINDING_SHEET = '交换绑定';
const CHOICES_SHEET = '选项';
/** Workbook keywords carry the binding a second time, in case a program drops hidden sheets. */
const KEYWORDS_PREFIX = 'hedui-offline-exchange';
/** Formatted rows below the pre-filled ones, for further findings. */
const SPARE_ROWS = 500;
/** A returned exchange is small; the whole workbook is opened to read its binding. */
export const MAX_REPLY_BYTES = 20 * 1024 * 1024;
/**
 * exceljs inflates the whole workbook into memory to read the binding: the reply's members may declare at most
 * this much uncompressed (a filled exchange of a few thousand persons is a few megabytes), checked before.
 */
export const MAX_REPLY_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const PREFILLED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

export interface ExchangeWorkbookInput {
  reference: string;
  fingerprint: string;
  dataset: DatasetDef;
  persons: readonly ExchangePerson[];
  /** `YYYY-MM-DD`. */
  exportDate: string;
  requesterName: string | null;
}

export const EXCHANGE_RULES: readonly string[] = [
  '本表是核对机构发来的离线核对清单，请按“序号”逐人在本部门系统中查询，并把查到的记录填在该人所在的行。',
  '序号、案件编号、身份证号、姓名为导出内容，不要修改、不要删除行、不要调整列名。',
  '同一人查到多条记录时：复制该人的行，插入到下方，保留相同的序号、案件编号、身份证号、姓名，再填写另一条记录。',
  '查到的记录没有身份证号（如只登记了姓名和出生日期）时：新增一行，填写该人的序号和案件编号，身份证号留空，填写记录上的姓名和出生日期。',
  '未查到任何记录的人员：保留该行原样、其余各列留空，即表示“已查询、无记录”。',
  '标黄的列为查到记录时必须填写的列；金额以元为单位，最多两位小数；日期写作 2025-06-30 或使用Excel日期格式。',
  '请在本文件上直接填写并保存为XLSX后交回，不要另存为其他格式或复制到新文件：文件中的绑定信息用于确认它答复的是本次导出。',
  '整表导入：文件中只要有一处错误，整个文件都不会入库，平台会列出全部错误；改正后重新交回整个文件。',
  '本表含个人身份信息，仅限本次核对使用，请妥善保管，不得转作他用（《庆阳市居民家庭经济状况核对实施细则》第二十五条）。',
];

export async function writeExchangeWorkbook(input: ExchangeWorkbookInput): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '核对';
  workbook.title = `离线核对 ${input.reference}`;
  workbook.keywords = `${KEYWORDS_PREFIX};${input.reference};${input.fingerprint};${input.dataset.code}`;
  const data = workbook.addWorksheet(REPLY_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 4 }] });
  const explanation = workbook.addWorksheet(EXCHANGE_EXPLANATION_SHEET);
  writeReplySheet(data, input, longList(workbook));
  writeExplanation(explanation, input);
  const binding = workbook.addWorksheet(BINDING_SHEET, { state: 'veryHidden' });
  binding.getColumn(1).numFmt = TEXT_FORMAT;
  binding.getColumn(2).numFmt = TEXT_FORMAT;
  binding.addRow(['交换编号', neutraliseCell(input.reference)]);
  binding.addRow(['校验码', neutraliseCell(input.fingerprint)]);
  binding.addRow(['数据集', neutraliseCell(input.dataset.code)]);
  return new Uint8Array(await safeXlsxBytes(workbook));
}

function writeReplySheet(
  sheet: ExcelJS.Worksheet,
  input: ExchangeWorkbookInput,
  hiddenList: (values: readonly string[]) => string,
) {
  const columns = replyDataset(input.dataset).columns;
  const lastRow = input.persons.length + SPARE_ROWS + 1;
  columns.forEach((column, i) => {
    const col = sheet.getColumn(i + 1);
    const numFmt = numFmtFor(column.type);
    col.width = columnWidth(column, column.header);
    col.numFmt = numFmt;
    for (let r = 2; r <= lastRow; r++) sheet.getCell(r, i + 1).numFmt = numFmt;
    const cell = sheet.getRow(1).getCell(i + 1);
    cell.value = neutraliseCell(column.header);
    cell.numFmt = TEXT_FORMAT;
    cell.font = { bold: true };
    cell.fill = column.required && !isIdentity(column) ? REQUIRED_FILL : HEADER_FILL;
    cell.note = `${noteOf(column)}${column.description}`;
    const values = choicesFor(column);
    if (values) {
      const joined = values.map(neutraliseCell).join(',');
      const formula =
        joined.length <= 255 && !values.some((v) => /[,"]/.test(v)) ? `"${joined}"` : hiddenList(values);
      (sheet as unknown as WithValidations).dataValidations.add(`${col.letter}2:${col.letter}${lastRow}`, {
        type: 'list',
        allowBlank: true,
        formulae: [formula],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: '取值不正确',
        error: '请从下拉列表中选择允许的值。',
      });
    }
  });
  const at = (header: string) => columns.findIndex((c) => c.header === header) + 1;
  for (const person of input.persons) {
    const row = sheet.getRow(person.seq + 1);
    row.getCell(at(SEQ_HEADER)).value = String(person.seq);
    row.getCell(at(CASE_REF_HEADER)).value = neutraliseCell(person.caseRef);
    row.getCell(at('身份证号')).value = neutraliseCell(person.idNumber);
    row.getCell(at('姓名')).value = neutraliseCell(person.name);
    row.getCell(at(BIRTH_DATE_HEADER)).value = birthDateOf(person.idNumber);
    for (const header of [SEQ_HEADER, CASE_REF_HEADER, '身份证号', '姓名'])
      row.getCell(at(header)).fill = PREFILLED_FILL;
  }
}

function isIdentity(column: ColumnDef): boolean {
  return [SEQ_HEADER, CASE_REF_HEADER, '身份证号', '姓名', BIRTH_DATE_HEADER].includes(column.header);
}

function noteOf(column: ColumnDef): string {
  if (column.header === SEQ_HEADER || column.header === CASE_REF_HEADER) return '导出内容，请勿修改。';
  if (column.header === '身份证号') return '导出内容；没有身份证号的记录留空。';
  if (isIdentity(column)) return '';
  return column.required ? '查到记录时必填。' : '选填。';
}

/** `19850315…` → `1985-03-15`. */
function birthDateOf(id18: string): string {
  return `${id18.slice(6, 10)}-${id18.slice(10, 12)}-${id18.slice(12, 14)}`;
}

/** exceljs keeps range validations on the worksheet but leaves them out of its type declarations. */
interface WithValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

/** Lists too long for an inline drop-down go into a hidden sheet, one column each. */
function longList(workbook: ExcelJS.Workbook): (values: readonly string[]) => string {
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

function writeExplanation(sheet: ExcelJS.Worksheet, input: ExchangeWorkbookInput) {
  [18, 16, 10, 32, 56].forEach((w, i) => {
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
  const { dataset } = input;
  wide(`离线核对清单填写说明（${dataset.departmentName} ${dataset.name}）`, 24).font = {
    bold: true,
    size: 14,
  };
  const facts: [string, string][] = [
    ['交换编号', input.reference],
    ['校验码', input.fingerprint],
    ['数据集', `${dataset.name}（${dataset.code}）`],
    ['查询部门', dataset.departmentName],
    ['导出日期', input.exportDate],
    ['导出单位', input.requesterName ?? ''],
    ['待核查人数', String(input.persons.length)],
  ];
  for (const [label, value] of facts) {
    const row = add([label, value]);
    row.getCell(1).font = { bold: true };
    sheet.mergeCells(`B${row.number}:E${row.number}`);
  }
  add([]);
  add(['填写规则']).font = { bold: true };
  EXCHANGE_RULES.forEach((rule, i) => {
    wide(`${i + 1}. ${rule}`, rule.length > 60 ? 30 : undefined);
  });
  add([]);
  const header = add(['列名', '类型', '是否必填', '允许值', '说明']);
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
  });
  for (const column of replyDataset(dataset).columns) {
    const required = isIdentity(column)
      ? column.header === '身份证号' || column.header === BIRTH_DATE_HEADER
        ? '见说明'
        : '导出内容'
      : column.required
        ? '查到记录时必填'
        : '选填';
    const row = add([
      column.header,
      TYPE_LABELS[column.type],
      required,
      (choicesFor(column) ?? []).join('、'),
      column.description,
    ]);
    if (column.required && !isIdentity(column)) row.getCell(1).fill = REQUIRED_FILL;
  }
}

/**
 * The binding of a returned workbook: the very hidden sheet, or else the workbook keywords. Null when the file
 * carries neither (not an exchange workbook, or copied into a new one).
 */
export async function readExchangeBinding(path: string): Promise<ReplyBinding | null> {
  if (!(await isSmallHonestZip(path))) return null;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch {
    return null;
  }
  const sheet = workbook.getWorksheet(BINDING_SHEET);
  if (sheet) {
    const text = (row: number) => {
      const value = sheet.getCell(row, 2).value;
      return typeof value === 'string'
        ? restoreNeutralisedCell(value.trim())
        : value === null || value === undefined
          ? ''
          : String(value);
    };
    const reference = text(1);
    const fingerprint = text(2);
    if (reference !== '' && fingerprint !== '')
      return { reference, fingerprint, dataset: text(3) === '' ? null : text(3) };
  }
  const parts = (workbook.keywords ?? '').split(';');
  if (parts[0] === KEYWORDS_PREFIX && parts[1] && parts[2])
    return { reference: parts[1], fingerprint: parts[2], dataset: parts[3] || null };
  return null;
}

/**
 * Zip bomb guard before exceljs opens the whole reply: size, member count, declared uncompressed total and ratio
 * from the central directory, then every member inflated (nothing kept) to prove it declares its true size.
 */
async function isSmallHonestZip(path: string): Promise<boolean> {
  let entries: ZipEntry[] | undefined;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_REPLY_BYTES) return false;
    entries = await readZipDirectory(handle, size);
  } finally {
    await handle.close();
  }
  if (!entries) return false;
  if (zipProblem(entries, { maxEntries: 1000, maxTotalBytes: MAX_REPLY_UNCOMPRESSED_BYTES, maxRatio: 200 }))
    return false;
  return membersMatchDirectory(path, entries);
}

/** Exchange workbooks as the use cases see them. */
export function offlineExchangeDocumentPort(): OfflineExchangeDocumentPort {
  return {
    write: writeExchangeWorkbook,
    readBinding: readExchangeBinding,
    fileSizeLimit: MAX_REPLY_BYTES,
  };
}

export function exchangeFileName(reference: string, dataset: DatasetDef): string {
  return `离线核对_${reference}_${dataset.departmentName}_${dataset.name}.xlsx`.replace(
    /[\\/:*?"<>|\s]+/g,
    '_',
  );
}

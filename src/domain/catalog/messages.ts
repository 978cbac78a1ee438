import { shanghaiDateOf } from '../shared/clock.ts';
import type { FileError, FileErrorCode, RawCell, RowErrorCode } from './types.ts';

/**
 * What each row error means, phrased to follow `「列名」的值「…」`. Typed as a full record so that a code added
 * to ROW_ERROR_CODES without a message fails the typecheck.
 */
export const ROW_ERROR_MESSAGES: Readonly<Record<RowErrorCode, string>> = {
  MISSING_VALUE: '为必填项，不能为空',
  INVALID_ID_NUMBER: '不是有效的身份证号码',
  INVALID_NAME: '不是有效的姓名（应为1至50个字符，不能全是数字）',
  TOO_LONG: '超过200个字符',
  INVALID_DATE: '不是有效的日期（可写作2025-06-30、2025/6/30、2025.06.30、20250630或2025年6月30日）',
  FUTURE_DATE: '晚于今天',
  INVALID_MONTH: '不是有效的月份（可写作2025-06、2025/6、202506或2025年6月）',
  PERIOD_OUT_OF_RANGE: '不在本批次的数据期间内',
  INVALID_AMOUNT: '不是有效的金额（以元为单位，最多两位小数，如1234.50、1,234.50、¥1234.5或1234.5元）',
  NEGATIVE_AMOUNT: '是负数，金额不能为负',
  INVALID_NUMBER: '不是有效的面积（以平方米为单位，须大于0，最多两位小数）',
  INVALID_PERCENT: '不是有效的百分比（0至100之间，最多两位小数，可带%）',
  INVALID_ENUM: '不是允许的取值',
  INVALID_BOOL: '不是有效的是否值（可填是/否、Y/N、1/0或true/false）',
  INVALID_CREDIT_CODE: '不是有效的统一社会信用代码（18位，含校验码，GB 32100-2015）',
  MISSING_BIRTH_DATE:
    '为空：未填身份证号、或所填号码中没有有效出生日期的行，须填写出生日期（与姓名一起用于比对）',
  VALID_ID_NUMBER: '是有效的身份证号码：有效号码的记录请在正常批次中报送，待认定记录只收未填或填错号码的行',
};

/** What each file error means; a detail (the column, the limit) follows after a colon. */
export const FILE_ERROR_MESSAGES: Readonly<Record<FileErrorCode, string>> = {
  MISSING_COLUMN: '缺少必填列',
  UNKNOWN_COLUMN: '表头中有模板以外的列',
  DUPLICATE_COLUMN: '表头中有重复的列',
  EMPTY_FILE: '文件为空，没有表头或数据行',
  ENCODING_ERROR: '无法识别文件编码，请另存为UTF-8或GBK编码的CSV文件，或XLSX文件',
  FILE_TOO_LARGE: '文件超过大小上限',
  NOT_A_SPREADSHEET: '文件不是CSV或XLSX表格',
  UNKNOWN_DATASET: '数据集不存在',
  INVALID_PERIOD: '数据期间不正确，应写作2025-06（月）、2025-Q2（季度）、2025-H1（半年）或2025（年）',
  PERIOD_OVERLAP: '数据期间与本数据集现有批次的期间部分重叠',
  TOO_MANY_ERRORS: '错误过多，只列出了前面的部分错误',
  UNIDENTIFIED_NOT_ACCEPTED: '该数据集不接受待认定记录',
};

const MAX_SHOWN_CHARACTERS = 40;

/** A cell value as an error message shows it: one line, at most 40 characters. */
export function showCellValue(raw: RawCell): string {
  let text: string;
  if (raw === null) text = '';
  else if (raw instanceof Date) text = Number.isNaN(raw.getTime()) ? '无效日期' : shanghaiDateOf(raw);
  else if (typeof raw === 'boolean') text = raw ? 'TRUE' : 'FALSE';
  else text = String(raw).trim();
  const oneLine = text.replace(/\s+/g, ' ');
  const characters = [...oneLine];
  return characters.length > MAX_SHOWN_CHARACTERS
    ? `${characters.slice(0, MAX_SHOWN_CHARACTERS).join('')}…`
    : oneLine;
}

/** `「出生日期」的值「2030-01-01」晚于今天：今天是2025-06-15`; an empty required cell names only the column. */
export function rowErrorMessage(code: RowErrorCode, header: string, raw: RawCell, detail?: string): string {
  const base =
    code === 'MISSING_VALUE'
      ? `「${header}」${ROW_ERROR_MESSAGES[code]}`
      : `「${header}」的值「${showCellValue(raw)}」${ROW_ERROR_MESSAGES[code]}`;
  return detail ? `${base}：${detail}` : base;
}

export function fileErrorMessage(code: FileErrorCode, detail?: string): string {
  return detail ? `${FILE_ERROR_MESSAGES[code]}：${detail}` : FILE_ERROR_MESSAGES[code];
}

export function fileError(code: FileErrorCode, detail?: string): FileError {
  return { code, message: fileErrorMessage(code, detail) };
}

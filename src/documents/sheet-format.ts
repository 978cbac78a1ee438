/**
 * How each catalog column type is shown in a spreadsheet the platform writes: its Chinese type
 * name, the number format of its cells and a column width. Shared by templates and error reports
 * so a department sees the same layout in both.
 */
import type { ColumnDef, ColumnType, Frequency } from '../domain/catalog/types.ts';

export const TYPE_LABELS: Readonly<Record<ColumnType, string>> = {
  id_number: '身份证号',
  name: '姓名',
  text: '文本',
  date: '日期',
  month: '月份',
  amount: '金额（元）',
  area: '面积（平方米）',
  percent: '百分比',
  enum: '枚举',
  bool: '是否',
  credit_code: '统一社会信用代码',
};

export const FREQUENCY_LABELS: Readonly<Record<Frequency, string>> = {
  monthly: '月报：每月10日前报送上月数据',
  quarterly: '季报：每年1、4、7、10月10日前报送上一季度数据',
  half_yearly: '半年报：每年1月10日、7月10日前报送上一个半年的数据',
  yearly: '年报：每年1月10日前报送上一年度数据',
};

/** Excel's text format: what is typed stays exactly as typed. */
export const TEXT_FORMAT = '@';
export const DATE_FORMAT = 'yyyy-mm-dd';
export const MONTH_FORMAT = 'yyyy-mm';

/**
 * Only `date` columns get a date format, so a typed `2025/6/30` becomes a real date the importer
 * reads as such. Every other type is text: General would turn an 18-digit ID into 3.30106E+17,
 * `1234.50` into 1234.5 (and amounts into binary floats), `50%` into 0.5, `202506` into a number
 * and `2025-06` into the first of June; the importer accepts all of these forms as text.
 */
export function numFmtFor(type: ColumnType): string {
  return type === 'date' ? DATE_FORMAT : TEXT_FORMAT;
}

/** The allowed values of a drop-down column: the catalog's enum values, or 是/否. */
export function choicesFor(column: ColumnDef): readonly string[] | undefined {
  if (column.type === 'enum') return column.values ?? [];
  if (column.type === 'bool') return ['是', '否'];
  return undefined;
}

/** Width in Excel character units; a CJK character counts twice. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1;
  return width;
}

const TYPE_WIDTHS: Readonly<Record<ColumnType, number>> = {
  id_number: 22,
  name: 12,
  text: 20,
  date: 13,
  month: 10,
  amount: 14,
  area: 12,
  percent: 10,
  enum: 10,
  bool: 8,
  credit_code: 22,
};

export function columnWidth(column: ColumnDef | undefined, header: string): number {
  const headerWidth = displayWidth(header) + 4;
  if (!column) return Math.max(headerWidth, 12);
  const choices = choicesFor(column) ?? [];
  const choiceWidth = Math.max(0, ...choices.map(displayWidth)) + 4;
  return Math.min(40, Math.max(headerWidth, TYPE_WIDTHS[column.type], choiceWidth));
}

import ExcelJS from 'exceljs';
import type { ChartTable } from '../app/statistics/statistics-tables.ts';
import { neutraliseCell } from './safe-cell.ts';
import { safeXlsxBytes } from './safe-workbook.ts';

/**
 * The XLSX of one statistics chart: a sheet named after the chart, the filters in the first rows, then the
 * chart's table (header and rows). Numbers stay numbers; every text cell is neutralised against formula
 * injection (a county's or department's name is data an administrator typed).
 */
export async function statisticsWorkbook(
  table: ChartTable,
  filters: readonly [label: string, value: string][],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hedui';
  const sheet = workbook.addWorksheet(table.title.slice(0, 31));
  const text = (value: string | number | null) => (typeof value === 'string' ? neutraliseCell(value) : value);
  sheet.addRow([text(table.title)]).font = { bold: true, size: 13 };
  for (const [label, value] of filters) sheet.addRow([text(label), text(value)]);
  sheet.addRow([]);
  const header = sheet.addRow(table.columns.map(text));
  header.font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map(text));
  sheet.columns.forEach((column, i) => {
    column.width = i === 0 ? 22 : 14;
  });
  return safeXlsxBytes(workbook);
}

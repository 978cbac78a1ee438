/**
 * The last step of every workbook the platform builds in memory: each text cell of each sheet passes through
 * neutraliseCell once more before the bytes are written, so a cell a writer forgot cannot carry a formula
 * (CSV/formula injection). neutraliseCell is idempotent: a cell already neutralised is left as it is. The
 * streaming error report (error-report.ts) cannot be walked afterwards and neutralises each cell as it writes.
 */
import type ExcelJS from 'exceljs';
import { neutraliseCell } from './safe-cell.ts';

function safeValue(value: ExcelJS.CellValue): ExcelJS.CellValue | undefined {
  if (typeof value === 'string') {
    const safe = neutraliseCell(value);
    return safe === value ? undefined : safe;
  }
  if (value && typeof value === 'object' && 'richText' in value && value.richText.length > 0) {
    const [first, ...rest] = value.richText;
    if (!first) return undefined;
    const safe = neutraliseCell(first.text);
    return safe === first.text ? undefined : { richText: [{ ...first, text: safe }, ...rest] };
  }
  if (value && typeof value === 'object' && 'hyperlink' in value && typeof value.text === 'string') {
    const safe = neutraliseCell(value.text);
    return safe === value.text ? undefined : { ...value, text: safe };
  }
  return undefined;
}

/** Neutralises every text cell of every sheet in place. */
export function neutraliseWorkbook(workbook: ExcelJS.Workbook): ExcelJS.Workbook {
  workbook.eachSheet((sheet) => {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        const safe = safeValue(cell.value);
        if (safe !== undefined) cell.value = safe;
      });
    });
  });
  return workbook;
}

/** The workbook's XLSX bytes, every text cell neutralised first. */
export async function safeXlsxBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await neutraliseWorkbook(workbook).xlsx.writeBuffer());
}

import { normalizeIdNumber, type ParseIdNumberOptions, parseIdNumber } from '../identity/id-number.ts';
import { normalizeBirthDate } from '../matching/birth-date.ts';
import { nearbyIdNumbers } from '../matching/by-id.ts';
import { isBlankCell } from './cells.ts';
import { fileError, ROW_ERROR_MESSAGES, rowErrorMessage } from './messages.ts';
import type { RowContext } from './rows.ts';
import { validateRow } from './rows.ts';
import type { CellValue, ColumnDef, DatasetDef, FileError, RawCell, RowError } from './types.ts';

/**
 * Supplementary batches of unidentified rows (「待认定记录」补充报送, issue #7). A department's upload is all or
 * nothing, so a row whose 身份证号 is missing or fails GB 11643's check cannot travel in the main batch. Such rows
 * come in a batch of their own: the dataset's template with 身份证号 optional and an extra 出生日期. Every other
 * cell follows the catalog exactly (`validateRow`); a row needs a birth date — its 出生日期, or the one written
 * inside its invalid number — and a valid number belongs in the main batch.
 */

export const UNIDENTIFIED_BIRTH_DATE_HEADER = '出生日期';

const BIRTH_DATE_COLUMN: ColumnDef = {
  header: UNIDENTIFIED_BIRTH_DATE_HEADER,
  key: 'birthDate',
  type: 'date',
  required: false,
  description: '出生日期：未填身份证号时必填；号码填错时可不填（取号码中的出生日期），填写则以此为准',
  example: '1985-03-15',
};

/** The register (hukou) is what every other record is matched against: its rows need a valid number. */
export function checkAcceptsUnidentified(dataset: DatasetDef): FileError | null {
  if (dataset.code !== 'hukou') return null;
  return fileError(
    'UNIDENTIFIED_NOT_ACCEPTED',
    `「${dataset.name}」是比对所依据的户籍登记，每行须有有效的身份证号，请在正常批次中报送`,
  );
}

/**
 * The template of a dataset's unidentified rows: 身份证号 (optional: missing or mistyped), 姓名, 出生日期 (unless
 * the dataset has its own), then the dataset's other columns exactly as the catalog has them.
 */
export function unidentifiedDataset(dataset: DatasetDef): DatasetDef {
  const id = dataset.columns.find((c) => c.key === 'idNumber');
  const name = dataset.columns.find((c) => c.key === 'name');
  const own = dataset.columns.filter((c) => c.key !== 'idNumber' && c.key !== 'name');
  const idColumn: ColumnDef[] = id
    ? [
        {
          ...id,
          required: false,
          description: '身份证号：未填或填错（校验位不对）的号码；有效号码的记录请在正常批次中报送',
        },
      ]
    : [];
  return {
    ...dataset,
    name: `${dataset.name}（待认定记录）`,
    columns: [
      ...idColumn,
      ...(name ? [name] : []),
      ...(own.some((c) => c.key === 'birthDate') ? [] : [BIRTH_DATE_COLUMN]),
      ...own,
    ],
  };
}

/**
 * The columns a stored record is built from (`toRecordRow`): the dataset's own, then 出生日期 last — a periodic
 * record's month is taken from its first date or month column, which must stay the dataset's.
 */
export function unidentifiedStorageDataset(dataset: DatasetDef): DatasetDef {
  if (dataset.columns.some((c) => c.key === 'birthDate')) return dataset;
  return { ...dataset, columns: [...dataset.columns, BIRTH_DATE_COLUMN] };
}

/** The birth date written inside an ID number of the right shape whose check failed, or null. */
export function birthDateInIdNumber(written: string, today: string): string | null {
  let digits: string | null = null;
  if (/^\d{17}[\dX]$/.test(written)) digits = written.slice(6, 14);
  else if (/^\d{15}$/.test(written)) digits = `19${written.slice(6, 12)}`;
  if (digits === null) return null;
  const date = normalizeBirthDate(digits);
  return date !== null && date <= today ? date : null;
}

export interface UnidentifiedRowCheck {
  /** Parsed values by the storage dataset's keys: `idNumber` null, `birthDate` the date used for matching. */
  values: Record<string, CellValue>;
  errors: RowError[];
  /** The number as written (normalised as an ID is), or null when 身份证号 is empty. */
  written: string | null;
  /** Valid numbers one typing slip away from the written one (none when it is missing or the row has errors). */
  nearby: string[];
}

/**
 * Checks one row of an unidentified batch: `validateRow` on the supplementary template, with 身份证号's
 * INVALID_ID_NUMBER turned into what the row is for; then a valid number (VALID_ID_NUMBER) or the lack of any
 * birth date (MISSING_BIRTH_DATE) is an error. A written birth date wins over the one inside the number.
 */
export function checkUnidentifiedRow(
  template: DatasetDef,
  columnIndex: readonly (number | undefined)[],
  rowNumber: number,
  cells: readonly RawCell[],
  ctx: RowContext,
): UnidentifiedRowCheck {
  const idAt = template.columns.findIndex((c) => c.key === 'idNumber');
  const idHeader = template.columns[idAt]?.header ?? '身份证号';
  const position = idAt < 0 ? undefined : columnIndex[idAt];
  const raw = position === undefined ? null : (cells[position] ?? null);
  const written = isBlankCell(raw) ? null : normalizeIdNumber(String(raw));

  const check = validateRow(template, columnIndex, rowNumber, cells, ctx);
  const errors = check.errors.filter((e) => !(e.column === idHeader && e.code === 'INVALID_ID_NUMBER'));
  const values: Record<string, CellValue> = { ...check.values, idNumber: null };
  const options: ParseIdNumberOptions = { today: ctx.today };
  if (written !== null && parseIdNumber(written, options).ok)
    errors.push({
      row: rowNumber,
      column: idHeader,
      code: 'VALID_ID_NUMBER',
      message: rowErrorMessage('VALID_ID_NUMBER', idHeader, raw),
    });
  const birthColumnFailed = check.errors.some((e) => e.column === UNIDENTIFIED_BIRTH_DATE_HEADER);
  if (typeof values.birthDate !== 'string' && !birthColumnFailed) {
    const inNumber = written === null ? null : birthDateInIdNumber(written, ctx.today);
    if (inNumber !== null) values.birthDate = inNumber;
    else
      errors.push({
        row: rowNumber,
        column: UNIDENTIFIED_BIRTH_DATE_HEADER,
        code: 'MISSING_BIRTH_DATE',
        message: `「${UNIDENTIFIED_BIRTH_DATE_HEADER}」${ROW_ERROR_MESSAGES.MISSING_BIRTH_DATE}`,
      });
  }
  const nearby = written === null || errors.length > 0 ? [] : nearbyIdNumbers(written, options);
  return { values, errors, written, nearby };
}

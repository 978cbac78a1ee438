/**
 * The dataset catalog (CATALOG.md): a contract with the departments. Importer, templates, API
 * schemas and screens all read these definitions; nothing else restates a header or an enum.
 */
export const COLUMN_TYPES = [
  'id_number',
  'name',
  'text',
  'date',
  'month',
  'amount',
  'area',
  'percent',
  'enum',
  'bool',
  'credit_code',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface ColumnDef {
  /** The header exactly as departments write it in row 1, e.g. `身份证号`. */
  header: string;
  /** Stable code name used in the API, the database and code, e.g. `idNumber`. */
  key: string;
  type: ColumnType;
  required: boolean;
  /** For `enum`: the allowed values, exactly. */
  values?: readonly string[];
  /** Value stored when an optional cell is empty (CATALOG: 残疾人专用车 empty = 否, 权利份额 empty = 100). */
  emptyMeans?: string;
  /** For `date`: the date may lie after today (a sentence's expected end, a lease's end); otherwise FUTURE_DATE. */
  allowFuture?: boolean;
  /**
   * Key of another column of the same type this one must not be after (所属期起 ≤ 所属期止); checked when both
   * are present, reported on this column as INVALID_MONTH or INVALID_DATE.
   */
  notAfter?: string;
  /**
   * The value embeds an ID number (残疾人证号 = 身份证号 + category and grade digits): it is stored encrypted like
   * the identifiers, never in plain text (found by the backup drill, docs/security.md「备份与恢复」).
   */
  identifying?: boolean;
  /** Chinese explanation shown in templates and the UI. */
  description: string;
  /** An example value as a department would type it. */
  example: string;
}

export const FREQUENCIES = ['monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const DATASET_KINDS = ['periodic', 'snapshot'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export interface DatasetDef {
  /** e.g. `hukou`, `payroll`. */
  code: string;
  /** Chinese name, e.g. `户籍人口`. */
  name: string;
  /** Department code (matches organisation.department_code), e.g. `public_security`. */
  departmentCode: string;
  /** Department's Chinese name, e.g. `公安`. */
  departmentName: string;
  /**
   * Other departments that deliver the same dataset (CATALOG: `death` 民政/卫健, `subsidy` 农业农村/林草/应急);
   * their rows are the same kind of fact and share the template.
   */
  otherDepartmentCodes?: readonly string[];
  frequency: Frequency;
  kind: DatasetKind;
  /** True for the core datasets of CATALOG.md; false for those added from Q§7's wording. */
  core: boolean;
  /** What the dataset is and which article of the regulations asks for it. */
  description: string;
  columns: readonly ColumnDef[];
}

export const PERIOD_GRANULARITIES = ['month', 'quarter', 'half', 'year'] as const;
export type PeriodGranularity = (typeof PERIOD_GRANULARITIES)[number];

/** A batch period (`2025-06`, `2025-Q2`, `2025-H1`, `2025`) with the months it spans, both inclusive. */
export interface ParsedPeriod {
  label: string;
  granularity: PeriodGranularity;
  /** `YYYY-MM`. */
  firstMonth: string;
  /** `YYYY-MM`. */
  lastMonth: string;
}

/** A cell as a reader delivers it: CSV gives strings; XLSX may give numbers, dates and booleans. */
export type RawCell = string | number | boolean | Date | null;

/** A parsed cell value: ISO dates (`YYYY-MM-DD`), months (`YYYY-MM`), integer fen / hundredths, booleans. */
export type CellValue = string | number | boolean | null;

export const ROW_ERROR_CODES = [
  'MISSING_VALUE',
  'INVALID_ID_NUMBER',
  'INVALID_NAME',
  'TOO_LONG',
  'INVALID_DATE',
  'FUTURE_DATE',
  'INVALID_MONTH',
  'PERIOD_OUT_OF_RANGE',
  'INVALID_AMOUNT',
  'NEGATIVE_AMOUNT',
  'INVALID_NUMBER',
  'INVALID_PERCENT',
  'INVALID_ENUM',
  'INVALID_BOOL',
  'INVALID_CREDIT_CODE',
  // Supplementary batches of unidentified rows (「待认定记录」, domain/catalog/unidentified.ts) only.
  'MISSING_BIRTH_DATE',
  'VALID_ID_NUMBER',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

export const FILE_ERROR_CODES = [
  'MISSING_COLUMN',
  'UNKNOWN_COLUMN',
  'DUPLICATE_COLUMN',
  'EMPTY_FILE',
  'ENCODING_ERROR',
  'FILE_TOO_LARGE',
  'NOT_A_SPREADSHEET',
  'UNKNOWN_DATASET',
  'INVALID_PERIOD',
  'PERIOD_OVERLAP',
  'TOO_MANY_ERRORS',
  'UNIDENTIFIED_NOT_ACCEPTED',
] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

/** One problem in one cell: row number as the spreadsheet shows it (header = row 1). */
export interface RowError {
  row: number;
  column: string;
  code: RowErrorCode;
  message: string;
}

export interface FileError {
  code: FileErrorCode;
  message: string;
}

/**
 * Every string the platform writes into a spreadsheet (templates, error reports, exports) passes
 * through here, so that a value a department or applicant typed can never run as a formula when
 * someone opens the file (CSV / formula injection, OWASP). Numbers are written as numbers and
 * cannot carry a formula, so only text is neutralised.
 */

/** The characters with which a spreadsheet program may start evaluating a cell as a formula. */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Prefixes a single quote to text that a spreadsheet would otherwise read as a formula. */
export function neutraliseCell(value: string): string {
  const first = value.charAt(0);
  return FORMULA_TRIGGERS.has(first) ? `'${value}` : value;
}

/**
 * The value neutraliseCell was given, for cells the platform wrote itself and reads back (an offline
 * exchange's binding: its keyed fingerprint is base64url and may begin with `-`).
 */
export function restoreNeutralisedCell(value: string): string {
  return value.startsWith("'") && FORMULA_TRIGGERS.has(value.charAt(1)) ? value.slice(1) : value;
}

/** Line break between CSV records (RFC 4180). */
export const CSV_EOL = '\r\n';

function csvField(cell: string | number | null): string {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? (Number.isFinite(cell) ? String(cell) : '') : neutraliseCell(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One CSV record, terminated by CRLF as RFC 4180 asks: fields holding a comma, a double quote or a
 * line break are quoted and inner quotes doubled; strings are neutralised first, so the quote
 * prefix ends up inside the quoted field.
 */
export function csvLine(cells: readonly (string | number | null)[]): string {
  return cells.map(csvField).join(',') + CSV_EOL;
}

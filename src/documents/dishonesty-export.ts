/**
 * The CSV of the dishonesty-record export (docs/dishonesty.md): UTF-8 with a byte-order mark (so spreadsheet
 * programs read the Chinese), a header row of the documented field keys, then one record per person concerned;
 * every cell neutralised against formula injection. Rows come from `domain/dishonesty/export-format.ts`.
 */

import { DISHONESTY_EXPORT_FIELDS, type DishonestyExportRow } from '../domain/dishonesty/export-format.ts';
import { csvLine } from './safe-cell.ts';

const BOM = '\uFEFF';

export function dishonestyCsv(rows: readonly DishonestyExportRow[]): Buffer {
  const keys = DISHONESTY_EXPORT_FIELDS.map((field) => field.key);
  const lines = [csvLine(keys), ...rows.map((row) => csvLine(keys.map((key) => row[key])))];
  return Buffer.from(BOM + lines.join(''), 'utf8');
}

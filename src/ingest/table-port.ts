import type { TablePort } from '../app/ports.ts';
import { fileFingerprint } from './fingerprint.ts';
import { openTable, TableError } from './read-table.ts';

/** The streaming CSV/XLSX readers as the import use case sees them. */
export function tablePort(maxBytes: number): TablePort {
  return {
    async open(path) {
      try {
        return { ok: true, table: await openTable(path, { maxBytes }) };
      } catch (e) {
        if (e instanceof TableError) return { ok: false, error: e.toFileError() };
        throw e;
      }
    },
    fingerprint: (path) => fileFingerprint(path),
    asFileError: (e) => (e instanceof TableError ? e.toFileError() : null),
  };
}

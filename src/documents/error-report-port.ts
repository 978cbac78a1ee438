import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorReportPort } from '../app/ports.ts';
import { writeErrorReport } from './error-report.ts';

/** Error reports are files in `<filesDir>/reports`, named by batch, so any instance can serve them. */
export function errorReportPort(filesDir: string): ErrorReportPort {
  return {
    async write({ dataset, table, errors, fileErrors, batchId }) {
      const dir = join(filesDir, 'reports');
      await mkdir(dir, { recursive: true });
      const name = `batch-${batchId}-errors.xlsx`;
      await writeErrorReport(
        { dataset, headers: table.headers, rows: table.rows, errors, fileErrors },
        join(dir, name),
      );
      return name;
    },
  };
}

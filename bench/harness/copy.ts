import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ManifestFile, psql } from './city.ts';

/** The header line of a CSV, without reading a file of gigabytes into one string. */
function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8').split('\n', 1)[0] as string;
  } finally {
    closeSync(fd);
  }
}

/**
 * The ingest reference: PostgreSQL `COPY` of every file into its own unindexed all-text table (tables created
 * before the clock starts; one `psql` running a `\copy` per file). The schema is dropped afterwards.
 */
export function postgresCopy(pgUrl: string, dir: string, files: readonly ManifestFile[], scriptDir: string) {
  const rows = files.reduce((n, f) => n + f.rows, 0);
  const schema = `bench_copy_${Date.now()}`;
  psql(pgUrl, `create schema ${schema}`);
  try {
    const ddl = files.map((f, i) => {
      const header = firstLine(join(dir, f.file)).split(',');
      return `create table ${schema}.t${i} (${header.map((c) => `"${c.trim()}" text`).join(', ')});`;
    });
    psql(pgUrl, ddl.join('\n'));
    const script = join(scriptDir, 'copy.sql');
    writeFileSync(
      script,
      `${files.map((f, i) => `\\copy ${schema}.t${i} from '${join(dir, f.file)}' with (format csv, header true)`).join('\n')}\n`,
    );
    const t0 = performance.now();
    execFileSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-f', script]);
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, rows, rowsPerSecond: rows / seconds, files: files.length };
  } finally {
    psql(pgUrl, `set client_min_messages = warning; drop schema ${schema} cascade`);
  }
}

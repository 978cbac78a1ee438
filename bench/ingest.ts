/**
 * Ingest benchmark (issue #3): a generated hukou CSV imported through the real path on SQLite and on
 * PostgreSQL, beside PostgreSQL COPY of the same file into an unindexed table (the in-run reference).
 *
 *   npm run bench:ingest -- [--rows 1000000] [--out bench-results]   (npx tsx bench/ingest.ts …)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newKeyFile } from '../src/crypto/key-file.ts';
import { writeHukouCsv } from './hukou-file.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const rows = Number(arg('rows', '1000000'));
const outDir = resolve(arg('out', 'bench-results'));
const pgUrl = arg('pg', 'postgres://postgres@127.0.0.1:5432/test');
mkdirSync(outDir, { recursive: true });
const work = join(outDir, 'ingest-work');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const csv = join(work, `hukou-${rows}.csv`);

const t0 = Date.now();
await writeHukouCsv(csv, rows, 7);
const bytes = statSync(csv).size;
console.log(
  `generated ${rows} rows (${(bytes / 1048576).toFixed(1)} MiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
);

const keys = JSON.stringify(newKeyFile(new Date().toISOString()));
function importOnce(db: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/import-once.ts', csv], {
    env: {
      ...process.env,
      HEDUI_DB: db,
      HEDUI_KEYS: keys,
      HEDUI_FILES_DIR: join(work, 'files'),
      HEDUI_LOG_LEVEL: 'silent',
    },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`import failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as {
    status: string;
    rows: number;
    seconds: number;
    maxRssMb: number;
  };
}

const psql = (sql: string) =>
  execFileSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { encoding: 'utf8' });
const schema = `bench_${Date.now()}`;
psql(`create schema ${schema}`);
try {
  const sqlite = importOnce(`sqlite:${join(work, 'bench.sqlite')}`);
  const pg = importOnce(`${pgUrl}?options=-c%20search_path%3D${schema}`);
  psql(
    `create table ${schema}.copy_ref (id text, name text, sex text, birth text, hh text, rel text, addr text, status text, changed text)`,
  );
  const c0 = process.hrtime.bigint();
  execFileSync('psql', [
    pgUrl,
    '-v',
    'ON_ERROR_STOP=1',
    '-q',
    '-c',
    `\\copy ${schema}.copy_ref from '${csv}' with (format csv, header true)`,
  ]);
  const copySeconds = Number(process.hrtime.bigint() - c0) / 1e9;
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    file: { rows, mib: bytes / 1048576 },
    sqlite: { ...sqlite, rowsPerSecond: rows / sqlite.seconds },
    postgres: { ...pg, rowsPerSecond: rows / pg.seconds },
    postgresCopy: { seconds: copySeconds, rowsPerSecond: rows / copySeconds },
  };
  writeFileSync(join(outDir, 'ingest.json'), `${JSON.stringify(result, null, 2)}\n`);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`| path | seconds | rows/s | peak RSS MB | vs COPY |`);
  console.log(`|---|---|---|---|---|`);
  console.log(
    `| Hedui import, SQLite | ${sqlite.seconds.toFixed(1)} | ${fmt(result.sqlite.rowsPerSecond)} | ${sqlite.maxRssMb.toFixed(0)} | ${(result.sqlite.rowsPerSecond / result.postgresCopy.rowsPerSecond).toFixed(2)} |`,
  );
  console.log(
    `| Hedui import, PostgreSQL | ${pg.seconds.toFixed(1)} | ${fmt(result.postgres.rowsPerSecond)} | ${pg.maxRssMb.toFixed(0)} | ${(result.postgres.rowsPerSecond / result.postgresCopy.rowsPerSecond).toFixed(2)} |`,
  );
  console.log(
    `| PostgreSQL COPY (reference, unindexed) | ${copySeconds.toFixed(1)} | ${fmt(result.postgresCopy.rowsPerSecond)} | — | 1.00 |`,
  );
} finally {
  psql(`drop schema ${schema} cascade`);
}

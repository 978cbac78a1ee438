/**
 * Month-one figures of a large city, run by hand (issue #7: "M and, by hand, L"): the full `npm run bench`
 * at L would take hours on 2 cores, so this runs the figures that change with size — ingest (beside COPY and
 * DuckDB read_csv), single-family latency against the full store, and the recheck of the month-one roster (beside
 * DuckDB's hash join over the same month-one files) — without month two, accuracy (size-independent rules,
 * measured at S and M) or the load test (it runs on the demo city whatever the size).
 *
 *   npx tsx bench/large.ts --size L [--db sqlite|postgres] [--seed 1] [--out bench-results] [--samples 1000]
 *                          [--duck-samples 50] [--pg URL]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { newKeyFile } from '../src/crypto/key-file.ts';
import { isSizeName } from './generate/city.ts';
import {
  argReader,
  CLOCK,
  cityDirs,
  generateCity,
  type ImportOut,
  importSummary,
  MONTH1,
  mainFiles,
  openBenchDatabase,
  ordered,
  type RecheckOut,
  runStep,
  stepEnv,
  WINDOW1,
} from './harness/city.ts';
import { postgresCopy } from './harness/copy.ts';
import { duckFamilyLatencies, duckRosterFigures, loadDuckCity } from './harness/duckdb.ts';
import { int, ms, summarise } from './harness/stats.ts';

const args = process.argv.slice(2);
const arg = argReader(args);
const size = arg('size', 'L');
const db = arg('db', 'sqlite');
const seed = arg('seed', '1');
const outDir = resolve(arg('out', 'bench-results'));
const pgUrl = arg('pg', 'postgres://postgres@127.0.0.1:5432/test');
const samples = Number(arg('samples', '1000'));
const duckSamples = Number(arg('duck-samples', '50'));
if (!isSizeName(size) || size === 'XS') throw new Error('--size S|M|L');
if (!['sqlite', 'postgres'].includes(db)) throw new Error('--db sqlite|postgres');

const started = performance.now();
const seconds = (from: number) => (performance.now() - from) / 1000;
const log = (line: string) => console.log(`[${seconds(started).toFixed(1).padStart(7)} s] ${line}`);

const { work, month1Dir } = cityDirs(outDir, 'large-work', size, seed);
const g0 = performance.now();
log(`city ${size} seed ${seed}: ${generateCity(month1Dir, size, seed, [])} in ${seconds(g0).toFixed(1)} s`);
const files = ordered(mainFiles(month1Dir));
const rows = files.reduce((n, f) => n + f.rows, 0);

log(`PostgreSQL COPY of ${files.length} main files (${int(rows)} rows)`);
const copy = postgresCopy(pgUrl, month1Dir, files, work);
log(`  ${copy.seconds.toFixed(1)} s, ${int(copy.rowsPerSecond)} rows/s`);

const duck = await loadDuckCity(month1Dir, files, join(month1Dir, 'truth'));
log(`DuckDB read_csv: ${duck.readSeconds.toFixed(1)} s, ${int(duck.rows / duck.readSeconds)} rows/s`);
const duckRoster = await duckRosterFigures(duck, WINDOW1);
const duckRecheck = {
  readSeconds: duck.readSeconds,
  rosterSeconds: duck.rosterSeconds,
  querySeconds: duckRoster.querySeconds,
  totalSeconds: duck.readSeconds + duck.rosterSeconds + duckRoster.querySeconds,
  families: duckRoster.families.length,
};
log(`DuckDB recheck reference: ${duckRecheck.totalSeconds.toFixed(1)} s (${duckRecheck.families} families)`);
const keys = duckRoster.families.map((f) => String(f.family_key)).sort();
const duckSingle = summarise(await duckFamilyLatencies(duck, WINDOW1, keys.slice(0, duckSamples)));
duck.close();
log(`DuckDB single family: p50 ${ms(duckSingle.p50)}, p99 ${ms(duckSingle.p99)} over ${duckSingle.count}`);

const database = openBenchDatabase(
  db,
  pgUrl,
  join(work, `large-${size}.sqlite`),
  `bench_large_${Date.now()}`,
);
rmSync(join(work, 'files'), { recursive: true, force: true });
const env = stepEnv(database.url, JSON.stringify(newKeyFile(new Date().toISOString())), join(work, 'files'));
const step = <T>(name: string, stepArgs: string[]) =>
  runStep<T>('bench/recheck-step.ts', env, name, stepArgs);
try {
  log(`[${db}] importing ${files.length} main files`);
  const ingest = importSummary(
    step<ImportOut>('import', ['--clock', CLOCK.import1, ...files.map((f) => join(month1Dir, f.file))]),
  );
  log(
    `[${db}]   ${int(ingest.rows)} rows in ${ingest.seconds.toFixed(1)} s, peak RSS ${int(ingest.maxRssMb)} MB`,
  );
  const roster = step<{ families: number; members: number }>('roster', [
    '--clock',
    CLOCK.roster,
    '--month',
    MONTH1,
    month1Dir,
  ]);
  log(`[${db}] roster: ${roster.families} families, ${roster.members} members`);
  const single = runStep<{ latenciesMs: number[]; maxRssMb: number }>(
    'bench/harness/single-step.ts',
    env,
    'single',
    ['--clock', CLOCK.single, '--samples', String(samples), month1Dir],
  );
  const latency = summarise(single.latenciesMs);
  log(`[${db}] single family: p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)} over ${latency.count} calls`);
  const recheck = step<RecheckOut>('recheck', ['--clock', CLOCK.recheck1, '--month', MONTH1]);
  const families = recheck.runs.reduce((n, r) => n + (r.counts.doneCount ?? 0), 0);
  log(`[${db}] month-one recheck: ${families} families in ${recheck.seconds.toFixed(1)} s`);

  const result = {
    size,
    seed,
    db,
    measuredAt: new Date().toISOString(),
    seconds: seconds(started),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30) },
    files: files.length,
    rows,
    copy,
    duckReadCsv: { seconds: duck.readSeconds, rowsPerSecond: duck.rows / duck.readSeconds },
    ingest,
    roster,
    single: { ...latency, duck: duckSingle, maxRssMb: single.maxRssMb },
    recheck: {
      families,
      seconds: recheck.seconds,
      familiesPerSecond: families / recheck.seconds,
      maxRssMb: recheck.maxRssMb,
      duck: duckRecheck,
      ratio: recheck.seconds / duckRecheck.totalSeconds,
    },
  };
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `large-${size}-${db}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`written ${file}`);
} finally {
  database.drop();
}

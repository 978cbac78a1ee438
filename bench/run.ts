/**
 * The benchmark of issue #7 (BENCHMARK.md): one generated city, every figure beside its in-run reference.
 *
 *   npm run bench -- --size S|M|L [--db sqlite|postgres|both] [--seed 1] [--out bench-results]
 *                    [--full-city] [--samples 1000] [--duck-samples 200] [--users 200] [--load-seconds 10 at S]
 *                    [--load-workers 2]
 *                    [--pg URL]
 *
 * 1. ingest: every main file of month one through the real import path (bench/recheck-step.ts `import`, a fresh
 *    process: its peak RSS is its own), beside PostgreSQL COPY of the same files into unindexed text tables and
 *    DuckDB read_csv into tables;
 * 2. single family: every roster family through `assessRosterFamily` (bench/harness/single-step.ts), cycled to
 *    ≥ --samples calls, beside a prepared DuckDB query computing the same family's figures;
 * 3. recheck: month one's roster (every recipient family; with --full-city every family of the city) rechecked
 *    as the baseline, month two's new files imported, month two rechecked — the figure — beside DuckDB reading
 *    month two's files and computing every roster family's figures with one hash join + GROUP BY;
 * 4. accuracy: bench/accuracy/run.ts on month one's files, and the share of roster families whose engine figures
 *    (step 2) differ from truth/expected-figures.csv;
 * 5. concurrent use: --users virtual staff against `hedui serve` on loopback for --load-seconds
 *    (bench/harness/load.ts), once on one server process and once with `--workers` --load-workers (1: skipped).
 *
 * Writes OUT/bench-<size>-<db>.json, .md and .svg. Exits 1 only when the accuracy goals (precision and recall)
 * are missed — never on time.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { newKeyFile } from '../src/crypto/key-file.ts';
import { runAccuracy } from './accuracy/run.ts';
import { isSizeName } from './generate/city.ts';
import { renderChart, runPanels } from './harness/chart.ts';
import {
  argReader,
  CLOCK,
  changedFiles,
  changedSideFiles,
  cityDirs,
  generateCity,
  type ImportOut,
  importSummary,
  MONTH1,
  MONTH2,
  mainFiles,
  openBenchDatabase,
  ordered,
  type RecheckOut,
  runStep,
  sideFiles,
  stepEnv,
  WINDOW1,
  WINDOW2,
} from './harness/city.ts';
import { postgresCopy } from './harness/copy.ts';
import { duckFamilyLatencies, duckRosterFigures, loadDuckCity } from './harness/duckdb.ts';
import { type LoadResult, runLoad } from './harness/load.ts';
import { type FigureRow, figuresTable, int, ms, summarise } from './harness/stats.ts';

const args = process.argv.slice(2);
const arg = argReader(args);
const size = arg('size', 'S');
const dbArg = arg('db', 'sqlite');
const seed = arg('seed', '1');
const outDir = resolve(arg('out', 'bench-results'));
const pgUrl = arg('pg', 'postgres://postgres@127.0.0.1:5432/test');
const fullCity = args.includes('--full-city');
const samples = Number(arg('samples', '1000'));
const users = Number(arg('users', '200'));
const duckSamples = Number(arg('duck-samples', '200'));
const loadSeconds = Number(arg('load-seconds', size === 'S' ? '10' : '60'));
// Step 5 again with `hedui serve --workers N` (N or auto; 1 skips it).
const loadWorkerCount = arg('load-workers', '2');
if (!isSizeName(size) || size === 'XS') throw new Error('--size S|M|L');
if (!['sqlite', 'postgres', 'both'].includes(dbArg)) throw new Error('--db sqlite|postgres|both');
const databases = dbArg === 'both' ? ['sqlite', 'postgres'] : [dbArg];

const started = performance.now();
const seconds = (from: number) => (performance.now() - from) / 1000;
const log = (line: string) => console.log(`[${seconds(started).toFixed(1).padStart(6)} s] ${line}`);

const { work, month1Dir, month2Dir } = cityDirs(outDir, 'run-work', size, seed);

// ------------------------------------------------------------------ the city
const g0 = performance.now();
const generated = {
  month1: generateCity(month1Dir, size, seed, []),
  month2: generateCity(month2Dir, size, seed, ['--variant', 'month2']),
};
log(`city ${size} seed ${seed}: ${JSON.stringify(generated)} in ${seconds(g0).toFixed(1)} s`);
const m1Files = ordered(mainFiles(month1Dir));
const m1Rows = m1Files.reduce((n, f) => n + f.rows, 0);

// ------------------------------------------------------------------ references
log(`PostgreSQL COPY of ${m1Files.length} main files (${int(m1Rows)} rows)`);
const copy = postgresCopy(pgUrl, month1Dir, m1Files, work);
log(`  ${copy.seconds.toFixed(2)} s, ${int(copy.rowsPerSecond)} rows/s`);

const duck1 = await loadDuckCity(month1Dir, m1Files, join(month1Dir, 'truth'));
const duckReadCsv = {
  seconds: duck1.readSeconds,
  rows: duck1.rows,
  rowsPerSecond: duck1.rows / duck1.readSeconds,
};
log(`DuckDB read_csv: ${duck1.readSeconds.toFixed(2)} s, ${int(duckReadCsv.rowsPerSecond)} rows/s`);
const rosterKeys = (await duck1.db.runAndReadAll('select distinct family_key from roster order by 1'))
  .getRowObjectsJson()
  .map((r) => String(r.family_key));
// DuckDB scans every table per family: --duck-samples (default 200) families bound its time.
const duckSingleKeys = rosterKeys.slice(0, duckSamples);
const duckSingle = summarise(await duckFamilyLatencies(duck1, WINDOW1, duckSingleKeys));
duck1.close();
log(
  `DuckDB single family: p50 ${ms(duckSingle.p50)}, p99 ${ms(duckSingle.p99)} over ${duckSingle.count} queries`,
);

const duck2 = await loadDuckCity(month2Dir, mainFiles(month2Dir), join(month1Dir, 'truth'), {
  allFamilies: fullCity,
});
const duckRoster = await duckRosterFigures(duck2, WINDOW2);
const duckRecheck = {
  readSeconds: duck2.readSeconds,
  rosterSeconds: duck2.rosterSeconds,
  querySeconds: duckRoster.querySeconds,
  totalSeconds: duck2.readSeconds + duck2.rosterSeconds + duckRoster.querySeconds,
  rows: duck2.rows,
  families: duckRoster.families.length,
};
duck2.close();
log(`DuckDB recheck reference: ${duckRecheck.totalSeconds.toFixed(2)} s (${duckRecheck.families} families)`);

// ------------------------------------------------------------------ accuracy (database-independent)
const accuracy = await runAccuracy({ size, seed: Number(seed), harsh: false, data: month1Dir });
log(`accuracy: ${accuracy.passed ? 'goals met' : 'GOALS MISSED'} in ${accuracy.seconds.total.toFixed(1)} s`);

// ------------------------------------------------------------------ per database
interface TruthCompare {
  families: number;
  differing: number;
  byFigure: Record<string, number>;
  examples: unknown[];
}
interface SingleOut {
  families: number;
  calls: number;
  seconds: number;
  latenciesMs: number[];
  failures: Record<string, number>;
  truth: TruthCompare;
  truthMain: TruthCompare;
  maxRssMb: number;
}

const recheckSummary = (out: RecheckOut) => {
  const families = out.runs.reduce((n, r) => n + (r.counts.doneCount ?? 0), 0);
  return {
    seconds: out.seconds,
    families,
    familiesPerSecond: families / out.seconds,
    failed: out.failed.length,
    alerts: out.alerts.length,
    maxRssMb: out.maxRssMb,
    profileTop: Object.entries(out.profileMs)
      .slice(0, 8)
      .map(([call, v]) => ({ call, ms: Math.round(v.ms), calls: v.calls })),
  };
};

async function measure(db: string) {
  const stamp = Date.now();
  const database = openBenchDatabase(db, pgUrl, join(work, `bench-${size}.sqlite`), `bench_run_${stamp}`);
  const loadDb = openBenchDatabase(db, pgUrl, join(work, `load-${size}.sqlite`), `bench_load_${stamp}`);
  const keys = JSON.stringify(newKeyFile(new Date().toISOString()));
  rmSync(join(work, 'files'), { recursive: true, force: true });
  const env = stepEnv(database.url, keys, join(work, 'files'));
  const step = <T>(name: string, stepArgs: string[]) =>
    runStep<T>('bench/recheck-step.ts', env, name, stepArgs);
  try {
    log(`[${db}] importing month one: ${m1Files.length} main files`);
    const ingest = importSummary(
      step<ImportOut>('import', ['--clock', CLOCK.import1, ...m1Files.map((f) => join(month1Dir, f.file))]),
    );
    log(
      `[${db}]   ${int(ingest.rows)} rows in ${ingest.seconds.toFixed(1)} s, peak RSS ${int(ingest.maxRssMb)} MB`,
    );
    // Right after the main files: the side files as unidentified rows (待认定记录), outside the ingest figure.
    const m1Side = ordered(sideFiles(month1Dir));
    const unidentified = importSummary(
      step<ImportOut>('import', ['--clock', CLOCK.import1, ...m1Side.map((f) => join(month1Dir, f.file))]),
    );
    log(
      `[${db}] unidentified rows: ${int(unidentified.rows)} rows of ${unidentified.files} side files in ${unidentified.seconds.toFixed(1)} s`,
    );
    const roster = step<{ families: number; members: number }>('roster', [
      '--clock',
      CLOCK.roster,
      '--month',
      MONTH1,
      month1Dir,
      ...(fullCity ? ['--all'] : []),
    ]);
    log(`[${db}] roster: ${roster.families} families, ${roster.members} members`);
    const single = runStep<SingleOut>('bench/harness/single-step.ts', env, 'single', [
      '--clock',
      CLOCK.single,
      '--samples',
      String(samples),
      month1Dir,
    ]);
    const latency = summarise(single.latenciesMs);
    log(`[${db}] single family: p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)} over ${latency.count} calls`);
    const recheck1 = recheckSummary(
      step<RecheckOut>('recheck', ['--clock', CLOCK.recheck1, '--month', MONTH1]),
    );
    log(
      `[${db}] month one recheck (baseline): ${recheck1.families} families in ${recheck1.seconds.toFixed(2)} s`,
    );
    const m2Files = changedFiles(month1Dir, month2Dir);
    const m2Side = changedSideFiles(month1Dir, month2Dir);
    const import2 = importSummary(
      step<ImportOut>('import', [
        '--clock',
        CLOCK.import2,
        ...[...m2Files, ...m2Side].map((f) => join(month2Dir, f.file)),
      ]),
    );
    const recheck = recheckSummary(
      step<RecheckOut>('recheck', ['--clock', CLOCK.recheck2, '--month', MONTH2]),
    );
    log(`[${db}] month two recheck: ${recheck.families} families in ${recheck.seconds.toFixed(2)} s`);
    let load: LoadResult | null = null;
    if (users > 0) {
      log(`[${db}] ${users} simulated staff for ${loadSeconds} s`);
      load = await runLoad({
        databaseUrl: loadDb.url,
        keys,
        filesDir: join(work, 'load-files'),
        port: 38_000 + (process.pid % 1000),
        users,
        seconds: loadSeconds,
      });
      log(`[${db}]   ${load.requests} requests, p95 ${ms(load.all.p95)}, ${load.errors} errors`);
    }
    // The same load on `hedui serve --workers N` (same database, its demo city already loaded).
    let loadWorkers: LoadResult | null = null;
    if (users > 0 && loadWorkerCount !== '1') {
      log(`[${db}] ${users} simulated staff for ${loadSeconds} s, --workers ${loadWorkerCount}`);
      loadWorkers = await runLoad({
        databaseUrl: loadDb.url,
        keys,
        filesDir: join(work, 'load-files'),
        port: 38_000 + (process.pid % 1000),
        users,
        seconds: loadSeconds,
        workers: loadWorkerCount,
      });
      log(
        `[${db}]   ${loadWorkers.requests} requests, p95 ${ms(loadWorkers.all.p95)}, ${loadWorkers.errors} errors`,
      );
    }
    const { latenciesMs: _samples, ...singleRest } = single;
    return {
      ingest,
      unidentified,
      roster,
      single: { ...singleRest, latency },
      recheck1,
      import2,
      recheck,
      load,
      loadWorkers,
    };
  } finally {
    database.drop();
    loadDb.drop();
  }
}

const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
for (const db of databases) results[db] = await measure(db);

// ------------------------------------------------------------------ figures
const pct = (n: number, digits = 2) => `${(n * 100).toFixed(digits)} %`;
function figures(db: string, r: Awaited<ReturnType<typeof measure>>): FigureRow[] {
  const label = db === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const truth = r.single.truth;
  const share = truth.families === 0 ? 0 : truth.differing / truth.families;
  const mainShare =
    r.single.truthMain.families === 0 ? 0 : r.single.truthMain.differing / r.single.truthMain.families;
  const rows: FigureRow[] = [
    {
      figure: `ingest rows/s (${label}, ${int(r.ingest.rows)} rows, ${r.ingest.files} files)`,
      measured: `${int(r.ingest.rowsPerSecond)} rows/s`,
      reference: `PostgreSQL COPY ${int(copy.rowsPerSecond)} rows/s; DuckDB read_csv ${int(duckReadCsv.rowsPerSecond)} rows/s`,
      ratio: r.ingest.rowsPerSecond / copy.rowsPerSecond,
      goal: '≥ 1 000 000 rows/s and ≥ 0.5× COPY',
      met: r.ingest.rowsPerSecond >= 1_000_000 && r.ingest.rowsPerSecond >= copy.rowsPerSecond / 2,
    },
    {
      figure: `ingest peak RSS (${label})`,
      measured: `${int(r.ingest.maxRssMb)} MB`,
      reference: '—',
      ratio: null,
      goal: '≤ 512 MB',
      met: r.ingest.maxRssMb <= 512,
    },
    {
      figure: `single-family latency p50 / p99 (${label}, ${r.single.latency.count} calls over ${r.single.families} roster families)`,
      measured: `${ms(r.single.latency.p50)} / ${ms(r.single.latency.p99)}`,
      reference: `DuckDB ${ms(duckSingle.p50)} / ${ms(duckSingle.p99)}`,
      ratio: r.single.latency.p99 !== null && duckSingle.p99 ? r.single.latency.p99 / duckSingle.p99 : null,
      goal: 'p99 ≤ 20 ms',
      met: r.single.latency.p99 !== null && r.single.latency.p99 <= 20,
    },
    {
      figure: fullCity
        ? `monthly recheck of the roster (${label}) — roster is the whole city (--full-city)`
        : `monthly recheck of the roster (${label}, ${r.recheck.families} families)`,
      measured: fullCity ? '—' : `${r.recheck.seconds.toFixed(2)} s`,
      reference: fullCity
        ? '—'
        : `DuckDB read + join ${duckRecheck.totalSeconds.toFixed(2)} s (query ${duckRecheck.querySeconds.toFixed(2)} s)`,
      ratio: fullCity ? null : r.recheck.seconds / duckRecheck.totalSeconds,
      goal: 'faster than DuckDB; ≤ 10 s',
      met: fullCity ? null : r.recheck.seconds < duckRecheck.totalSeconds && r.recheck.seconds <= 10,
    },
    {
      figure: `full-city recheck (${label}${fullCity ? `, ${r.recheck.families} families` : ', run with --full-city'})`,
      measured: fullCity ? `${r.recheck.seconds.toFixed(2)} s` : '—',
      reference: fullCity ? `DuckDB read + join ${duckRecheck.totalSeconds.toFixed(2)} s` : '—',
      ratio: fullCity ? r.recheck.seconds / duckRecheck.totalSeconds : null,
      goal: '≤ 60 s',
      met: fullCity ? r.recheck.seconds <= 60 : null,
    },
    ...accuracy.goals.map((g) => ({
      figure: `accuracy: ${g.goal}`,
      measured: g.measured,
      reference: '—',
      ratio: null,
      goal: g.target,
      met: g.met,
    })),
    {
      figure: `roster families whose figures differ from ground truth (${label})`,
      measured: `${truth.differing} of ${truth.families} (${pct(share)})`,
      reference: `vs figures of the main files only: ${r.single.truthMain.differing} (${pct(mainShare)})`,
      ratio: null,
      goal: '≤ 0.05 %',
      met: share <= 0.0005,
    },
    {
      figure: `concurrent use p95 (${label}, ${users} staff, ${loadSeconds} s)`,
      measured:
        r.load === null
          ? '—'
          : `${ms(r.load.all.p95)} (p50 ${ms(r.load.all.p50)}, p99 ${ms(r.load.all.p99)}; ${int(r.load.requestsPerSecond)} req/s; ${r.load.errors} errors)`,
      reference: '—',
      ratio: null,
      goal: 'p95 ≤ 200 ms, no errors',
      met: r.load === null ? null : r.load.all.p95 !== null && r.load.all.p95 <= 200 && r.load.errors === 0,
    },
    ...(r.loadWorkers === null
      ? []
      : [
          {
            figure: `concurrent use p95 (${label}, ${users} staff, ${loadSeconds} s, --workers ${loadWorkerCount})`,
            measured: `${ms(r.loadWorkers.all.p95)} (p50 ${ms(r.loadWorkers.all.p50)}, p99 ${ms(r.loadWorkers.all.p99)}; ${int(r.loadWorkers.requestsPerSecond)} req/s; ${r.loadWorkers.errors} errors)`,
            reference: '—',
            ratio: null,
            goal: 'p95 ≤ 200 ms, no errors',
            met: r.loadWorkers.all.p95 !== null && r.loadWorkers.all.p95 <= 200 && r.loadWorkers.errors === 0,
          },
        ]),
  ];
  return rows;
}

const table = Object.fromEntries(Object.entries(results).map(([db, r]) => [db, figures(db, r)]));
const result = {
  measuredAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? '',
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
  },
  command: `npm run bench -- ${args.join(' ')}`,
  size,
  seed: Number(seed),
  fullCity,
  notes: [
    'single family: assessRosterFamily (the recheck purpose, no-op record hook) — the same compute as runAssessment without the case look-up of requireOpenCase',
    'single family: roster families cycled until the sample count is reached; figures compared on each family’s first assessment',
    'recheck: authorization_on_file set to 1 on every roster family by one SQL update (bench/recheck-step.ts)',
    'concurrent use: its own database with the demo city (HEDUI_DEMO_DATA=on); one session per staff account shared by its virtual users',
  ],
  references: {
    postgresCopy: copy,
    duckdbReadCsv: duckReadCsv,
    duckdbSingle: duckSingle,
    duckdbRecheck: duckRecheck,
  },
  accuracy: {
    passed: accuracy.passed,
    goals: accuracy.goals,
    seconds: accuracy.seconds,
    total: accuracy.scores.total,
  },
  databases: results,
  figures: table,
  seconds: 0,
};
result.seconds = seconds(started);

mkdirSync(outDir, { recursive: true });
const base = join(outDir, `bench-${size}-${dbArg}`);
writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
const markdown = [
  `## npm run bench — size ${size}, seed ${seed}, ${databases.join(' + ')} (${result.measuredAt.slice(0, 16)}Z, ${result.seconds.toFixed(0)} s)`,
  '',
  ...Object.entries(table).flatMap(([db, rows]) => [`### ${db}`, '', figuresTable(rows), '']),
].join('\n');
writeFileSync(`${base}.md`, `${markdown}\n`);
writeFileSync(
  `${base}.svg`,
  renderChart(
    `Hedui 基准测试 · 规模 ${size} · ${result.measuredAt.slice(0, 10)}（同次运行的参照）`,
    runPanels(result),
  ),
);
console.log(`\n${markdown}`);
console.log(`written ${base}.json, .md, .svg`);
if (!accuracy.passed) {
  console.error('accuracy goals missed');
  process.exitCode = 1;
}

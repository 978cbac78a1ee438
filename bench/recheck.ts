/**
 * Monthly recheck benchmark (issue #6 done-when, part of #7): the synthetic city of month one is imported through
 * the real path, every recipient family is put on its county's roster, month one is rechecked (the baseline), month
 * two's new files are imported, and month two is rechecked — THE figure — then the alerts are scored against the
 * planted changes. The in-run reference is DuckDB: the same month-two CSV files, a hash join with the roster's ID
 * numbers and a GROUP BY family computing the figures the engine compares.
 *
 *   npx tsx bench/recheck.ts --size S|M [--db sqlite|postgres] [--seed 1] [--out bench-results]
 *
 * Each step runs in its own process (bench/recheck-step.ts) so its peak RSS is its own. The bench sets
 * `authorization_on_file = 1` on every roster family with one SQL update: it measures the recheck, not the
 * entrustment.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { newKeyFile } from '../src/crypto/key-file.ts';
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
  WINDOW2,
} from './harness/city.ts';
import { duckRosterFigures, loadDuckCity } from './harness/duckdb.ts';

const arg = argReader(process.argv.slice(2));
const size = arg('size', 'S');
const dbKind = arg('db', 'sqlite');
const seed = arg('seed', '1');
const outDir = resolve(arg('out', 'bench-results'));
const pgUrl = arg('pg', 'postgres://postgres@127.0.0.1:5432/test');
if (!['S', 'M', 'L'].includes(size)) throw new Error('--size S|M|L');
if (!['sqlite', 'postgres'].includes(dbKind)) throw new Error('--db sqlite|postgres');

const { work, month1Dir, month2Dir } = cityDirs(outDir, 'recheck-work', size, seed);

const g0 = performance.now();
const generated = {
  month1: generateCity(month1Dir, size, seed, []),
  month2: generateCity(month2Dir, size, seed, ['--variant', 'month2']),
};
console.log(
  `city ${size} seed ${seed}: ${JSON.stringify(generated)} in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
);

const database = openBenchDatabase(
  dbKind,
  pgUrl,
  join(work, `recheck-${size}.sqlite`),
  `bench_recheck_${Date.now()}`,
);
const keys = JSON.stringify(newKeyFile(new Date().toISOString()));
rmSync(join(work, 'files'), { recursive: true, force: true });
const env = stepEnv(database.url, keys, join(work, 'files'));
const step = <T>(name: string, stepArgs: string[]): T =>
  runStep<T>('bench/recheck-step.ts', env, name, stepArgs);

interface RosterOut {
  seconds: number;
  families: number;
  members: number;
  authorizationSetOnFile: number;
  maxRssMb: number;
}

/** Wall time split by where it went: repository calls (SQL), audit appends, crypto, and the rest (engine code). */
function profileSplit(out: RecheckOut) {
  let store = 0;
  let audit = 0;
  let crypto = 0;
  let storeCalls = 0;
  for (const [key, { ms, calls }] of Object.entries(out.profileMs)) {
    if (key.startsWith('audit.')) audit += ms;
    else if (key.startsWith('crypto.')) crypto += ms;
    else {
      store += ms;
      storeCalls += calls;
    }
  }
  const wallMs = out.seconds * 1000;
  const top = Object.entries(out.profileMs)
    .slice(0, 20)
    .map(([key, v]) => ({ call: key, ms: Math.round(v.ms), calls: v.calls }));
  return {
    storeMs: Math.round(store),
    storeCalls,
    auditMs: Math.round(audit),
    cryptoMs: Math.round(crypto),
    engineAndOtherMs: Math.round(wallMs - store - audit - crypto),
    top,
  };
}

const PLANTED_KIND: Record<string, string> = {
  new_vehicle: 'NEW_VEHICLE',
  new_property: 'NEW_REAL_ESTATE',
  new_company: 'NEW_MARKET_ENTITY',
  income_rise: 'INCOME_RISE',
  member_deceased: 'MEMBER_DECEASED',
  member_moved_out: 'MEMBER_MOVED_OUT',
  new_marriage: 'NEW_MARRIAGE',
  member_on_payroll: 'MEMBER_ON_PAYROLL',
};

function score(alerts: RecheckOut['alerts']) {
  const lines = readFileSync(join(month2Dir, 'truth', 'planted-changes.csv'), 'utf8')
    .split('\n')
    .slice(1);
  const planted = new Map<string, Set<string>>();
  const plantedFamilies = new Set<string>();
  for (const line of lines.filter(Boolean)) {
    const [familyId, , change] = line.split(',');
    const kind = PLANTED_KIND[change as string];
    if (!kind) throw new Error(`unknown planted change ${change}`);
    const set = planted.get(kind) ?? new Set<string>();
    set.add(`F${familyId}`);
    planted.set(kind, set);
    plantedFamilies.add(`F${familyId}`);
  }
  const found = new Map<string, Set<string>>();
  for (const a of alerts) {
    const set = found.get(a.kind) ?? new Set<string>();
    set.add(a.familyKey);
    found.set(a.kind, set);
  }
  return Object.values(PLANTED_KIND).map((kind) => {
    const p = planted.get(kind) ?? new Set<string>();
    const f = found.get(kind) ?? new Set<string>();
    const hits = [...f].filter((k) => p.has(k)).length;
    const falseAlerts = [...f].filter((k) => !p.has(k));
    return {
      kind,
      planted: p.size,
      alerted: f.size,
      found: hits,
      falseAlerts: falseAlerts.length,
      falseOnOtherPlantedFamily: falseAlerts.filter((k) => plantedFamilies.has(k)).length,
      precision: f.size === 0 ? null : hits / f.size,
      recall: p.size === 0 ? null : hits / p.size,
    };
  });
}

/** The in-run reference: DuckDB over month two's main CSV files, joined with the roster's ID numbers. */
async function duckdbReference() {
  const city = await loadDuckCity(month2Dir, mainFiles(month2Dir), join(month1Dir, 'truth'));
  try {
    const { querySeconds, families } = await duckRosterFigures(city, WINDOW2);
    const loadSeconds = city.readSeconds + city.rosterSeconds;
    return {
      loadSeconds,
      querySeconds,
      totalSeconds: loadSeconds + querySeconds,
      rowsLoaded: city.rows,
      families: families.length,
      sample: families[0],
    };
  } finally {
    city.close();
  }
}

try {
  const m1Files = ordered(mainFiles(month1Dir));
  console.log(`importing month one: ${m1Files.length} main files`);
  const import1 = importSummary(
    step<ImportOut>('import', ['--clock', CLOCK.import1, ...m1Files.map((f) => join(month1Dir, f.file))]),
  );
  console.log(`  ${import1.rows} rows in ${import1.seconds.toFixed(1)} s`);
  // Right after the main files: the side files as unidentified rows (待认定记录), outside the ingest figure.
  const m1Side = ordered(sideFiles(month1Dir));
  const unidentified1 = importSummary(
    step<ImportOut>('import', ['--clock', CLOCK.import1, ...m1Side.map((f) => join(month1Dir, f.file))]),
  );
  console.log(`  unidentified rows: ${unidentified1.rows} rows of ${unidentified1.files} side files`);
  const roster = step<RosterOut>('roster', ['--clock', CLOCK.roster, '--month', MONTH1, month1Dir]);
  console.log(
    `rosters: ${roster.families} families, ${roster.members} members; authorization_on_file set by SQL on ${roster.authorizationSetOnFile}`,
  );
  const recheck1 = step<RecheckOut>('recheck', ['--clock', CLOCK.recheck1, '--month', MONTH1]);
  console.log(`month one recheck (baseline): ${recheck1.seconds.toFixed(2)} s`);

  // Month two's new or changed files (periods before the new month are byte-identical: a duplicate upload).
  const m2Files = changedFiles(month1Dir, month2Dir);
  const m2Side = changedSideFiles(month1Dir, month2Dir);
  console.log(
    `importing month two: ${m2Files.length} new or changed main files, then ${m2Side.length} side files`,
  );
  const import2 = importSummary(
    step<ImportOut>('import', [
      '--clock',
      CLOCK.import2,
      ...[...m2Files, ...m2Side].map((f) => join(month2Dir, f.file)),
    ]),
  );
  const recheck2 = step<RecheckOut>('recheck', ['--clock', CLOCK.recheck2, '--month', MONTH2]);
  const families = recheck2.runs.reduce((n, r) => n + (r.counts.doneCount ?? 0), 0);
  console.log(`month two recheck: ${families} families in ${recheck2.seconds.toFixed(2)} s`);
  const detection = score(recheck2.alerts);
  const unexpectedBaselineAlerts = recheck1.alerts.length;

  const reference = await duckdbReference();
  const summarise = (r: RecheckOut) => ({
    seconds: r.seconds,
    families: r.runs.reduce((n, x) => n + (x.counts.doneCount ?? 0), 0),
    failed: r.failed.length,
    failedCodes: [...new Set(r.failed.map((f) => f.errorCode))],
    familiesPerSecond: r.runs.reduce((n, x) => n + (x.counts.doneCount ?? 0), 0) / r.seconds,
    alerts: r.alerts.length,
    maxRssMb: r.maxRssMb,
    profile: profileSplit(r),
    runs: r.runs,
  });
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    size,
    seed: Number(seed),
    database: dbKind,
    notes: [
      'authorization_on_file set to 1 on every roster family by one SQL update (the bench measures the recheck, not the entrustment)',
      '低保边缘家庭 put on the roster as 最低生活保障 (not an assistance type of the platform)',
      'roster: co-residing members of recipient families from month one truth, true ID numbers and names',
    ],
    import1,
    unidentified1,
    roster,
    recheck1: summarise(recheck1),
    import2,
    recheck2: summarise(recheck2),
    baselineAlerts: unexpectedBaselineAlerts,
    detection,
    duckdb: reference,
    ratio: recheck2.seconds / reference.totalSeconds,
    ratioQueryOnly: recheck2.seconds / reference.querySeconds,
  };
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `recheck-${size}-${dbKind}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

  const f1 = (n: number) => n.toFixed(1);
  const f2 = (n: number) => n.toFixed(2);
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  const pct = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)} %`);
  const r2 = result.recheck2;
  console.log(`\n${file}\n`);
  console.log('| step | seconds | rate | peak RSS MB |');
  console.log('|---|---|---|---|');
  console.log(
    `| import month one (${int(import1.rows)} rows, ${import1.files} files) | ${f1(import1.seconds)} | ${int(import1.rowsPerSecond)} rows/s | ${int(import1.maxRssMb)} |`,
  );
  console.log(
    `| month one recheck (baseline, ${result.recheck1.families} families) | ${f2(result.recheck1.seconds)} | ${f1(result.recheck1.familiesPerSecond)} families/s | ${int(result.recheck1.maxRssMb)} |`,
  );
  console.log(
    `| import month two (${int(import2.rows)} rows, ${import2.files} files) | ${f1(import2.seconds)} | ${int(import2.rowsPerSecond)} rows/s | ${int(import2.maxRssMb)} |`,
  );
  console.log(
    `| **month two recheck (${r2.families} families)** | **${f2(r2.seconds)}** | ${f1(r2.familiesPerSecond)} families/s | ${int(r2.maxRssMb)} |`,
  );
  console.log(
    `| DuckDB reference: load ${int(reference.rowsLoaded)} rows / query | ${f2(reference.loadSeconds)} / ${f2(reference.querySeconds)} | — | — |`,
  );
  console.log(
    `\nratio recheck / DuckDB (load + query): ${f1(result.ratio)}×; / query only: ${f1(result.ratioQueryOnly)}×`,
  );
  console.log(
    `profile of the month-two recheck (ms): store ${r2.profile.storeMs}, audit ${r2.profile.auditMs}, crypto ${r2.profile.cryptoMs}, engine and other ${r2.profile.engineAndOtherMs}`,
  );
  console.log(
    '\n| change | planted | found | alerted | false alerts (on another planted family) | precision | recall |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const d of detection)
    console.log(
      `| ${d.kind} | ${d.planted} | ${d.found} | ${d.alerted} | ${d.falseAlerts} (${d.falseOnOtherPlantedFamily}) | ${pct(d.precision)} | ${pct(d.recall)} |`,
    );
  console.log(`\nbaseline alerts (must be 0): ${unexpectedBaselineAlerts}; failed families: ${r2.failed}`);
} finally {
  database.drop();
}

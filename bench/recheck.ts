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
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { newKeyFile } from '../src/crypto/key-file.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const size = arg('size', 'S');
const dbKind = arg('db', 'sqlite');
const seed = arg('seed', '1');
const outDir = resolve(arg('out', 'bench-results'));
const pgUrl = arg('pg', 'postgres://postgres@127.0.0.1:5432/test');
if (!['S', 'M', 'L'].includes(size)) throw new Error('--size S|M|L');
if (!['sqlite', 'postgres'].includes(dbKind)) throw new Error('--db sqlite|postgres');

const work = join(outDir, 'recheck-work');
const month1Dir = join(work, `${size}-seed${seed}-month1`);
const month2Dir = join(work, `${size}-seed${seed}-month2`);
mkdirSync(work, { recursive: true });

/** The bench clock: month one (2025-06 data) is imported on 2025-07-01 and rechecked as 2025-07; month two a month on. */
const CLOCK = {
  import1: '2025-07-01T01:00:00Z',
  roster: '2025-07-01T06:00:00Z',
  recheck1: '2025-07-02T01:00:00Z',
  import2: '2025-08-01T01:00:00Z',
  recheck2: '2025-08-02T01:00:00Z',
};
const MONTH1 = '2025-07';
const MONTH2 = '2025-08';
/** Month two's assessment window (ending the month before the recheck's day). */
const WINDOW2 = { first: '2024-08', last: '2025-07' };

function generate(dir: string, variant: string[]) {
  if (existsSync(join(dir, 'manifest.json'))) return 'reused';
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'bench/generate/cli.ts', '--size', size, '--seed', seed, '--out', dir, ...variant],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return 'generated';
}

interface ManifestFile {
  dataset: string;
  period: string;
  kind: string;
  file: string;
  rows: number;
}
const mainFiles = (dir: string): ManifestFile[] =>
  (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).files as ManifestFile[]).filter(
    (f) => f.kind === 'main',
  );

// Hukou first (the register), then the rest in manifest order.
const ordered = (files: ManifestFile[]) =>
  [...files].sort((a, b) => Number(b.dataset === 'hukou') - Number(a.dataset === 'hukou'));

const g0 = performance.now();
const generated = { month1: generate(month1Dir, []), month2: generate(month2Dir, ['--variant', 'month2']) };
console.log(
  `city ${size} seed ${seed}: ${JSON.stringify(generated)} in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
);

const schema = `bench_recheck_${Date.now()}`;
const psql = (q: string) =>
  execFileSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', q], { encoding: 'utf8' });
const sqliteFile = join(work, `recheck-${size}.sqlite`);
let databaseUrl: string;
if (dbKind === 'postgres') {
  psql(`create schema ${schema}`);
  databaseUrl = `${pgUrl}?options=-c%20search_path%3D${schema}`;
} else {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqliteFile}${suffix}`, { force: true });
  databaseUrl = `sqlite:${sqliteFile}`;
}
const keys = JSON.stringify(newKeyFile(new Date().toISOString()));
rmSync(join(work, 'files'), { recursive: true, force: true });

function step<T>(name: string, stepArgs: string[]): T {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/recheck-step.ts', name, ...stepArgs], {
    env: {
      ...process.env,
      HEDUI_DB: databaseUrl,
      HEDUI_KEYS: keys,
      HEDUI_FILES_DIR: join(work, 'files'),
      HEDUI_LOG_LEVEL: 'silent',
      HEDUI_DEMO: 'on',
      HEDUI_DEMO_DATA: 'off',
    },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`step ${name} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as T;
}

interface ImportOut {
  seconds: number;
  rows: number;
  files: { file: string; status: string; rows: number; seconds: number; errors: unknown[] }[];
  maxRssMb: number;
}
interface RecheckOut {
  seconds: number;
  runs: { runId: number; scope: string; seconds: number; counts: Record<string, number> }[];
  alerts: { familyKey: string; kind: string }[];
  failed: { familyKey: string; errorCode: string | null }[];
  profileMs: Record<string, { ms: number; calls: number }>;
  maxRssMb: number;
}
interface RosterOut {
  seconds: number;
  families: number;
  members: number;
  authorizationSetOnFile: number;
  maxRssMb: number;
}

function importSummary(out: ImportOut) {
  const notCommitted = out.files.filter((f) => f.status !== 'committed');
  if (notCommitted.length > 0) console.warn(`not committed: ${JSON.stringify(notCommitted)}`);
  return {
    seconds: out.seconds,
    files: out.files.length,
    rows: out.rows,
    rowsPerSecond: out.rows / out.seconds,
    maxRssMb: out.maxRssMb,
    notCommitted: notCommitted.map((f) => ({ file: f.file, status: f.status, errors: f.errors })),
  };
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
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const files = mainFiles(month2Dir);
  const byDataset = new Map<string, string[]>();
  for (const f of files)
    byDataset.set(f.dataset, [...(byDataset.get(f.dataset) ?? []), join(month2Dir, f.file)]);
  const list = (paths: string[]) => `[${paths.map((p) => `'${p}'`).join(', ')}]`;
  const t0 = performance.now();
  for (const [dataset, paths] of byDataset)
    await db.run(
      `create table ${dataset} as select * from read_csv(${list(paths)}, header = true, all_varchar = true)`,
    );
  const truth = join(month1Dir, 'truth');
  // The roster (month one's co-residing members of recipient families), keyed by the 18-digit ID and, for 19xx
  // births, its legacy 15-digit form.
  await db.run(`create table roster as
    select 'F' || p.family_id as family_key, p.id_number as id18
    from read_csv('${join(truth, 'people.csv')}', all_varchar = true) p
    join read_csv('${join(truth, 'families.csv')}', all_varchar = true) f using (family_id)
    where f.recipient = '1' and p.co_residing = '1'`);
  await db.run(`create table roster_key as
    select id18 as k, family_key from roster
    union all
    select substr(id18, 1, 6) || substr(id18, 9, 9), family_key from roster where substr(id18, 7, 2) = '19'`);
  const loadSeconds = (performance.now() - t0) / 1000;
  await db.run(`create macro norm(s) as upper(translate(replace(replace(replace(trim(s), ' ', ''), '''', ''), '　', ''),
    '０１２３４５６７８９ｘＸ', '0123456789XX'))`);
  await db.run(
    `create macro fen(s) as cast(round(cast(nullif(trim(s), '') as decimal(18, 2)) * 100) as bigint)`,
  );
  const w = `between '${WINDOW2.first}' and '${WINDOW2.last}'`;
  const j = (table: string) => `${table} t join roster_key r on norm(t.身份证号) = r.k`;
  const query = `
    with
    tax as (select family_key,
        sum(case when 所得项目 in ('工资薪金', '劳务报酬', '稿酬', '特许权使用费') then fen(收入额) end) as wages,
        sum(case when 所得项目 = '经营所得' then fen(收入额) end) as business,
        sum(case when 所得项目 in ('利息股息红利', '财产租赁', '财产转让') then fen(收入额) end) as property,
        sum(case when 所得项目 in ('偶然所得', '其他') then fen(收入额) end) as other
      from ${j('tax_income')} where 所属期起 ${w} group by family_key),
    pay as (select family_key, count(distinct 所属月份) as payroll_months, sum(fen(应发工资)) as payroll
      from ${j('payroll')} where 所属月份 ${w} group by family_key),
    ben as (select family_key, sum(fen(发放金额)) as benefits from ${j('benefit')} where 所属月份 ${w} group by family_key),
    sub as (select family_key, sum(fen(金额)) as subsidies from ${j('subsidy')}
      where substr(发放日期, 1, 7) ${w} group by family_key),
    con as (select family_key, sum(fen(个人缴费额)) as contributions from ${j('contribution')}
      where 所属月份 ${w} group by family_key),
    pf as (select family_key, sum(fen(月缴存额)) as provident from ${j('provident_fund')}
      where 所属月份 ${w} group by family_key),
    dep as (select family_key, sum(fen(余额)) as deposits from ${j('deposit')} group by family_key),
    veh as (select family_key, count(distinct 号牌号码) as vehicles from ${j('vehicle')}
      where 车辆状态 = '正常' group by family_key),
    tra as (select family_key, count(distinct 号牌或船名) as transport from ${j('transport')}
      where 状态 = '有效' group by family_key),
    re as (select family_key, count(distinct 不动产单元号) as real_estate_units from ${j('real_estate')}
      where 权利状态 in ('现势', '查封') group by family_key),
    me as (select family_key, count(distinct 统一社会信用代码) as market_entities from ${j('market_entity')}
      where 登记状态 = '存续' group by family_key),
    dea as (select family_key, count(*) as deaths from ${j('death')} group by family_key),
    huk as (select family_key, count(*) filter (where 户籍状态 <> '正常') as hukou_changes from ${j('hukou')}
      group by family_key),
    mar as (select family_key, count(*) filter (where 登记类型 = '结婚') as marriages from ${j('marriage')}
      group by family_key)
    select f.family_key, tax.wages, tax.business, tax.property, tax.other, pay.payroll_months, pay.payroll,
      ben.benefits, sub.subsidies, con.contributions, pf.provident, dep.deposits, veh.vehicles, tra.transport,
      re.real_estate_units, me.market_entities, dea.deaths, huk.hukou_changes, mar.marriages
    from (select distinct family_key from roster) f
      left join tax using (family_key) left join pay using (family_key) left join ben using (family_key)
      left join sub using (family_key) left join con using (family_key) left join pf using (family_key)
      left join dep using (family_key) left join veh using (family_key) left join tra using (family_key)
      left join re using (family_key) left join me using (family_key) left join dea using (family_key)
      left join huk using (family_key) left join mar using (family_key)`;
  const q0 = performance.now();
  const reader = await db.runAndReadAll(query);
  const families = reader.getRowObjectsJson();
  const querySeconds = (performance.now() - q0) / 1000;
  const rows = files.reduce((n, f) => n + f.rows, 0);
  db.closeSync();
  instance.closeSync();
  return {
    loadSeconds,
    querySeconds,
    totalSeconds: loadSeconds + querySeconds,
    rowsLoaded: rows,
    families: families.length,
    sample: families[0],
  };
}

try {
  const m1Files = ordered(mainFiles(month1Dir));
  console.log(`importing month one: ${m1Files.length} main files`);
  const import1 = importSummary(
    step<ImportOut>('import', ['--clock', CLOCK.import1, ...m1Files.map((f) => join(month1Dir, f.file))]),
  );
  console.log(`  ${import1.rows} rows in ${import1.seconds.toFixed(1)} s`);
  const roster = step<RosterOut>('roster', ['--clock', CLOCK.roster, '--month', MONTH1, month1Dir]);
  console.log(
    `rosters: ${roster.families} families, ${roster.members} members; authorization_on_file set by SQL on ${roster.authorizationSetOnFile}`,
  );
  const recheck1 = step<RecheckOut>('recheck', ['--clock', CLOCK.recheck1, '--month', MONTH1]);
  console.log(`month one recheck (baseline): ${recheck1.seconds.toFixed(2)} s`);

  // Month two's new or changed files (periods before the new month are byte-identical: a duplicate upload).
  const m2Files = ordered(mainFiles(month2Dir)).filter((f) => {
    const before = join(month1Dir, f.file);
    return !existsSync(before) || !readFileSync(before).equals(readFileSync(join(month2Dir, f.file)));
  });
  console.log(`importing month two: ${m2Files.length} new or changed main files`);
  const import2 = importSummary(
    step<ImportOut>('import', ['--clock', CLOCK.import2, ...m2Files.map((f) => join(month2Dir, f.file))]),
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
  if (dbKind === 'postgres') psql(`set client_min_messages = warning; drop schema ${schema} cascade`);
}

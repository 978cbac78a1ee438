/**
 * One step of the recheck benchmark (bench/recheck.ts) in a fresh process, so its time and peak RSS are its own.
 * The database and keys come from HEDUI_DB / HEDUI_KEYS; the clock is fixed to a bench date (advancing in real
 * time) so the assessment window ends with the generated city's month. Prints one JSON line.
 *
 *   import  --clock ISO FILE…            every file through importBatch (system actor); the generator's side
 *                                        files (.badid.csv, .noid.csv) of a dataset and period merged into one
 *                                        batch of unidentified rows through importUnidentified
 *   roster  --clock ISO --month M DIR [--all]  one roster per county requester from DIR/truth (importRoster,
 *                                        JSON): the recipient families, or with --all every family of the city
 *   recheck --clock ISO --month M        startRecheck for every county agency (system actor), profiled
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../src/app/actor.ts';
import { type ImportResult, importBatch } from '../src/app/ingest/import-batch.ts';
import { importUnidentified } from '../src/app/ingest/import-unidentified.ts';
import type { Actor, Deps } from '../src/app/ports.ts';
import { startRecheck } from '../src/app/recheck/run-recheck.ts';
import { importRoster } from '../src/app/roster/import-roster.ts';
import { openRuntime, prepareDatabase } from '../src/cli/runtime.ts';
import { loadConfig } from '../src/config.ts';
import type { Clock } from '../src/domain/shared/clock.ts';
import { takeOption, truthFamilies } from './harness/city.ts';

const [step, ...rest] = process.argv.slice(2);
const option = (name: string) => takeOption(rest, name);
const clockAt = option('clock');
const base = new Date(clockAt).getTime();
const startedReal = Date.now();
const clock: Clock = { now: () => new Date(base + (Date.now() - startedReal)) };

const config = { ...loadConfig(), demo: 'on' as const, demoData: false };
const runtime = openRuntime(config, clock);
await prepareDatabase(runtime, config);
const seconds = (from: number) => (performance.now() - from) / 1000;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

/**
 * The generator's side files of one dataset and period (`.badid.csv`: 身份证号, 姓名, 出生日期, …; `.noid.csv`: 姓名,
 * 出生日期, …) as one file of unidentified rows: a department delivers a period's 待认定记录 as one batch, and a
 * newer one supersedes it. Rows of `.noid.csv` get an empty 身份证号.
 */
function mergedSideFile(dir: string, files: string[]): string {
  if (files.length === 1) return files[0] as string;
  const parts = files.map((file) => {
    const [header, ...lines] = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const withId = (header as string).startsWith('身份证号,');
    return {
      header: withId ? (header as string) : `身份证号,${header}`,
      lines: withId ? lines : lines.map((l) => `,${l}`),
    };
  });
  const header = parts[0]?.header as string;
  if (parts.some((p) => p.header !== header))
    throw new Error(`side files with different columns: ${files.join(', ')}`);
  const [dataset, period] = basename(files[0] as string).split('.') as [string, string];
  const merged = join(dir, `${dataset}.${period}.unidentified.csv`);
  writeFileSync(merged, `${[header, ...parts.flatMap((p) => p.lines)].join('\n')}\n`);
  return merged;
}

async function importFiles(files: string[]) {
  const results = [];
  const t0 = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), 'hedui-bench-side-'));
  // Main files one by one; the side files of a dataset and period together, where the first of them stands.
  const units: { file: string; unidentified: boolean }[] = [];
  const sides = new Map<string, string[]>();
  for (const file of files) {
    const [dataset, period, kind] = basename(file).split('.') as [string, string, string];
    if (kind !== 'badid' && kind !== 'noid') {
      units.push({ file, unidentified: false });
      continue;
    }
    const key = `${dataset}.${period}`;
    const group = sides.get(key);
    if (group) group.push(file);
    else {
      sides.set(key, [file]);
      units.push({ file: key, unidentified: true });
    }
  }
  try {
    for (const unit of units) {
      const file = unit.unidentified ? mergedSideFile(tmp, sides.get(unit.file) as string[]) : unit.file;
      const [dataset, period] = basename(file).split('.') as [string, string];
      const t = performance.now();
      const input = {
        datasetCode: dataset,
        period,
        source: 'cli',
        fileName: basename(file),
        path: file,
      } as const;
      const r: ImportResult & { nearbyIdRows?: number; nameBirthRows?: number } = unit.unidentified
        ? await importUnidentified(runtime.deps, input, SYSTEM_ACTOR)
        : await importBatch(runtime.deps, input, SYSTEM_ACTOR);
      results.push({
        file: basename(file),
        status: r.status,
        rows: r.rows,
        stored: r.stored,
        ...(unit.unidentified ? { nearbyIdRows: r.nearbyIdRows, nameBirthRows: r.nameBirthRows } : {}),
        seconds: seconds(t),
        errors: r.errors.slice(0, 2),
        fileErrors: r.fileErrors,
      });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const rows = results.reduce((n, r) => n + (r.status === 'committed' ? r.rows : 0), 0);
  return { seconds: seconds(t0), rows, files: results, maxRssMb: maxRssMb() };
}

async function importRosters(dir: string, month: string, all: boolean) {
  const t0 = performance.now();
  const { deps } = runtime;
  const families = truthFamilies(dir, { all });
  const orgs = await deps.store.organisations.list(null);
  const rosters = new Map<string, { requester: (typeof orgs)[number]; rows: Record<string, string>[] }>();
  let members = 0;
  for (const family of families) {
    const { county } = family;
    let roster = rosters.get(county);
    if (!roster) {
      const requester = orgs.find(
        (o) => o.kind === 'requester' && o.regionCode === county && o.name.includes('社会救助股'),
      );
      if (!requester) throw new Error(`no requester for county ${county}`);
      roster = { requester, rows: [] };
      rosters.set(county, roster);
    }
    family.members.forEach((p, i) => {
      members += 1;
      roster.rows.push({
        familyKey: family.familyKey,
        name: p.name,
        idNumber: p.idNumber,
        relation: p.relation,
        ...(i === 0
          ? {
              regionCode: `${county}001`,
              assistanceType: family.assistanceType,
              startDate: '2024-01-01',
              monthlyAmount: '500.00',
            }
          : {}),
      });
    });
  }
  const results = [];
  for (const { requester, rows } of [...rosters.values()].sort((a, b) => a.requester.id - b.requester.id)) {
    const actor: Actor = {
      ...SYSTEM_ACTOR,
      name: '名册导入（基准测试）',
      roles: ['requester_staff'],
      organisationId: requester.id,
      regionCode: requester.regionCode,
    };
    const r = await importRoster(deps, { source: 'api', month, rows }, actor);
    if (r.status !== 'committed')
      throw new Error(`roster of ${requester.name} rejected: ${JSON.stringify(r.problems.slice(0, 5))}`);
    results.push({ requester: requester.name, families: r.familyCount, members: r.memberCount });
  }
  const importSeconds = seconds(t0);
  // The bench measures the recheck, not the entrustment: every roster family's authorization is set on file.
  const update = await sql`update roster_family set authorization_on_file = 1`.execute(runtime.database.db);
  return {
    seconds: importSeconds,
    families: families.length,
    members,
    rosters: results,
    authorizationSetOnFile: Number(update.numAffectedRows ?? 0),
    maxRssMb: maxRssMb(),
  };
}

/** Wall time per repository method and crypto call (the recheck runs one family at a time, so these add up). */
function profiled(deps: Deps) {
  const ms = new Map<string, { ms: number; calls: number }>();
  const add = (key: string, t: number) => {
    const e = ms.get(key) ?? { ms: 0, calls: 0 };
    e.ms += performance.now() - t;
    e.calls += 1;
    ms.set(key, e);
  };
  const timeObject = <T extends object>(prefix: string, target: T): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const t = performance.now();
          const out = value.apply(obj, args);
          if (out instanceof Promise) return out.finally(() => add(`${prefix}.${String(prop)}`, t));
          add(`${prefix}.${String(prop)}`, t);
          return out;
        };
      },
    });
  const wrapRepos = <T extends object>(repos: T): T =>
    new Proxy(repos, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver);
        if (prop === 'transaction' && typeof value === 'function')
          return (fn: (tx: unknown) => Promise<unknown>) =>
            value.call(obj, (tx: object) => fn(wrapRepos(tx)));
        if (typeof value === 'object' && value !== null) return timeObject(String(prop), value);
        return value;
      },
    });
  const wrapped: Deps = { ...deps, store: wrapRepos(deps.store), crypto: timeObject('crypto', deps.crypto) };
  return { deps: wrapped, ms };
}

async function recheckAll(month: string) {
  const { deps, ms } = profiled(runtime.deps);
  const agencies = (await runtime.deps.store.organisations.list(null)).filter((o) => o.kind === 'agency');
  const counties = [];
  for (const a of agencies)
    if ((await runtime.deps.store.regions.get(a.regionCode))?.level === 'county') counties.push(a);
  const t0 = performance.now();
  const runs = [];
  for (const agency of counties.sort((a, b) => a.id - b.id)) {
    const t = performance.now();
    const run = await startRecheck(deps, { month, scopeAgencyId: agency.id }, SYSTEM_ACTOR);
    runs.push({
      runId: run.runId,
      scope: agency.name,
      seconds: seconds(t),
      counts: run.counts,
      alertsByKind: run.alertsByKind,
    });
  }
  const wall = seconds(t0);
  const runIds = runs.map((r) => r.runId);
  const alerts = await runtime.database.db
    .selectFrom('recheckAlert')
    .select(['familyKey', 'kind'])
    .where('runId', 'in', runIds)
    .execute();
  const failed = await runtime.database.db
    .selectFrom('recheckItem')
    .select(['familyKey', 'errorCode'])
    .where('runId', 'in', runIds)
    .where('status', '=', 'failed')
    .execute();
  return {
    seconds: wall,
    runs,
    alerts,
    failed,
    profileMs: Object.fromEntries([...ms.entries()].sort((a, b) => b[1].ms - a[1].ms)),
    maxRssMb: maxRssMb(),
  };
}

let out: unknown;
if (step === 'import') out = await importFiles(rest);
else if (step === 'roster') {
  const month = option('month');
  const all = rest.includes('--all');
  out = await importRosters(rest.filter((a) => a !== '--all')[0] ?? '', month, all);
} else if (step === 'recheck') out = await recheckAll(option('month'));
else throw new Error(`unknown step ${step}`);
await runtime.close();
process.stdout.write(`${JSON.stringify(out)}\n`);

/**
 * Query plans and table sizes of the hot queries on PostgreSQL (issue #9 item 3, docs/deployment.md「数据规模」).
 * Loads month one of the synthetic city through the real import path into a fresh schema (main files, side
 * files, rosters, one recheck), then runs `EXPLAIN (ANALYZE, BUFFERS)` of the hot statements and measures
 * `pg_total_relation_size` per table. Prints markdown; drops the schema unless --keep.
 *
 *   npx tsx bench/pg-plans.ts --size S [--seed 1] [--out bench-results] [--pg URL] [--schema NAME --reuse] [--keep]
 *     [--set random_page_cost=1.1] (planner settings for the planned statements' session; repeatable)
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { NewRecordRow } from '../src/app/ports.ts';
import { newKeyFile } from '../src/crypto/key-file.ts';
import { assessmentRepository } from '../src/store/assessment.repository.ts';
import { batchRepository } from '../src/store/batch.repository.ts';
import { markForBatchQuery } from '../src/store/recheck-marks.repository.ts';
import { retentionRepository } from '../src/store/retention.repository.ts';
import type { DB } from '../src/store/schema.ts';
import {
  argReader,
  CLOCK,
  cityDirs,
  generateCity,
  type ImportOut,
  MONTH1,
  mainFiles,
  openBenchDatabase,
  ordered,
  psql,
  type RecheckOut,
  runStep,
  sideFiles,
  stepEnv,
} from './harness/city.ts';

const argv = process.argv.slice(2);
const arg = argReader(argv);
const size = arg('size', 'S');
const seed = arg('seed', '1');
const outDir = resolve(arg('out', 'bench-results'));
const pgUrl = arg('pg', 'postgres://postgres@127.0.0.1:5432/test');
const reuse = argv.includes('--reuse');
const keep = argv.includes('--keep') || reuse;
const schema = arg('schema', `bench_plans_${Date.now()}`);
const settings = argv.flatMap((a, i) => (argv[i - 1] === '--set' ? [a.split('=') as [string, string]] : []));
for (const [name, value] of settings)
  if (!/^[a-z_]+$/.test(name) || !/^[\w.]+$/.test(value ?? '')) throw new Error(`--set ${name}=${value}`);
if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('--schema: lower-case identifier');

const { work, month1Dir } = cityDirs(outDir, 'plans-work', size, seed);
const database = reuse
  ? { url: `${pgUrl}?options=-c%20search_path%3D${schema}`, drop: () => undefined }
  : openBenchDatabase('postgres', pgUrl, '', schema);
const q = (query: string) => psql(pgUrl, `set search_path = ${schema}; ${query}`);

try {
  if (!reuse) {
    generateCity(month1Dir, size, seed, []);
    const keys = JSON.stringify(newKeyFile(new Date().toISOString()));
    rmSync(join(work, 'files'), { recursive: true, force: true });
    const env = stepEnv(database.url, keys, join(work, 'files'));
    const step = <T>(name: string, args: string[]) => runStep<T>('bench/recheck-step.ts', env, name, args);
    const main = step<ImportOut>('import', [
      '--clock',
      CLOCK.import1,
      ...ordered(mainFiles(month1Dir)).map((f) => join(month1Dir, f.file)),
    ]);
    console.error(`imported ${main.rows} rows in ${main.seconds.toFixed(1)} s`);
    step<ImportOut>('import', [
      '--clock',
      CLOCK.import1,
      ...ordered(sideFiles(month1Dir)).map((f) => join(month1Dir, f.file)),
    ]);
    step('roster', ['--clock', CLOCK.roster, '--month', MONTH1, month1Dir]);
    const recheck = step<RecheckOut>('recheck', ['--clock', CLOCK.recheck1, '--month', MONTH1]);
    console.error(`recheck month one in ${recheck.seconds.toFixed(1)} s`);
  }
  q('analyze');
  console.log(await plans());
} finally {
  if (!keep) database.drop();
}

/**
 * The hot statements as the repositories run them, planned by auto_explain (ANALYZE, BUFFERS) on one connection
 * and sent back as notices; the writes run in transactions that are rolled back, so the schema is left as loaded.
 */
async function plans(): Promise<string> {
  const notices: string[] = [];
  const pool = new pg.Pool({ connectionString: pgUrl, max: 1, options: `-c search_path=${schema}` });
  pool.on('connect', (client) => client.on('notice', (n) => notices.push(n.message ?? '')));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  const out: string[] = [];
  try {
    for (const [name, value] of settings) await sql.raw(`set ${name} = ${value}`).execute(db);
    await sql`load 'auto_explain'`.execute(db);
    await sql`set auto_explain.log_min_duration = 0`.execute(db);
    await sql`set auto_explain.log_analyze = on`.execute(db);
    await sql`set auto_explain.log_buffers = on`.execute(db);
    await sql`set auto_explain.log_nested_statements = off`.execute(db);
    await sql`set auto_explain.log_level = notice`.execute(db);
    await sql`set client_min_messages = notice`.execute(db);
    const explained = async (title: string, run: () => Promise<unknown>) => {
      notices.length = 0;
      const t0 = performance.now();
      await run();
      const ms = performance.now() - t0;
      const kept = notices.filter((n) => n.includes('Query Text'));
      out.push(`### ${title} (${ms.toFixed(1)} ms round trip)\n\n\`\`\`\n${kept.join('\n\n')}\n\`\`\`\n`);
    };
    const rollback = async (work: (tx: Kysely<DB>) => Promise<unknown>) => {
      await db
        .transaction()
        .execute(async (tx) => {
          await work(tx);
          throw new Error('rollback');
        })
        .catch((e: unknown) => {
          if (!(e instanceof Error && e.message === 'rollback')) throw e;
        });
    };
    await sql`set auto_explain.log_min_duration = -1`.execute(db);
    const committed = (
      await db.selectFrom('batch').select('id').where('status', '=', 'committed').execute()
    ).map((b) => b.id);
    const personKeys = (
      await sql<{
        k: string;
      }>`select person_key as k from (select distinct person_key from record where person_key is not null) p order by md5(person_key) limit 500`.execute(
        db,
      )
    ).rows.map((r) => r.k);
    const birthKeys = (
      await sql<{
        k: string;
      }>`select birth_key as k from (select distinct birth_key from record where person_key is null and birth_key is not null) p order by md5(birth_key) limit 500`.execute(
        db,
      )
    ).rows.map((r) => r.k);
    const hukou = await db
      .selectFrom('batch')
      .selectAll()
      .where('status', '=', 'committed')
      .where('dataset', '=', 'hukou')
      .orderBy('rowsStored', 'desc')
      .executeTakeFirstOrThrow();
    const payroll = await db
      .selectFrom('batch')
      .selectAll()
      .where('status', '=', 'committed')
      .where('dataset', '=', 'payroll')
      .orderBy('rowsStored', 'desc')
      .executeTakeFirstOrThrow();
    const sample = (await db
      .selectFrom('record')
      .select([
        'personKey',
        'birthKey',
        'rowNumber',
        'rowHash',
        'idEnc',
        'nameEnc',
        'month',
        'values',
        'caseRef',
      ])
      .where('batchId', '=', payroll.id)
      .orderBy('id')
      .limit(1000)
      .execute()) satisfies NewRecordRow[];
    await sql`set auto_explain.log_min_duration = 0`.execute(db);
    const within = { batchIds: committed, caseRef: 'bench' };
    const assessment = assessmentRepository(db);
    await explained(
      `recordsByPersonKeys: ${personKeys.length} person keys, ${committed.length} standing batches`,
      () => assessment.recordsByPersonKeys(personKeys, within),
    );
    await explained(`recordsWithoutIdByBirthKeys: ${birthKeys.length} birth keys`, () =>
      assessment.recordsWithoutIdByBirthKeys(birthKeys, within),
    );
    await explained(
      `hukouByBirthKeys: ${birthKeys.length} birth keys (read only for keys with rows without an ID)`,
      () => assessment.hukouByBirthKeys(birthKeys, within),
    );
    await explained(`insertRecords: ${sample.length} rows (unnest of column arrays), rolled back`, () =>
      rollback(async (tx) => {
        const { id: _id, ...copy } = payroll;
        const batch = await tx
          .insertInto('batch')
          .values({
            ...copy,
            fingerprint: `plans-${Date.now()}`,
            status: 'importing',
            supersededBy: null,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        await batchRepository(tx, 'postgres').insertRecords(batch.id, payroll.dataset, sample);
      }),
    );
    const family = personKeys.slice(0, 4);
    await explained(
      `one family's (${family.length} person keys) payroll records in the standing batches`,
      () =>
        db
          .selectFrom('record')
          .selectAll()
          .where('personKey', 'in', family)
          .where('dataset', '=', 'payroll')
          .where('batchId', 'in', committed)
          .orderBy('id')
          .execute(),
    );
    await explained(`purge of one payroll batch (${payroll.rowsStored} rows), rolled back`, () =>
      rollback((tx) => retentionRepository(tx).purgeBatch(payroll.id, new Date().toISOString())),
    );
    await explained(
      `recheck marks insert…select for the hukou batch (${hukou.rowsStored} rows), rolled back`,
      () => rollback((tx) => markForBatchQuery(tx, hukou.id, 'hukou', new Date().toISOString()).execute()),
    );
    await sql`set auto_explain.log_min_duration = -1`.execute(db);
    // A partitioned table (relkind p) and index (I) hold nothing themselves: their figures are their partitions'.
    const sizes = await sql<{ table: string; rows: string; total: string; perRow: string }>`
      with t as (
        select c.relname, c.relkind,
               case when c.relkind = 'r' then c.reltuples
                 else (select sum(p.reltuples) from pg_partition_tree(c.oid) t join pg_class p on p.oid = t.relid
                        where t.isleaf) end as rows,
               case when c.relkind = 'r' then pg_total_relation_size(c.oid)
                 else (select sum(pg_total_relation_size(t.relid)) from pg_partition_tree(c.oid) t
                        where t.isleaf) end as total
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and (c.relkind = 'p' or (c.relkind = 'r' and not c.relispartition)))
      select relname || case when relkind = 'p' then ' (partitioned)' else '' end as "table", rows::bigint as "rows",
             total, case when rows > 0 then round(total / rows) end as "perRow"
      from t order by total desc limit 14`.execute(db);
    const partitions = await sql<{ table: string; rows: string; total: string; perRow: string }>`
      select p.relname as "table", p.reltuples::bigint as "rows", pg_total_relation_size(p.oid) as "total",
             case when p.reltuples > 0 then round(pg_total_relation_size(p.oid) / p.reltuples) end as "perRow"
      from pg_partition_tree(${`${schema}.record`}::regclass) t join pg_class p on p.oid = t.relid
      where t.isleaf and p.reltuples > 0 order by 3 desc`.execute(db);
    const indexes = await sql<{ index: string; size: string }>`
      select c.relname as "index",
             (select sum(pg_relation_size(t.relid)) from pg_partition_tree(c.oid) t where t.isleaf) as "size"
      from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_index i on i.indexrelid = c.oid
      where n.nspname = ${schema} and i.indrelid = ${`${schema}.record`}::regclass order by 2 desc`.execute(
      db,
    );
    const people = await sql<{ n: string }>`
      select count(distinct person_key) as n from record where dataset = 'hukou' and person_key is not null`.execute(
      db,
    );
    out.unshift(
      `people (distinct hukou person keys): ${people.rows[0]?.n}\n`,
      '| table | rows | total bytes | bytes/row |\n|---|---:|---:|---:|',
      ...sizes.rows.map((r) => `| ${r.table} | ${r.rows} | ${r.total} | ${r.perRow ?? '—'} |`),
      '',
      '| record partition | rows | total bytes | bytes/row |\n|---|---:|---:|---:|',
      ...partitions.rows.map((r) => `| ${r.table} | ${r.rows} | ${r.total} | ${r.perRow ?? '—'} |`),
      '',
      '| record index (all partitions) | bytes |\n|---|---:|',
      ...indexes.rows.map((r) => `| ${r.index} | ${r.size} |`),
      '',
    );
  } finally {
    await db.destroy();
  }
  return out.join('\n');
}

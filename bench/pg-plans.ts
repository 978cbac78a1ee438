/**
 * Query plans and table sizes of the hot queries on PostgreSQL (issue #9 item 3, docs/deployment.md「数据规模」).
 * Loads month one of the synthetic city through the real import path into a fresh schema (main files, side
 * files, rosters, one recheck), then runs `EXPLAIN (ANALYZE, BUFFERS)` of the hot statements and measures
 * `pg_total_relation_size` per table. Prints markdown; drops the schema unless --keep.
 *
 *   npx tsx bench/pg-plans.ts --size S [--seed 1] [--out bench-results] [--pg URL] [--schema NAME --reuse] [--keep]
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newKeyFile } from '../src/crypto/key-file.ts';
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
  console.log(q(`select 1`));
} finally {
  if (!keep) database.drop();
}

/**
 * What the benchmark scripts share about one generated city and the database it is loaded into: generating
 * (or reusing) the city, its main files in import order, the recipient families of its truth files, a bench
 * database (a fresh SQLite file or PostgreSQL schema) and the child-process steps that run against it.
 * Used by bench/run.ts (issue #7), bench/recheck.ts and the step scripts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The bench clock: month one (2025-06 data) is imported on 2025-07-01 and rechecked as 2025-07; month two a month on. */
export const CLOCK = {
  import1: '2025-07-01T01:00:00Z',
  roster: '2025-07-01T06:00:00Z',
  single: '2025-07-01T08:00:00Z',
  recheck1: '2025-07-02T01:00:00Z',
  import2: '2025-08-01T01:00:00Z',
  recheck2: '2025-08-02T01:00:00Z',
} as const;
export const MONTH1 = '2025-07';
export const MONTH2 = '2025-08';
/** The assessment windows (12 months ending the month before the run's day). */
export const WINDOW1 = { first: '2024-07', last: '2025-06' } as const;
export const WINDOW2 = { first: '2024-08', last: '2025-07' } as const;

/** `--name value` of a command line, or the fallback. */
export const argReader =
  (argv: readonly string[]) =>
  (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? (argv[i + 1] as string) : fallback;
  };

/** Removes `--name value` from a step's arguments and returns the value (required). */
export function takeOption(rest: string[], name: string): string {
  const i = rest.indexOf(`--${name}`);
  if (i < 0 || !rest[i + 1]) throw new Error(`--${name} is required`);
  const value = rest[i + 1] as string;
  rest.splice(i, 2);
  return value;
}

/** The working directory of a bench script under OUT and the two months of its city (created). */
export function cityDirs(outDir: string, name: string, size: string, seed: string) {
  const work = join(outDir, name);
  mkdirSync(work, { recursive: true });
  return {
    work,
    month1Dir: join(work, `${size}-seed${seed}-month1`),
    month2Dir: join(work, `${size}-seed${seed}-month2`),
  };
}

/** Generates the city into `dir` unless it is there already (its manifest written). */
export function generateCity(
  dir: string,
  size: string,
  seed: string,
  variant: string[],
): 'reused' | 'generated' {
  if (existsSync(join(dir, 'manifest.json'))) return 'reused';
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'bench/generate/cli.ts', '--size', size, '--seed', seed, '--out', dir, ...variant],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return 'generated';
}

export interface ManifestFile {
  dataset: string;
  period: string;
  kind: string;
  file: string;
  rows: number;
}

const manifestFiles = (dir: string): ManifestFile[] =>
  JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).files as ManifestFile[];

export const mainFiles = (dir: string): ManifestFile[] => manifestFiles(dir).filter((f) => f.kind === 'main');

/**
 * The side files (`.badid.csv`, `.noid.csv`): rows without a usable ID number, which the bench imports as
 * unidentified rows (「待认定记录」, `importUnidentified`) right after the main files of the month.
 */
export const sideFiles = (dir: string): ManifestFile[] => manifestFiles(dir).filter((f) => f.kind !== 'main');

/** Hukou first (the register), then the rest in manifest order. */
export const ordered = (files: ManifestFile[]): ManifestFile[] =>
  [...files].sort((a, b) => Number(b.dataset === 'hukou') - Number(a.dataset === 'hukou'));

/**
 * Month two's new or changed main files — or side files with `pick` — (periods before the new month are
 * byte-identical: a duplicate upload).
 */
export const changedFiles = (
  month1Dir: string,
  month2Dir: string,
  pick: (dir: string) => ManifestFile[] = mainFiles,
): ManifestFile[] =>
  ordered(pick(month2Dir)).filter((f) => {
    const before = join(month1Dir, f.file);
    return !existsSync(before) || !readFileSync(before).equals(readFileSync(join(month2Dir, f.file)));
  });

/**
 * Month two's side files to import: every side file of a dataset and period one of whose side files is new or
 * changed. The step imports a period's side files together as one batch of unidentified rows, and a newer batch of
 * them supersedes the older one, so an unchanged `.noid.csv` must go again with its changed `.badid.csv`.
 */
export const changedSideFiles = (month1Dir: string, month2Dir: string): ManifestFile[] => {
  const changed = new Set(
    changedFiles(month1Dir, month2Dir, sideFiles).map((f) => `${f.dataset}.${f.period}`),
  );
  return ordered(sideFiles(month2Dir)).filter((f) => changed.has(`${f.dataset}.${f.period}`));
};

/** A tiny CSV reader for the generator's truth files (no quoted commas in the columns read here). */
export function readCsv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const columns = (head as string).split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

const ASSISTANCE: Record<string, string> = {
  最低生活保障: '最低生活保障',
  特困人员救助供养: '特困人员救助供养',
  临时救助: '临时救助',
  // Not an assistance type of the platform: 低保边缘家庭 are verified with the 低保 profile here.
  低保边缘家庭: '最低生活保障',
};

export interface TruthFamily {
  familyId: string;
  /** `F<family_id>`, the roster's family key. */
  familyKey: string;
  /** The hukou county (first six digits of the household number). */
  county: string;
  assistanceType: string;
  /** Co-residing members, the applicant (户主, or the first) first, with their true names and ID numbers. */
  members: { name: string; idNumber: string; relation: string }[];
}

/** The families of the city's truth files (the recipients — the roster — unless `all`), with their members. */
export function truthFamilies(dir: string, options: { all?: boolean } = {}): TruthFamily[] {
  const families = readCsv(join(dir, 'truth', 'families.csv')).filter(
    (f) => options.all === true || f.recipient === '1',
  );
  const byFamily = new Map<string, Record<string, string>[]>();
  for (const p of readCsv(join(dir, 'truth', 'people.csv'))) {
    if (p.co_residing !== '1') continue;
    const list = byFamily.get(p.family_id as string);
    if (list) list.push(p);
    else byFamily.set(p.family_id as string, [p]);
  }
  const out: TruthFamily[] = [];
  for (const family of families) {
    const list = byFamily.get(family.family_id as string) ?? [];
    if (list.length === 0) continue;
    const applicant = list.find((p) => p.relation === '户主') ?? (list[0] as Record<string, string>);
    out.push({
      familyId: family.family_id as string,
      familyKey: `F${family.family_id}`,
      county: (family.household_number as string).slice(0, 6),
      assistanceType: ASSISTANCE[family.assistance_type as string] ?? '最低生活保障',
      members: [applicant, ...list.filter((p) => p !== applicant)].map((p) => ({
        name: p.name as string,
        idNumber: p.id_number as string,
        relation: p === applicant ? '户主' : (p.relation as string),
      })),
    });
  }
  return out;
}

/** A fresh bench database: an SQLite file under `work`, or a new PostgreSQL schema dropped by `drop()`. */
export interface BenchDatabase {
  url: string;
  drop(): void;
}

export const psql = (pgUrl: string, query: string): string =>
  execFileSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', query], { encoding: 'utf8' });

export function openBenchDatabase(
  kind: string,
  pgUrl: string,
  sqliteFile: string,
  schema: string,
): BenchDatabase {
  if (kind === 'postgres') {
    psql(pgUrl, `create schema ${schema}`);
    return {
      url: `${pgUrl}?options=-c%20search_path%3D${schema}`,
      drop: () => psql(pgUrl, `set client_min_messages = warning; drop schema if exists ${schema} cascade`),
    };
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqliteFile}${suffix}`, { force: true });
  return { url: `sqlite:${sqliteFile}`, drop: () => undefined };
}

/** The environment of a bench child process: the bench database, keys and files directory, no demo data. */
export function stepEnv(databaseUrl: string, keys: string, filesDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HEDUI_DB: databaseUrl,
    HEDUI_KEYS: keys,
    HEDUI_FILES_DIR: filesDir,
    HEDUI_LOG_LEVEL: 'silent',
    HEDUI_DEMO: 'on',
    HEDUI_DEMO_DATA: 'off',
    // The bench imports local files through the import use case, which applies the upload limit (200 MB by
    // default): at L one half-year of contributions is 601 MB. 4 096 MB is the configuration's ceiling.
    HEDUI_UPLOAD_MAX_MB: '4096',
  };
}

/** Runs `script step …args` in a fresh process (its time and peak RSS its own); returns its last stdout line as JSON. */
export function runStep<T>(script: string, env: NodeJS.ProcessEnv, name: string, args: string[]): T {
  // HEDUI_BENCH_PROFILE=DIR: every step writes a V8 CPU profile there (open it in Chrome DevTools).
  const profile = process.env.HEDUI_BENCH_PROFILE;
  const flags = profile
    ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`]
    : [];
  const run = spawnSync(process.execPath, [...flags, '--import', 'tsx', script, name, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`step ${name} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as T;
}

/** What the `import` and `recheck` steps of bench/recheck-step.ts print. */
export interface ImportOut {
  seconds: number;
  rows: number;
  files: { file: string; status: string; rows: number; seconds: number; errors: unknown[] }[];
  maxRssMb: number;
}
export interface RecheckOut {
  seconds: number;
  runs: { runId: number; scope: string; seconds: number; counts: Record<string, number> }[];
  alerts: { familyKey: string; kind: string }[];
  failed: { familyKey: string; errorCode: string | null }[];
  profileMs: Record<string, { ms: number; calls: number }>;
  maxRssMb: number;
}

export function importSummary(out: ImportOut) {
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

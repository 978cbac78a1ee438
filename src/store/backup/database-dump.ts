import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { copyFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { BackupError } from '../../crypto/backup-cipher.ts';
import type { Database } from '../db.ts';

/**
 * Database dumps for backups: SQLite through better-sqlite3's online backup API (consistent while the
 * server keeps writing), PostgreSQL through `pg_dump` in its custom format and `pg_restore`. The password of
 * a PostgreSQL URL goes to the tools through PGPASSWORD, never on their command line (which `ps` shows).
 */

export function sqliteFileOf(url: string): string {
  const file = url.slice('sqlite:'.length);
  if (file === ':memory:' || file === '')
    throw new BackupError('BACKUP_NOT_SUPPORTED', '内存数据库无法备份或恢复：请使用数据库文件');
  return resolve(file);
}

export async function backupSqlite(url: string, dest: string): Promise<void> {
  const source = new SQLite(sqliteFileOf(url), { readonly: true, fileMustExist: true });
  try {
    await source.backup(dest);
  } finally {
    source.close();
  }
}

/** Replaces the target file (and its WAL side files) by the restored copy; the caller checked it may. */
export async function restoreSqlite(url: string, dumpPath: string): Promise<void> {
  const file = sqliteFileOf(url);
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true })));
  await copyFile(dumpPath, file);
}

/** The URL without its password, and the password for PGPASSWORD. */
export function splitPostgresUrl(url: string): { url: string; password: string | null } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : null;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

function run(
  tool: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) =>
      fail(
        new BackupError(
          'BACKUP_TOOL_FAILED',
          `无法运行 ${tool}：${e.message}（需安装 PostgreSQL 客户端工具）`,
        ),
      ),
    );
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) done({ stdout: Buffer.concat(out).toString('utf8'), stderr });
      else
        fail(
          new BackupError('BACKUP_TOOL_FAILED', `${tool} 以 ${code} 退出：${stderr.trim().slice(0, 2000)}`),
        );
    });
  });
}

export interface PgTools {
  pgDump: string;
  pgRestore: string;
  /** The environment of the tools (the caller's, from config.ts) to which PGPASSWORD is added. */
  env: NodeJS.ProcessEnv;
}

function toolEnv(tools: PgTools, password: string | null): NodeJS.ProcessEnv {
  return password === null ? tools.env : { ...tools.env, PGPASSWORD: password };
}

export async function backupPostgres(
  url: string,
  schema: string,
  dest: string,
  tools: PgTools,
): Promise<void> {
  const target = splitPostgresUrl(url);
  await run(
    tools.pgDump,
    [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--schema=${schema}`,
      `--file=${dest}`,
      `--dbname=${target.url}`,
    ],
    toolEnv(tools, target.password),
  );
}

/**
 * Restores a dump into the target database. A schema that already exists there (`public` of a new database)
 * is not created again: its CREATE SCHEMA entry is left out of the restore list.
 */
export async function restorePostgres(
  url: string,
  dumpPath: string,
  options: { schemaExists: boolean; listPath: string },
  tools: PgTools,
): Promise<void> {
  const target = splitPostgresUrl(url);
  const env = toolEnv(tools, target.password);
  const args = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction'];
  if (options.schemaExists) {
    const list = (await run(tools.pgRestore, ['--list', dumpPath], env)).stdout
      .split('\n')
      .filter((line) => !/^\d+; \d+ \d+ SCHEMA - /.test(line));
    await writeFile(options.listPath, list.join('\n'), { mode: 0o600 });
    args.push(`--use-list=${options.listPath}`);
  }
  await run(tools.pgRestore, [...args, `--dbname=${target.url}`, dumpPath], env);
}

export async function currentPgSchema(database: Database): Promise<string | null> {
  const row = (await sql<{ name: string | null }>`select current_schema() as name`.execute(database.db))
    .rows[0];
  return row?.name ?? null;
}

/** The application's tables (name order), in the current schema on PostgreSQL. */
export async function listTables(database: Database, schema: string | null): Promise<string[]> {
  const rows =
    database.dialect === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
            database.db,
          )
        ).rows
      : (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`.execute(
            database.db,
          )
        ).rows;
  return rows.map((r) => r.name);
}

export async function countRows(
  database: Database,
  tables: readonly string[],
  schema: string | null,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const ref = schema ? sql.table(`${schema}.${table}`) : sql.table(table);
    const row = (await sql<{ n: number | string }>`select count(*) as n from ${ref}`.execute(database.db))
      .rows[0];
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** The newest migration the database has applied (Kysely's migration table). */
export async function schemaVersion(database: Database, schema: string | null): Promise<string> {
  const ref = schema ? sql.table(`${schema}.kysely_migration`) : sql.table('kysely_migration');
  const row = (
    await sql<{ name: string }>`select name from ${ref} order by name desc limit 1`.execute(database.db)
  ).rows[0];
  if (!row) throw new BackupError('BACKUP_NOT_SUPPORTED', '数据库尚未建立表结构（未执行迁移），无需备份');
  return row.name;
}

export function sqliteFileIsEmpty(url: string): boolean {
  const file = sqliteFileOf(url);
  if (!existsSync(file) || statSync(file).size === 0) return true;
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare("select count(*) as n from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .get() as { n: number };
    return row.n === 0;
  } finally {
    db.close();
  }
}

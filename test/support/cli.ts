import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { migrateToLatest, openDatabase } from '../../src/store/db.ts';
import type { Dialect } from '../../src/store/dialect.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import type { TempDir } from './department-data.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A database for `hedui` child processes: a SQLite file in `dir`, or a schema of its own on the test
 * PostgreSQL (node-postgres passes `options=-c search_path=…` of the URL on to the server). `env`
 * points the command at it, with a key file and file store in `dir`.
 */
export async function cliDatabase(
  dialect: Dialect,
  dir: TempDir,
): Promise<{ database: TestDatabase; env: Record<string, string> }> {
  let database: TestDatabase;
  let url: string;
  if (dialect === 'sqlite') {
    url = `sqlite:${dir.path('hedui.sqlite')}`;
    const opened = openDatabase(url);
    await migrateToLatest(opened);
    database = { ...opened, url, schema: null };
  } else {
    database = await createTestDatabase('postgres');
    url = `${database.url}?options=${encodeURIComponent(`-c search_path=${database.schema}`)}`;
  }
  return {
    database,
    env: {
      HEDUI_DB: url,
      HEDUI_KEY_FILE: dir.path('keys.json'),
      HEDUI_FILES_DIR: dir.path('files'),
      HEDUI_LOG_LEVEL: 'silent',
      // A first start on SQLite loads the demo city; its department data would only slow every command down.
      HEDUI_DEMO_DATA: 'off',
    },
  };
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // The test runner's own settings (NODE_ENV=test, HEDUI_KEYS of a test) must not leak into the command.
  const { HEDUI_KEYS: _keys, HEDUI_DB: _db, ...inherited } = process.env;
  return { ...inherited, ...env };
}

/** Runs `hedui …` to completion. */
export function hedui(args: string[], env: Record<string, string>, timeout = 60_000): Promise<CliRun> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['bin/hedui.mjs', ...args],
      { cwd: ROOT, env: childEnv(env), timeout, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') fail(error);
        else done({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `hedui …` and lets the caller kill it; `exited` says how it ended. */
export function startHedui(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, ['bin/hedui.mjs', ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<Exit>((done, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

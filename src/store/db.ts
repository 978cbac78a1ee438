import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CamelCasePlugin,
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  Migrator,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  sql,
} from 'kysely';
import pg from 'pg';
import { type Dialect, dialectOf } from './dialect.ts';
import { migrations } from './migrations/index.ts';
import type { DB } from './schema.ts';

// int8 (counts, audit sequence numbers) as JS numbers: they stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  schema?: string;
  poolSize?: number;
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE: the write lock is taken at the start, so with several server
 * processes on one file (`hedui serve --workers N`) a transaction waits its turn (busy_timeout) instead of failing
 * with SQLITE_BUSY when it first writes after reading a snapshot another process has since changed. Within one
 * process Kysely already runs one statement or transaction at a time on the single connection.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 behind Kysely prepares every query afresh; the server runs the same few hundred statements over
 * and over, so they are kept (least recently used out first). A statement still being iterated (a stream) is
 * never handed out twice: a fresh one is prepared instead.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      const cached = statements.get(query);
      if (cached && !cached.busy) {
        statements.delete(query);
        statements.set(query, cached);
        return cached;
      }
      const statement = sqlite.prepare(query);
      if (cached) return statement;
      statements.set(query, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      return statement;
    },
  };
}

export function openDatabase(url: string, options: OpenOptions = {}): Database {
  const dialect = dialectOf(url);
  const plugins = [new CamelCasePlugin()];
  if (dialect === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    const sqlite = new SQLite(file === ':memory:' ? ':memory:' : resolve(file));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect(withStatementCache(sqlite)), plugins });
    return { db, dialect, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins });
  return { db, dialect, close: () => db.destroy() };
}

async function migratorOf(database: Database): Promise<Migrator> {
  // Unless told the schema, Kysely takes migration tables found in any schema of the database (another
  // test's, a benchmark's) for its own and then fails to find them on the search path.
  const schema =
    database.dialect === 'postgres'
      ? (await sql<{ name: string | null }>`select current_schema() as name`.execute(database.db)).rows[0]
          ?.name
      : null;
  return new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations(database.dialect) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Migrations this program knows that the database has not run (readiness: /readyz). */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const known = await (await migratorOf(database)).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = await migratorOf(database);
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

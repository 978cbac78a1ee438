import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { testDatabaseSettings } from '../../src/config.ts';
import { type Database, migrateToLatest, openDatabase } from '../../src/store/db.ts';
import type { Dialect } from '../../src/store/dialect.ts';

export interface TestDatabase extends Database {
  /** A URL that opens this same database (and schema) from another connection or process. */
  url: string;
  schema: string | null;
}

export function testDialects(): Dialect[] {
  return testDatabaseSettings().postgresRequired ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * A fresh, migrated database: an in-memory SQLite, or a schema of its own on the test PostgreSQL
 * (`migrate: false`: empty, for a test that runs the migrations itself).
 */
export async function createTestDatabase(
  dialect: Dialect,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const database = openDatabase('sqlite::memory:');
    await migrateToLatest(database);
    return { ...database, url: 'sqlite::memory:', schema: null };
  }
  const { postgresUrl } = testDatabaseSettings();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = openDatabase(postgresUrl, { schema, poolSize: 4 });
  if (options.migrate !== false) await migrateToLatest(database);
  return {
    ...database,
    url: postgresUrl,
    schema,
    async close() {
      await database.close();
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** Runs the same suite on every test database (SQLite, and PostgreSQL unless explicitly turned off). */
export function describeEachDatabase(name: string, body: (dialect: Dialect) => void): void {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => body(dialect));
  }
}

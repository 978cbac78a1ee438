import pg from 'pg';
import { testDatabaseSettings } from '../src/config.ts';

/** PostgreSQL is the production database: when it is required and missing, the run fails, it never skips. */
export default async function setup(): Promise<void> {
  const settings = testDatabaseSettings();
  if (!settings.postgresRequired) {
    console.warn('HEDUI_TEST_PG=off: database tests run on SQLite only (not allowed in CI).');
    return;
  }
  const client = new pg.Client({ connectionString: settings.postgresUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (e) {
    throw new Error(
      `PostgreSQL is required for the database tests but ${settings.postgresUrl} is unreachable: ${(e as Error).message}. ` +
        'Start PostgreSQL, or set HEDUI_TEST_PG=off to run on SQLite only outside CI.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

import { sql } from 'kysely';
import type { Database } from '../../src/store/db.ts';

const GUARDED = ['audit_log', 'audit_head', 'audit_checkpoint'];

/**
 * Runs fn as an intruder who owns the database and first switches off the audit tables' guards (the owner can:
 * that is why checkpoints are signed and exported, docs/security.md), then switches them back on.
 */
export async function withoutAuditGuards<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  if (database.dialect === 'postgres') {
    for (const t of GUARDED) await sql.raw(`alter table ${t} disable trigger user`).execute(database.db);
    try {
      return await fn();
    } finally {
      for (const t of GUARDED) await sql.raw(`alter table ${t} enable trigger user`).execute(database.db);
    }
  }
  const triggers = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master
    where type = 'trigger' and tbl_name in ('audit_log', 'audit_head', 'audit_checkpoint')`.execute(
    database.db,
  );
  for (const t of triggers.rows) await sql.raw(`drop trigger ${t.name}`).execute(database.db);
  try {
    return await fn();
  } finally {
    for (const t of triggers.rows) await sql.raw(t.sql).execute(database.db);
  }
}

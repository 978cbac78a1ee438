import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Audit checkpoints and the database's own guard of the audit tables (issue #8 item 7, docs/security.md):
 * `audit_log` and `audit_checkpoint` refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL); `audit_head` only
 * moves one entry forward onto an existing entry. Entries leave only through the retention path: on PostgreSQL
 * the SECURITY DEFINER function `audit_purge_through(seq)`, on SQLite a row in `audit_purge_permit` written in the
 * purge's transaction. Both accept only a checkpoint's last entry and entries at least 180 days old (database
 * time), whatever the application asks.
 */
export function auditProtection(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('audit_checkpoint')
        .addColumn('number', 'integer', (c) => c.primaryKey())
        .addColumn('from_seq', 'bigint', (c) => c.notNull())
        .addColumn('to_seq', 'bigint', (c) => c.notNull().unique())
        .addColumn('tree_size', 'bigint', (c) => c.notNull())
        .addColumn('root_hash', 'text', (c) => c.notNull())
        .addColumn('first_prev_hash', 'text', (c) => c.notNull())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .addColumn('last_at', 'text', (c) => c.notNull())
        .addColumn('previous_checkpoint_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('key_id', 'integer', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      if (pg) await postgresGuards(db);
      else await sqliteGuards(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (pg) {
        for (const [t, name] of [
          ['audit_log', 'audit_log_guard'],
          ['audit_log', 'audit_log_no_truncate'],
          ['audit_checkpoint', 'audit_checkpoint_guard'],
          ['audit_checkpoint', 'audit_checkpoint_no_truncate'],
          ['audit_head', 'audit_head_guard'],
        ])
          await sql.raw(`drop trigger if exists ${name} on ${t}`).execute(db);
        await sql`drop function if exists audit_purge_through(bigint)`.execute(db);
        await sql`drop function if exists audit_guard()`.execute(db);
        await sql`drop function if exists audit_head_guard()`.execute(db);
      } else {
        for (const name of [
          'audit_log_no_update',
          'audit_log_guarded_delete',
          'audit_checkpoint_no_update',
          'audit_checkpoint_no_delete',
          'audit_head_forward_only',
          'audit_head_no_delete',
        ])
          await sql.raw(`drop trigger if exists ${name}`).execute(db);
        await db.schema.dropTable('audit_purge_permit').ifExists().execute();
      }
      await db.schema.dropTable('audit_checkpoint').execute();
    },
  };
}

// ISO-8601 UTC text, the form `at` is stored in, 180 days before the database's clock.
const PG_FLOOR = `to_char((now() at time zone 'utc') - interval '180 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const SQLITE_FLOOR = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-180 days')`;

async function postgresGuards(db: Kysely<unknown>): Promise<void> {
  // Functions resolve tables in the schema they were created in, never through the caller's search_path.
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s;
  if (!schema) throw new Error('no current schema');
  const path = `set search_path = "${schema.replaceAll('"', '""')}", pg_temp`;
  await sql
    .raw(`create function audit_guard() returns trigger language plpgsql ${path} as $$
begin
  -- The one way out: a DELETE of audit_log inside audit_purge_through, which runs as the tables' owner.
  if tg_op = 'DELETE' and tg_table_name = 'audit_log'
     and current_setting('hedui.audit_purge', true) = 'on'
     and current_user = (select pg_get_userbyid(relowner) from pg_class where oid = tg_relid) then
    return old;
  end if;
  raise exception 'AUDIT_IMMUTABLE: 审计记录不可修改或删除（%，%）', tg_table_name, tg_op using errcode = '42501';
end $$`)
    .execute(db);
  await sql
    .raw(`create function audit_head_guard() returns trigger language plpgsql ${path} as $$
begin
  if tg_op = 'UPDATE' and new.id = old.id and new.seq = old.seq + 1
     and exists (select 1 from audit_log l where l.seq = new.seq and l.hash = new.hash) then
    return new;
  end if;
  raise exception 'AUDIT_IMMUTABLE: 审计链头只能随新记录前移（%）', tg_op using errcode = '42501';
end $$`)
    .execute(db);
  await sql
    .raw(`create function audit_purge_through(up_to bigint) returns bigint language plpgsql security definer ${path} as $$
declare removed bigint;
begin
  if not exists (select 1 from audit_checkpoint where to_seq = up_to) then
    raise exception 'AUDIT_PURGE_REFUSED: 审计记录只能删除到已签名检查点的边界（第 % 条不是）', up_to using errcode = '42501';
  end if;
  if exists (select 1 from audit_log where seq <= up_to and at >= ${PG_FLOOR}) then
    raise exception 'AUDIT_PURGE_REFUSED: 未满 180 天的审计记录不得删除' using errcode = '42501';
  end if;
  perform set_config('hedui.audit_purge', 'on', true);
  delete from audit_log where seq <= up_to;
  get diagnostics removed = row_count;
  perform set_config('hedui.audit_purge', 'off', true);
  return removed;
end $$`)
    .execute(db);
  await sql`revoke update, delete, truncate on audit_log, audit_checkpoint from public`.execute(db);
  await sql`revoke delete, truncate on audit_head from public`.execute(db);
  for (const t of ['audit_log', 'audit_checkpoint']) {
    await sql
      .raw(
        `create trigger ${t}_guard before update or delete on ${t} for each row execute function audit_guard()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${t}_no_truncate before truncate on ${t} for each statement execute function audit_guard()`,
      )
      .execute(db);
  }
  await sql`create trigger audit_head_guard before update or delete on audit_head for each row execute function audit_head_guard()`.execute(
    db,
  );
  await sql`create trigger audit_head_no_truncate before truncate on audit_head for each statement execute function audit_head_guard()`.execute(
    db,
  );
}

async function sqliteGuards(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_purge_permit')
    .addColumn('up_to_seq', 'integer', (c) => c.notNull())
    .execute();
  const statements = [
    `create trigger audit_log_no_update before update on audit_log
     begin select raise(abort, 'AUDIT_IMMUTABLE: 审计记录不可修改'); end`,
    `create trigger audit_log_guarded_delete before delete on audit_log
     when not exists (select 1 from audit_purge_permit p where p.up_to_seq >= old.seq)
     begin select raise(abort, 'AUDIT_IMMUTABLE: 审计记录只能由保存期清理删除'); end`,
    `create trigger audit_purge_permit_check before insert on audit_purge_permit
     when not exists (select 1 from audit_checkpoint c where c.to_seq = new.up_to_seq)
       or exists (select 1 from audit_log l where l.seq <= new.up_to_seq and l.at >= ${SQLITE_FLOOR})
     begin select raise(abort, 'AUDIT_PURGE_REFUSED: 只能删除到检查点边界且满 180 天的审计记录'); end`,
    `create trigger audit_checkpoint_no_update before update on audit_checkpoint
     begin select raise(abort, 'AUDIT_IMMUTABLE: 审计检查点不可修改'); end`,
    `create trigger audit_checkpoint_no_delete before delete on audit_checkpoint
     begin select raise(abort, 'AUDIT_IMMUTABLE: 审计检查点不可删除'); end`,
    `create trigger audit_head_forward_only before update on audit_head
     when new.id != old.id or new.seq != old.seq + 1
       or not exists (select 1 from audit_log l where l.seq = new.seq and l.hash = new.hash)
     begin select raise(abort, 'AUDIT_IMMUTABLE: 审计链头只能随新记录前移'); end`,
    `create trigger audit_head_no_delete before delete on audit_head
     begin select raise(abort, 'AUDIT_IMMUTABLE: 审计链头不可删除'); end`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

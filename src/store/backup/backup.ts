import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import {
  BackupError,
  type BackupHeader,
  type BackupTrailer,
  decryptBackup,
  type Fingerprint,
  fileSm3,
  readBackupEnvelope,
  writeEncryptedBackup,
} from '../../crypto/backup-cipher.ts';
import { type Database, openDatabase } from '../db.ts';
import { dialectOf } from '../dialect.ts';
import { migrations } from '../migrations/index.ts';
import { archiveStream, extractArchive, listStoredFiles } from './archive.ts';
import {
  backupPostgres,
  backupSqlite,
  currentPgSchema,
  listTables,
  type PgTools,
  restorePostgres,
  restoreSqlite,
  schemaVersion,
  sqliteFileIsEmpty,
} from './database-dump.ts';

export type BackupManifest = BackupHeader & BackupTrailer & { file: Fingerprint & { name: string } };

export interface BackupPlace {
  databaseUrl: string;
  filesDir: string;
  key: Buffer;
  tools: PgTools;
}

/** Plaintext staging (database dump, decrypted archive) lives in the platform's scratch folder, mode 700. */
async function withStaging<T>(filesDir: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(filesDir, 'tmp', `backup-${randomUUID()}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes `out` (encrypted database dump and stored files) and `out.manifest.json` beside it. The manifest
 * holds no secret: an operator files it elsewhere to check the backup later (`fileSm3`).
 */
export async function createBackup(
  place: BackupPlace,
  out: string,
  createdAt: string,
): Promise<BackupManifest> {
  const kind = dialectOf(place.databaseUrl);
  if (existsSync(out)) throw new BackupError('BACKUP_OUT_EXISTS', `${out} 已存在：备份从不覆盖已有文件`);
  return withStaging(place.filesDir, async (staging) => {
    const database = openDatabase(place.databaseUrl, { poolSize: 1 });
    let pgSchema: string | null = null;
    let version: string;
    try {
      pgSchema = kind === 'postgres' ? await currentPgSchema(database) : null;
      if (kind === 'postgres' && !pgSchema)
        throw new BackupError('BACKUP_NOT_SUPPORTED', 'HEDUI_DB 的 search_path 指向的模式不存在');
      version = await schemaVersion(database, pgSchema);
    } finally {
      await database.close();
    }
    const dumpName = kind === 'sqlite' ? 'database.sqlite' : 'database.pgdump';
    const dumpPath = join(staging, dumpName);
    if (kind === 'sqlite') await backupSqlite(place.databaseUrl, dumpPath);
    else await backupPostgres(place.databaseUrl, pgSchema ?? 'public', dumpPath, place.tools);
    const { size } = await stat(dumpPath);
    const files = await listStoredFiles(place.filesDir);
    try {
      const written = await writeEncryptedBackup(
        out,
        place.key,
        {
          createdAt,
          databaseKind: kind,
          schemaVersion: version,
          pgSchema,
          contents: {
            databaseBytes: size,
            files: files.length,
            fileBytes: files.reduce((sum, f) => sum + f.size, 0),
          },
        },
        archiveStream([{ name: dumpName, path: dumpPath, size }, ...files]),
      );
      const manifest: BackupManifest = {
        ...written,
        file: { name: out.split('/').pop() ?? out, ...(await fileSm3(out)) },
      };
      await writeFile(`${out}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
      return manifest;
    } catch (e) {
      // A half-written backup must not be mistaken for one; a file that appeared meanwhile is not ours.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        await rm(out, { force: true }).catch(() => undefined);
      throw e;
    }
  });
}

export interface RestoreOutcome {
  manifest: BackupHeader & BackupTrailer;
  files: number;
}

async function targetState(
  place: BackupPlace,
  header: BackupHeader,
): Promise<{ empty: boolean; schemaExists: boolean }> {
  if (header.databaseKind === 'sqlite')
    return { empty: sqliteFileIsEmpty(place.databaseUrl), schemaExists: false };
  const database: Database = openDatabase(place.databaseUrl, { poolSize: 1 });
  try {
    const current = await currentPgSchema(database);
    if (current !== null && current !== header.pgSchema)
      throw new BackupError(
        'BACKUP_NOT_SUPPORTED',
        `备份来自模式 ${header.pgSchema}，而目标连接的当前模式是 ${current}：请让 HEDUI_DB 的 search_path 指向 ${header.pgSchema}`,
      );
    const tables = current === null ? [] : await listTables(database, current);
    return { empty: tables.length === 0, schemaExists: current !== null };
  } finally {
    await database.close();
  }
}

/** `--force` on PostgreSQL: the schema is replaced as a whole, so no table of a newer version lingers. */
async function dropSchema(url: string, schema: string): Promise<void> {
  const database = openDatabase(url, { poolSize: 1 });
  try {
    await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
  } finally {
    await database.close();
  }
}

/**
 * Verifies the backup (key, ciphertext fingerprint, GCM tag, plaintext fingerprint), then restores the
 * database and the stored files. The target must be empty unless `force`. Migrating to the current schema
 * and verifying the audit chain are left to the caller, which holds the use cases.
 */
export async function restoreBackup(
  place: BackupPlace,
  from: string,
  force: boolean,
): Promise<RestoreOutcome> {
  const { header } = await readBackupEnvelope(from);
  const kind = dialectOf(place.databaseUrl);
  if (header.databaseKind !== kind)
    throw new BackupError(
      'BACKUP_NOT_SUPPORTED',
      `这是 ${header.databaseKind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} 数据库的备份，不能恢复到 ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
    );
  if (!(header.schemaVersion in migrations(kind)))
    throw new BackupError(
      'BACKUP_SCHEMA_UNKNOWN',
      `备份的表结构版本 ${header.schemaVersion} 比本程序新：请用相同或更新版本的 Hedui 恢复`,
    );
  const state = await targetState(place, header);
  const existingFiles = (await listStoredFiles(place.filesDir)).length;
  if (!force && (!state.empty || existingFiles > 0))
    throw new BackupError(
      'RESTORE_TARGET_NOT_EMPTY',
      `目标不是空的（${state.empty ? '' : '数据库已有表；'}${existingFiles > 0 ? `文件目录已有 ${existingFiles} 个文件` : ''}）：恢复只写入新建的空库；确需覆盖请加 --force`,
    );
  return withStaging(place.filesDir, async (staging) => {
    const plain = join(staging, 'archive');
    const manifest = await decryptBackup(from, place.key, plain);
    const dumpName = kind === 'sqlite' ? 'database.sqlite' : 'database.pgdump';
    const names = await extractArchive(
      plain,
      (name) =>
        name === dumpName
          ? join(staging, dumpName)
          : name.startsWith('files/')
            ? join(place.filesDir, name.slice('files/'.length))
            : null,
      force,
    );
    if (!names.includes(dumpName)) throw new BackupError('BACKUP_INVALID', '备份中没有数据库内容');
    await rm(plain, { force: true });
    if (kind === 'sqlite') await restoreSqlite(place.databaseUrl, join(staging, dumpName));
    else {
      const wipe = force && !state.empty;
      if (wipe) await dropSchema(place.databaseUrl, header.pgSchema ?? 'public');
      await restorePostgres(
        place.databaseUrl,
        join(staging, dumpName),
        { schemaExists: state.schemaExists && !wipe, listPath: join(staging, 'restore.list') },
        place.tools,
      );
    }
    return { manifest, files: names.length - 1 };
  });
}

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDepartmentData } from '../../src/app/demo/demo-department-data.ts';
import { openRuntime, prepareDatabase } from '../../src/cli/runtime.ts';
import { testDatabaseSettings } from '../../src/config.ts';
import { decryptBackup, deriveBackupKey } from '../../src/crypto/backup-cipher.ts';
import { parseKeyFile } from '../../src/crypto/key-file.ts';
import { fixedClock } from '../../src/domain/shared/clock.ts';
import { type ArchiveEntry, extractArchive, listStoredFiles } from '../../src/store/backup/archive.ts';
import { countRows, currentPgSchema, listTables } from '../../src/store/backup/database-dump.ts';
import { openDatabase } from '../../src/store/db.ts';
import type { Dialect } from '../../src/store/dialect.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import { TEST_START, testConfig } from '../support/app.ts';
import { hedui } from '../support/cli.ts';
import { testDialects } from '../support/databases.ts';
import { type TempDir, tempDir } from '../support/department-data.ts';
import { isolatedStorageEnv } from '../support/keys.ts';

/**
 * The restore drill (docs/security.md「备份与恢复」): a database with the demo city and its department data is
 * backed up by `hedui backup`, and `hedui restore` brings it back into a new, empty database (PostgreSQL: a
 * database `hedui_restore_<random>` of its own, dropped afterwards). The times are printed for the record.
 */
const DRILL_TIMEOUT = 240_000;
const STORED_PDF = Buffer.from('%PDF-1.4\n% 核对报告（演练用）\n%%EOF\n');

/** Every demo person's 18-digit ID number: none may appear in a dump or a backup in plain text. */
const DEMO_IDS = buildDemoDepartmentData(TEST_START.slice(0, 10)).families.flatMap((f) =>
  f.members.map((m) => m.idNumber),
);

interface Place {
  url: string;
  drop(): Promise<void>;
}

async function newPlace(dialect: Dialect, dir: TempDir, name: string): Promise<Place> {
  if (dialect === 'sqlite')
    return { url: `sqlite:${dir.path(`${name}.sqlite`)}`, drop: async () => undefined };
  const admin = testDatabaseSettings().postgresUrl;
  const database = `hedui_${name}_${randomBytes(5).toString('hex')}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${database}`);
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${database} with (force)`) };
}

async function tableCounts(url: string): Promise<Record<string, number>> {
  const database = openDatabase(url, { poolSize: 1 });
  try {
    const schema = database.dialect === 'postgres' ? await currentPgSchema(database) : null;
    return await countRows(database, await listTables(database, schema), schema);
  } finally {
    await database.close();
  }
}

/** PostgreSQL: how `record` is stored (relkind `p`: partitioned, 202611270300) and its partitions holding rows. */
async function recordLayout(url: string): Promise<{ kind: string; partitionsWithRows: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const kind = await client.query<{ kind: string }>(
      "select relkind::text as kind from pg_class where oid = 'record'::regclass",
    );
    const parts = await client.query<{ part: string }>(
      'select distinct tableoid::regclass::text as part from record order by 1',
    );
    return { kind: kind.rows[0]?.kind ?? '', partitionsWithRows: parts.rows.map((r) => r.part) };
  } finally {
    await client.end();
  }
}

function containsAny(bytes: Buffer, needles: readonly string[]): string[] {
  return needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8')));
}

for (const dialect of testDialects()) {
  describe(`the backup and restore drill [${dialect}]`, () => {
    const dir = tempDir('hedui-drill-');
    const keys = isolatedStorageEnv().HEDUI_KEYS;
    const backupFile = dir.path('hedui.backup');
    let source: Place;
    let target: Place;
    let sourceCounts: Record<string, number>;
    let storedName: string;
    let storedFiles: ArchiveEntry[];
    const env = (place: Place, files: string) => ({
      HEDUI_DB: place.url,
      HEDUI_KEYS: keys,
      HEDUI_FILES_DIR: dir.path(files),
      HEDUI_LOG_LEVEL: 'silent',
      HEDUI_DEMO: 'off',
    });

    beforeAll(async () => {
      source = await newPlace(dialect, dir, 'drill');
      target = await newPlace(dialect, dir, 'restore');
      const config = testConfig({
        HEDUI_DB: source.url,
        HEDUI_KEYS: keys,
        HEDUI_FILES_DIR: dir.path('files'),
        HEDUI_DEMO_DATA: 'on',
      });
      const runtime = openRuntime(config, fixedClock(TEST_START));
      try {
        await prepareDatabase(runtime, config);
        storedName = await runtime.deps.files.put('documents', STORED_PDF, 'pdf');
      } finally {
        await runtime.close();
      }
      sourceCounts = await tableCounts(source.url);
      // The demo's case documents and attachments, and one written here.
      storedFiles = await listStoredFiles(dir.path('files'));
    }, DRILL_TIMEOUT);

    afterAll(async () => {
      await source?.drop();
      await target?.drop();
      dir.remove();
    });

    it(
      'writes an encrypted backup with its manifest, in which no ID number and no plain text appears',
      async () => {
        expect(sourceCounts.record).toBeGreaterThan(100);
        expect(storedFiles.length).toBeGreaterThan(1);
        const started = performance.now();
        const run = await hedui(['backup', '--out', backupFile], env(source, 'files'), DRILL_TIMEOUT);
        const seconds = (performance.now() - started) / 1000;
        expect(run).toMatchObject({ code: 0, stderr: '' });
        const printed = JSON.parse(run.stdout);
        const manifest = JSON.parse(readFileSync(`${backupFile}.manifest.json`, 'utf8'));
        expect(manifest).toMatchObject({
          format: 'hedui-backup-v1',
          databaseKind: dialect,
          schemaVersion: Object.keys(migrations(dialect)).at(-1),
          cipher: 'aes-256-gcm',
          contents: { files: storedFiles.length },
          plaintext: { sm3: expect.stringMatching(/^[0-9a-f]{64}$/) },
          ciphertext: { sm3: expect.stringMatching(/^[0-9a-f]{64}$/) },
          file: { sm3: expect.stringMatching(/^[0-9a-f]{64}$/) },
        });
        expect(printed.ciphertext).toEqual(manifest.ciphertext);
        const encrypted = readFileSync(backupFile);
        expect(manifest.file.bytes).toBe(encrypted.length);
        // Encrypted: neither identifiers nor ordinary text of the database (a username, a stored file) show.
        expect(containsAny(encrypted, [...DEMO_IDS, 'city_reviewer', '核对中心', '核对报告'])).toEqual([]);

        // Decrypted with the key, the dump is readable text — and still holds no plaintext ID number.
        const key = deriveBackupKey(parseKeyFile(keys));
        const plain = dir.path('plain.archive');
        await decryptBackup(backupFile, key, plain);
        const dump = dir.path(dialect === 'sqlite' ? 'dump.sqlite' : 'dump.pgdump');
        await extractArchive(
          plain,
          (n) => (n.startsWith('database.') ? dump : dir.path('extracted.bin')),
          true,
        );
        const readable =
          dialect === 'sqlite'
            ? readFileSync(dump)
            : execFileSync('pg_restore', ['--file=-', dump], { maxBuffer: 512 * 1024 * 1024 });
        expect(containsAny(readable, ['city_reviewer'])).toEqual(['city_reviewer']);
        expect(containsAny(readable, DEMO_IDS)).toEqual([]);
        console.info(
          `[backup drill ${dialect}] hedui backup: ${seconds.toFixed(2)} s (command), ` +
            `${printed.seconds} s (work), database ${manifest.contents.databaseBytes} bytes, ` +
            `backup ${manifest.file.bytes} bytes, ${sourceCounts.record} records, ${sourceCounts.audit_log} audit entries`,
        );
      },
      DRILL_TIMEOUT,
    );

    it(
      'refuses a damaged backup and a wrong key, leaving the target untouched',
      async () => {
        const damaged = dir.path('damaged.backup');
        copyFileSync(backupFile, damaged);
        const bytes = readFileSync(damaged);
        const middle = Math.floor(bytes.length / 2);
        bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
        writeFileSync(damaged, bytes);
        const otherKeys = { ...env(target, 'files-restored'), HEDUI_KEYS: isolatedStorageEnv().HEDUI_KEYS };
        const [corrupt, wrongKey] = await Promise.all([
          hedui(['restore', '--from', damaged], env(target, 'files-restored'), DRILL_TIMEOUT),
          hedui(['restore', '--from', backupFile], otherKeys, DRILL_TIMEOUT),
        ]);
        expect(corrupt.code).toBe(1);
        expect(corrupt.stderr).toContain('BACKUP_FINGERPRINT_MISMATCH');
        expect(wrongKey.code).toBe(1);
        expect(wrongKey.stderr).toContain('BACKUP_KEY_MISMATCH');
        expect(await tableCounts(target.url)).toEqual({});
      },
      DRILL_TIMEOUT,
    );

    it(
      'restores into a new database: fingerprints verified, migrated, audit chain intact, every count equal',
      async () => {
        const started = performance.now();
        const run = await hedui(
          ['restore', '--from', backupFile],
          env(target, 'files-restored'),
          DRILL_TIMEOUT,
        );
        const seconds = (performance.now() - started) / 1000;
        expect(run).toMatchObject({ code: 0, stderr: '' });
        const out = JSON.parse(run.stdout);
        expect(out.audit).toMatchObject({ ok: true, checked: sourceCounts.audit_log, firstBroken: null });
        expect(out.files).toBe(storedFiles.length);
        expect(out.migrationsApplied).toEqual([]);
        expect(out.counts).toEqual(sourceCounts);
        expect(await tableCounts(target.url)).toEqual(sourceCounts);
        // Department records come back partitioned by dataset, each row in its dataset's partition.
        if (dialect === 'postgres') {
          const layout = await recordLayout(target.url);
          expect(layout.kind).toBe('p');
          expect(layout.partitionsWithRows).not.toEqual([]);
          expect(layout).toEqual(await recordLayout(source.url));
        }
        const restored = await listStoredFiles(dir.path('files-restored'));
        expect(restored.map((f) => [f.name, f.size])).toEqual(storedFiles.map((f) => [f.name, f.size]));
        for (const [i, f] of restored.entries())
          expect(readFileSync(f.path).equals(readFileSync(storedFiles[i]?.path ?? '')), f.name).toBe(true);
        expect(readFileSync(dir.path(`files-restored/documents/${storedName}`))).toEqual(STORED_PDF);
        console.info(
          `[restore drill ${dialect}] hedui restore: ${seconds.toFixed(2)} s (command), ${out.seconds} s (work), ` +
            `${Object.keys(out.counts).length} tables, ${out.counts.record} records, audit chain of ${out.audit.checked} verified`,
        );
      },
      DRILL_TIMEOUT,
    );

    it(
      'refuses to restore over a database that is not empty, unless forced',
      async () => {
        const again = await hedui(
          ['restore', '--from', backupFile],
          env(target, 'files-restored'),
          DRILL_TIMEOUT,
        );
        expect(again.code).toBe(1);
        expect(again.stderr).toContain('RESTORE_TARGET_NOT_EMPTY');
        const forced = await hedui(
          ['restore', '--from', backupFile, '--force'],
          env(target, 'files-restored'),
          DRILL_TIMEOUT,
        );
        expect(forced.code).toBe(0);
        expect(JSON.parse(forced.stdout).counts).toEqual(sourceCounts);
      },
      DRILL_TIMEOUT,
    );
  });
}

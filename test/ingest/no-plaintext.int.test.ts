import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { importBatch } from '../../src/app/ingest/import-batch.ts';
import { openRuntime, prepareDatabase, type Runtime } from '../../src/cli/runtime.ts';
import { fixedClock } from '../../src/domain/shared/clock.ts';
import { migrateToLatest, openDatabase } from '../../src/store/db.ts';
import { TEST_START, testConfig } from '../support/app.ts';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import {
  csvBytes,
  hukouRow,
  hukouRows,
  idNumber,
  personName,
  type Row,
  tempDir,
} from '../support/department-data.ts';

const PEOPLE = 40;
/** Partners in the marriage register: other people, with IDs of another county and decade. */
const partnerId = (i: number) => idNumber(i, { region: '621021', birth: '19900101' });
const partnerName = (i: number) => personName(5000 + i);

const knownIds = [
  ...Array.from({ length: PEOPLE }, (_, i) => idNumber(i)),
  ...Array.from({ length: PEOPLE }, (_, i) => partnerId(i)),
];
const knownNames = [
  ...Array.from({ length: PEOPLE }, (_, i) => personName(i)),
  ...Array.from({ length: PEOPLE }, (_, i) => partnerName(i)),
];
/** A near-real ID typed wrong (its check character no longer fits): rejected, and quoted by the error. */
const mistypedId = `${(knownIds[2] as string).slice(0, 17)}${(knownIds[2] as string).endsWith('0') ? '1' : '0'}`;
/** What must never be found: each ID, its first 14 digits (region and birth date), each name, the typo. */
const needles = [...knownIds, ...knownIds.map((id) => id.slice(0, 14)), ...knownNames, mistypedId];

function marriageRows(): Row[] {
  return Array.from({ length: PEOPLE }, (_, i) => ({
    身份证号: idNumber(i),
    姓名: personName(i),
    登记类型: '结婚',
    登记日期: `2025-08-${String((i % 28) + 1).padStart(2, '0')}`,
    对方身份证号: partnerId(i),
    对方姓名: partnerName(i),
  }));
}

function found(haystack: string | Buffer, texts: readonly string[]): string[] {
  return texts.filter((t) =>
    typeof haystack === 'string' ? haystack.includes(t) : haystack.includes(Buffer.from(t, 'utf8')),
  );
}

/**
 * Identifiers are encrypted (SM4) and indexed (HMAC-SM3) at rest: after importing files with known IDs
 * and names, neither appears anywhere in the database — the SQLite file and its write-ahead log byte by
 * byte, every row of every table on both databases — and the blind index still finds each person.
 */
describeEachDatabase('identifiers at rest', (dialect) => {
  const files = tempDir('hedui-plaintext-');
  const sqliteFile = files.path('hedui.sqlite');
  let database: TestDatabase;
  let runtime: Runtime;

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      const opened = openDatabase(`sqlite:${sqliteFile}`);
      await migrateToLatest(opened);
      database = { ...opened, url: `sqlite:${sqliteFile}`, schema: null };
    } else database = await createTestDatabase('postgres');
    const config = testConfig({ HEDUI_DB: database.url });
    runtime = openRuntime(config, fixedClock(TEST_START), database);
    await prepareDatabase(runtime, config);
    expect(await dumpTables()).not.toHaveLength(0);

    const load = async (datasetCode: string, period: string, name: string, content: Buffer) =>
      importBatch(
        runtime.deps,
        { datasetCode, period, source: 'cli', fileName: name, path: files.write(name, content) },
        SYSTEM_ACTOR,
      );
    const results = [
      await load('hukou', '2025-Q2', 'hukou-q2.csv', csvBytes(hukouRows(PEOPLE))),
      // A corrected delivery: the first batch is superseded and both stay.
      await load(
        'hukou',
        '2025-Q2',
        'hukou-q2-fixed.csv',
        csvBytes([
          ...hukouRows(PEOPLE - 1),
          hukouRow(PEOPLE - 1, { 户籍状态: '迁出', 状态变更日期: '2025-06-01' }),
        ]),
      ),
      await load('marriage', '2025-08', 'marriage.csv', csvBytes(marriageRows())),
      // Rejected, with an error that quotes a mistyped ID: its stored error list must not reveal it.
      await load(
        'hukou',
        '2025-Q3',
        'bad.csv',
        csvBytes([hukouRow(0), hukouRow(1, { 性别: '未知' }), hukouRow(2, { 身份证号: mistypedId })]),
      ),
    ];
    expect(results.map((r) => r.status)).toEqual(['committed', 'committed', 'committed', 'rejected']);
  });

  afterAll(async () => {
    await runtime?.close();
    files.remove();
  });

  /** Every row of every table of the test database, as JSON text. */
  async function dumpTables(): Promise<string> {
    const db = database.db;
    if (dialect === 'sqlite') {
      const tables = await sql<{ name: string }>`
        select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
      const dumps: string[] = [];
      for (const { name } of tables.rows) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
        dumps.push(...rows.rows.map((r) => JSON.stringify(r)));
      }
      return dumps.join('\n');
    }
    const tables = await sql<{ tableName: string }>`
      select table_name from information_schema.tables
      where table_schema = ${database.schema} and table_type = 'BASE TABLE'`.execute(db);
    expect(tables.rows.map((t) => t.tableName)).toEqual(
      expect.arrayContaining(['batch', 'record', 'audit_log']),
    );
    const dumps: string[] = [];
    for (const { tableName } of tables.rows) {
      const rows = await sql<{ json: string }>`
        select row_to_json(t)::text as json from ${sql.table(`${database.schema}.${tableName}`)} t`.execute(
        db,
      );
      dumps.push(...rows.rows.map((r) => r.json));
    }
    return dumps.join('\n');
  }

  it('stores the records, and the scans below do see text that is stored in the clear', async () => {
    const dump = await dumpTables();
    expect(dump).toContain('系统管理员（演示）');
    expect(dump).toContain('hukou-q2-fixed.csv');
    expect(dump).toContain('bad.csv');
    const records = await database.db
      .selectFrom('record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(records.n)).toBe(PEOPLE * 3);
  });

  it('has no ID number, no 14-digit ID prefix and no name in any row of any table', async () => {
    expect(found(await dumpTables(), needles)).toEqual([]);
  });

  if (dialect === 'sqlite')
    it('has none of them in the bytes of the database file or its write-ahead log', async () => {
      const wal = `${sqliteFile}-wal`;
      expect(existsSync(wal)).toBe(true);
      const everything = Buffer.concat([readFileSync(sqliteFile), readFileSync(wal)]);
      expect(everything.includes(Buffer.from('系统管理员（演示）', 'utf8'))).toBe(true);
      expect(found(everything, needles)).toEqual([]);
      // Checkpointed into the main file as well.
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
      expect(found(readFileSync(sqliteFile), needles)).toEqual([]);
    });

  it('finds each person by the blind index of their ID, and decrypts what it finds', async () => {
    const { crypto } = runtime.deps;
    for (const i of [0, 17, PEOPLE - 1]) {
      const rows = await database.db
        .selectFrom('record')
        .innerJoin('batch', 'batch.id', 'record.batchId')
        .select(['record.dataset', 'record.idEnc', 'record.nameEnc', 'batch.status'])
        .where('record.personKey', '=', crypto.blindIndex(idNumber(i)))
        .orderBy('record.id')
        .execute();
      expect(rows.map((r) => [r.dataset, r.status])).toEqual([
        ['hukou', 'superseded'],
        ['hukou', 'committed'],
        ['marriage', 'committed'],
      ]);
      for (const r of rows) {
        expect(crypto.decrypt(r.idEnc as string)).toBe(idNumber(i));
        expect(crypto.decrypt(r.nameEnc as string)).toBe(personName(i));
      }
    }
    const partner = await database.db
      .selectFrom('record')
      .select(['values'])
      .where('dataset', '=', 'marriage')
      .execute();
    const match = partner
      .map((r) => JSON.parse(r.values) as Record<string, string>)
      .find((v) => v.partnerIdNumberKey === crypto.blindIndex(partnerId(3)));
    expect(match && crypto.decrypt(match.partnerIdNumber as string)).toBe(partnerId(3));
    expect(match && crypto.decrypt(match.partnerName as string)).toBe(partnerName(3));
  });
});

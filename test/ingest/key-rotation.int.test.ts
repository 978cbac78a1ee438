import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FieldCrypto } from '../../src/crypto/field-crypto.ts';
import { parseKeyFile } from '../../src/crypto/key-file.ts';
import { CIPHERTEXT_COLUMNS } from '../../src/store/ciphertext.repository.ts';
import { openCaseForCli } from '../support/cases.ts';
import { cliDatabase, hedui } from '../support/cli.ts';
import type { TestDatabase } from '../support/databases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { csvBytes, idNumber, marriageRowsFor, personName, tempDir } from '../support/department-data.ts';

describeEachDatabase('hedui keys rotate', (dialect) => {
  const dir = tempDir('hedui-keys-');
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ database, env } = await cliDatabase(dialect, dir));
    const file = dir.write('marriage.csv', csvBytes(marriageRowsFor(5)));
    const run = await hedui(['import', '--dataset', 'marriage', '--period', '2025-08', file], env);
    expect(run.code).toBe(0);
    const bad = dir.write(
      'bad.csv',
      csvBytes([...marriageRowsFor(2), { ...marriageRowsFor(3)[2], 登记类型: '复婚' }]),
    );
    expect((await hedui(['import', '--dataset', 'marriage', '--period', '2025-09', bad], env)).code).toBe(3);
    const household = dir.write(
      'household.json',
      Buffer.from(
        JSON.stringify({
          caseRef: 'KEY-ROTATION-1',
          regionCode: '621002',
          assistanceType: 'subsistence_allowance',
          members: [{ idNumber: idNumber(0), name: personName(0), relation: '本人' }],
        }),
      ),
    );
    const caseNumber = await openCaseForCli(env, [
      { idNumber: idNumber(0), name: personName(0), relation: '本人' },
    ]);
    const assessed = await hedui(['assess', '--household', household, '--case', caseNumber], env);
    expect(assessed.code, assessed.stdout).toBe(0);
  });
  afterAll(async () => {
    await database.close();
    dir.remove();
  });

  it('makes a new data key current, re-encrypts every identifier under it, and keeps every value and index', async () => {
    const before = new FieldCrypto(parseKeyFile(readFileSync(env.HEDUI_KEY_FILE as string, 'utf8')));
    const records = await database.db.selectFrom('record').selectAll().orderBy('id').execute();
    expect(records).toHaveLength(5);
    expect(records.every((r) => r.idEnc !== null && before.keyIdOf(r.idEnc) === 1)).toBe(true);

    const run = await hedui(['keys', 'rotate'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      currentKeyId: 2,
      records: 5,
      reencrypted: 5,
      batches: 2,
      others: 4,
    });

    const after = new FieldCrypto(parseKeyFile(readFileSync(env.HEDUI_KEY_FILE as string, 'utf8')));
    expect(after.currentKeyId).toBe(2);
    const rotated = await database.db.selectFrom('record').selectAll().orderBy('id').execute();
    rotated.forEach((r, i) => {
      const old = records[i];
      if (!old?.idEnc || !r.idEnc || !r.nameEnc) throw new Error('identifier missing');
      expect(after.keyIdOf(r.idEnc)).toBe(2);
      expect(after.decrypt(r.idEnc)).toBe(before.decrypt(old.idEnc));
      expect(after.decrypt(r.nameEnc)).toBe(personName(i));
      expect(r.personKey).toBe(old.personKey);
      expect(r.personKey).toBe(after.blindIndex(idNumber(i)));
      const values = JSON.parse(r.values) as Record<string, string>;
      expect(after.keyIdOf(values.partnerIdNumber ?? '')).toBe(2);
      expect(after.decrypt(values.partnerIdNumber ?? '')).toBe(
        idNumber(i, { region: '621021', birth: '19900101' }),
      );
      expect(after.keyIdOf(values.partnerName ?? '')).toBe(2);
    });
    // The stored assessment (request and result) moved to the new key too, and still reads the same.
    const [assessment] = await database.db.selectFrom('assessment').selectAll().execute();
    if (!assessment) throw new Error('no assessment');
    expect([after.keyIdOf(assessment.inputEnc), after.keyIdOf(assessment.resultEnc)]).toEqual([2, 2]);
    expect(JSON.parse(after.decrypt(assessment.inputEnc))).toMatchObject({
      caseRef: expect.stringMatching(/^HD-/),
    });
    const batches = await database.db.selectFrom('batch').select(['errors']).execute();
    expect(batches.every((b) => after.keyIdOf(b.errors) === 2)).toBe(true);
    const audit = await database.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'KEYS_ROTATED')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('resumes without a new key and finds nothing left to re-encrypt', async () => {
    const run = await hedui(['keys', 'rotate', '--resume'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      currentKeyId: 2,
      records: 5,
      reencrypted: 0,
      batches: 0,
      others: 0,
    });
  });

  it('knows every encrypted column of the schema', async () => {
    // information_schema is PostgreSQL's; the schema is the same on SQLite (one migration list).
    if (dialect !== 'postgres') return;
    const columns = await sql<{ tableName: string; columnName: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and column_name like '%\_enc' and table_name <> 'record'
        -- record's partitions (PostgreSQL, 202611270300) are record: re-encrypted with it.
        and not exists (select 1 from pg_inherits i
                         where i.inhrelid = format('%I.%I', table_schema, table_name)::regclass)`.execute(
      database.db,
    );
    const found = columns.rows.map((c) => `${c.tableName}.${c.columnName}`).sort();
    const listed = Object.values(CIPHERTEXT_COLUMNS)
      .map((c) => `${c.table}.${c.column}`)
      .sort();
    expect(found).toEqual(listed);
  });
});

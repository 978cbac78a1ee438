import { randomBytes } from 'node:crypto';
import { type Kysely, Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { PARTITIONED_DATASETS } from '../../src/store/migrations/202611270300_record_partitions.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import type { DB } from '../../src/store/schema.ts';
import { TEST_START, useTestApp } from '../support/app.ts';
import {
  createTestDatabase,
  describeEachDatabase,
  type TestDatabase,
  testDialects,
} from '../support/databases.ts';
import { benefitRow, deliver, hukouRow } from '../support/deliveries.ts';

const PARTITION_MIGRATION = '202611270300_record_partitions';

async function danglingDecisions(db: Kysely<DB>): Promise<number> {
  const r = await db
    .selectFrom('matchDecision as d')
    .leftJoin('record as r', 'r.id', 'd.recordId')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describeEachDatabase('department records, partitioned by dataset on PostgreSQL', (dialect) => {
  const t = useTestApp(dialect);

  it('stores each batch once per row, keeps match decisions pointing at stored records through a purge', async () => {
    const hukou = await deliver(t, {
      dataset: 'hukou',
      period: '2025-Q1',
      rows: [hukouRow(1), hukouRow(2), hukouRow(1)],
      at: TEST_START,
    });
    expect(hukou).toMatchObject({ status: 'committed', rows: 3, stored: 2 });
    const benefit = await deliver(t, {
      dataset: 'benefit',
      period: '2025-08',
      rows: [benefitRow(1, '2025-08'), benefitRow(2, '2025-08')],
      at: TEST_START,
    });
    expect(benefit).toMatchObject({ status: 'committed', stored: 2 });
    const records = await t.database.db
      .selectFrom('record')
      .select(['id', 'dataset', 'personKey'])
      .where('batchId', '=', benefit.batchId as number)
      .orderBy('id')
      .execute();
    expect(records).toHaveLength(2);
    for (const r of records)
      await t.database.db
        .insertInto('matchDecision')
        .values({
          caseRef: 'TEST-1',
          personKey: r.personKey as string,
          recordId: r.id,
          decision: 'confirmed',
          reason: '测试',
          decidedAt: TEST_START,
        })
        .execute();

    expect(await t.deps.store.retention.purgeBatch(benefit.batchId as number, TEST_START)).toBe(2);
    expect(await danglingDecisions(t.database.db)).toBe(0);
    const left = await t.database.db
      .selectFrom('matchDecision')
      .select('recordId')
      .where('caseRef', '=', 'TEST-1')
      .execute();
    expect(left).toEqual([]);
    // The other dataset's rows are untouched.
    const hukouLeft = await t.database.db
      .selectFrom('record')
      .select('id')
      .where('batchId', '=', hukou.batchId as number)
      .execute();
    expect(hukouLeft).toHaveLength(2);
  });

  it('stores rows of a dataset added to the catalog after the partitions were made', async () => {
    const batch = await t.deps.store.batches.get(
      (
        await deliver(t, {
          dataset: 'hukou',
          period: '2025-Q2',
          rows: [hukouRow(3)],
          at: TEST_START,
        })
      ).batchId as number,
    );
    const row = {
      personKey: 'k-future',
      birthKey: null,
      rowNumber: 2,
      rowHash: 'h-future',
      idEnc: null,
      nameEnc: null,
      month: null,
      values: '{}',
      caseRef: null,
    };
    expect(await t.deps.store.batches.insertRecords(batch?.id as number, 'future_dataset', [row, row])).toBe(
      1,
    );
    const stored = await t.database.db
      .selectFrom('record')
      .select(['dataset', 'personKey'])
      .where('dataset', '=', 'future_dataset')
      .execute();
    expect(stored).toEqual([{ dataset: 'future_dataset', personKey: 'k-future' }]);
    if (dialect === 'postgres') {
      const where = await sql<{ part: string }>`select tableoid::regclass::text as part from record
          where dataset = 'future_dataset'`.execute(t.database.db);
      expect(where.rows.map((r) => r.part.replace(/^.*\./, ''))).toEqual(['record_default']);
    }
  });
});

describe.runIf(testDialects().includes('postgres'))('record partitions (PostgreSQL)', () => {
  async function freshSchema(): Promise<{ database: TestDatabase; migrator: Migrator }> {
    const database = await createTestDatabase('postgres', { migrate: false });
    const migrator = new Migrator({
      db: database.db,
      provider: { getMigrations: async () => migrations('postgres') },
      migrationTableSchema: database.schema as string,
    });
    return { database, migrator };
  }

  const names = Object.keys(migrations('postgres'));
  const before = names[names.indexOf(PARTITION_MIGRATION) - 1] as string;

  async function insertBatch(db: Kysely<DB>, dataset: string): Promise<number> {
    const r = await sql<{
      id: number;
    }>`insert into batch (dataset, period, period_first_month, period_last_month,
        department_code, source, fingerprint, bytes, format, rows_read, rows_stored, duplicate_rows, error_count,
        errors, status, data_as_of, created_at)
      values (${dataset}, '2025-08', '2025-08', '2025-08', 'civil_affairs', 'upload', ${randomBytes(8).toString('hex')},
        1, 'csv', 1, 1, 0, 0, '{}', 'committed', '2025-08-31', ${TEST_START}) returning id`.execute(db);
    return (r.rows[0] as { id: number }).id;
  }

  async function insertRecord(db: Kysely<DB>, batchId: number, dataset: string, n: number): Promise<number> {
    const r = await sql<{
      id: string;
    }>`insert into record (batch_id, dataset, person_key, row_number, row_hash, values)
      values (${batchId}, ${dataset}, ${`p${n}`}, ${n}, ${`h${n}`}, '{}') returning id`.execute(db);
    return Number((r.rows[0] as { id: string }).id);
  }

  it('moves existing rows into one partition per dataset with their ids, the sequence and the indexes; down undoes it', async () => {
    const s = await freshSchema();
    try {
      const { db } = s.database;
      const to = await s.migrator.migrateTo(before);
      expect(to.error).toBeUndefined();
      const hukouBatch = await insertBatch(db, 'hukou');
      const benefitBatch = await insertBatch(db, 'benefit');
      const ids = [
        await insertRecord(db, hukouBatch, 'hukou', 1),
        await insertRecord(db, hukouBatch, 'hukou', 2),
        await insertRecord(db, benefitBatch, 'benefit', 3),
        await insertRecord(db, benefitBatch, 'made_up_later', 4),
      ];
      await sql`insert into match_decision (case_ref, person_key, record_id, decision, reason, decided_at)
        values ('C-1', 'p3', ${ids[2]}, 'confirmed', '测试', ${TEST_START})`.execute(db);

      // Up to this migration only: later ones add indexes of their own (record_birth_noid_idx).
      const up = await s.migrator.migrateTo(PARTITION_MIGRATION);
      expect(up.error).toBeUndefined();
      const parts = await sql<{ part: string; bound: string }>`
        select c.relname as part, pg_get_expr(c.relpartbound, c.oid) as bound from pg_inherits i
          join pg_class c on c.oid = i.inhrelid where i.inhparent = 'record'::regclass order by c.relname`.execute(
        db,
      );
      expect(parts.rows).toHaveLength(PARTITIONED_DATASETS.length + 1);
      expect(parts.rows).toContainEqual({ part: 'record_hukou', bound: "FOR VALUES IN ('hukou')" });
      expect(parts.rows).toContainEqual({ part: 'record_default', bound: 'DEFAULT' });
      const strategy = await sql<{ s: string }>`select partstrat as s from pg_partitioned_table
          where partrelid = 'record'::regclass`.execute(db);
      expect(strategy.rows).toEqual([{ s: 'l' }]);

      const placed = await sql<{
        id: string;
        part: string;
      }>`select id, tableoid::regclass::text as part from record
          order by id`.execute(db);
      expect(placed.rows.map((r) => [Number(r.id), r.part.replace(/^.*\./, '')])).toEqual([
        [ids[0], 'record_hukou'],
        [ids[1], 'record_hukou'],
        [ids[2], 'record_benefit'],
        [ids[3], 'record_default'],
      ]);
      // The sequence carries on after the moved ids; the unique index still drops a batch's repeated row.
      const next = await insertRecord(db, benefitBatch, 'benefit', 5);
      expect(next).toBeGreaterThan(Math.max(...ids));
      const repeated =
        await sql`insert into record (batch_id, dataset, person_key, row_number, row_hash, values)
        values (${benefitBatch}, 'benefit', 'p5', 6, 'h5', '{}')
        on conflict (batch_id, row_hash, dataset) do nothing`.execute(db);
      expect(Number(repeated.numAffectedRows)).toBe(0);
      // batch_id still references batch; the decision kept its record id.
      await expect(insertRecord(db, 999_999, 'hukou', 7)).rejects.toThrow(/foreign key/);
      const decision = await sql<{ id: string }>`select record_id as id from match_decision`.execute(db);
      expect(decision.rows.map((r) => Number(r.id))).toEqual([ids[2]]);
      const indexes = await sql<{ name: string }>`select indexname as name from pg_indexes
          where schemaname = current_schema() and tablename = 'record_benefit' order by indexname`.execute(
        db,
      );
      expect(indexes.rows.map((r) => r.name)).toEqual([
        'record_benefit_batch_id_row_hash_dataset_idx',
        'record_benefit_birth_key_idx',
        'record_benefit_case_ref_idx',
        'record_benefit_person_key_dataset_idx',
        'record_benefit_pkey',
      ]);
      // A read of one dataset touches its partition only, through its person index.
      await sql`analyze record`.execute(db);
      await sql`set enable_seqscan = off`.execute(db);
      const plan = await sql<{ 'QUERY PLAN': string }>`explain select * from record
          where person_key = 'p3' and dataset = 'benefit'`.execute(db);
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/record_benefit_person_key_dataset_idx/);
      expect(text).not.toMatch(/record_hukou|record_default/);

      const down = await s.migrator.migrateTo(before);
      expect(down.error).toBeUndefined();
      const plain = await sql<{ kind: string }>`select relkind::text as kind from pg_class
          where oid = 'record'::regclass`.execute(db);
      expect(plain.rows).toEqual([{ kind: 'r' }]);
      const back = await sql<{ id: string }>`select id from record order by id`.execute(db);
      expect(back.rows.map((r) => Number(r.id))).toEqual([...ids, next]);
      await expect(
        sql`insert into match_decision (case_ref, person_key, record_id, decision, reason, decided_at)
          values ('C-2', 'p0', 999999, 'confirmed', '测试', ${TEST_START})`.execute(db),
      ).rejects.toThrow(/foreign key/);
    } finally {
      await s.database.close();
    }
  });
});

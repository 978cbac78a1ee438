import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * The catalog's dataset codes when this migration was written (src/domain/catalog/datasets.ts, 31 codes). Frozen
 * here, not imported: a landed migration must do the same thing on every database it ever runs on. A dataset
 * added to the catalog later is stored in `record_default` (its rows insert and are read like any other); a later
 * migration may give it a partition of its own by moving its rows out of the default one (docs/deployment.md).
 */
export const PARTITIONED_DATASETS = [
  'hukou',
  'vehicle',
  'payroll',
  'benefit',
  'contribution',
  'real_estate',
  'provident_fund',
  'market_entity',
  'tax_income',
  'deposit',
  'transport',
  'marriage',
  'death',
  'subsidy',
  'disability',
  'social_assistance',
  'student_status',
  'student_aid',
  'religious_personnel',
  'exit_entry',
  'employment',
  'housing_security',
  'house_lease',
  'land_transfer',
  'farm_machinery',
  'health_assistance',
  'illness_record',
  'disaster_relief',
  'forest_right',
  'medical_insurance',
  'custody',
] as const;

const CODE = /^[a-z][a-z0-9_]*$/;

/** Secondary indexes of `record` as the earlier migrations made them (name → columns). */
const SECONDARY = [
  ['record_person_idx', 'person_key, dataset'],
  ['record_birth_idx', 'birth_key'],
  ['record_case_idx', 'case_ref'],
] as const;

const run = (db: Kysely<unknown>, text: string) => sql.raw(text).execute(db);

/**
 * PostgreSQL only (SQLite keeps one `record` table): department records LIST-partitioned by `dataset`, one
 * partition per catalog dataset plus `record_default` (issue #9 item 3, docs/deployment.md「数据规模」).
 *
 * - Ids and their sequence are kept: the new table takes `record_id_seq` as its default (ownership moves to it)
 *   and every row is copied with its id. The primary key becomes (id, dataset) — PostgreSQL requires the
 *   partition key in every unique index; ids stay unique because one sequence hands them out.
 * - `record_batch_row_uq` becomes (batch_id, row_hash, dataset): a batch has exactly one dataset, so "a row of a
 *   batch is stored once" means the same; `insertRecords`' ON CONFLICT target names the three columns.
 * - The foreign key `match_decision.record_id → record.id` is dropped, not widened to (record_id, dataset): a
 *   foreign key into a partitioned table must name the partition key, and Citus (where `record` is distributed
 *   by the person key and match decisions stay on the coordinator) refuses a foreign key from a local table into
 *   a distributed one altogether. The app keeps the invariant instead: a decision is written only for a record
 *   the assessment just read (decide-match.ts), and records leave only through `purgeBatch`, which deletes the
 *   decisions on them in the same transaction (test/retention/record-partitions.int.test.ts).
 * - `record.batch_id → batch.id` stays (a partitioned table may reference a plain one; on Citus `batch` is a
 *   reference table, which a distributed table may reference).
 */
export function recordPartitions(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await run(db, 'alter table match_decision drop constraint if exists match_decision_record_id_fkey');
      await run(db, 'alter table record rename to record_unpartitioned');
      for (const name of ['record_pkey', 'record_batch_row_uq', ...SECONDARY.map(([n]) => n)])
        await run(db, `alter index ${name} rename to ${name}_old`);
      // LIKE copies the columns (those later migrations added too), NOT NULLs and the id default (the sequence).
      await run(
        db,
        `create table record (like record_unpartitioned including defaults, primary key (id, dataset))
          partition by list (dataset)`,
      );
      await run(db, 'alter sequence record_id_seq owned by record.id');
      await run(
        db,
        'alter table record add constraint record_batch_id_fkey foreign key (batch_id) references batch (id)',
      );
      for (const code of PARTITIONED_DATASETS) {
        if (!CODE.test(code)) throw new Error(`not a dataset code: ${code}`);
        await run(db, `create table record_${code} partition of record for values in ('${code}')`);
      }
      await run(db, 'create table record_default partition of record default');
      // Rows first, indexes after: one sorted build per partition instead of row-by-row index maintenance.
      await run(db, 'insert into record select * from record_unpartitioned');
      await run(db, 'drop table record_unpartitioned');
      await run(db, 'create unique index record_batch_row_uq on record (batch_id, row_hash, dataset)');
      for (const [name, columns] of SECONDARY) await run(db, `create index ${name} on record (${columns})`);
      await run(db, 'analyze record');
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await run(db, 'alter table record rename to record_partitioned');
      for (const name of ['record_pkey', 'record_batch_row_uq', ...SECONDARY.map(([n]) => n)])
        await run(db, `alter index ${name} rename to ${name}_partitioned`);
      await run(db, 'create table record (like record_partitioned including defaults, primary key (id))');
      await run(db, 'alter sequence record_id_seq owned by record.id');
      await run(
        db,
        'alter table record add constraint record_batch_id_fkey foreign key (batch_id) references batch (id)',
      );
      await run(db, 'insert into record select * from record_partitioned');
      await run(db, 'drop table record_partitioned');
      await run(db, 'create unique index record_batch_row_uq on record (batch_id, row_hash)');
      for (const [name, columns] of SECONDARY) await run(db, `create index ${name} on record (${columns})`);
      await run(
        db,
        `alter table match_decision add constraint match_decision_record_id_fkey
          foreign key (record_id) references record (id)`,
      );
    },
  };
}

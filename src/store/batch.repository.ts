import { CompiledQuery, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  ApiKeyRecord,
  ApiKeyRepository,
  BatchKind,
  BatchRecord,
  BatchRepository,
  BatchSource,
  BatchStatus,
  NewRecordRow,
} from '../app/ports.ts';
import { scopesOf } from './api-client.repository.ts';
import type { Dialect } from './dialect.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toBatch(r: Selectable<DB['batch']>): BatchRecord {
  return {
    ...r,
    bytes: Number(r.bytes),
    source: r.source as BatchSource,
    status: r.status as BatchStatus,
    kind: r.kind as BatchKind,
  };
}

/** Rows per INSERT: SQLite allows 32 766 bound values; a record row binds 9. */
const INSERT_CHUNK = 1000;

/** The record columns an import writes, in statement order (camelCase as in `NewRecordRow`). */
const RECORD_COLUMNS = [
  'personKey',
  'birthKey',
  'rowNumber',
  'rowHash',
  'idEnc',
  'nameEnc',
  'month',
  'values',
  'caseRef',
] as const satisfies readonly (keyof NewRecordRow)[];

const snake = (column: string) => column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The hot path of every import, written as SQL text without the query builder (issue #7: compiling a
 * 1 000-row insert cost as much as running it). PostgreSQL receives one array per column and `unnest`s them:
 * 11 parameters and one statement text whatever the row count, instead of 11 000 bound values. Exact duplicate
 * rows of a batch are stored once (the unique index decides, so memory stays flat). On PostgreSQL `record` is
 * partitioned by dataset, so its unique index (and the conflict target) carries `dataset` too (202611270300).
 */
function insertRecordsQuery(
  dialect: Dialect,
  batchId: number,
  dataset: string,
  rows: readonly NewRecordRow[],
): CompiledQuery {
  const columns = RECORD_COLUMNS.map((c) => `"${snake(c)}"`).join(', ');
  const cell = (r: NewRecordRow, c: (typeof RECORD_COLUMNS)[number]) => r[c] ?? null;
  if (dialect === 'postgres') {
    const arrays = RECORD_COLUMNS.map((c) => rows.map((r) => cell(r, c)));
    const types = RECORD_COLUMNS.map((c, i) => `$${i + 3}::${c === 'rowNumber' ? 'int4' : 'text'}[]`);
    return CompiledQuery.raw(
      `insert into "record" ("batch_id", "dataset", ${columns}) select $1, $2, * from unnest(${types.join(', ')}) on conflict ("batch_id", "row_hash", "dataset") do nothing`,
      [batchId, dataset, ...arrays],
    );
  }
  const row = `(?, ?, ${RECORD_COLUMNS.map(() => '?').join(', ')})`;
  const params: unknown[] = [];
  for (const r of rows) params.push(batchId, dataset, ...RECORD_COLUMNS.map((c) => cell(r, c)));
  return CompiledQuery.raw(
    `insert into "record" ("batch_id", "dataset", ${columns}) values ${rows.map(() => row).join(', ')} on conflict ("batch_id", "row_hash") do nothing`,
    params,
  );
}

export function batchRepository(db: Executor, dialect: Dialect): BatchRepository {
  return {
    async lockPeriod(dataset, period) {
      if (dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext(${`batch:${dataset}:${period}`}))`.execute(db);
    },
    async create(b) {
      return toBatch(await db.insertInto('batch').values(b).returningAll().executeTakeFirstOrThrow());
    },
    async insertRecords(batchId, dataset, rows) {
      let stored = 0;
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const result = await db.executeQuery(
          insertRecordsQuery(dialect, batchId, dataset, rows.slice(i, i + INSERT_CHUNK)),
        );
        stored += Number(result.numAffectedRows ?? 0);
      }
      return stored;
    },
    async update(id, patch) {
      if (Object.keys(patch).length > 0)
        await db.updateTable('batch').set(patch).where('id', '=', id).execute();
    },
    async get(id) {
      const r = await db.selectFrom('batch').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toBatch(r) : undefined;
    },
    async current(dataset, period) {
      const r = await db
        .selectFrom('batch')
        .selectAll()
        .where('dataset', '=', dataset)
        .where('period', '=', period)
        .where('status', '=', 'committed')
        // Rows fetched for one case (query interface answer, offline exchange reply) are no delivery: they neither supersede nor are superseded.
        .where('source', 'not in', ['query', 'offline'])
        // A supplementary batch of unidentified rows stands beside the delivery of its period (its own supersession).
        .where('kind', '=', 'main')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return r ? toBatch(r) : undefined;
    },
    async committedOverlapping(dataset, firstMonth, lastMonth) {
      const rows = await db
        .selectFrom('batch')
        .selectAll()
        .where('dataset', '=', dataset)
        .where('status', '=', 'committed')
        .where('source', 'not in', ['query', 'offline'])
        .where('kind', '=', 'main')
        .where('periodFirstMonth', '<=', lastMonth)
        .where('periodLastMonth', '>=', firstMonth)
        .execute();
      return rows.map(toBatch);
    },
    async list(filter) {
      const base = db
        .selectFrom('batch')
        .$if(filter.departmentCode !== undefined, (q) =>
          q.where('departmentCode', '=', filter.departmentCode as string),
        )
        .$if(filter.dataset !== undefined, (q) => q.where('dataset', '=', filter.dataset as string))
        .$if((filter.statuses?.length ?? 0) > 0, (q) =>
          q.where('status', 'in', filter.statuses as BatchStatus[]),
        );
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll()
        .orderBy('id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { items: rows.map(toBatch), total: Number(total?.n ?? 0) };
    },
    async importTotals() {
      const rows = await db
        .selectFrom('batch')
        .select((eb) => [
          'dataset',
          'status',
          eb.fn.countAll<number>().as('batches'),
          eb.fn.sum<number>('rowsStored').as('rows'),
        ])
        .groupBy(['dataset', 'status'])
        .execute();
      return rows.map((r) => ({
        dataset: r.dataset,
        status: r.status,
        batches: Number(r.batches),
        rows: Number(r.rows ?? 0),
      }));
    },
    async records(batchId, offset, limit) {
      return db
        .selectFrom('record')
        .selectAll()
        .where('batchId', '=', batchId)
        .orderBy('id')
        .offset(offset)
        .limit(limit)
        .execute();
    },
    async recordPage(afterId, limit) {
      return db
        .selectFrom('record')
        .selectAll()
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
    },
    async updateRecordCiphertexts(id, c) {
      await db.updateTable('record').set(c).where('id', '=', id).execute();
    },
    async batchPage(afterId, limit) {
      const rows = await db
        .selectFrom('batch')
        .selectAll()
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toBatch);
    },
    async countRecords(batchId) {
      const r = await db
        .selectFrom('record')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('batchId', '=', batchId)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}

export function apiKeyRepository(db: Executor): ApiKeyRepository {
  const toRecord = (row: Selectable<DB['apiKey']>): ApiKeyRecord => ({
    ...row,
    scopes: scopesOf(row.scopes),
  });
  const maybe = (row: Selectable<DB['apiKey']> | undefined) => (row ? toRecord(row) : undefined);
  return {
    async create(k) {
      const row = await db
        .insertInto('apiKey')
        .values({ ...k, scopes: k.scopes.join(' ') })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async getByPrefix(prefix) {
      return maybe(await db.selectFrom('apiKey').selectAll().where('prefix', '=', prefix).executeTakeFirst());
    },
    async get(id) {
      return maybe(await db.selectFrom('apiKey').selectAll().where('id', '=', id).executeTakeFirst());
    },
    async list(organisationIds) {
      if (organisationIds !== null && organisationIds.length === 0) return [];
      const rows = await db
        .selectFrom('apiKey')
        .selectAll()
        .$if(organisationIds !== null, (q) => q.where('organisationId', 'in', organisationIds as number[]))
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toRecord);
    },
    async update(id, patch) {
      if (Object.keys(patch).length > 0)
        await db.updateTable('apiKey').set(patch).where('id', '=', id).execute();
    },
  };
}

import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import type {
  AssessmentMode,
  AssessmentRepository,
  AssessmentRow,
  BatchKind,
  BatchRecord,
  BatchSource,
  BatchStatus,
  MatchDecisionRow,
  RecordScope,
  StoredRecord,
} from '../app/ports.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Keys per `IN (...)` list: well under SQLite's 32 766 bound values. */
const KEY_CHUNK = 500;

function toBatch(r: Selectable<DB['batch']>): BatchRecord {
  return {
    ...r,
    bytes: Number(r.bytes),
    source: r.source as BatchSource,
    status: r.status as BatchStatus,
    kind: r.kind as BatchKind,
  };
}

function toRow(r: Selectable<DB['assessment']>): AssessmentRow {
  return {
    ...r,
    mode: r.mode as AssessmentMode,
    batchIds: JSON.parse(r.batchIds) as number[],
    summary: JSON.parse(r.summary) as Record<string, number>,
  };
}

function toDecision(r: Selectable<DB['matchDecision']>): MatchDecisionRow {
  return { ...r, decision: r.decision as MatchDecisionRow['decision'] };
}

/**
 * Rows of the scope's batches, usable for the case. Neither condition can use an index (`batch_id + 0`, a
 * `coalesce`), so the planner stays on the key's index (`record_person_idx`, `record_birth_idx`) instead of
 * `record_batch_row_uq` or `record_case_idx` (which would read whole batches, or every department row).
 */
function withinScope(eb: ExpressionBuilder<DB, 'record'>, within: RecordScope) {
  if (within.batchIds.length === 0) return sql<boolean>`1 = 0`;
  return eb.and([
    eb(sql<number>`batch_id + 0`, 'in', within.batchIds),
    // `case_ref is null or case_ref = ?` as one expression: an OR would send SQLite to `record_case_idx`.
    eb(eb.fn.coalesce('caseRef', sql<string>`${within.caseRef}`), '=', within.caseRef),
  ]);
}

async function inChunks<T>(keys: string[], fetch: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(keys)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += KEY_CHUNK)
    out.push(...(await fetch(unique.slice(i, i + KEY_CHUNK))));
  return out;
}

/** Records of these birth keys (`record_birth_noid_idx` for rows without an ID, `record_birth_idx` otherwise). */
function byBirthKeys(
  db: Executor,
  birthKeys: string[],
  within: RecordScope | undefined,
  which: (eb: ExpressionBuilder<DB, 'record'>) => Expression<SqlBool>,
): Promise<StoredRecord[]> {
  return inChunks(birthKeys, (chunk) =>
    db
      .selectFrom('record')
      .selectAll()
      .where('birthKey', 'in', chunk)
      .where(which)
      .$if(within !== undefined, (q) => q.where((eb) => withinScope(eb, within as RecordScope)))
      .orderBy('id')
      .execute(),
  ) as Promise<StoredRecord[]>;
}

export function assessmentRepository(db: Executor): AssessmentRepository {
  return {
    async standingBatches(at) {
      if (at === null) {
        const rows = await db.selectFrom('batch').selectAll().where('status', '=', 'committed').execute();
        return rows.map(toBatch);
      }
      // Standing at `at`: committed by then (a rejected batch never stood), not retracted by then, and not
      // replaced by then by the batch that superseded it.
      const rows = await db
        .selectFrom('batch as b')
        .leftJoin('batch as s', 's.id', 'b.supersededBy')
        .selectAll('b')
        .where('b.status', 'in', ['committed', 'superseded', 'retracted'])
        .where('b.createdAt', '<=', at)
        .where((eb) => eb.or([eb('b.retractedAt', 'is', null), eb('b.retractedAt', '>', at)]))
        .where((eb) => eb.or([eb('s.createdAt', 'is', null), eb('s.createdAt', '>', at)]))
        .execute();
      return rows.map(toBatch);
    },
    async batchesByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await inChunks(ids.map(String), (chunk) =>
        db.selectFrom('batch').selectAll().where('id', 'in', chunk.map(Number)).execute(),
      );
      return rows.map(toBatch).sort((a, b) => a.id - b.id);
    },
    async recordsByPersonKeys(personKeys, within) {
      return inChunks(personKeys, (chunk) =>
        db
          .selectFrom('record')
          .selectAll()
          .where('personKey', 'in', chunk)
          .$if(within !== undefined, (q) => q.where((eb) => withinScope(eb, within as RecordScope)))
          .orderBy('id')
          .execute(),
      ) as Promise<StoredRecord[]>;
    },
    async recordsWithoutIdByBirthKeys(birthKeys, within) {
      return byBirthKeys(db, birthKeys, within, (eb) => eb('personKey', 'is', null));
    },
    async hukouByBirthKeys(birthKeys, within) {
      return byBirthKeys(db, birthKeys, within, (eb) => eb('dataset', '=', 'hukou'));
    },
    async create(row) {
      const inserted = await db
        .insertInto('assessment')
        .values({ ...row, batchIds: JSON.stringify(row.batchIds), summary: JSON.stringify(row.summary) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRow(inserted);
    },
    async get(id) {
      const r = await db.selectFrom('assessment').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : undefined;
    },
    async list(filter) {
      const base = db
        .selectFrom('assessment')
        .$if(filter.regionScope !== null, (q) =>
          q.where('regionCode', 'like', `${regionScopePrefix(filter.regionScope as string)}%`),
        )
        .$if(filter.caseRef !== undefined, (q) => q.where('caseRef', '=', filter.caseRef as string));
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll()
        .orderBy('id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { items: rows.map(toRow), total: Number(total?.n ?? 0) };
    },
    async decisions(caseRef) {
      const rows = await db
        .selectFrom('matchDecision')
        .selectAll()
        .where('caseRef', '=', caseRef)
        .orderBy('id')
        .execute();
      return rows.map(toDecision);
    },
    async saveDecision(row) {
      const saved = await db
        .insertInto('matchDecision')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['caseRef', 'personKey', 'recordId']).doUpdateSet({
            decision: row.decision,
            reason: row.reason,
            decidedAt: row.decidedAt,
            decidedBy: row.decidedBy,
            decidedByName: row.decidedByName,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDecision(saved);
    },
  };
}

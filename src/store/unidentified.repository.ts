import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { UnidentifiedRepository } from '../app/ingest/unidentified.port.ts';
import type { BatchKind, BatchRecord, BatchSource, BatchStatus } from '../app/ports.ts';
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

/** Reads of the import of unidentified rows: its own kind's supersession, and the register's names. */
export function unidentifiedRepository(db: Executor): UnidentifiedRepository {
  const committed = (dataset: string) =>
    db
      .selectFrom('batch')
      .selectAll()
      .where('dataset', '=', dataset)
      .where('status', '=', 'committed')
      .where('kind', '=', 'unidentified');
  return {
    async current(dataset, period) {
      const r = await committed(dataset)
        .where('period', '=', period)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return r ? toBatch(r) : undefined;
    },
    async committedOverlapping(dataset, firstMonth, lastMonth) {
      const rows = await committed(dataset)
        .where('periodFirstMonth', '<=', lastMonth)
        .where('periodLastMonth', '>=', firstMonth)
        .execute();
      return rows.map(toBatch);
    },
    async registerNames(batchIds, personKeys) {
      if (batchIds.length === 0 || personKeys.length === 0) return [];
      const rows = await db
        .selectFrom('record')
        .select(['personKey', 'nameEnc'])
        .where('personKey', 'in', [...new Set(personKeys)])
        .where('batchId', 'in', batchIds)
        .where('nameEnc', 'is not', null)
        .execute();
      return rows.map((r) => ({ personKey: r.personKey as string, nameEnc: r.nameEnc as string }));
    },
    async markByBirthDate(batchId, at) {
      const result = await markByBirthDateQuery(db, batchId, at).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0);
    },
  };
}

/**
 * Change-driven rechecks for rows left to name + birth-date matching: the members of the standing roster versions
 * born on the day of a row of the batch without a person key (their hukou rows carry the birth key). A namesake's
 * family is marked too: a mark only makes the next `changed` run recompute it. One `insert … select`, as
 * `markForBatchQuery`; each member probes `record_person_idx`, then `record_birth_idx`.
 */
function markByBirthDateQuery(db: Executor, batchId: number, at: string) {
  return db
    .insertInto('recheckMark')
    .columns(['requesterOrganisationId', 'familyKey', 'batchId', 'markedAt'])
    .expression(
      db
        .selectFrom('rosterVersion as v')
        .crossJoin('rosterFamily as f')
        .crossJoin('rosterMember as m')
        .whereRef('f.versionId', '=', 'v.id')
        .whereRef('m.familyId', '=', 'f.id')
        .select([
          'v.requesterOrganisationId',
          'f.familyKey',
          sql<number>`cast(${batchId} as integer)`.as('batchId'),
          sql<string>`cast(${at} as text)`.as('markedAt'),
        ])
        .distinct()
        .where('v.superseded', '=', 0)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('rosterVersion as n')
                .select('n.id')
                .whereRef('n.requesterOrganisationId', '=', 'v.requesterOrganisationId')
                .where('n.superseded', '=', 0)
                .whereRef('n.month', '>', 'v.month'),
            ),
          ),
        )
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('record as h')
              .innerJoin('record as r', 'r.birthKey', 'h.birthKey')
              .select('r.id')
              .whereRef('h.personKey', '=', 'm.personKey')
              .where('h.dataset', '=', 'hukou')
              .where('r.batchId', '=', batchId)
              .where('r.personKey', 'is', null),
          ),
        ),
    )
    .onConflict((oc) => oc.columns(['requesterOrganisationId', 'familyKey', 'batchId']).doNothing());
}

import { type Kysely, sql, type Transaction } from 'kysely';
import type {
  LatestRecheckResult,
  RecheckMarkRepository,
  RecheckMarkRow,
} from '../app/recheck/recheck-marks.port.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

const CHUNK = 500;

/**
 * The marking statement of a committed batch, as one `insert … select`: the members of the standing roster
 * versions (each requester's latest month, not superseded) whose person key has a record in the batch. Only the
 * standing versions' members are read (through `roster_version_current_uq`, `roster_family_version_key_uq`,
 * `roster_member_family_idx`), each probing `record_person_idx (person_key, dataset)`; nothing is read row by row
 * into the application, whatever the batch's size.
 */
export function markForBatchQuery(db: Executor, batchId: number, dataset: string, at: string) {
  return db
    .insertInto('recheckMark')
    .columns(['requesterOrganisationId', 'familyKey', 'batchId', 'markedAt'])
    .expression(
      db
        // CROSS JOIN fixes SQLite's join order (standing versions → their families → their members); PostgreSQL
        // treats it as an inner join and plans freely.
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
            selectFrom('record as r')
              .select('r.id')
              .whereRef('r.personKey', '=', 'm.personKey')
              .where('r.dataset', '=', dataset)
              .where('r.batchId', '=', batchId),
          ),
        ),
    )
    .onConflict((oc) => oc.columns(['requesterOrganisationId', 'familyKey', 'batchId']).doNothing());
}

export function recheckMarkRepository(db: Executor): RecheckMarkRepository {
  return {
    async markForBatch(batchId, dataset, at) {
      const result = await markForBatchQuery(db, batchId, dataset, at).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0);
    },
    async markedFamilies(requesterOrganisationId) {
      const rows = await db
        .selectFrom('recheckMark')
        .select('familyKey')
        .distinct()
        .where('requesterOrganisationId', '=', requesterOrganisationId)
        .where('consumedByRunId', 'is', null)
        .execute();
      return new Set(rows.map((r) => r.familyKey));
    },
    async openMarkIds(requesterOrganisationId, familyKey) {
      const rows = await db
        .selectFrom('recheckMark')
        .select('id')
        .where('requesterOrganisationId', '=', requesterOrganisationId)
        .where('familyKey', '=', familyKey)
        .where('consumedByRunId', 'is', null)
        .orderBy('id')
        .execute();
      return rows.map((r) => Number(r.id));
    },
    async openMarkIdsOf(requesterOrganisationId, familyKeys) {
      const out = new Map<string, number[]>();
      for (let i = 0; i < familyKeys.length; i += CHUNK) {
        const chunk = familyKeys.slice(i, i + CHUNK);
        if (chunk.length === 0) continue;
        const rows = await db
          .selectFrom('recheckMark')
          .select(['id', 'familyKey'])
          .where('requesterOrganisationId', '=', requesterOrganisationId)
          .where('familyKey', 'in', chunk)
          .where('consumedByRunId', 'is', null)
          .orderBy('id')
          .execute();
        for (const r of rows) {
          const list = out.get(r.familyKey);
          if (list) list.push(Number(r.id));
          else out.set(r.familyKey, [Number(r.id)]);
        }
      }
      return out;
    },
    async consume(ids, runId) {
      let consumed = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        const result = await db
          .updateTable('recheckMark')
          .set({ consumedByRunId: runId })
          .where('id', 'in', ids.slice(i, i + CHUNK))
          .where('consumedByRunId', 'is', null)
          .executeTakeFirst();
        consumed += Number(result.numUpdatedRows);
      }
      return consumed;
    },
    async latestResults(requesterOrganisationId, month, excludeRunId) {
      const rows = await sql<{
        familyKey: string;
        itemId: number | string;
        runId: number | string;
        month: string;
        summaryEnc: string | null;
      }>`
        select family_key, item_id, run_id, month, summary_enc from (
          select i.family_key, i.id as item_id, i.run_id, r.month, i.summary_enc,
                 row_number() over (partition by i.family_key order by r.month desc, i.run_id desc) as rn
          from recheck_item i
          join recheck_run r on r.id = i.run_id
          where i.requester_organisation_id = ${requesterOrganisationId}
            and i.status = 'done'
            and r.month <= ${month}
            and i.run_id <> ${excludeRunId}
        ) latest
        where rn = 1`.execute(db);
      return new Map(
        rows.rows.map((r): [string, LatestRecheckResult] => [
          r.familyKey,
          { itemId: Number(r.itemId), runId: Number(r.runId), month: r.month, summaryEnc: r.summaryEnc },
        ]),
      );
    },
    async marksOf(requesterOrganisationId, familyKey) {
      const rows = await db
        .selectFrom('recheckMark')
        .selectAll()
        .where('requesterOrganisationId', '=', requesterOrganisationId)
        .where('familyKey', '=', familyKey)
        .orderBy('id')
        .execute();
      return rows.map(
        (r): RecheckMarkRow => ({
          ...r,
          id: Number(r.id),
          batchId: Number(r.batchId),
          consumedByRunId: r.consumedByRunId === null ? null : Number(r.consumedByRunId),
        }),
      );
    },
  };
}

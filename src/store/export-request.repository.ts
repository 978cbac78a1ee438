import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ExportRequestRepository } from '../app/exports/export-request.port.ts';
import type {
  ExportKind,
  ExportRequestRow,
  ExportState,
  ExportTarget,
} from '../domain/exports/export-request.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toRow(r: Selectable<DB['exportRequest']>): ExportRequestRow {
  return {
    ...r,
    id: Number(r.id),
    kind: r.kind as ExportKind,
    target: JSON.parse(r.target) as ExportTarget,
    state: r.state as ExportState,
    caseId: r.caseId === null ? null : Number(r.caseId),
    recheckRunId: r.recheckRunId === null ? null : Number(r.recheckRunId),
    requestedBy: Number(r.requestedBy),
    requesterOrganisationId: Number(r.requesterOrganisationId),
    decidedBy: r.decidedBy === null ? null : Number(r.decidedBy),
  };
}

export function exportRequestRepository(db: Executor): ExportRequestRepository {
  return {
    async add(row) {
      const inserted = await db
        .insertInto('exportRequest')
        .values({ ...row, target: JSON.stringify(row.target), state: 'pending' })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRow(inserted);
    },
    async get(id) {
      const r = await db.selectFrom('exportRequest').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : undefined;
    },
    async ofRequester(userId, limit) {
      const rows = await db
        .selectFrom('exportRequest')
        .selectAll()
        .where('requestedBy', '=', userId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },
    async inScope(regionPrefix, states, limit) {
      if (states.length === 0) return [];
      const rows = await db
        .selectFrom('exportRequest')
        .selectAll()
        .where('state', 'in', states)
        .where('requesterRegionCode', 'like', `${regionPrefix}%`)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },
    async decide(id, decision) {
      const result = await db
        .updateTable('exportRequest')
        .set(decision)
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async claimDownload(id, at, fingerprint) {
      const result = await db
        .updateTable('exportRequest')
        .set({ state: 'downloaded', downloadedAt: at, fingerprint })
        .where('id', '=', id)
        .where('state', '=', 'approved')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async releaseDownload(id) {
      await db
        .updateTable('exportRequest')
        .set({ state: 'approved', downloadedAt: null, fingerprint: null })
        .where('id', '=', id)
        .where('state', '=', 'downloaded')
        .execute();
    },
    async setFileName(id, fileName) {
      await db.updateTable('exportRequest').set({ fileName }).where('id', '=', id).execute();
    },
  };
}

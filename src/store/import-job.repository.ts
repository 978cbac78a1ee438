import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ImportJobRepository, ImportJobRow, ImportJobState } from '../app/ingest/import-job.port.ts';
import type { Actor } from '../app/ports.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toRow(r: Selectable<DB['importJob']>): ImportJobRow {
  const { uploaderUserId: _uploader, ...rest } = r;
  return {
    ...rest,
    actor: JSON.parse(r.actor) as Actor,
    bytes: Number(r.bytes),
    state: r.state as ImportJobState,
    outcome: r.outcome as ImportJobRow['outcome'],
    organisationId: r.organisationId === null ? null : Number(r.organisationId),
    batchId: r.batchId === null ? null : Number(r.batchId),
  };
}

export function importJobRepository(db: Executor): ImportJobRepository {
  return {
    async add(row) {
      const inserted = await db
        .insertInto('importJob')
        .values({
          ...row,
          actor: JSON.stringify(row.actor),
          uploaderUserId: row.actor.userId,
          state: 'queued',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRow(inserted);
    },
    async get(id) {
      const r = await db.selectFrom('importJob').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : undefined;
    },
    async update(id, patch) {
      if (Object.keys(patch).length > 0)
        await db.updateTable('importJob').set(patch).where('id', '=', id).execute();
    },
  };
}

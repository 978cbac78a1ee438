import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { OfflineExchangeRecord, OfflineExchangeRepository } from '../app/ports.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toExchange(r: Selectable<DB['offlineExchange']>): OfflineExchangeRecord {
  return {
    ...r,
    status: r.status as OfflineExchangeRecord['status'],
    caseRefs: JSON.parse(r.caseRefs) as string[],
  };
}

export function offlineExchangeRepository(db: Executor): OfflineExchangeRepository {
  return {
    async create(e, reference) {
      // The reference is made from the id; a unique placeholder holds the row until it is known.
      const placeholder = `pending-${randomUUID()}`;
      const row = await db
        .insertInto('offlineExchange')
        .values({ ...e, reference: placeholder, caseRefs: JSON.stringify(e.caseRefs) })
        .returningAll()
        .executeTakeFirstOrThrow();
      const ref = reference(row.id);
      await db.updateTable('offlineExchange').set({ reference: ref }).where('id', '=', row.id).execute();
      return toExchange({ ...row, reference: ref });
    },
    async get(id) {
      const r = await db.selectFrom('offlineExchange').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toExchange(r) : undefined;
    },
    async getByReference(reference) {
      const r = await db
        .selectFrom('offlineExchange')
        .selectAll()
        .where('reference', '=', reference)
        .executeTakeFirst();
      return r ? toExchange(r) : undefined;
    },
    async list(filter) {
      const prefix = filter.regionScope === null ? null : `${regionScopePrefix(filter.regionScope)}%`;
      const base = db
        .selectFrom('offlineExchange')
        .$if(prefix !== null, (q) => q.where('regionCode', 'like', prefix as string))
        .$if(filter.departmentCode !== undefined, (q) =>
          q.where('departmentCode', '=', filter.departmentCode as string),
        )
        .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as string));
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll()
        .orderBy('id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { items: rows.map(toExchange), total: Number(total?.n ?? 0) };
    },
    async markAnswered(id, answer) {
      const r = await db
        .updateTable('offlineExchange')
        .set({
          status: 'answered',
          answeredAt: answer.answeredAt,
          answeredBy: answer.answeredBy,
          answerBatchId: answer.batchId,
        })
        .where('id', '=', id)
        .where('status', '=', 'exported')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  BatchStatus,
  DeliveryRepository,
  DeliveryRuleRecord,
  NoticeRecord,
  NoticeRepository,
} from '../app/ports.ts';
import type { BatchFactStatus } from '../domain/delivery/quality.ts';
import { isFrequency } from '../domain/delivery/schedule.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toRule(r: Selectable<DB['deliveryRule']>): DeliveryRuleRecord | null {
  if (!isFrequency(r.frequency)) return null;
  return {
    dataset: r.dataset,
    frequency: r.frequency,
    dueDay: r.dueDay,
    firstPeriod: r.firstPeriod,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  };
}

export function deliveryRepository(db: Executor): DeliveryRepository {
  return {
    async listRules() {
      const rows = await db.selectFrom('deliveryRule').selectAll().orderBy('dataset').execute();
      return rows.map(toRule).filter((r): r is DeliveryRuleRecord => r !== null);
    },
    async saveRule(rule) {
      const values = {
        frequency: rule.frequency,
        dueDay: rule.dueDay,
        firstPeriod: rule.firstPeriod,
        updatedAt: rule.updatedAt,
        updatedBy: rule.updatedBy,
      };
      await db
        .insertInto('deliveryRule')
        .values({ dataset: rule.dataset, ...values })
        .onConflict((oc) => oc.column('dataset').doUpdateSet(values))
        .execute();
    },
    async batchFacts(filter) {
      const statuses = filter.statuses ?? [];
      const departments = filter.departmentCodes;
      if (departments !== undefined && departments.length === 0) return [];
      const rows = await db
        .selectFrom('batch')
        .select([
          'id',
          'dataset',
          'departmentCode',
          'status',
          'period',
          'periodFirstMonth',
          'periodLastMonth',
          'rowsRead',
          'rowsStored',
          'duplicateRows',
          'unmatchedRows',
          'errorCount',
          'dataAsOf',
          'createdAt',
        ])
        // Rows fetched for one case (query interfaces, offline replies) are no delivery (schedule, quality).
        .where('source', 'not in', ['query', 'offline'])
        // Nor are supplementary batches of unidentified rows: the delivery is the main batch.
        .where('kind', '=', 'main')
        .$if(statuses.length > 0, (q) => q.where('status', 'in', statuses as BatchStatus[]))
        .$if(departments !== undefined, (q) => q.where('departmentCode', 'in', departments as string[]))
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ ...r, status: r.status as BatchFactStatus }));
    },
  };
}

export function noticeRepository(db: Executor): NoticeRepository {
  return {
    async createOnce(notice) {
      const result = await db
        .insertInto('notice')
        .values({ ...notice, readAt: null })
        .onConflict((oc) => oc.column('dedupeKey').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async list(organisationId, filter) {
      const own = db
        .selectFrom('notice')
        .where('organisationId', '=', organisationId)
        .where((eb) =>
          eb.or([
            eb('recipientUserId', 'is', null),
            ...(filter.userId == null ? [] : [eb('recipientUserId', '=', filter.userId)]),
          ]),
        );
      const counts = await own
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.count<number>('id').filterWhere('readAt', 'is', null).as('unread'),
        ])
        .executeTakeFirst();
      const items: NoticeRecord[] = await own
        .selectAll()
        .$if(filter.unreadOnly, (q) => q.where('readAt', 'is', null))
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      const unread = Number(counts?.unread ?? 0);
      return { items, total: filter.unreadOnly ? unread : Number(counts?.total ?? 0), unread };
    },
    async get(id) {
      return db.selectFrom('notice').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async markRead(id, at) {
      await db
        .updateTable('notice')
        .set({ readAt: at })
        .where('id', '=', id)
        .where('readAt', 'is', null)
        .execute();
    },
  };
}

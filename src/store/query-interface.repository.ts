import type { Kysely, Selectable, Transaction } from 'kysely';
import type { QueryInterfaceRecord, QueryInterfaceRepository } from '../app/ports.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toQueryInterface(r: Selectable<DB['queryInterface']>): QueryInterfaceRecord {
  return { ...r, enabled: Boolean(r.enabled) };
}

/** Departments' query interfaces; the configuration arrives and leaves encrypted (it holds credentials). */
export function queryInterfaceRepository(db: Executor): QueryInterfaceRepository {
  return {
    async create(q) {
      const row = await db
        .insertInto('queryInterface')
        .values({ ...q, enabled: q.enabled ? 1 : 0 })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toQueryInterface(row);
    },
    async get(id) {
      const r = await db.selectFrom('queryInterface').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toQueryInterface(r) : undefined;
    },
    async find(departmentCode, dataset) {
      const r = await db
        .selectFrom('queryInterface')
        .selectAll()
        .where('departmentCode', '=', departmentCode)
        .where('dataset', '=', dataset)
        .executeTakeFirst();
      return r ? toQueryInterface(r) : undefined;
    },
    async list(filter) {
      const rows = await db
        .selectFrom('queryInterface')
        .selectAll()
        .$if(filter.enabledOnly, (q) => q.where('enabled', '=', 1))
        .orderBy('departmentCode')
        .orderBy('dataset')
        .orderBy('id')
        .execute();
      return rows.map(toQueryInterface);
    },
    async update(id, patch) {
      const { enabled, ...rest } = patch;
      const values = { ...rest, ...(enabled === undefined ? {} : { enabled: enabled ? 1 : 0 }) };
      if (Object.keys(values).length > 0)
        await db.updateTable('queryInterface').set(values).where('id', '=', id).execute();
    },
  };
}

import type { Kysely, Selectable, Transaction } from 'kysely';
import type { EscalationRepository, EscalationRow } from '../app/cases/escalation.port.ts';
import type { EscalationState } from '../domain/cases/escalation.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toRow(r: Selectable<DB['caseEscalation']>): EscalationRow {
  return { ...r, state: r.state as EscalationState };
}

export function escalationRepository(db: Executor): EscalationRepository {
  return {
    async create(row) {
      const inserted = await db
        .insertInto('caseEscalation')
        .values({ ...row, revision: 0 })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRow(inserted);
    },
    async get(id) {
      const r = await db.selectFrom('caseEscalation').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : undefined;
    },
    async byCase(caseId) {
      const rows = await db
        .selectFrom('caseEscalation')
        .selectAll()
        .where('caseId', '=', caseId)
        .orderBy('id')
        .execute();
      return rows.map(toRow);
    },
    async byCases(caseIds, states) {
      if (caseIds.length === 0 || states.length === 0) return [];
      const rows = await db
        .selectFrom('caseEscalation')
        .selectAll()
        .where('caseId', 'in', [...caseIds])
        .where('state', 'in', [...states])
        .orderBy('id')
        .execute();
      return rows.map(toRow);
    },
    async addressedTo(organisationId, filter) {
      const base = db
        .selectFrom('caseEscalation')
        .where('targetOrganisationId', '=', organisationId)
        .$if(filter.states.length > 0, (q) => q.where('state', 'in', [...filter.states]));
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll()
        .orderBy('id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { items: rows.map(toRow), total: Number(total?.n ?? 0) };
    },
    async update(id, revision, patch) {
      const result = await db
        .updateTable('caseEscalation')
        .set({ ...patch, revision: revision + 1 })
        .where('id', '=', id)
        .where('revision', '=', revision)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

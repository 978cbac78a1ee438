import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DishonestyRepository, DishonestyRow } from '../app/dishonesty/dishonesty.port.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import type { DishonestySource, DishonestyState } from '../domain/dishonesty/records.ts';
import { AppError } from '../domain/shared/errors.ts';
import { isUniqueViolation } from './errors.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toRow(r: Selectable<DB['dishonestyRecord']>): DishonestyRow {
  return {
    ...r,
    id: Number(r.id),
    sourceKind: r.sourceKind as DishonestySource,
    state: r.state as DishonestyState,
    revision: Number(r.revision),
  };
}

export function dishonestyRepository(db: Executor): DishonestyRepository {
  return {
    async create(row, personKeys) {
      try {
        const inserted = await db
          .insertInto('dishonestyRecord')
          .values({ ...row, revision: 0 })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (personKeys.length > 0)
          await db
            .insertInto('dishonestySubject')
            .values(
              personKeys.map((personKey, subjectIndex) => ({
                recordId: inserted.id,
                subjectIndex,
                personKey,
              })),
            )
            .execute();
        return toRow(inserted);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('CONFLICT', '该案件已有待审批或已生效的失信记录', {
            code: 'DISHONESTY_RECORD_EXISTS',
            caseId: row.sourceCaseId,
          });
        throw error;
      }
    },
    async get(id) {
      const r = await db.selectFrom('dishonestyRecord').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : undefined;
    },
    async activeForCase(caseId) {
      const r = await db
        .selectFrom('dishonestyRecord')
        .selectAll()
        .where('sourceCaseId', '=', caseId)
        .where('state', 'in', ['draft', 'approved'])
        .executeTakeFirst();
      return r ? toRow(r) : undefined;
    },
    async list(filter) {
      const prefix = filter.regionScope === null ? null : `${regionScopePrefix(filter.regionScope)}%`;
      const base = db
        .selectFrom('dishonestyRecord as d')
        .$if(prefix !== null, (q) => q.where('d.regionCode', 'like', prefix as string))
        .$if(filter.requesterOrganisationId !== undefined, (q) =>
          q.where('d.requesterOrganisationId', '=', filter.requesterOrganisationId as number),
        )
        .$if((filter.states ?? []).length > 0, (q) => q.where('d.state', 'in', [...(filter.states ?? [])]))
        .$if(filter.sourceCaseId !== undefined, (q) =>
          q.where('d.sourceCaseId', '=', filter.sourceCaseId as number),
        )
        .$if(filter.approvedFrom !== undefined, (q) =>
          q.where('d.approvedOn', '>=', filter.approvedFrom as string),
        )
        .$if(filter.approvedTo !== undefined, (q) =>
          q.where('d.approvedOn', '<=', filter.approvedTo as string),
        )
        .$if(filter.personKey !== undefined, (q) =>
          q.where((eb) =>
            eb.exists(
              eb
                .selectFrom('dishonestySubject as s')
                .select('s.id')
                .whereRef('s.recordId', '=', 'd.id')
                .where('s.personKey', '=', filter.personKey as string),
            ),
          ),
        );
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll('d')
        .orderBy('d.id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { items: rows.map(toRow), total: Number(total?.n ?? 0) };
    },
    async update(id, revision, patch) {
      const result = await db
        .updateTable('dishonestyRecord')
        .set({ ...patch, revision: revision + 1 })
        .where('id', '=', id)
        .where('revision', '=', revision)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async revokeDocument(documentId, at) {
      await db
        .updateTable('caseDocument')
        .set({ revokedAt: at })
        .where('id', '=', documentId)
        .where('revokedAt', 'is', null)
        .execute();
    },
  };
}

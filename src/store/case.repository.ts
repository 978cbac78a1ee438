import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  CaseAttachmentKind,
  CaseAttachmentRow,
  CaseEventRow,
  CaseRepository,
  CaseRow,
  PendingCaseRequest,
} from '../app/ports.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import { AppError } from '../domain/shared/errors.ts';
import { isUniqueViolation } from './errors.ts';
import type { DB } from './schema.ts';
import { statisticsQueries } from './statistics.queries.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toCase(r: Selectable<DB['verificationCase']>): CaseRow {
  return {
    ...r,
    pendingRequest: r.pendingRequest === null ? null : (JSON.parse(r.pendingRequest) as PendingCaseRequest),
  };
}

function toEvent(r: Selectable<DB['caseEvent']>): CaseEventRow {
  return { ...r, details: JSON.parse(r.details) as Record<string, unknown> };
}

function toAttachment(r: Selectable<DB['caseAttachment']>): CaseAttachmentRow {
  return { ...r, kind: r.kind as CaseAttachmentKind };
}

type CasePatch = Parameters<CaseRepository['update']>[2];

function stored(patch: CasePatch) {
  const { pendingRequest, ...rest } = patch;
  return pendingRequest === undefined
    ? rest
    : { ...rest, pendingRequest: pendingRequest === null ? null : JSON.stringify(pendingRequest) };
}

export function caseRepository(db: Executor): CaseRepository {
  return {
    ...statisticsQueries(db),
    async create(row) {
      const inserted = await db
        .insertInto('verificationCase')
        .values({ ...stored(row), revision: 0 } as never)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCase(inserted);
    },
    async get(id) {
      const r = await db.selectFrom('verificationCase').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toCase(r) : undefined;
    },
    async getByNumber(number) {
      const r = await db
        .selectFrom('verificationCase')
        .selectAll()
        .where('number', '=', number)
        .executeTakeFirst();
      return r ? toCase(r) : undefined;
    },
    async update(id, revision, patch) {
      const result = await db
        .updateTable('verificationCase')
        .set({ ...stored(patch), revision: revision + 1 } as never)
        .where('id', '=', id)
        .where('revision', '=', revision)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async list(filter) {
      const base = db
        .selectFrom('verificationCase')
        .$if(filter.regionScope !== null, (q) =>
          q.where('regionCode', 'like', `${regionScopePrefix(filter.regionScope as string)}%`),
        )
        .$if(filter.requesterOrganisationId !== undefined, (q) =>
          q.where('requesterOrganisationId', '=', filter.requesterOrganisationId as number),
        )
        .$if((filter.states?.length ?? 0) > 0, (q) => q.where('state', 'in', filter.states as string[]))
        .$if(filter.updatedSince !== undefined, (q) =>
          q.where('updatedAt', '>=', filter.updatedSince as string),
        )
        .$if(filter.memberOf !== undefined, (q) =>
          q.where((eb) =>
            eb.or([
              eb('handlerId', '=', filter.memberOf as number),
              eb('reviewerId', '=', filter.memberOf as number),
            ]),
          ),
        );
      // The page and the total in one statement (the list is read on every visit of the case pages).
      const rows = await base
        .selectAll()
        .select(sql<number>`count(*) over ()`.as('fullCount'))
        .orderBy('id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      const first = rows[0];
      // A page past the end has no row to carry the total: count on its own then.
      const total =
        first !== undefined
          ? first.fullCount
          : filter.offset === 0
            ? 0
            : (await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n;
      return { items: rows.map(({ fullCount: _, ...row }) => toCase(row)), total: Number(total ?? 0) };
    },
    async addEvent(event) {
      const inserted = await db
        .insertInto('caseEvent')
        .values({ ...event, details: JSON.stringify(event.details) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEvent(inserted);
    },
    async events(caseId) {
      const rows = await db
        .selectFrom('caseEvent')
        .selectAll()
        .where('caseId', '=', caseId)
        .orderBy('id')
        .execute();
      return rows.map(toEvent);
    },
    async stepEvents(caseIds, steps) {
      const out: { caseId: number; step: string; at: string }[] = [];
      // In slices: SQLite allows a limited number of bound parameters per statement.
      for (let i = 0; i < caseIds.length; i += 500) {
        const slice = caseIds.slice(i, i + 500);
        if (slice.length === 0 || steps.length === 0) continue;
        out.push(
          ...(await db
            .selectFrom('caseEvent')
            .select(['caseId', 'step', 'at'])
            .where('caseId', 'in', slice)
            .where('step', 'in', [...steps])
            .orderBy('id')
            .execute()),
        );
      }
      return out;
    },
    async addAttachment(row) {
      try {
        return toAttachment(
          await db.insertInto('caseAttachment').values(row).returningAll().executeTakeFirstOrThrow(),
        );
      } catch (e) {
        // Two uploads of one authorization racing past the check: the unique index keeps 一事一授权.
        if (isUniqueViolation(e))
          throw new AppError('CONFLICT', '该授权书已用于其他案件，一事一授权，不能重复使用');
        throw e;
      }
    },
    async attachments(caseId) {
      const rows = await db
        .selectFrom('caseAttachment')
        .selectAll()
        .where('caseId', '=', caseId)
        .orderBy('id')
        .execute();
      return rows.map(toAttachment);
    },
    async authorizationCase(sm3) {
      const r = await db
        .selectFrom('caseAttachment')
        .select('caseId')
        .where('kind', '=', 'authorization')
        .where('sm3', '=', sm3)
        .executeTakeFirst();
      return r?.caseId;
    },
    async nextNumber(scope) {
      const r = await db
        .insertInto('documentCounter')
        .values({ scope, last: 1 })
        .onConflict((oc) =>
          oc.column('scope').doUpdateSet((eb) => ({ last: eb('documentCounter.last', '+', 1) })),
        )
        .returning('last')
        .executeTakeFirstOrThrow();
      return Number(r.last);
    },
    async addDocument(row) {
      return db.insertInto('caseDocument').values(row).returningAll().executeTakeFirstOrThrow();
    },
    async documents(caseId) {
      return db.selectFrom('caseDocument').selectAll().where('caseId', '=', caseId).orderBy('id').execute();
    },
    async documentByShortCode(shortCode) {
      return db.selectFrom('caseDocument').selectAll().where('shortCode', '=', shortCode).executeTakeFirst();
    },
  };
}

import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  AlertWithRequester,
  RecheckAlertRow,
  RecheckCounts,
  RecheckItemRow,
  RecheckItemStatus,
  RecheckRepository,
  RecheckRunRow,
  RecheckRunState,
  RunWithScope,
} from '../app/recheck/recheck-repository.ts';
import type { RosterFamilyRow } from '../app/roster/roster-repository.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import type { AlertState } from '../domain/recheck/alerts.ts';
import type { RecheckMode } from '../domain/recheck/change-driven.ts';
import { AppError } from '../domain/shared/errors.ts';
import { isUniqueViolation } from './errors.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Keys per `IN (...)` list of the page reads. */
const CHUNK = 500;

const ITEM_CHUNK = 500;

export const RECHECK_RUNNING_MESSAGE = '该月份本辖区的复核正在进行中，请等待其完成后再启动';

function toRun(r: Selectable<DB['recheckRun']>): RecheckRunRow {
  return { ...r, id: Number(r.id), state: r.state as RecheckRunState, mode: r.mode as RecheckMode };
}

function toItem(r: Selectable<DB['recheckItem']>): RecheckItemRow {
  return {
    ...r,
    id: Number(r.id),
    rosterFamilyId: Number(r.rosterFamilyId),
    status: r.status as RecheckItemStatus,
    changes: JSON.parse(r.changes) as string[],
  };
}

function toAlert(r: Selectable<DB['recheckAlert']>): RecheckAlertRow {
  return { ...r, id: Number(r.id), itemId: Number(r.itemId), state: r.state as AlertState };
}

function like(scope: string): string {
  return `${regionScopePrefix(scope)}%`;
}

export function recheckRepository(db: Executor): RecheckRepository {
  const alerts = (filter: {
    regionScope: string | null;
    state?: AlertState;
    requesterOrganisationId?: number;
    runId?: number;
  }) =>
    db
      .selectFrom('recheckAlert as a')
      .innerJoin('organisation as o', 'o.id', 'a.requesterOrganisationId')
      .innerJoin('recheckRun as r', 'r.id', 'a.runId')
      .$if(filter.regionScope !== null, (q) =>
        q.where('o.regionCode', 'like', like(filter.regionScope as string)),
      )
      .$if(filter.state !== undefined, (q) => q.where('a.state', '=', filter.state as string))
      .$if(filter.requesterOrganisationId !== undefined, (q) =>
        q.where('a.requesterOrganisationId', '=', filter.requesterOrganisationId as number),
      )
      .$if(filter.runId !== undefined, (q) => q.where('a.runId', '=', filter.runId as number));
  const withRequester = (
    r: Selectable<DB['recheckAlert']> & { requesterName: string; requesterRegionCode: string; month: string },
  ): AlertWithRequester => {
    const { requesterName, requesterRegionCode, month, ...alert } = r;
    return { ...toAlert(alert), requesterName, requesterRegionCode, month };
  };

  return {
    async createRun(run) {
      try {
        const row = await db.insertInto('recheckRun').values(run).returningAll().executeTakeFirstOrThrow();
        return toRun(row);
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError('RECHECK_RUNNING', RECHECK_RUNNING_MESSAGE, {
            month: run.month,
            scopeOrganisationId: run.scopeOrganisationId,
          });
        throw e;
      }
    },
    async latestRun(month, scopeOrganisationId) {
      const r = await db
        .selectFrom('recheckRun')
        .selectAll()
        .where('month', '=', month)
        .where('scopeOrganisationId', '=', scopeOrganisationId)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? toRun(r) : undefined;
    },
    async getRun(id) {
      const r = await db
        .selectFrom('recheckRun as r')
        .innerJoin('organisation as o', 'o.id', 'r.scopeOrganisationId')
        .selectAll('r')
        .select(['o.name as scopeName', 'o.regionCode as scopeRegionCode'])
        .where('r.id', '=', id)
        .executeTakeFirst();
      if (!r) return undefined;
      const { scopeName, scopeRegionCode, ...run } = r;
      return { ...toRun(run), scopeName, scopeRegionCode };
    },
    async listRuns(filter) {
      const base = db
        .selectFrom('recheckRun as r')
        .innerJoin('organisation as o', 'o.id', 'r.scopeOrganisationId')
        .$if(filter.regionScope !== null, (q) =>
          q.where('o.regionCode', 'like', like(filter.regionScope as string)),
        )
        .$if(filter.month !== undefined, (q) => q.where('r.month', '=', filter.month as string));
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll('r')
        .select(['o.name as scopeName', 'o.regionCode as scopeRegionCode'])
        .orderBy('r.id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return {
        items: rows.map(
          ({ scopeName, scopeRegionCode, ...run }): RunWithScope => ({
            ...toRun(run),
            scopeName,
            scopeRegionCode,
          }),
        ),
        total: Number(total?.n ?? 0),
      };
    },
    async takeOver(id, seen, lease) {
      try {
        const result = await db
          .updateTable('recheckRun')
          .set((eb) => ({
            state: 'running',
            leaseToken: lease.token,
            leaseUntil: lease.until,
            finishedAt: null,
            errorCode: null,
            resumedCount: eb('resumedCount', '+', 1),
          }))
          .where('id', '=', id)
          .where('state', '=', seen.state)
          .where('leaseToken', '=', seen.leaseToken)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      } catch (e) {
        // A failed run taken over while another run of its month and scope was started meanwhile.
        if (isUniqueViolation(e)) return false;
        throw e;
      }
    },
    async heartbeat(id, token, until, add) {
      const result = await db
        .updateTable('recheckRun')
        .set((eb) => ({
          leaseUntil: until,
          doneCount: eb('doneCount', '+', add.doneCount ?? 0),
          skippedCount: eb('skippedCount', '+', add.skippedCount ?? 0),
          failedCount: eb('failedCount', '+', add.failedCount ?? 0),
          changedCount: eb('changedCount', '+', add.changedCount ?? 0),
          familyCount: eb('familyCount', '+', add.familyCount ?? 0),
          carriedCount: eb('carriedCount', '+', add.carriedCount ?? 0),
        }))
        .where('id', '=', id)
        .where('state', '=', 'running')
        .where('leaseToken', '=', token)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async finishRun(id, token, end) {
      const result = await db
        .updateTable('recheckRun')
        .set({
          state: end.state,
          finishedAt: end.finishedAt,
          errorCode: end.errorCode,
          ...(end.counts ?? {}),
        })
        .where('id', '=', id)
        .where('state', '=', 'running')
        .where('leaseToken', '=', token)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async addItems(items) {
      for (let i = 0; i < items.length; i += ITEM_CHUNK)
        await db
          .insertInto('recheckItem')
          .values(
            items.slice(i, i + ITEM_CHUNK).map((item) => ({
              ...item,
              changes: JSON.stringify(item.changes),
              assessmentId: null,
              summaryEnc: item.summaryEnc ?? null,
              errorCode: null,
            })),
          )
          .execute();
    },
    async itemsToDo(runId, afterId, limit) {
      const rows = await db
        .selectFrom('recheckItem')
        .selectAll()
        .where('runId', '=', runId)
        .where('status', 'in', ['pending', 'failed'])
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toItem);
    },
    async getItem(id) {
      const r = await db.selectFrom('recheckItem').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toItem(r) : undefined;
    },
    async listItems(runId, filter) {
      const base = db
        .selectFrom('recheckItem')
        .where('runId', '=', runId)
        .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as string))
        .$if(filter.changedOnly === true, (q) => q.where('changes', '<>', '[]'));
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll()
        .orderBy('requesterOrganisationId')
        .orderBy('familyKey')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { items: rows.map(toItem), total: Number(total?.n ?? 0) };
    },
    async countItems(runId) {
      const rows = await db
        .selectFrom('recheckItem')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .where('runId', '=', runId)
        .groupBy('status')
        .execute();
      const changed = await db
        .selectFrom('recheckItem')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('runId', '=', runId)
        .where('status', '=', 'done')
        .where('changes', '<>', '[]')
        .executeTakeFirst();
      const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
      return {
        familyCount: rows.reduce((sum, r) => sum + Number(r.n), 0),
        doneCount: of('done'),
        skippedCount: of('skipped'),
        failedCount: of('failed'),
        changedCount: Number(changed?.n ?? 0),
        carriedCount: of('carried'),
      } satisfies RecheckCounts;
    },
    async updateItem(id, patch) {
      const { changes, ...rest } = patch;
      await db
        .updateTable('recheckItem')
        .set({ ...rest, ...(changes === undefined ? {} : { changes: JSON.stringify(changes) }) })
        .where('id', '=', id)
        .execute();
    },
    async previousDoneItem(requesterOrganisationId, familyKey, month, excludeRunId) {
      const r = await db
        .selectFrom('recheckItem as i')
        .innerJoin('recheckRun as r', 'r.id', 'i.runId')
        .selectAll('i')
        .where('i.requesterOrganisationId', '=', requesterOrganisationId)
        .where('i.familyKey', '=', familyKey)
        .where('i.status', '=', 'done')
        .where('r.month', '<=', month)
        .where('i.runId', '<>', excludeRunId)
        .orderBy('r.month', 'desc')
        .orderBy('i.runId', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? toItem(r) : undefined;
    },
    async addAlerts(rows) {
      if (rows.length === 0) return [];
      const inserted = await db.insertInto('recheckAlert').values(rows).returningAll().execute();
      return inserted.map(toAlert);
    },
    async getAlert(id) {
      const r = await alerts({ regionScope: null })
        .selectAll('a')
        .select(['o.name as requesterName', 'o.regionCode as requesterRegionCode', 'r.month as month'])
        .where('a.id', '=', id)
        .executeTakeFirst();
      return r ? withRequester(r) : undefined;
    },
    async listAlerts(filter) {
      const base = alerts(filter);
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll('a')
        .select(['o.name as requesterName', 'o.regionCode as requesterRegionCode', 'r.month as month'])
        .orderBy('a.id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { items: rows.map(withRequester), total: Number(total?.n ?? 0) };
    },
    async alertCounts(runId) {
      const rows = await db
        .selectFrom('recheckAlert')
        .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
        .where('runId', '=', runId)
        .groupBy('kind')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
    },
    async previousSummaries(requesterOrganisationId, familyKeys, month, excludeRunId) {
      const out = new Map<string, string | null>();
      for (let i = 0; i < familyKeys.length; i += CHUNK) {
        const chunk = familyKeys.slice(i, i + CHUNK);
        if (chunk.length === 0) continue;
        // Per family key, the item previousDoneItem would return (latest month, then latest run): one statement.
        const rows = await sql<{ familyKey: string; summaryEnc: string | null }>`
          select family_key, summary_enc from (
            select i.family_key, i.summary_enc,
                   row_number() over (partition by i.family_key order by r.month desc, i.run_id desc) as rn
            from recheck_item i
            join recheck_run r on r.id = i.run_id
            where i.requester_organisation_id = ${requesterOrganisationId}
              and i.family_key in (${sql.join(chunk)})
              and i.status = 'done'
              and r.month <= ${month}
              and i.run_id <> ${excludeRunId}
          ) latest
          where rn = 1`.execute(db);
        for (const r of rows.rows) out.set(r.familyKey, r.summaryEnc);
      }
      return out;
    },
    async rosterFamilies(ids) {
      const out: RosterFamilyRow[] = [];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        if (chunk.length === 0) continue;
        const rows = await db.selectFrom('rosterFamily').selectAll().where('id', 'in', chunk).execute();
        for (const r of rows)
          out.push({
            ...r,
            id: Number(r.id),
            monthlyAmountFen: Number(r.monthlyAmountFen),
            authorizationOnFile: Boolean(r.authorizationOnFile),
          });
      }
      return out;
    },
    async rosterFamily(id) {
      const r = await db.selectFrom('rosterFamily').selectAll().where('id', '=', id).executeTakeFirst();
      return r
        ? {
            ...r,
            id: Number(r.id),
            monthlyAmountFen: Number(r.monthlyAmountFen),
            authorizationOnFile: Boolean(r.authorizationOnFile),
          }
        : undefined;
    },
    async workAlert(id, patch, from = 'open') {
      const result = await db
        .updateTable('recheckAlert')
        .set(patch)
        .where('id', '=', id)
        .where('state', '=', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

import type { Kysely, Transaction } from 'kysely';
import type { StatisticsReads } from '../app/statistics/statistics-reads.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Ids per `IN (...)` list: SQLite allows a limited number of bound parameters per statement. */
const CHUNK = 500;

export function statisticsQueries(db: Executor): StatisticsReads {
  return {
    async caseStepDetails(caseIds, steps) {
      const out: { caseId: number; step: string; at: string; details: Record<string, unknown> }[] = [];
      if (steps.length === 0) return out;
      for (let i = 0; i < caseIds.length; i += CHUNK) {
        const slice = caseIds.slice(i, i + CHUNK);
        if (slice.length === 0) continue;
        const rows = await db
          .selectFrom('caseEvent')
          .select(['id', 'caseId', 'step', 'at', 'details'])
          .where('caseId', 'in', slice)
          .where('step', 'in', [...steps])
          .orderBy('id')
          .execute();
        for (const r of rows)
          out.push({
            caseId: r.caseId,
            step: r.step,
            at: r.at,
            details: JSON.parse(r.details) as Record<string, unknown>,
          });
      }
      return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    },
    async recheckCounts(filter) {
      const prefix = filter.regionScope === null ? null : `${regionScopePrefix(filter.regionScope)}%`;
      const items = await db
        .selectFrom('recheckItem as i')
        .innerJoin('recheckRun as r', 'r.id', 'i.runId')
        .innerJoin('organisation as o', 'o.id', 'i.requesterOrganisationId')
        .select(['o.regionCode', 'i.status', 'i.changes', (eb) => eb.fn.countAll<number>().as('n')])
        .where('r.month', '>=', filter.fromMonth)
        .where('r.month', '<=', filter.toMonth)
        .$if(prefix !== null, (q) => q.where('o.regionCode', 'like', prefix as string))
        .groupBy(['o.regionCode', 'i.status', 'i.changes'])
        .execute();
      const alerts = await db
        .selectFrom('recheckAlert as a')
        .innerJoin('recheckRun as r', 'r.id', 'a.runId')
        .innerJoin('organisation as o', 'o.id', 'a.requesterOrganisationId')
        .select(['o.regionCode', 'a.state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('r.month', '>=', filter.fromMonth)
        .where('r.month', '<=', filter.toMonth)
        .$if(prefix !== null, (q) => q.where('o.regionCode', 'like', prefix as string))
        .groupBy(['o.regionCode', 'a.state'])
        .execute();
      return {
        items: items.map((r) => ({
          regionCode: r.regionCode,
          status: r.status,
          changes: JSON.parse(r.changes) as string[],
          count: Number(r.n),
        })),
        alerts: alerts.map((r) => ({ regionCode: r.regionCode, state: r.state, count: Number(r.n) })),
      };
    },
  };
}

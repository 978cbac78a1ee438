import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  RecheckReportRepository,
  RecheckReportRow,
  RequesterCounts,
} from '../app/recheck/recheck-report.port.ts';
import type { RecheckItemStatus } from '../app/recheck/recheck-repository.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import { AppError } from '../domain/shared/errors.ts';
import { isUniqueViolation } from './errors.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toReport(r: Selectable<DB['recheckReport']>): RecheckReportRow {
  return {
    ...r,
    id: Number(r.id),
    runId: Number(r.runId),
    requesterOrganisationId: Number(r.requesterOrganisationId),
    agencyOrganisationId: Number(r.agencyOrganisationId),
  };
}

export function recheckReportRepository(db: Executor): RecheckReportRepository {
  return {
    async add(row) {
      try {
        return toReport(
          await db.insertInto('recheckReport').values(row).returningAll().executeTakeFirstOrThrow(),
        );
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError('CONFLICT', '该委托单位本批次的复核情况报告已出具', {
            code: 'RECHECK_REPORT_ISSUED',
            runId: row.runId,
            requesterOrganisationId: row.requesterOrganisationId,
          });
        throw e;
      }
    },
    async get(runId, requesterOrganisationId) {
      const r = await db
        .selectFrom('recheckReport')
        .selectAll()
        .where('runId', '=', runId)
        .where('requesterOrganisationId', '=', requesterOrganisationId)
        .executeTakeFirst();
      return r ? toReport(r) : undefined;
    },
    async ofRun(runId) {
      const rows = await db
        .selectFrom('recheckReport')
        .selectAll()
        .where('runId', '=', runId)
        .orderBy('id')
        .execute();
      return rows.map(toReport);
    },
    async byShortCode(shortCode) {
      const r = await db
        .selectFrom('recheckReport')
        .selectAll()
        .where('shortCode', '=', shortCode)
        .executeTakeFirst();
      return r ? toReport(r) : undefined;
    },
    async list(filter) {
      const base = db
        .selectFrom('recheckReport as p')
        .innerJoin('recheckRun as r', 'r.id', 'p.runId')
        .innerJoin('organisation as q', 'q.id', 'p.requesterOrganisationId')
        .innerJoin('organisation as a', 'a.id', 'p.agencyOrganisationId')
        .$if(filter.requesterOrganisationId !== undefined, (q) =>
          q.where('p.requesterOrganisationId', '=', filter.requesterOrganisationId as number),
        )
        .$if(filter.regionScope !== null, (q) =>
          q.where('q.regionCode', 'like', `${regionScopePrefix(filter.regionScope as string)}%`),
        );
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll('p')
        .select(['r.month as month', 'q.name as requesterName', 'a.name as agencyName'])
        .orderBy('p.id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return {
        items: rows.map(({ month, requesterName, agencyName, ...report }) => ({
          ...toReport(report),
          month,
          requesterName,
          agencyName,
        })),
        total: Number(total?.n ?? 0),
      };
    },
    async requesterCounts(runId) {
      const rows = await db
        .selectFrom('recheckItem as i')
        .innerJoin('organisation as o', 'o.id', 'i.requesterOrganisationId')
        .select((eb) => [
          'i.requesterOrganisationId',
          'o.name as requesterName',
          'o.regionCode as requesterRegionCode',
          'i.status',
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>(eb.case().when('i.changes', '<>', '[]').then(1).else(0).end()).as('changed'),
        ])
        .where('i.runId', '=', runId)
        .groupBy(['i.requesterOrganisationId', 'o.name', 'o.regionCode', 'i.status'])
        .execute();
      const byRequester = new Map<number, RequesterCounts>();
      for (const row of rows) {
        const id = Number(row.requesterOrganisationId);
        const counts = byRequester.get(id) ?? {
          requesterOrganisationId: id,
          requesterName: row.requesterName,
          requesterRegionCode: row.requesterRegionCode,
          familyCount: 0,
          doneCount: 0,
          skippedCount: 0,
          failedCount: 0,
          pendingCount: 0,
          carriedCount: 0,
          changedCount: 0,
        };
        const n = Number(row.n);
        counts.familyCount += n;
        const status = row.status as RecheckItemStatus;
        if (status === 'done') {
          counts.doneCount += n;
          counts.changedCount += Number(row.changed ?? 0);
        } else if (status === 'skipped') counts.skippedCount += n;
        else if (status === 'failed') counts.failedCount += n;
        else if (status === 'carried') counts.carriedCount += n;
        else counts.pendingCount += n;
        byRequester.set(id, counts);
      }
      return [...byRequester.values()].sort((a, b) => a.requesterOrganisationId - b.requesterOrganisationId);
    },
    async items(runId, requesterOrganisationId) {
      const rows = await db
        .selectFrom('recheckItem as i')
        .leftJoin('rosterFamily as f', 'f.id', 'i.rosterFamilyId')
        .select(['i.id', 'i.familyKey', 'i.status', 'i.changes', 'f.membersEnc'])
        .where('i.runId', '=', runId)
        .where('i.requesterOrganisationId', '=', requesterOrganisationId)
        .orderBy('i.familyKey')
        .orderBy('i.id')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        familyKey: r.familyKey,
        status: r.status as RecheckItemStatus,
        changes: JSON.parse(r.changes) as string[],
        membersEnc: r.membersEnc ?? null,
      }));
    },
  };
}

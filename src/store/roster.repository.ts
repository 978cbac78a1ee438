import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  RosterFamilyRow,
  RosterRepository,
  RosterSource,
  RosterVersionRow,
} from '../app/roster/roster-repository.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import { AppError } from '../domain/shared/errors.ts';
import { isUniqueViolation } from './errors.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

const FAMILY_CHUNK = 200;
const MEMBER_CHUNK = 1000;

function toVersion(r: Selectable<DB['rosterVersion']>): RosterVersionRow {
  return {
    id: Number(r.id),
    requesterOrganisationId: r.requesterOrganisationId,
    month: r.month,
    source: r.source as RosterSource,
    fileName: r.fileName,
    sm3: r.sm3,
    familyCount: r.familyCount,
    memberCount: r.memberCount,
    authorizationMissingCount: r.authorizationMissingCount,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    createdByName: r.createdByName,
    superseded: Boolean(r.superseded),
    supersededAt: r.supersededAt,
    supersededBy: r.supersededBy,
  };
}

function toFamily(r: Selectable<DB['rosterFamily']>): RosterFamilyRow {
  return {
    ...r,
    id: Number(r.id),
    monthlyAmountFen: Number(r.monthlyAmountFen),
    authorizationOnFile: Boolean(r.authorizationOnFile),
  };
}

/** Call inside a transaction: the version, its families and the supersession commit together. */
export function rosterRepository(db: Executor): RosterRepository {
  return {
    async createVersion(version, families) {
      try {
        const previous = await db
          .selectFrom('rosterVersion')
          .selectAll()
          .where('requesterOrganisationId', '=', version.requesterOrganisationId)
          .where('month', '=', version.month)
          .where('superseded', '=', 0)
          .executeTakeFirst();
        if (previous) {
          // Guarded by `superseded = 0`: of two imports racing, only one supersedes; the other then fails on
          // the unique index of current versions.
          await db
            .updateTable('rosterVersion')
            .set({ superseded: 1, supersededAt: version.createdAt })
            .where('id', '=', previous.id)
            .where('superseded', '=', 0)
            .execute();
        }
        const inserted = await db
          .insertInto('rosterVersion')
          .values({ ...version, superseded: 0, supersededAt: null, supersededBy: null })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (previous)
          await db
            .updateTable('rosterVersion')
            .set({ supersededBy: inserted.id })
            .where('id', '=', previous.id)
            .execute();
        for (let i = 0; i < families.length; i += FAMILY_CHUNK) {
          const chunk = families.slice(i, i + FAMILY_CHUNK);
          const rows = await db
            .insertInto('rosterFamily')
            .values(
              chunk.map(({ personKeys: _keys, authorizationOnFile, ...f }) => ({
                ...f,
                versionId: inserted.id,
                authorizationOnFile: authorizationOnFile ? 1 : 0,
              })),
            )
            .returning(['id', 'familyKey'])
            .execute();
          const idOf = new Map(rows.map((r) => [r.familyKey, Number(r.id)]));
          const members = chunk.flatMap((f) =>
            f.personKeys.map((personKey, memberIndex) => ({
              familyId: idOf.get(f.familyKey) as number,
              versionId: inserted.id,
              memberIndex,
              personKey,
            })),
          );
          for (let j = 0; j < members.length; j += MEMBER_CHUNK)
            await db
              .insertInto('rosterMember')
              .values(members.slice(j, j + MEMBER_CHUNK))
              .execute();
        }
        return {
          version: toVersion(inserted),
          superseded: previous
            ? toVersion({
                ...previous,
                superseded: 1,
                supersededAt: version.createdAt,
                supersededBy: inserted.id,
              })
            : null,
        };
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError('CONFLICT', '同一单位同一月份的名册正在由他人导入，请稍后刷新后重试');
        throw e;
      }
    },
    async getVersion(id) {
      const r = await db
        .selectFrom('rosterVersion as v')
        .innerJoin('organisation as o', 'o.id', 'v.requesterOrganisationId')
        .selectAll('v')
        .select('o.regionCode as requesterRegionCode')
        .where('v.id', '=', id)
        .executeTakeFirst();
      if (!r) return undefined;
      const { requesterRegionCode, ...version } = r;
      return { ...toVersion(version), requesterRegionCode };
    },
    async currentVersion(requesterOrganisationId, month) {
      const r = await db
        .selectFrom('rosterVersion')
        .selectAll()
        .where('requesterOrganisationId', '=', requesterOrganisationId)
        .where('month', '=', month)
        .where('superseded', '=', 0)
        .executeTakeFirst();
      return r ? toVersion(r) : undefined;
    },
    async previousVersion(requesterOrganisationId, month) {
      const r = await db
        .selectFrom('rosterVersion')
        .selectAll()
        .where('requesterOrganisationId', '=', requesterOrganisationId)
        .where('month', '<', month)
        .where('superseded', '=', 0)
        .orderBy('month', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? toVersion(r) : undefined;
    },
    async listVersions(filter) {
      const base = db
        .selectFrom('rosterVersion as v')
        .innerJoin('organisation as o', 'o.id', 'v.requesterOrganisationId')
        .$if(filter.regionScope !== null, (q) =>
          q.where('o.regionCode', 'like', `${regionScopePrefix(filter.regionScope as string)}%`),
        )
        .$if(filter.requesterOrganisationId !== undefined, (q) =>
          q.where('v.requesterOrganisationId', '=', filter.requesterOrganisationId as number),
        )
        .$if(filter.month !== undefined, (q) => q.where('v.month', '=', filter.month as string))
        .$if(!filter.includeSuperseded, (q) => q.where('v.superseded', '=', 0));
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll('v')
        .select(['o.name as requesterName', 'o.regionCode as requesterRegionCode'])
        .orderBy('v.month', 'desc')
        .orderBy('v.id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return {
        items: rows.map(({ requesterName, requesterRegionCode, ...v }) => ({
          ...toVersion(v),
          requesterName,
          requesterRegionCode,
        })),
        total: Number(total?.n ?? 0),
      };
    },
    async families(versionId, offset, limit, missingOnly = false) {
      const rows = await db
        .selectFrom('rosterFamily')
        .selectAll()
        .where('versionId', '=', versionId)
        .$if(missingOnly, (q) => q.where('authorizationOnFile', '=', 0))
        .orderBy('familyKey')
        .offset(offset)
        .limit(limit)
        .execute();
      return rows.map(toFamily);
    },
    async familiesByPersonKeys(personKeys) {
      if (personKeys.length === 0) return [];
      const rows = await db
        .selectFrom('rosterFamily as f')
        .innerJoin('rosterVersion as v', 'v.id', 'f.versionId')
        .selectAll('f')
        .where('v.superseded', '=', 0)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('rosterMember as m')
              .select('m.id')
              .whereRef('m.familyId', '=', 'f.id')
              .where('m.personKey', 'in', [...personKeys]),
          ),
        )
        .orderBy('f.id')
        .execute();
      return rows.map(toFamily);
    },
  };
}

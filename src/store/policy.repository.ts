import type { Kysely, Selectable, Transaction } from 'kysely';
import type { PolicyProfileRepository } from '../app/ports.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import type { ToleranceCategory } from '../domain/assessment/types.ts';
import { type AssistanceType, isAssistanceType } from '../domain/policy/assistance-types.ts';
import { type PolicyProfile, type PolicyVersion, versionLabel } from '../domain/policy/profile.ts';
import { AppError } from '../domain/shared/errors.ts';
import type { Dialect } from './dialect.ts';
import { isUniqueViolation } from './errors.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toProfile(r: Selectable<DB['policyProfile']>): PolicyProfile | null {
  if (!isAssistanceType(r.assistanceType)) return null;
  return {
    id: r.id,
    regionCode: r.regionCode,
    assistanceType: r.assistanceType,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
  };
}

function toVersion(r: Selectable<DB['policyVersion']>): PolicyVersion {
  return {
    id: r.id,
    profileId: r.profileId,
    version: r.version,
    label: r.label,
    windowMonths: r.windowMonths,
    exemptSubsidyItems: JSON.parse(r.exemptSubsidyItems) as string[],
    toleranceFen: JSON.parse(r.toleranceFen) as Record<ToleranceCategory, number>,
    seriousMultiple: Number(r.seriousMultiple),
    notes: r.notes,
    effectiveFrom: r.effectiveFrom,
    publishedAt: r.publishedAt,
    publishedBy: r.publishedBy,
    publishedByName: r.publishedByName,
  };
}

export function policyProfileRepository(db: Executor, dialect: Dialect): PolicyProfileRepository {
  const profiles = (rows: Selectable<DB['policyProfile']>[]): PolicyProfile[] =>
    rows.map(toProfile).filter((p): p is PolicyProfile => p !== null);
  return {
    async create(p) {
      try {
        const row = await db.insertInto('policyProfile').values(p).returningAll().executeTakeFirstOrThrow();
        return toProfile(row) as PolicyProfile;
      } catch (e) {
        // Two creations racing past the existence check: the second meets the unique index.
        if (isUniqueViolation(e)) throw new AppError('CONFLICT', '该区划已有此救助类型的政策配置');
        throw e;
      }
    },
    async get(id) {
      const r = await db.selectFrom('policyProfile').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? (toProfile(r) ?? undefined) : undefined;
    },
    async find(regionCode, assistanceType: AssistanceType) {
      const r = await db
        .selectFrom('policyProfile')
        .selectAll()
        .where('regionCode', '=', regionCode)
        .where('assistanceType', '=', assistanceType)
        .executeTakeFirst();
      return r ? (toProfile(r) ?? undefined) : undefined;
    },
    async list(regionScope) {
      const prefix = regionScope === null ? null : `${regionScopePrefix(regionScope)}%`;
      const rows = await db
        .selectFrom('policyProfile')
        .selectAll()
        .$if(prefix !== null, (q) => q.where('regionCode', 'like', prefix as string))
        .orderBy('regionCode')
        .orderBy('assistanceType')
        .execute();
      const list = profiles(rows);
      if (list.length === 0) return [];
      const versions = await db
        .selectFrom('policyVersion')
        .selectAll()
        .where(
          'profileId',
          'in',
          list.map((p) => p.id),
        )
        .orderBy('version')
        .execute();
      const latest = new Map<number, PolicyVersion>();
      for (const v of versions) latest.set(v.profileId, toVersion(v));
      return list.map((p) => ({ ...p, latest: latest.get(p.id) ?? null }));
    },
    async versions(profileId) {
      const rows = await db
        .selectFrom('policyVersion')
        .selectAll()
        .where('profileId', '=', profileId)
        .orderBy('version')
        .execute();
      return rows.map(toVersion);
    },
    async versionsFor(regionCodes, assistanceType) {
      if (regionCodes.length === 0) return [];
      const rows = await db
        .selectFrom('policyVersion as v')
        .innerJoin('policyProfile as p', 'p.id', 'v.profileId')
        .selectAll('v')
        .select('p.regionCode')
        .where('p.regionCode', 'in', regionCodes)
        .where('p.assistanceType', '=', assistanceType)
        .orderBy('v.profileId')
        .orderBy('v.version')
        .execute();
      return rows.map((r) => ({ ...toVersion(r), regionCode: r.regionCode }));
    },
    async publish(profile, settings, by, at) {
      // Serialise publications of one profile (SQLite has a single writer already).
      await db
        .selectFrom('policyProfile')
        .select('id')
        .where('id', '=', profile.id)
        .$if(dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      const last = await db
        .selectFrom('policyVersion')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('profileId', '=', profile.id)
        .executeTakeFirst();
      const version = Number(last?.v ?? 0) + 1;
      const row = await db
        .insertInto('policyVersion')
        .values({
          profileId: profile.id,
          version,
          label: versionLabel(profile.regionCode, profile.assistanceType, version),
          windowMonths: settings.windowMonths,
          exemptSubsidyItems: JSON.stringify(settings.exemptSubsidyItems),
          toleranceFen: JSON.stringify(settings.toleranceFen),
          seriousMultiple: settings.seriousMultiple,
          notes: settings.notes,
          effectiveFrom: settings.effectiveFrom,
          publishedAt: at,
          publishedBy: by.userId,
          publishedByName: by.name,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVersion(row);
    },
  };
}

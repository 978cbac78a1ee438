import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  Actor,
  AuditEvent,
  AuditFilter,
  AuditRepository,
  CalendarRepository,
  OrganisationRecord,
  OrganisationRepository,
  RegionLevel,
  RegionRepository,
  Repositories,
  SessionRecord,
  SessionRepository,
  Store,
  UserRecord,
  UserRepository,
} from '../app/ports.ts';
import type { OrganisationKind, Role } from '../domain/access/roles.ts';
import { regionScopePrefix } from '../domain/access/scope.ts';
import { type ChainedAuditEntry, chainAuditEntry, GENESIS_HASH } from '../domain/audit/chain.ts';
import type { CalendarYear } from '../domain/calendar/working-days.ts';
import { accountSecurityRepository } from './account-security.repository.ts';
import { apiEntrustmentRepository, oauthTokenRepository } from './api-client.repository.ts';
import { assessmentRepository } from './assessment.repository.ts';
import { auditCheckpointRepository } from './audit-checkpoint.repository.ts';
import { apiKeyRepository, batchRepository } from './batch.repository.ts';
import { caseRepository } from './case.repository.ts';
import { ciphertextRepository } from './ciphertext.repository.ts';
import type { Database } from './db.ts';
import { deliveryRepository, noticeRepository } from './delivery.repository.ts';
import type { Dialect } from './dialect.ts';
import { dishonestyRepository } from './dishonesty.repository.ts';
import { escalationRepository } from './escalation.repository.ts';
import { offlineExchangeRepository } from './exchange.repository.ts';
import { exportRequestRepository } from './export-request.repository.ts';
import { importJobRepository } from './import-job.repository.ts';
import { policyProfileRepository } from './policy.repository.ts';
import { qualityRepository } from './quality.repository.ts';
import { queryInterfaceRepository } from './query-interface.repository.ts';
import { recheckRepository } from './recheck.repository.ts';
import { recheckMarkRepository } from './recheck-marks.repository.ts';
import { recheckReportRepository } from './recheck-report.repository.ts';
import { retentionRepository } from './retention.repository.ts';
import { rosterRepository } from './roster.repository.ts';
import type { DB } from './schema.ts';
import { unidentifiedRepository } from './unidentified.repository.ts';
import { webhookRepository } from './webhook.repository.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function likePrefix(scope: string | null): string | null {
  return scope === null ? null : `${regionScopePrefix(scope)}%`;
}

function regionRepository(db: Executor): RegionRepository {
  return {
    async upsertMany(rows) {
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        await db
          .insertInto('region')
          .values(chunk)
          .onConflict((oc) =>
            oc.column('code').doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              level: eb.ref('excluded.level'),
              parentCode: eb.ref('excluded.parentCode'),
            })),
          )
          .execute();
      }
    },
    async get(code) {
      const r = await db.selectFrom('region').selectAll().where('code', '=', code).executeTakeFirst();
      return r ? { ...r, level: r.level as RegionLevel } : undefined;
    },
    async children(parentCode) {
      const rows = await db
        .selectFrom('region as r')
        .select(['r.code', 'r.name', 'r.level', 'r.parentCode'])
        .select((eb) =>
          eb
            .exists(eb.selectFrom('region as c').select('c.code').whereRef('c.parentCode', '=', 'r.code'))
            .as('hasChildren'),
        )
        .where((eb) =>
          parentCode === null ? eb('r.parentCode', 'is', null) : eb('r.parentCode', '=', parentCode),
        )
        .orderBy('r.code')
        .execute();
      return rows.map((r) => ({ ...r, level: r.level as RegionLevel, hasChildren: Boolean(r.hasChildren) }));
    },
    async count() {
      const r = await db
        .selectFrom('region')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}

function toOrganisation(r: Selectable<DB['organisation']>): OrganisationRecord {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as OrganisationKind,
    regionCode: r.regionCode,
    parentId: r.parentId,
    departmentCode: r.departmentCode,
    active: Boolean(r.active),
    createdAt: r.createdAt,
  };
}

function organisationRepository(db: Executor): OrganisationRepository {
  return {
    async create(o) {
      const row = await db
        .insertInto('organisation')
        .values({ ...o, active: o.active ? 1 : 0 })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toOrganisation(row);
    },
    async update(id, patch) {
      const values: Partial<{ name: string; active: number }> = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.active !== undefined) values.active = patch.active ? 1 : 0;
      if (Object.keys(values).length > 0)
        await db.updateTable('organisation').set(values).where('id', '=', id).execute();
    },
    async get(id) {
      const r = await db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toOrganisation(r) : undefined;
    },
    async list(regionScope) {
      const prefix = likePrefix(regionScope);
      const rows = await db
        .selectFrom('organisation as o')
        .selectAll('o')
        .select((eb) =>
          eb
            .selectFrom('appUser as u')
            .select((e2) => e2.fn.countAll<number>().as('n'))
            .whereRef('u.organisationId', '=', 'o.id')
            .as('userCount'),
        )
        .$if(prefix !== null, (q) => q.where('o.regionCode', 'like', prefix as string))
        .orderBy('o.regionCode')
        .orderBy('o.id')
        .execute();
      return rows.map((r) => ({ ...toOrganisation(r), userCount: Number(r.userCount ?? 0) }));
    },
    async count() {
      const r = await db
        .selectFrom('organisation')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}

function userRepository(db: Executor): UserRepository {
  async function withRoles(rows: Selectable<DB['appUser']>[]): Promise<UserRecord[]> {
    if (rows.length === 0) return [];
    const roles = await db
      .selectFrom('userRole')
      .select(['userId', 'role'])
      .where(
        'userId',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('role')
      .execute();
    const byUser = new Map<number, Role[]>();
    for (const r of roles) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r.role as Role]);
    return rows.map((r) => ({
      ...r,
      active: Boolean(r.active),
      roles: byUser.get(r.id) ?? [],
    }));
  }
  return {
    async create(u) {
      const { roles, ...rest } = u;
      const row = await db
        .insertInto('appUser')
        .values({ ...rest, active: rest.active ? 1 : 0 })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (roles.length > 0)
        await db
          .insertInto('userRole')
          .values(roles.map((role) => ({ userId: row.id, role })))
          .execute();
      return { ...row, active: Boolean(row.active), roles: [...roles] };
    },
    async get(id) {
      const rows = await db.selectFrom('appUser').selectAll().where('id', '=', id).execute();
      return (await withRoles(rows))[0];
    },
    async getByUsername(username) {
      const rows = await db.selectFrom('appUser').selectAll().where('username', '=', username).execute();
      return (await withRoles(rows))[0];
    },
    async list(filter) {
      const prefix = likePrefix(filter.regionScope);
      const q = filter.q?.trim();
      const rows = await db
        .selectFrom('appUser as u')
        .innerJoin('organisation as o', 'o.id', 'u.organisationId')
        .selectAll('u')
        .$if(prefix !== null, (x) => x.where('o.regionCode', 'like', prefix as string))
        .$if(filter.organisationId !== undefined, (x) =>
          x.where('u.organisationId', '=', filter.organisationId as number),
        )
        .$if(Boolean(q), (x) =>
          x.where((eb) => eb.or([eb('u.username', 'like', `%${q}%`), eb('u.displayName', 'like', `%${q}%`)])),
        )
        .orderBy('u.id')
        .execute();
      return withRoles(rows);
    },
    async update(id, patch) {
      const { active, ...rest } = patch;
      const values = { ...rest, ...(active === undefined ? {} : { active: active ? 1 : 0 }) };
      if (Object.keys(values).length > 0)
        await db.updateTable('appUser').set(values).where('id', '=', id).execute();
    },
    async setRoles(id, roles) {
      await db.deleteFrom('userRole').where('userId', '=', id).execute();
      if (roles.length > 0)
        await db
          .insertInto('userRole')
          .values(roles.map((role) => ({ userId: id, role })))
          .execute();
    },
  };
}

function sessionRepository(db: Executor, dialect: Dialect): SessionRepository {
  // Roles as one comma-separated cell (role names hold no comma), so the whole look-up is one statement.
  const roles =
    dialect === 'postgres'
      ? sql<string | null>`(select string_agg(r.role, ',') from user_role r where r.user_id = u.id)`
      : sql<string | null>`(select group_concat(r.role, ',') from user_role r where r.user_id = u.id)`;
  return {
    async create(s) {
      await db.insertInto('session').values(s).execute();
    },
    async get(idHash) {
      const s = await db.selectFrom('session').selectAll().where('idHash', '=', idHash).executeTakeFirst();
      return s ? { ...s, stage: s.stage as SessionRecord['stage'] } : undefined;
    },
    async withUser(idHash) {
      const r = await db
        .selectFrom('session as s')
        .leftJoin('appUser as u', 'u.id', 's.userId')
        .leftJoin('organisation as o', 'o.id', 'u.organisationId')
        .selectAll('s')
        .select([
          'u.id as uId',
          'u.username as uUsername',
          'u.displayName as uDisplayName',
          'u.organisationId as uOrganisationId',
          'u.passwordHash as uPasswordHash',
          'u.active as uActive',
          'u.failedLoginCount as uFailedLoginCount',
          'u.lockedUntil as uLockedUntil',
          'u.passwordChangedAt as uPasswordChangedAt',
          'u.lastLoginAt as uLastLoginAt',
          'u.createdAt as uCreatedAt',
          'o.id as oId',
          'o.name as oName',
          'o.kind as oKind',
          'o.regionCode as oRegionCode',
          'o.parentId as oParentId',
          'o.departmentCode as oDepartmentCode',
          'o.active as oActive',
          'o.createdAt as oCreatedAt',
          roles.as('uRoles'),
        ])
        .where('s.idHash', '=', idHash)
        .executeTakeFirst();
      if (!r) return undefined;
      const session: SessionRecord = {
        idHash: r.idHash,
        userId: r.userId,
        createdAt: r.createdAt,
        lastSeenAt: r.lastSeenAt,
        expiresAt: r.expiresAt,
        ip: r.ip,
        userAgent: r.userAgent,
        endedAt: r.endedAt,
        endReason: r.endReason,
        stage: r.stage as SessionRecord['stage'],
      };
      const user: UserRecord | undefined =
        r.uId === null
          ? undefined
          : {
              id: r.uId,
              username: r.uUsername as string,
              displayName: r.uDisplayName as string,
              organisationId: r.uOrganisationId as number,
              passwordHash: r.uPasswordHash as string,
              active: Boolean(r.uActive),
              failedLoginCount: r.uFailedLoginCount as number,
              lockedUntil: r.uLockedUntil,
              passwordChangedAt: r.uPasswordChangedAt as string,
              lastLoginAt: r.uLastLoginAt,
              createdAt: r.uCreatedAt as string,
              roles: (r.uRoles ?? '').split(',').filter(Boolean).sort() as Role[],
            };
      const organisation =
        r.oId === null
          ? undefined
          : toOrganisation({
              id: r.oId,
              name: r.oName as string,
              kind: r.oKind as string,
              regionCode: r.oRegionCode as string,
              parentId: r.oParentId,
              departmentCode: r.oDepartmentCode,
              active: r.oActive as number,
              createdAt: r.oCreatedAt as string,
            });
      return { session, ...(user ? { user } : {}), ...(organisation ? { organisation } : {}) };
    },
    async touch(idHash, at) {
      await db.updateTable('session').set({ lastSeenAt: at }).where('idHash', '=', idHash).execute();
    },
    async end(idHash, at, reason) {
      await db
        .updateTable('session')
        .set({ endedAt: at, endReason: reason })
        .where('idHash', '=', idHash)
        .where('endedAt', 'is', null)
        .execute();
    },
    async endAllForUser(userId, at, reason, exceptIdHash) {
      const r = await db
        .updateTable('session')
        .set({ endedAt: at, endReason: reason })
        .where('userId', '=', userId)
        .where('endedAt', 'is', null)
        .$if(exceptIdHash !== undefined, (q) => q.where('idHash', '!=', exceptIdHash as string))
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}

export function toAuditEntry(r: Selectable<DB['auditLog']>): ChainedAuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorUserId: r.actorUserId,
    actorName: r.actorName,
    actorRoles: JSON.parse(r.actorRoles) as string[],
    organisationId: r.organisationId,
    action: r.action,
    objectType: r.objectType,
    objectId: r.objectId,
    caseId: r.caseId,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.userAgent,
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

function auditRepository(db: Executor, dialect: Dialect, inTransaction: boolean): AuditRepository {
  /**
   * The head, locked until the transaction ends. PostgreSQL: the row lock serialises appends (a waiting append
   * reads the head its predecessor committed: READ COMMITTED re-reads a locked row once it is released); the very
   * first append creates the row, and a concurrent first append waits on its key. SQLite: the transaction holds
   * the database's one write lock from its start (BEGIN IMMEDIATE, see db.ts), across processes too.
   */
  async function lockedHead(tx: Executor): Promise<{ seq: number; hash: string }> {
    const read = () =>
      tx
        .selectFrom('auditHead')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .$if(dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
    let head = await read();
    if (!head) {
      await tx
        .insertInto('auditHead')
        .values({ id: 1, seq: 0, hash: GENESIS_HASH })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      head = await read();
    }
    if (!head) throw new Error('audit head missing after creation');
    return { seq: Number(head.seq), hash: head.hash };
  }

  async function appendInTx(tx: Executor, actor: Actor, event: AuditEvent, at: string) {
    const head = await lockedHead(tx);
    const entry = chainAuditEntry(head.hash, {
      seq: head.seq + 1,
      at,
      actorUserId: actor.userId,
      actorName: actor.name,
      actorRoles: [...actor.roles],
      organisationId: actor.organisationId,
      action: event.action,
      objectType: event.objectType ?? null,
      objectId: event.objectId ?? null,
      caseId: event.caseId ?? null,
      outcome: event.outcome,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: event.details ?? {},
    });
    const row = {
      ...entry,
      actorRoles: JSON.stringify(entry.actorRoles),
      details: JSON.stringify(entry.details),
    };
    // Two statements, not one: the database's guard lets the head move only onto an entry it can already see.
    await tx.insertInto('auditLog').values(row).execute();
    await tx.updateTable('auditHead').set({ seq: entry.seq, hash: entry.hash }).where('id', '=', 1).execute();
    return entry;
  }
  return {
    async append(actor, event, at) {
      if (inTransaction) return appendInTx(db, actor, event, at);
      return (db as Kysely<DB>).transaction().execute((tx) => appendInTx(tx, actor, event, at));
    },
    async list(filter: AuditFilter) {
      const prefix = likePrefix(filter.regionScope ?? null);
      const base = db
        .selectFrom('auditLog as a')
        .leftJoin('organisation as o', 'o.id', 'a.organisationId')
        .$if(prefix !== null, (q) =>
          q.where((eb) =>
            eb.or([eb('o.regionCode', 'like', prefix as string), eb('a.organisationId', 'is', null)]),
          ),
        )
        .$if(Boolean(filter.from), (q) => q.where('a.at', '>=', filter.from as string))
        .$if(Boolean(filter.to), (q) => q.where('a.at', '<=', filter.to as string))
        .$if(Boolean(filter.action), (q) => q.where('a.action', '=', filter.action as string))
        .$if(Boolean(filter.caseId), (q) => q.where('a.caseId', '=', filter.caseId as string))
        .$if(Boolean(filter.actor), (q) => q.where('a.actorName', 'like', `%${filter.actor}%`));
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll('a')
        .orderBy('a.seq', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { items: rows.map(toAuditEntry), total: Number(total?.n ?? 0) };
    },
    async *all() {
      const page = 1000;
      let after = 0;
      for (;;) {
        const rows = await db
          .selectFrom('auditLog')
          .selectAll()
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(page)
          .execute();
        for (const r of rows) yield toAuditEntry(r);
        if (rows.length < page) return;
        after = Number(rows[rows.length - 1]?.seq);
      }
    },
    async head() {
      const h = await db
        .selectFrom('auditHead')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .executeTakeFirst();
      return h ? { seq: Number(h.seq), hash: h.hash } : null;
    },
  };
}

/** What the repositories of one database share across its transactions. */
interface SharedState {
  /** Bumped by every calendar save through this store (see CalendarRepository.revision). */
  calendarGeneration: number;
}

function calendarRepository(db: Executor, inTransaction: boolean, shared: SharedState): CalendarRepository {
  async function save(tx: Executor, y: CalendarYear, by: number | null, at: string) {
    shared.calendarGeneration += 1;
    await tx.deleteFrom('calendarDay').where('year', '=', y.year).execute();
    await tx
      .insertInto('calendarYear')
      .values({ year: y.year, source: y.source, publishedOn: y.publishedOn, updatedAt: at, updatedBy: by })
      .onConflict((oc) =>
        oc
          .column('year')
          .doUpdateSet({ source: y.source, publishedOn: y.publishedOn, updatedAt: at, updatedBy: by }),
      )
      .execute();
    if (y.days.length > 0)
      await tx
        .insertInto('calendarDay')
        .values(y.days.map((d) => ({ date: d.date, year: y.year, kind: d.kind, name: d.name })))
        .execute();
  }
  return {
    async listYears() {
      const rows = await db
        .selectFrom('calendarYear as y')
        .select(['y.year', 'y.source', 'y.publishedOn', 'y.updatedAt'])
        .select((eb) => [
          eb
            .selectFrom('calendarDay as d')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('d.year', '=', 'y.year')
            .where('d.kind', '=', 'holiday')
            .as('holidayCount'),
          eb
            .selectFrom('calendarDay as d')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('d.year', '=', 'y.year')
            .where('d.kind', '=', 'workday')
            .as('workdayCount'),
        ])
        .orderBy('y.year')
        .execute();
      return rows.map((r) => ({
        ...r,
        holidayCount: Number(r.holidayCount ?? 0),
        workdayCount: Number(r.workdayCount ?? 0),
      }));
    },
    async getYear(year) {
      const y = await db.selectFrom('calendarYear').selectAll().where('year', '=', year).executeTakeFirst();
      if (!y) return undefined;
      const days = await db
        .selectFrom('calendarDay')
        .select(['date', 'kind', 'name'])
        .where('year', '=', year)
        .orderBy('date')
        .execute();
      return {
        year: y.year,
        source: y.source,
        publishedOn: y.publishedOn,
        days: days.map((d) => ({ ...d, kind: d.kind as 'holiday' | 'workday' })),
      };
    },
    async saveYear(y, by, at) {
      if (inTransaction) return save(db, y, by, at);
      await (db as Kysely<DB>).transaction().execute((tx) => save(tx, y, by, at));
      // Again after the commit: a reader between the first bump and the commit may have kept the old days.
      shared.calendarGeneration += 1;
    },
    async revision() {
      const rows = await db
        .selectFrom('calendarYear as y')
        .select(['y.year', 'y.updatedAt'])
        .select((eb) =>
          eb
            .selectFrom('calendarDay as d')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('d.year', '=', 'y.year')
            .as('days'),
        )
        .orderBy('y.year')
        .execute();
      return `${shared.calendarGeneration}|${rows.map((r) => `${r.year}@${r.updatedAt}#${r.days}`).join(',')}`;
    },
    async loadAll() {
      const years = await db.selectFrom('calendarYear').selectAll().orderBy('year').execute();
      const days = await db
        .selectFrom('calendarDay')
        .select(['date', 'year', 'kind', 'name'])
        .orderBy('date')
        .execute();
      return years.map((y) => ({
        year: y.year,
        source: y.source,
        publishedOn: y.publishedOn,
        days: days
          .filter((d) => d.year === y.year)
          .map((d) => ({ date: d.date, kind: d.kind as 'holiday' | 'workday', name: d.name })),
      }));
    },
  };
}

function repositories(
  db: Executor,
  dialect: Dialect,
  inTransaction: boolean,
  shared: SharedState,
): Repositories {
  return {
    batches: batchRepository(db, dialect),
    apiKeys: apiKeyRepository(db),
    oauthTokens: oauthTokenRepository(db),
    apiEntrustments: apiEntrustmentRepository(db),
    regions: regionRepository(db),
    organisations: organisationRepository(db),
    users: userRepository(db),
    sessions: sessionRepository(db, dialect),
    audit: auditRepository(db, dialect, inTransaction),
    auditCheckpoints: auditCheckpointRepository(db, dialect),
    retention: retentionRepository(db),
    calendar: calendarRepository(db, inTransaction, shared),
    deliveries: deliveryRepository(db),
    notices: noticeRepository(db),
    quality: qualityRepository(db),
    queryInterfaces: queryInterfaceRepository(db),
    offlineExchanges: offlineExchangeRepository(db),
    assessments: assessmentRepository(db),
    ciphertexts: ciphertextRepository(db),
    cases: caseRepository(db),
    policyProfiles: policyProfileRepository(db, dialect),
    rosters: rosterRepository(db),
    rechecks: recheckRepository(db),
    recheckMarks: recheckMarkRepository(db),
    recheckReports: recheckReportRepository(db),
    exportRequests: exportRequestRepository(db),
    importJobs: importJobRepository(db),
    escalations: escalationRepository(db),
    dishonesty: dishonestyRepository(db),
    accountSecurity: accountSecurityRepository(db),
    unidentified: unidentifiedRepository(db),
    webhooks: webhookRepository(db, dialect),
  };
}

export function createStore(database: Database): Store {
  const shared: SharedState = { calendarGeneration: 0 };
  return {
    dialect: database.dialect,
    ...repositories(database.db, database.dialect, false, shared),
    transaction: async (fn) => {
      const generation = shared.calendarGeneration;
      try {
        return await database.db
          .transaction()
          .execute((tx) => fn(repositories(tx, database.dialect, true, shared)));
      } finally {
        // A calendar saved in the transaction: readers that kept the days before the commit read them again.
        if (shared.calendarGeneration !== generation) shared.calendarGeneration += 1;
      }
    },
  };
}

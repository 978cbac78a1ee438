import type { OrganisationKind, Role } from '../domain/access/roles.ts';
import type { AuditAction, AuditOutcome } from '../domain/audit/actions.ts';
import type { ChainedAuditEntry } from '../domain/audit/chain.ts';
import type { CalendarYear } from '../domain/calendar/working-days.ts';
import type { Clock } from '../domain/shared/clock.ts';

export type RegionLevel = 'province' | 'city' | 'county' | 'township';

export interface RegionRecord {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

export interface OrganisationRecord {
  id: number;
  name: string;
  kind: OrganisationKind;
  regionCode: string;
  parentId: number | null;
  departmentCode: string | null;
  active: boolean;
  createdAt: string;
}

export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  organisationId: number;
  passwordHash: string;
  active: boolean;
  failedLoginCount: number;
  lockedUntil: string | null;
  passwordChangedAt: string;
  lastLoginAt: string | null;
  createdAt: string;
  roles: Role[];
}

export interface SessionRecord {
  idHash: string;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  endedAt: string | null;
  endReason: string | null;
}

/** Who does something, and from where: stamped on every audit entry. */
export interface Actor {
  userId: number | null;
  name: string | null;
  roles: Role[];
  organisationId: number | null;
  /** The region the actor's organisation covers: the root of their data scope. */
  regionCode: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEvent {
  action: AuditAction;
  outcome: AuditOutcome;
  objectType?: string | null;
  objectId?: string | null;
  caseId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  from?: string;
  to?: string;
  action?: string;
  actor?: string;
  caseId?: string;
  /** Only entries of organisations whose region lies in this scope (null = everything). */
  regionScope?: string | null;
  offset: number;
  limit: number;
}

export interface RegionRepository {
  upsertMany(rows: RegionRecord[]): Promise<void>;
  get(code: string): Promise<RegionRecord | undefined>;
  children(parentCode: string | null): Promise<(RegionRecord & { hasChildren: boolean })[]>;
  count(): Promise<number>;
}

export interface OrganisationRepository {
  create(o: Omit<OrganisationRecord, 'id'>): Promise<OrganisationRecord>;
  update(id: number, patch: Partial<Pick<OrganisationRecord, 'name' | 'active'>>): Promise<void>;
  get(id: number): Promise<OrganisationRecord | undefined>;
  list(regionScope: string | null): Promise<(OrganisationRecord & { userCount: number })[]>;
  count(): Promise<number>;
}

export interface UserRepository {
  create(u: Omit<UserRecord, 'id'>): Promise<UserRecord>;
  get(id: number): Promise<UserRecord | undefined>;
  getByUsername(username: string): Promise<UserRecord | undefined>;
  list(filter: { regionScope: string | null; organisationId?: number; q?: string }): Promise<UserRecord[]>;
  update(
    id: number,
    patch: Partial<
      Pick<
        UserRecord,
        | 'displayName'
        | 'active'
        | 'failedLoginCount'
        | 'lockedUntil'
        | 'passwordHash'
        | 'passwordChangedAt'
        | 'lastLoginAt'
      >
    >,
  ): Promise<void>;
  setRoles(id: number, roles: Role[]): Promise<void>;
}

export interface SessionRepository {
  create(s: SessionRecord): Promise<void>;
  get(idHash: string): Promise<SessionRecord | undefined>;
  touch(idHash: string, at: string): Promise<void>;
  end(idHash: string, at: string, reason: string): Promise<void>;
  endAllForUser(userId: number, at: string, reason: string, exceptIdHash?: string): Promise<number>;
}

export interface AuditRepository {
  append(actor: Actor, event: AuditEvent, at: string): Promise<ChainedAuditEntry>;
  list(filter: AuditFilter): Promise<{ items: ChainedAuditEntry[]; total: number }>;
  all(): AsyncIterable<ChainedAuditEntry>;
  head(): Promise<{ seq: number; hash: string } | null>;
}

export interface CalendarRepository {
  listYears(): Promise<
    {
      year: number;
      source: string;
      publishedOn: string | null;
      holidayCount: number;
      workdayCount: number;
      updatedAt: string;
    }[]
  >;
  getYear(year: number): Promise<CalendarYear | undefined>;
  saveYear(y: CalendarYear, by: number | null, at: string): Promise<void>;
  loadAll(): Promise<CalendarYear[]>;
}

export interface Repositories {
  regions: RegionRepository;
  organisations: OrganisationRepository;
  users: UserRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  calendar: CalendarRepository;
}

export interface Store extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs fn in one transaction: a change and its audit entry commit together or not at all. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
}

export interface Deps {
  store: Store;
  clock: Clock;
  settings: {
    sessionIdleMinutes: number;
    sessionAbsoluteHours: number;
    lockoutThreshold: number;
    lockoutMinutes: number;
  };
}

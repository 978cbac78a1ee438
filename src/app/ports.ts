import type { OrganisationKind, Role } from '../domain/access/roles.ts';
import type { AuditAction, AuditOutcome } from '../domain/audit/actions.ts';
import type { ChainedAuditEntry } from '../domain/audit/chain.ts';
import type { CalendarYear } from '../domain/calendar/working-days.ts';
import type { DatasetDef, FileError, RawCell, RowError } from '../domain/catalog/types.ts';
import type { BatchFact } from '../domain/delivery/quality.ts';
import type { DeliveryRule } from '../domain/delivery/schedule.ts';
import type { AssistanceType } from '../domain/policy/assistance-types.ts';
import type { PolicyProfile, PolicySettings, PolicyVersion } from '../domain/policy/profile.ts';
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

/** Policy profiles: versions are only ever added, never changed (SPEC §4). */
export interface PolicyProfileRepository {
  create(p: Omit<PolicyProfile, 'id'>): Promise<PolicyProfile>;
  get(id: number): Promise<PolicyProfile | undefined>;
  find(regionCode: string, assistanceType: AssistanceType): Promise<PolicyProfile | undefined>;
  /** Profiles whose region lies in the scope (null = all), each with its newest version (or null). */
  list(regionScope: string | null): Promise<(PolicyProfile & { latest: PolicyVersion | null })[]>;
  /** A profile's versions, oldest first. */
  versions(profileId: number): Promise<PolicyVersion[]>;
  /** Versions of the profiles of these regions for one assistance type, with each profile's region. */
  versionsFor(
    regionCodes: string[],
    assistanceType: AssistanceType,
  ): Promise<(PolicyVersion & { regionCode: string })[]>;
  /**
   * Adds the next version (number = highest + 1) with its label; the profile row is locked so two
   * publications never take the same number.
   */
  publish(
    profile: PolicyProfile,
    settings: PolicySettings,
    by: { userId: number | null; name: string | null },
    at: string,
  ): Promise<PolicyVersion>;
}

export interface Repositories {
  policyProfiles: PolicyProfileRepository;
  batches: BatchRepository;
  apiKeys: ApiKeyRepository;
  regions: RegionRepository;
  organisations: OrganisationRepository;
  users: UserRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  calendar: CalendarRepository;
  deliveries: DeliveryRepository;
  notices: NoticeRepository;
  quality: QualityRepository;
}

export interface Store extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs fn in one transaction: a change and its audit entry commit together or not at all. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
}

export interface Deps {
  store: Store;
  clock: Clock;
  crypto: FieldCryptoPort;
  tables: TablePort;
  errorReports: ErrorReportPort;
  settings: {
    sessionIdleMinutes: number;
    sessionAbsoluteHours: number;
    lockoutThreshold: number;
    lockoutMinutes: number;
  };
}

// ——— Department data (batches, records, keys) ———

export type BatchStatus = 'committed' | 'rejected' | 'superseded' | 'retracted';
export type BatchSource = 'upload' | 'api' | 'cli';

export interface BatchRecord {
  id: number;
  dataset: string;
  period: string;
  periodFirstMonth: string;
  periodLastMonth: string;
  departmentCode: string;
  organisationId: number | null;
  uploaderUserId: number | null;
  apiKeyId: number | null;
  source: BatchSource;
  fileName: string | null;
  fingerprint: string;
  bytes: number;
  format: string;
  encoding: string | null;
  rowsRead: number;
  rowsStored: number;
  duplicateRows: number;
  unmatchedRows: number | null;
  errorCount: number;
  /** Encrypted JSON (see batchDetail): { errors: RowError[] (first 1 000), fileErrors: FileError[], warnings: string[] } */
  errors: string;
  status: BatchStatus;
  supersededBy: number | null;
  dataAsOf: string;
  createdAt: string;
  finishedAt: string | null;
  retractedAt: string | null;
  retractedBy: number | null;
  retractReason: string | null;
  reportFile: string | null;
}

export interface NewRecordRow {
  personKey: string | null;
  rowNumber: number;
  rowHash: string;
  idEnc: string | null;
  nameEnc: string | null;
  month: string | null;
  values: string;
}

export interface StoredRecord extends NewRecordRow {
  id: number;
  batchId: number;
  dataset: string;
}

export interface BatchFilter {
  departmentCode?: string;
  dataset?: string;
  statuses?: BatchStatus[];
  offset: number;
  limit: number;
}

export interface BatchRepository {
  create(b: Omit<BatchRecord, 'id'>): Promise<BatchRecord>;
  /** Serialises imports of one dataset and period until the transaction ends (PostgreSQL; SQLite has one writer). */
  lockPeriod(dataset: string, period: string): Promise<void>;
  /** Inserts rows; exact duplicates (same row hash in the batch) are skipped. Returns how many were stored. */
  insertRecords(batchId: number, dataset: string, rows: NewRecordRow[]): Promise<number>;
  update(id: number, patch: Partial<Omit<BatchRecord, 'id'>>): Promise<void>;
  get(id: number): Promise<BatchRecord | undefined>;
  /** The committed batch of a dataset for exactly this period. */
  current(dataset: string, period: string): Promise<BatchRecord | undefined>;
  /** Committed batches of a dataset whose months overlap [first, last]. */
  committedOverlapping(dataset: string, firstMonth: string, lastMonth: string): Promise<BatchRecord[]>;
  list(filter: BatchFilter): Promise<{ items: BatchRecord[]; total: number }>;
  records(batchId: number, offset: number, limit: number): Promise<StoredRecord[]>;
  countRecords(batchId: number): Promise<number>;
  /** All records in id order, a page at a time (key rotation). */
  recordPage(afterId: number, limit: number): Promise<StoredRecord[]>;
  updateRecordCiphertexts(
    id: number,
    c: { idEnc: string | null; nameEnc: string | null; values: string },
  ): Promise<void>;
  batchPage(afterId: number, limit: number): Promise<BatchRecord[]>;
}

export interface ApiKeyRecord {
  id: number;
  organisationId: number;
  name: string;
  prefix: string;
  keyHash: string;
  createdAt: string;
  createdBy: number | null;
  revokedAt: string | null;
  revokedBy: number | null;
  lastUsedAt: string | null;
}

export interface ApiKeyRepository {
  create(k: Omit<ApiKeyRecord, 'id'>): Promise<ApiKeyRecord>;
  getByPrefix(prefix: string): Promise<ApiKeyRecord | undefined>;
  get(id: number): Promise<ApiKeyRecord | undefined>;
  list(organisationIds: number[] | null): Promise<ApiKeyRecord[]>;
  update(
    id: number,
    patch: Partial<Pick<ApiKeyRecord, 'revokedAt' | 'revokedBy' | 'lastUsedAt'>>,
  ): Promise<void>;
}

/** Encryption of identifiers at rest and their blind index (implemented with SM4 + HMAC-SM3). */
export interface FieldCryptoPort {
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  blindIndex(normalised: string, purpose?: string): string;
  /** Keyed fingerprint of a row's canonical form (exact-duplicate detection). */
  rowFingerprint(canonicalRow: string): string;
  /** The data key a ciphertext was made with, and the one new ciphertexts use. */
  keyIdOf(ciphertext: string): number;
  readonly currentKeyId: number;
}

/** A spreadsheet (or pushed rows) as a stream of raw cells; row numbers as the spreadsheet shows them. */
export interface TableSource {
  format: string;
  encoding: string | null;
  headers: string[];
  rows: AsyncIterable<{ rowNumber: number; cells: RawCell[] }>;
}

export interface TablePort {
  /** Opens a CSV/XLSX file by content, or answers the file-level error. */
  open(path: string): Promise<{ ok: true; table: TableSource } | { ok: false; error: FileError }>;
  fingerprint(path: string): Promise<{ sm3: string; bytes: number }>;
  /** A file-level error thrown while streaming rows (a late encoding error), or null for anything else. */
  asFileError(e: unknown): FileError | null;
}

export interface ErrorReportPort {
  /** Writes the XLSX error report that mirrors the upload; returns the stored file's name. */
  write(input: {
    dataset: DatasetDef;
    table: TableSource;
    errors: RowError[];
    fileErrors: FileError[];
    batchId: number;
  }): Promise<string>;
}

// ——— Delivery schedule, notices, data quality ———

/** A rule an administrator set for a dataset (datasets without one follow the catalog, C§4). */
export interface DeliveryRuleRecord extends DeliveryRule {
  updatedAt: string;
  updatedBy: number | null;
}

export interface DeliveryRepository {
  listRules(): Promise<DeliveryRuleRecord[]>;
  /** Inserts or replaces the dataset's rule. */
  saveRule(rule: DeliveryRuleRecord): Promise<void>;
  /** The figures of batches (of the given statuses and departments; all when omitted), oldest first. */
  batchFacts(filter: { statuses?: BatchStatus[]; departmentCodes?: string[] }): Promise<BatchFact[]>;
}

export interface NoticeRecord {
  id: number;
  organisationId: number;
  kind: string;
  /** One notice per key: a repeated check creates nothing new. */
  dedupeKey: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface NoticeRepository {
  /** Inserts the notice unless one with the same dedupe key exists; true when inserted. */
  createOnce(notice: Omit<NoticeRecord, 'id' | 'readAt'>): Promise<boolean>;
  /** An organisation's notices, newest first, with how many there are and how many are unread. */
  list(
    organisationId: number,
    filter: { unreadOnly: boolean; offset: number; limit: number },
  ): Promise<{ items: NoticeRecord[]; total: number; unread: number }>;
  get(id: number): Promise<NoticeRecord | undefined>;
  markRead(id: number, at: string): Promise<void>;
}

export interface QualityRepository {
  /** Whether the dataset has any committed (current) batch. */
  hasCommitted(dataset: string): Promise<boolean>;
  /**
   * Stored records of a batch whose person key appears in no record of the committed batches of
   * `referenceDataset`: one query per batch, whatever its size.
   */
  countUnmatched(batchId: number, referenceDataset: string): Promise<number>;
}

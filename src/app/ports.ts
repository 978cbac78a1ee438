import type { OrganisationKind, Role } from '../domain/access/roles.ts';
import type { ApiScope } from '../domain/access/scopes.ts';
import type { AuditAction, AuditOutcome } from '../domain/audit/actions.ts';
import type { ChainedAuditEntry } from '../domain/audit/chain.ts';
import type { LoginStage, SecondFactorMode } from '../domain/auth/login-stage.ts';
import type { CalendarYear } from '../domain/calendar/working-days.ts';
import type { CaseDocumentInput } from '../domain/cases/documents.ts';
import type { PendingRequestKind } from '../domain/cases/workflow.ts';
import type { RowContext } from '../domain/catalog/rows.ts';
import type { CellValue, DatasetDef, FileError, RawCell, RowError } from '../domain/catalog/types.ts';
import type { BatchFact } from '../domain/delivery/quality.ts';
import type { DeliveryRule } from '../domain/delivery/schedule.ts';
import type { ExchangePerson, ReplyBinding } from '../domain/exchange/offline-exchange.ts';
import type { AssistanceType } from '../domain/policy/assistance-types.ts';
import type { PolicyProfile, PolicySettings, PolicyVersion } from '../domain/policy/profile.ts';
import type { QueryInterfaceConfig } from '../domain/query-interface/config.ts';
import type { QueryRowError } from '../domain/query-interface/mapping.ts';
import type { RetentionPolicy } from '../domain/retention/retention.ts';
import type { Clock } from '../domain/shared/clock.ts';
import type { TargetPolicy } from '../domain/webhooks/webhooks.ts';
import type { AuditCheckpointRepository, AuditSigner } from './audit/checkpoint.port.ts';
import type { AccountSecurityRepository } from './auth/account-security.port.ts';
import type { EscalationRepository } from './cases/escalation.port.ts';
import type { DishonestyRepository } from './dishonesty/dishonesty.port.ts';
import type { ExportRequestRepository } from './exports/export-request.port.ts';
import type { ImportFilesPort, ImportJobRepository } from './ingest/import-job.port.ts';
import type { UnidentifiedRepository } from './ingest/unidentified.port.ts';
import type { JobRunner } from './jobs/job-runner.ts';
import type { RecheckMarkRepository } from './recheck/recheck-marks.port.ts';
import type { RecheckReportRepository } from './recheck/recheck-report.port.ts';
import type { RecheckRepository } from './recheck/recheck-repository.ts';
import type { RetentionRepository } from './retention/retention.port.ts';
import type { RosterRepository } from './roster/roster-repository.ts';
import type { StatisticsReads } from './statistics/statistics-reads.ts';
import type { WebhookRepository, WebhookSenderPort } from './webhooks/webhooks.port.ts';

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
  /** `full`, or the step of logging in this session is at: it reaches only that step's routes. */
  stage: LoginStage;
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
  /** The session with its user (and roles) and the user's organisation, in one round trip: read on every request. */
  withUser(
    idHash: string,
  ): Promise<{ session: SessionRecord; user?: UserRecord; organisation?: OrganisationRecord } | undefined>;
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
  /**
   * Changes whenever the calendar does (a year saved by this process or, through each year's update time and the
   * day count, by another): a cheap key for a calendar built from `loadAll`.
   */
  revision(): Promise<string>;
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
  assessments: AssessmentRepository;
  cases: CaseRepository;
  ciphertexts: CiphertextRepository;
  policyProfiles: PolicyProfileRepository;
  batches: BatchRepository;
  apiKeys: ApiKeyRepository;
  oauthTokens: OAuthTokenRepository;
  apiEntrustments: ApiEntrustmentRepository;
  regions: RegionRepository;
  organisations: OrganisationRepository;
  users: UserRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  auditCheckpoints: AuditCheckpointRepository;
  retention: RetentionRepository;
  calendar: CalendarRepository;
  deliveries: DeliveryRepository;
  notices: NoticeRepository;
  quality: QualityRepository;
  queryInterfaces: QueryInterfaceRepository;
  offlineExchanges: OfflineExchangeRepository;
  escalations: EscalationRepository;
  rosters: RosterRepository;
  rechecks: RecheckRepository;
  recheckMarks: RecheckMarkRepository;
  recheckReports: RecheckReportRepository;
  exportRequests: ExportRequestRepository;
  /** Large uploads imported on the job queue (issue #9). */
  importJobs: ImportJobRepository;
  dishonesty: DishonestyRepository;
  accountSecurity: AccountSecurityRepository;
  unidentified: UnidentifiedRepository;
  webhooks: WebhookRepository;
}

export interface Store extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs fn in one transaction: a change and its audit entry commit together or not at all. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
}

export interface Deps {
  store: Store;
  files: FileStorePort;
  /** Erases case files past their retention period (the same file store). */
  fileErasure: FileErasurePort;
  caseDocuments: CaseDocumentPort;
  clock: Clock;
  crypto: FieldCryptoPort;
  tables: TablePort;
  errorReports: ErrorReportPort;
  /** Departments' query interfaces (Q§7); the HTTP client lives in src/query-interface. */
  queryClient: QueryClientPort;
  /** Offline exchange workbooks (C§3). */
  exchangeDocuments: OfflineExchangeDocumentPort;
  /** Worker threads that validate and encode the rows of large files; absent: every file on this thread. */
  rowEncoder?: { encoder: RowEncoderPort; minBytes: number };
  /** SM2 keys that sign audit checkpoints (src/crypto/audit-signing-keys.ts). */
  auditSigner: AuditSigner;
  /** Scheduled and background jobs (pg-boss on PostgreSQL, in-process on SQLite); set by `hedui serve`. */
  jobs?: JobRunner;
  /** POSTs webhooks to requesters' systems (src/webhooks/http-sender.ts). */
  webhookSender: WebhookSenderPort;
  /** Uploads kept in the shared files directory for their import job. */
  importFiles: ImportFilesPort;
  /** HEDUI_IMPORT_QUEUE_MIN_MB: uploads from this size are imported by a job (when `jobs` is set). */
  importQueueMinBytes: number;
  settings: {
    sessionIdleMinutes: number;
    sessionAbsoluteHours: number;
    lockoutThreshold: number;
    lockoutMinutes: number;
    /** HEDUI_MFA: whether roles seeing personal data must use a second factor. */
    secondFactor: SecondFactorMode;
    /** HEDUI_PASSWORD_MAX_AGE_DAYS: a staff password older than this must be changed (0: never). */
    passwordMaxAgeDays: number;
    /** Base of the public verification links printed on documents. */
    publicUrl: string;
    /** HEDUI_RETENTION_* and HEDUI_AUDIT_RETENTION_DAYS (docs/security.md). */
    retention: RetentionPolicy;
    /** HEDUI_WEBHOOK_*: targets allowed (SSRF) and when a failing subscription is turned off. */
    webhooks: TargetPolicy & { disableAfterFailures: number };
  };
}

// ——— Department data (batches, records, keys) ———

export type BatchStatus = 'committed' | 'rejected' | 'superseded' | 'retracted';
/** `offline`: a department's reply to an offline exchange; `query`: rows a query interface answered for a case. */
export type BatchSource = 'upload' | 'api' | 'cli' | 'offline' | 'query';
/**
 * `main`: a delivery of the dataset's template; `unidentified`: a supplementary batch of rows without a usable ID
 * number (「待认定记录」). Each kind supersedes only its own kind of the same dataset and period.
 */
export type BatchKind = 'main' | 'unidentified';

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
  /** The offline exchange a reply batch (source `offline`) answers. */
  exchangeId: number | null;
  /** Always set when read; left out on creation it is `main`. */
  kind?: BatchKind;
  /** Unidentified batches: rows linked at import to a person by a nearby valid ID number (null otherwise). */
  nearbyIdRows?: number | null;
  /** Unidentified batches: rows left to the assessment's name + birth-date matching (null otherwise). */
  nameBirthRows?: number | null;
}

export interface NewRecordRow {
  /** Blind index of the normalised 18-digit ID number; null when the row carries no valid ID. */
  personKey: string | null;
  rowNumber: number;
  rowHash: string;
  idEnc: string | null;
  nameEnc: string | null;
  month: string | null;
  values: string;
  /**
   * Blind index (purpose `birth`) of the row's 出生日期 where it has one (hukou rows, and rows without an ID
   * number, which are then matched by name + birth date).
   */
  birthKey?: string | null;
  /** The case the row was fetched for (query interface answer, offline reply); null for department batches. */
  caseRef?: string | null;
}

export interface StoredRecord extends NewRecordRow {
  id: number;
  batchId: number;
  dataset: string;
  birthKey: string | null;
  caseRef: string | null;
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
  /** Batches and rows stored by dataset and status since the start (Prometheus import figures, /metrics). */
  importTotals(): Promise<{ dataset: string; status: string; batches: number; rows: number }[]>;
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
  /** What the key may do (docs/integration.md); within what its organisation's kind allows. */
  scopes: ApiScope[];
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

/** An OAuth2 client-credentials access token: only its SM3 hash is stored. */
export interface OAuthTokenRecord {
  id: number;
  apiKeyId: number;
  tokenHash: string;
  scopes: ApiScope[];
  createdAt: string;
  expiresAt: string;
}

export interface OAuthTokenRepository {
  create(t: Omit<OAuthTokenRecord, 'id'>): Promise<OAuthTokenRecord>;
  getByHash(tokenHash: string): Promise<OAuthTokenRecord | undefined>;
  /** Removes tokens expired before `at`; returns how many. */
  purgeExpired(at: string): Promise<number>;
}

/** An entrustment submitted over the integration API: the requester system's reference and retry key. */
export interface ApiEntrustmentRecord {
  id: number;
  organisationId: number;
  /** Null while the submission that reserved the row is still running. */
  caseId: number | null;
  externalRef: string | null;
  idempotencyKey: string | null;
  apiKeyId: number | null;
  createdAt: string;
}

export interface ApiEntrustmentRepository {
  /** Reserves the reference and key for one submission; null when either is already taken (a retry). */
  reserve(row: Omit<ApiEntrustmentRecord, 'id' | 'caseId'>): Promise<ApiEntrustmentRecord | null>;
  /** The organisation's entrustment with this reference or key (either matches). */
  find(
    organisationId: number,
    keys: { externalRef: string | null; idempotencyKey: string | null },
  ): Promise<ApiEntrustmentRecord | undefined>;
  attach(id: number, caseId: number): Promise<void>;
  release(id: number): Promise<void>;
  byCases(caseIds: readonly number[]): Promise<ApiEntrustmentRecord[]>;
}

/** Encryption of identifiers at rest and their blind index (implemented with SM4 + HMAC-SM3). */
/** A chunk of a department file's rows to validate and encode (see `encodeChunk`). */
export interface EncodeJob {
  datasetCode: string;
  /** Per dataset column, its position in the file (from `checkHeaders`). */
  columnIndex: (number | undefined)[];
  rows: { rowNumber: number; cells: RawCell[] }[];
  context: RowContext;
  /** Row errors kept in full (the rest are only counted). */
  maxErrors: number;
  /** An earlier chunk had an error: only validate (to report every error), encode nothing. */
  validateOnly: boolean;
}

export interface EncodedChunk {
  records: NewRecordRow[];
  errors: RowError[];
  errorCount: number;
}

/**
 * Validates and encodes (encrypts, indexes) chunks of rows: on this thread, or on worker threads for large
 * files (`src/ingest/row-encoder-pool.ts`), while the import goes on reading and storing.
 */
export interface RowEncoderPort {
  /** True when chunks are encoded elsewhere, so several may be in flight at once. */
  parallel: boolean;
  encode(job: EncodeJob): Promise<EncodedChunk>;
}

export interface FieldCryptoPort {
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  blindIndex(normalised: string, purpose?: string): string;
  /** Keyed fingerprint of a row's canonical form (exact-duplicate detection). */
  rowFingerprint(canonicalRow: string): string;
  /** The data key a ciphertext was made with, and the one new ciphertexts use. */
  keyIdOf(ciphertext: string): number;
  readonly currentKeyId: number;
  /** Whether a stored value is one of these ciphertexts (old rows may hold plain text). */
  isCiphertext(value: unknown): value is string;
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
  /** One user of the organisation the notice is for; absent or null: the whole organisation. */
  recipientUserId?: number | null;
}

export interface NoticeRepository {
  /** Inserts the notice unless one with the same dedupe key exists; true when inserted. */
  createOnce(notice: Omit<NoticeRecord, 'id' | 'readAt'>): Promise<boolean>;
  /**
   * An organisation's notices, newest first, with how many there are and how many are unread; with `userId`,
   * those for the whole organisation and those addressed to that user (never another user's).
   */
  list(
    organisationId: number,
    filter: { unreadOnly: boolean; offset: number; limit: number; userId?: number | null },
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

// ——— Assessment (issue #4) ———

export type AssessmentMode = 'standing' | 'recorded';

export interface AssessmentRow {
  id: number;
  caseRef: string;
  regionCode: string;
  assistanceType: string;
  policyVersionId: number | null;
  policyLabel: string;
  asOfDate: string;
  /** `standing`: the batches standing at the as-of date (or now); `recorded`: exactly those of `rerunOf`. */
  mode: AssessmentMode;
  rerunOf: number | null;
  batchIds: number[];
  memberCount: number;
  /** Counts only, no personal data. */
  summary: Record<string, number>;
  /** Encrypted JSON of the request (members with ID numbers, declaration). */
  inputEnc: string;
  /** Encrypted JSON of the stored result. */
  resultEnc: string;
  organisationId: number | null;
  createdAt: string;
  createdBy: number | null;
  createdByName: string | null;
}

export interface MatchDecisionRow {
  id: number;
  caseRef: string;
  personKey: string;
  recordId: number;
  decision: 'confirmed' | 'rejected';
  reason: string;
  decidedAt: string;
  decidedBy: number | null;
  decidedByName: string | null;
}

/** Which records an assessment may read: these batches, and rows fetched for no case or for this one. */
export interface RecordScope {
  batchIds: number[];
  caseRef: string;
}

export interface AssessmentRepository {
  /**
   * Batches that stood at an instant (ISO, UTC): created by then, and neither retracted nor superseded by
   * then. Null means now: the committed batches.
   */
  standingBatches(at: string | null): Promise<BatchRecord[]>;
  batchesByIds(ids: number[]): Promise<BatchRecord[]>;
  /** Every record carrying one of these person keys, in any batch, or only in the scope's batches (id order). */
  recordsByPersonKeys(personKeys: string[], within?: RecordScope): Promise<StoredRecord[]>;
  /** The rows without an ID number carrying one of these birth keys (the name + birth-date candidates), id order. */
  recordsWithoutIdByBirthKeys(birthKeys: string[], within?: RecordScope): Promise<StoredRecord[]>;
  /** The hukou rows of these birth keys (namesakes of a candidate), id order. */
  hukouByBirthKeys(birthKeys: string[], within?: RecordScope): Promise<StoredRecord[]>;
  create(row: Omit<AssessmentRow, 'id'>): Promise<AssessmentRow>;
  get(id: number): Promise<AssessmentRow | undefined>;
  list(filter: {
    regionScope: string | null;
    caseRef?: string;
    offset: number;
    limit: number;
  }): Promise<{ items: AssessmentRow[]; total: number }>;
  decisions(caseRef: string): Promise<MatchDecisionRow[]>;
  /** Inserts or replaces the decision on one record for one person of a case. */
  saveDecision(row: Omit<MatchDecisionRow, 'id'>): Promise<MatchDecisionRow>;
}

// ——— Query interfaces (Q§7, SPEC §2 mode 2) ———

/** A department's query endpoint; the configuration holds credentials, so it is only stored encrypted. */
export interface QueryInterfaceRecord {
  id: number;
  departmentCode: string;
  dataset: string;
  name: string;
  /** Encrypted JSON of the validated `QueryInterfaceConfig`. */
  configEnc: string;
  enabled: boolean;
  createdAt: string;
  createdBy: number | null;
  updatedAt: string;
  updatedBy: number | null;
}

export interface QueryInterfaceRepository {
  create(q: Omit<QueryInterfaceRecord, 'id'>): Promise<QueryInterfaceRecord>;
  get(id: number): Promise<QueryInterfaceRecord | undefined>;
  /** The interface of a dataset (one per department and dataset). */
  find(departmentCode: string, dataset: string): Promise<QueryInterfaceRecord | undefined>;
  /** By department and dataset; only the enabled ones when asked. */
  list(filter: { enabledOnly: boolean }): Promise<QueryInterfaceRecord[]>;
  update(
    id: number,
    patch: Partial<Omit<QueryInterfaceRecord, 'id' | 'createdAt' | 'createdBy'>>,
  ): Promise<void>;
}

/** One call about one member of a case (the adapter's `QueryPersonInput`). */
export interface QueryCallInput {
  caseNumber: string;
  operator: { userId: string; name: string };
  idNumber: string;
  name: string;
  /** Sent as `X-Request-Id` (shared by the call's retries); the adapter makes one when absent. */
  requestId?: string;
}

export type QueryUnavailableReason = 'TIMEOUT' | 'HTTP_ERROR' | 'NETWORK_ERROR' | 'BAD_RESPONSE';

/** What the adapter answers (`QueryPersonResult` of src/query-interface): rows, or an explicit `unavailable`. */
export type QueryCallResult =
  | {
      status: 'ok';
      departmentCode: string;
      dataset: string;
      /** Catalog-keyed values, checked by the catalog's cell rules. */
      rows: Record<string, CellValue>[];
      rejectedRows: { index: number; errors: QueryRowError[] }[];
      request: { attempts: number; durationMs: number; requestId: string };
      respondedAt: string;
    }
  | {
      status: 'unavailable';
      departmentCode: string;
      dataset: string;
      reason: QueryUnavailableReason;
      httpStatus?: number;
      /** Chinese; never a credential or an ID number. */
      message: string;
      attempts: number;
      requestId: string;
    };

/** The HTTP client of departments' query interfaces, behind a port so use cases stay free of I/O. */
export interface QueryClientPort {
  queryPerson(config: QueryInterfaceConfig, input: QueryCallInput): Promise<QueryCallResult>;
}

// ——— Offline exchange (C§3, SPEC §2 mode 3) ———

/** One export of persons to check for a department without data sharing, and its answer. */
export interface OfflineExchangeRecord {
  id: number;
  /** `LX-<yyyymmdd>-<id>`, printed in the workbook and checked when the file comes back. */
  reference: string;
  departmentCode: string;
  dataset: string;
  organisationId: number | null;
  /** The exporting organisation's region: the exchange's data scope. */
  regionCode: string;
  status: 'exported' | 'answered';
  /** Encrypted JSON of the persons (`ExchangePerson[]`). */
  personsEnc: string;
  personCount: number;
  caseRefs: string[];
  /** Keyed hash of the canonical persons list; the workbook carries it. */
  fingerprint: string;
  createdAt: string;
  createdBy: number | null;
  createdByName: string | null;
  answeredAt: string | null;
  answeredBy: number | null;
  answerBatchId: number | null;
}

export interface OfflineExchangeFilter {
  /** Only exchanges whose region lies in this scope (null = all). */
  regionScope: string | null;
  departmentCode?: string;
  status?: OfflineExchangeRecord['status'];
  offset: number;
  limit: number;
}

export interface OfflineExchangeRepository {
  /** Inserts the exchange; its reference is made from its id (`reference(id)`) in the same statement pair. */
  create(
    e: Omit<OfflineExchangeRecord, 'id' | 'reference'>,
    reference: (id: number) => string,
  ): Promise<OfflineExchangeRecord>;
  get(id: number): Promise<OfflineExchangeRecord | undefined>;
  getByReference(reference: string): Promise<OfflineExchangeRecord | undefined>;
  list(filter: OfflineExchangeFilter): Promise<{ items: OfflineExchangeRecord[]; total: number }>;
  /** Marks it answered unless it already is; false when another answer came first. */
  markAnswered(
    id: number,
    answer: { answeredAt: string; answeredBy: number | null; batchId: number },
  ): Promise<boolean>;
}

/** The exchange workbook (src/documents/offline-exchange.ts). */
export interface OfflineExchangeDocumentPort {
  write(input: {
    reference: string;
    fingerprint: string;
    dataset: DatasetDef;
    persons: readonly ExchangePerson[];
    exportDate: string;
    requesterName: string | null;
  }): Promise<Uint8Array>;
  /** Which export a returned workbook answers; null when it carries no binding. */
  readBinding(path: string): Promise<ReplyBinding | null>;
  /** Bytes beyond which a returned workbook is refused. */
  readonly fileSizeLimit: number;
}

// ——— Encrypted columns outside the records (key rotation) ———

/** Whole-value ciphertext columns other than the records' (assessments, exchanges, interfaces, cases). */
export interface CiphertextRepository {
  /** The columns this store holds, as `table.column`. */
  columns(): string[];
  /** Rows with id > afterId, in id order, with the column's value (null values skipped). */
  page(column: string, afterId: number, limit: number): Promise<{ id: number; value: string }[]>;
  update(column: string, id: number, value: string): Promise<void>;
}

// ——— Verification cases (issue #5) ———

export interface PendingCaseRequest {
  kind: PendingRequestKind;
  requestedBy: number;
  requestedByName: string | null;
  requestedAt: string;
  reason: string;
  /** Extension: working days asked for. */
  workdays?: number;
  /** Suspension: the grounds (Q§18) and, for a programme's own rule, that rule. */
  grounds?: string[];
  programmeRule?: string;
  /** Force majeure: the event, the day the notice went out and its document number. */
  forceMajeureNoticeOn?: string;
  forceMajeureNoticeNumber?: string;
}

export interface CaseRow {
  id: number;
  number: string;
  requesterOrganisationId: number;
  regionCode: string;
  assistanceType: string;
  state: string;
  memberCount: number;
  applicantNameEnc: string;
  householdEnc: string;
  receivedAt: string;
  receivedOn: string;
  acceptanceDue: string;
  acceptedOn: string | null;
  reportDue: string | null;
  ceilingDate: string | null;
  extensionWorkdays: number;
  /** Working days added at the requester's request after force majeure (Q§17 ¶2), beyond the ceiling. */
  forceMajeureWorkdays: number;
  calendarVersion: string;
  handlerId: number | null;
  reviewerId: number | null;
  originalHandlerId: number | null;
  pendingRequest: PendingCaseRequest | null;
  assessmentId: number | null;
  reportedOn: string | null;
  appealDue: string | null;
  appealedOn: string | null;
  reviewDue: string | null;
  closedOn: string | null;
  createdAt: string;
  createdBy: number | null;
  updatedAt: string;
  revision: number;
}

export type CaseAttachmentKind = 'id_document' | 'pledge' | 'authorization' | 'other';

export interface CaseAttachmentRow {
  id: number;
  caseId: number;
  kind: CaseAttachmentKind;
  /** The member (0-based) an authorization or ID document belongs to. */
  memberIndex: number | null;
  fileName: string;
  mediaType: string;
  bytes: number;
  sm3: string;
  storedFile: string;
  uploadedAt: string;
  uploadedBy: number | null;
}

export interface CaseEventRow {
  id: number;
  caseId: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  step: string;
  fromState: string | null;
  toState: string;
  details: Record<string, unknown>;
}

export interface CaseDocumentRow {
  id: number;
  caseId: number;
  kind: string;
  number: string;
  shortCode: string;
  sm3: string;
  storedFile: string;
  issuedAt: string;
  issuedBy: number | null;
  revokedAt: string | null;
}

export interface CaseFilter {
  regionScope: string | null;
  requesterOrganisationId?: number;
  states?: string[];
  /** Cases whose current work group includes this user. */
  memberOf?: number;
  /** Cases changed at or after this instant (ISO-8601 UTC): the integration API's polling. */
  updatedSince?: string;
  offset: number;
  limit: number;
}

/** Also the statistics' reads (src/app/statistics/statistics-reads.ts). */
export interface CaseRepository extends StatisticsReads {
  create(row: Omit<CaseRow, 'id' | 'revision' | 'number'> & { number: string }): Promise<CaseRow>;
  get(id: number): Promise<CaseRow | undefined>;
  getByNumber(number: string): Promise<CaseRow | undefined>;
  /**
   * Applies the patch if the case is still at `revision` (optimistic lock: two people acting on one case at
   * once cannot both succeed); true when applied.
   */
  update(id: number, revision: number, patch: Partial<Omit<CaseRow, 'id' | 'revision'>>): Promise<boolean>;
  list(filter: CaseFilter): Promise<{ items: CaseRow[]; total: number }>;
  addEvent(event: Omit<CaseEventRow, 'id'>): Promise<CaseEventRow>;
  events(caseId: number): Promise<CaseEventRow[]>;
  /** The steps of these kinds taken in these cases (case, step, when): the dashboard's counts. */
  stepEvents(
    caseIds: readonly number[],
    steps: readonly string[],
  ): Promise<{ caseId: number; step: string; at: string }[]>;
  addAttachment(row: Omit<CaseAttachmentRow, 'id'>): Promise<CaseAttachmentRow>;
  attachments(caseId: number): Promise<CaseAttachmentRow[]>;
  /** The case an authorization with this fingerprint was filed for, if any (一事一授权). */
  authorizationCase(sm3: string): Promise<number | undefined>;
  /** The next number of a counter (per agency, year and kind), inside the caller's transaction. */
  nextNumber(scope: string): Promise<number>;
  addDocument(row: Omit<CaseDocumentRow, 'id'>): Promise<CaseDocumentRow>;
  documents(caseId: number): Promise<CaseDocumentRow[]>;
  documentByShortCode(shortCode: string): Promise<CaseDocumentRow | undefined>;
}

// ——— Files kept for cases (attachments, issued documents) ———

export type FileCategory = 'attachments' | 'documents';

export interface FileStorePort {
  /** Stores the bytes under a new unguessable name in the category's folder; returns that name. */
  put(category: FileCategory, bytes: Buffer, extension: string): Promise<string>;
  get(category: FileCategory, name: string): Promise<Buffer>;
}

/** Erasure of stored files (retention, issue #8 item 8). */
export interface FileErasurePort {
  /** Erases a stored file; a file already gone is no error. */
  remove(category: FileCategory, name: string): Promise<void>;
}

// ——— Case documents (PDF) ———

export interface CaseDocumentPort {
  /** Renders a document as PDF with the SM3 digest of its bytes (deterministic for the same input). */
  render(input: CaseDocumentInput): Promise<{ pdf: Buffer; sm3: string; pages: number }>;
}

import type { Generated } from 'kysely';
import type { DishonestyRecordTable, DishonestySubjectTable } from './dishonesty.schema.ts';
import type { ExportRequestTable } from './export-request.schema.ts';
import type { ImportJobTable } from './import-job.schema.ts';
import type { RecheckAlertTable, RecheckItemTable, RecheckRunTable } from './recheck.schema.ts';
import type { RecheckMarkTable } from './recheck-marks.schema.ts';
import type { RecheckReportTable } from './recheck-report.schema.ts';
import type { AuditCheckpointTable, AuditPurgePermitTable, RetentionRunTable } from './retention.schema.ts';
import type { RosterFamilyTable, RosterMemberTable, RosterVersionTable } from './roster.schema.ts';
import type { LoginEventTable, RecoveryCodeTable, UserSecondFactorTable } from './second-factor.schema.ts';
import type {
  WebhookAttemptTable,
  WebhookDeliveryTable,
  WebhookSubscriptionTable,
} from './webhook.schema.ts';

/** Timestamps are ISO-8601 UTC text and dates YYYY-MM-DD text on both dialects, so they compare as strings. */
export interface RegionTable {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  kind: string;
  regionCode: string;
  parentId: number | null;
  departmentCode: string | null;
  active: number;
  createdAt: string;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  displayName: string;
  organisationId: number;
  passwordHash: string;
  active: number;
  failedLoginCount: number;
  lockedUntil: string | null;
  passwordChangedAt: string;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserRoleTable {
  userId: number;
  role: string;
}

export interface SessionTable {
  idHash: string;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  endedAt: string | null;
  endReason: string | null;
  /** `full`, or the step of logging in the session is at (migration 202611260300). */
  stage: Generated<string>;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actorUserId: number | null;
  actorName: string | null;
  actorRoles: string;
  organisationId: number | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  caseId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  details: string;
  prevHash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface CalendarYearTable {
  year: number;
  source: string;
  publishedOn: string | null;
  updatedAt: string;
  updatedBy: number | null;
}

export interface CalendarDayTable {
  date: string;
  year: number;
  kind: string;
  name: string;
}

export interface DB {
  region: RegionTable;
  organisation: OrganisationTable;
  appUser: AppUserTable;
  userRole: UserRoleTable;
  session: SessionTable;
  auditLog: AuditLogTable;
  auditHead: AuditHeadTable;
  auditCheckpoint: AuditCheckpointTable;
  auditPurgePermit: AuditPurgePermitTable;
  retentionRun: RetentionRunTable;
  calendarYear: CalendarYearTable;
  calendarDay: CalendarDayTable;
  batch: BatchTable;
  record: RecordTable;
  apiKey: ApiKeyTable;
  oauthToken: OAuthTokenTable;
  apiEntrustment: ApiEntrustmentTable;
  deliveryRule: DeliveryRuleTable;
  notice: NoticeTable;
  policyProfile: PolicyProfileTable;
  policyVersion: PolicyVersionTable;
  offlineExchange: OfflineExchangeTable;
  queryInterface: QueryInterfaceTable;
  assessment: AssessmentTable;
  matchDecision: MatchDecisionTable;
  verificationCase: VerificationCaseTable;
  caseAttachment: CaseAttachmentTable;
  caseEvent: CaseEventTable;
  caseDocument: CaseDocumentTable;
  documentCounter: DocumentCounterTable;
  caseEscalation: CaseEscalationTable;
  rosterVersion: RosterVersionTable;
  rosterFamily: RosterFamilyTable;
  rosterMember: RosterMemberTable;
  recheckRun: RecheckRunTable;
  recheckItem: RecheckItemTable;
  recheckAlert: RecheckAlertTable;
  recheckMark: RecheckMarkTable;
  recheckReport: RecheckReportTable;
  exportRequest: ExportRequestTable;
  importJob: ImportJobTable;
  dishonestyRecord: DishonestyRecordTable;
  dishonestySubject: DishonestySubjectTable;
  userSecondFactor: UserSecondFactorTable;
  recoveryCode: RecoveryCodeTable;
  loginEvent: LoginEventTable;
  webhookSubscription: WebhookSubscriptionTable;
  webhookDelivery: WebhookDeliveryTable;
  webhookAttempt: WebhookAttemptTable;
}

export interface BatchTable {
  id: Generated<number>;
  dataset: string;
  period: string;
  periodFirstMonth: string;
  periodLastMonth: string;
  departmentCode: string;
  organisationId: number | null;
  uploaderUserId: number | null;
  apiKeyId: number | null;
  source: string;
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
  errors: string;
  status: string;
  supersededBy: number | null;
  dataAsOf: string;
  createdAt: string;
  finishedAt: string | null;
  retractedAt: string | null;
  retractedBy: number | null;
  retractReason: string | null;
  reportFile: string | null;
  /** The offline exchange a reply batch answers (source `offline`). */
  exchangeId: number | null;
  /** `main` (a delivery of the template) or `unidentified` (待认定记录); see BatchKind. */
  kind: Generated<string>;
  /** Unidentified batches: rows linked to a person by a nearby valid ID number; null on main batches. */
  nearbyIdRows: number | null;
  /** Unidentified batches: rows left to name + birth-date matching; null on main batches. */
  nameBirthRows: number | null;
  /** When retention purged its rows / bytes (migration 202611260510_retention). */
  purgedAt: string | null;
}

export interface RecordTable {
  id: Generated<number>;
  batchId: number;
  dataset: string;
  personKey: string | null;
  rowNumber: number;
  rowHash: string;
  idEnc: string | null;
  nameEnc: string | null;
  month: string | null;
  values: string;
  /** Blind index of the birth date, for a record without a usable ID number (matched by name + birth date). */
  birthKey: string | null;
  /** The case a record was fetched for (query interface, offline reply); null for department batches. */
  caseRef: string | null;
}

export interface ApiKeyTable {
  id: Generated<number>;
  organisationId: number;
  name: string;
  prefix: string;
  keyHash: string;
  createdAt: string;
  createdBy: number | null;
  revokedAt: string | null;
  revokedBy: number | null;
  lastUsedAt: string | null;
  /** Space-separated scopes (domain/access/scopes.ts). */
  scopes: Generated<string>;
}

export interface OAuthTokenTable {
  id: Generated<number>;
  apiKeyId: number;
  tokenHash: string;
  scopes: string;
  createdAt: string;
  expiresAt: string;
}

export interface ApiEntrustmentTable {
  id: Generated<number>;
  organisationId: number;
  caseId: number | null;
  externalRef: string | null;
  idempotencyKey: string | null;
  apiKeyId: number | null;
  createdAt: string;
}

export interface DeliveryRuleTable {
  dataset: string;
  frequency: string;
  dueDay: number;
  firstPeriod: string | null;
  updatedAt: string;
  updatedBy: number | null;
}

export interface NoticeTable {
  id: Generated<number>;
  organisationId: number;
  kind: string;
  dedupeKey: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
  /** One user of the organisation the notice is for; null: the whole organisation. */
  recipientUserId: number | null;
}

export interface PolicyProfileTable {
  id: Generated<number>;
  regionCode: string;
  assistanceType: string;
  createdAt: string;
  createdBy: number | null;
}

export interface PolicyVersionTable {
  id: Generated<number>;
  profileId: number;
  version: number;
  label: string;
  windowMonths: number;
  /** JSON array of strings. */
  exemptSubsidyItems: string;
  /** JSON object: fen per tolerance category. */
  toleranceFen: string;
  seriousMultiple: number;
  notes: string;
  effectiveFrom: string;
  publishedAt: string;
  publishedBy: number | null;
  publishedByName: string | null;
}

export interface OfflineExchangeTable {
  id: Generated<number>;
  reference: string;
  departmentCode: string;
  dataset: string;
  organisationId: number | null;
  regionCode: string;
  status: string;
  /** Encrypted JSON array of the persons exported. */
  personsEnc: string;
  personCount: number;
  /** JSON array of case references. */
  caseRefs: string;
  fingerprint: string;
  createdAt: string;
  createdBy: number | null;
  createdByName: string | null;
  answeredAt: string | null;
  answeredBy: number | null;
  answerBatchId: number | null;
}

export interface QueryInterfaceTable {
  id: Generated<number>;
  departmentCode: string;
  dataset: string;
  name: string;
  /** Encrypted JSON QueryInterfaceConfig (it holds credentials). */
  configEnc: string;
  enabled: number;
  createdAt: string;
  createdBy: number | null;
  updatedAt: string;
  updatedBy: number | null;
}

export interface AssessmentTable {
  id: Generated<number>;
  caseRef: string;
  regionCode: string;
  assistanceType: string;
  policyVersionId: number | null;
  policyLabel: string;
  asOfDate: string;
  mode: string;
  rerunOf: number | null;
  /** JSON array of batch ids. */
  batchIds: string;
  memberCount: number;
  /** JSON object of counts (no personal data). */
  summary: string;
  inputEnc: string;
  resultEnc: string;
  organisationId: number | null;
  createdAt: string;
  createdBy: number | null;
  createdByName: string | null;
}

export interface MatchDecisionTable {
  id: Generated<number>;
  caseRef: string;
  personKey: string;
  recordId: number;
  decision: string;
  reason: string;
  decidedAt: string;
  decidedBy: number | null;
  decidedByName: string | null;
}

export interface VerificationCaseTable {
  id: Generated<number>;
  number: string;
  requesterOrganisationId: number;
  regionCode: string;
  assistanceType: string;
  state: string;
  memberCount: number;
  applicantNameEnc: string;
  /** Encrypted JSON of the household request (members with ID numbers, declaration). */
  householdEnc: string;
  receivedAt: string;
  receivedOn: string;
  acceptanceDue: string;
  acceptedOn: string | null;
  reportDue: string | null;
  ceilingDate: string | null;
  extensionWorkdays: Generated<number>;
  forceMajeureWorkdays: Generated<number>;
  calendarVersion: string;
  handlerId: number | null;
  reviewerId: number | null;
  originalHandlerId: number | null;
  /** JSON of the pending extension or suspension request. */
  pendingRequest: string | null;
  assessmentId: number | null;
  reportedOn: string | null;
  appealDue: string | null;
  appealedOn: string | null;
  reviewDue: string | null;
  closedOn: string | null;
  createdAt: string;
  createdBy: number | null;
  updatedAt: string;
  revision: Generated<number>;
}

export interface CaseAttachmentTable {
  id: Generated<number>;
  caseId: number;
  kind: string;
  memberIndex: number | null;
  fileName: string;
  mediaType: string;
  bytes: number;
  sm3: string;
  storedFile: string;
  uploadedAt: string;
  uploadedBy: number | null;
  /** When retention purged its rows / bytes (migration 202611260510_retention). */
  purgedAt: string | null;
}

export interface CaseEventTable {
  id: Generated<number>;
  caseId: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  step: string;
  fromState: string | null;
  toState: string;
  /** JSON. */
  details: string;
}

export interface CaseDocumentTable {
  id: Generated<number>;
  caseId: number;
  kind: string;
  number: string;
  shortCode: string;
  sm3: string;
  storedFile: string;
  issuedAt: string;
  issuedBy: number | null;
  revokedAt: string | null;
  /** When retention purged its rows / bytes (migration 202611260510_retention). */
  purgedAt: string | null;
}

/** A sub-request to the agency above (src/app/cases/escalation.port.ts). */
export interface CaseEscalationTable {
  id: Generated<number>;
  caseId: number;
  requestingOrganisationId: number;
  targetOrganisationId: number;
  state: string;
  itemCount: number;
  itemsEnc: string;
  findingsEnc: string | null;
  due: string;
  calendarVersion: string;
  proposedBy: number;
  proposedAt: string;
  approvedBy: number | null;
  decidedAt: string | null;
  decisionReason: string | null;
  answeredBy: number | null;
  answeredAt: string | null;
  createdAt: string;
  updatedAt: string;
  revision: Generated<number>;
}

export interface DocumentCounterTable {
  scope: string;
  last: number;
}

import type { Generated } from 'kysely';

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
  calendarYear: CalendarYearTable;
  calendarDay: CalendarDayTable;
  batch: BatchTable;
  record: RecordTable;
  apiKey: ApiKeyTable;
  deliveryRule: DeliveryRuleTable;
  notice: NoticeTable;
  policyProfile: PolicyProfileTable;
  policyVersion: PolicyVersionTable;
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

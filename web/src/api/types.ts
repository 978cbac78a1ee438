import type { ApiScope } from '../../../src/domain/access/scopes.ts';
export const ROLES = [
  'agency_staff',
  'agency_reviewer',
  'requester_staff',
  'department_officer',
  'system_admin',
  'audit_officer',
] as const;
export type Role = (typeof ROLES)[number];

export const ORG_KINDS = ['agency', 'requester', 'department', 'admin'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const REGION_LEVELS = ['province', 'city', 'county', 'township'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export interface Me {
  id: number;
  username: string;
  displayName: string;
  roles: Role[];
  organisation: {
    id: number;
    name: string;
    kind: OrgKind;
    regionCode: string;
    regionName: string;
  };
}

export interface Organisation {
  id: number;
  name: string;
  kind: OrgKind;
  regionCode: string;
  regionName: string;
  parentId: number | null;
  departmentCode: string | null;
  active: boolean;
  userCount: number;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  organisationId: number;
  organisationName: string;
  roles: Role[];
  active: boolean;
  locked: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  /** Whether the user has a confirmed TOTP second factor. */
  secondFactor: boolean;
}

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  hasChildren: boolean;
}

export type CalendarDayKind = 'holiday' | 'workday';

export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  name: string;
}

export interface CalendarYearSummary {
  year: number;
  source: string;
  publishedOn: string | null;
  holidayCount: number;
  workdayCount: number;
  updatedAt: string;
}

export interface CalendarYear {
  year: number;
  source: string;
  publishedOn: string | null;
  days: CalendarDay[];
}

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEntry {
  seq: number;
  at: string;
  actorUserId: number | null;
  actorName: string | null;
  actorRoles: string[];
  organisationId: number | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  caseId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** The first entry checked: 1, or the first kept after retention. */
  from: number;
  firstBroken: null | { seq: number; reason: string };
  /** Signed checkpoints (SM2 signature, Merkle root over the entries they cover). */
  checkpoints: {
    total: number;
    checked: number;
    firstBroken: null | { number: number; fromSeq: number; toSeq: number; reason: string };
  };
}

export interface Items<T> {
  items: T[];
}

// ------------------------------------------------------------------ department data

export const FREQUENCIES = ['monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export type DatasetKind = 'periodic' | 'snapshot';

export interface DatasetColumn {
  header: string;
  key: string;
  type: string;
  required: boolean;
  values: string[] | null;
  description: string;
  example: string;
}

export interface Dataset {
  code: string;
  name: string;
  departmentCode: string;
  departmentName: string;
  frequency: Frequency;
  kind: DatasetKind;
  core: boolean;
  description: string;
  columns: DatasetColumn[];
}

export type TemplateFormat = 'xlsx' | 'csv';

export interface RowError {
  /** The spreadsheet's own row number (the header is row 1). */
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface FileError {
  code: string;
  message: string;
}

export type ImportStatus = 'committed' | 'rejected' | 'duplicate';

/** A large upload imported on the job queue (202 of the upload; GET /api/batches/imports/:id). */
export interface ImportJob {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  dataset: string;
  datasetName: string;
  period: string;
  fileName: string;
  bytes: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  outcome: ImportStatus | null;
  batchId: number | null;
  rows: number | null;
  stored: number | null;
  error: { code: string; message: string } | null;
  errorReport: string | null;
}

export interface ImportResult {
  status: ImportStatus;
  batchId: number | null;
  dataset: string;
  period: string;
  rows: number;
  stored: number;
  warnings: string[];
  errors: RowError[];
  fileErrors: FileError[];
  /** Present on the import of unidentified rows (待认定记录). */
  kind?: BatchKind;
  nearbyIdRows?: number;
  nameBirthRows?: number;
}

export const BATCH_KINDS = ['main', 'unidentified'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

export const BATCH_STATUSES = ['committed', 'rejected', 'superseded', 'retracted'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export type BatchSource = 'upload' | 'api' | 'cli';

export interface Batch {
  id: number;
  dataset: string;
  datasetName: string;
  period: string;
  departmentCode: string;
  source: BatchSource;
  fileName: string | null;
  fingerprint: string;
  bytes: number;
  format: string;
  encoding: string | null;
  rowsRead: number;
  rowsStored: number;
  duplicateRows: number;
  errorCount: number;
  status: BatchStatus;
  supersededBy: number | null;
  dataAsOf: string;
  createdAt: string;
  finishedAt: string | null;
  retractedAt: string | null;
  retractReason: string | null;
  hasErrorReport: boolean;
  /** `unidentified`: a supplementary batch of rows without a usable ID number (待认定记录). */
  kind: BatchKind;
  /** Unidentified batches: rows linked at import by a nearby valid ID number. */
  nearbyIdRows: number | null;
  /** Unidentified batches: rows left to name + birth-date matching. */
  nameBirthRows: number | null;
}

export interface BatchDetail {
  batch: Batch;
  errors: RowError[];
  fileErrors: FileError[];
  warnings: string[];
}

export interface ApiKey {
  id: number;
  organisationId: number;
  organisationName: string;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /** What the key may do (src/domain/access/scopes.ts). */
  scopes: ApiScope[];
}

export interface IssuedApiKey {
  apiKey: ApiKey;
  /** The secret itself; the server never shows it again. */
  key: string;
}

export interface DueDate {
  period: string;
  dueDate: string;
}

export interface OverdueDelivery extends DueDate {
  daysOverdue: number;
}

export interface DeliveryStatusItem {
  dataset: string;
  datasetName: string;
  departmentCode: string;
  departmentName: string;
  frequency: Frequency;
  dueDay: number;
  firstPeriod: string | null;
  /** The first delivery period checked for overdue deliveries. */
  expectedFrom: string;
  latestPeriod: string | null;
  dataAsOf: string | null;
  lastDeliveredAt: string | null;
  nextDue: DueDate | null;
  overdue: OverdueDelivery[];
}

export interface DeliveryStatus {
  today: string;
  items: DeliveryStatusItem[];
}

export interface DeliveryRule {
  dataset: string;
  datasetName: string;
  departmentCode: string;
  departmentName: string;
  frequency: Frequency;
  dueDay: number;
  firstPeriod: string | null;
  /** False while the dataset follows the catalog's defaults. */
  overridden: boolean;
  catalogFrequency: Frequency;
  updatedAt: string | null;
  updatedBy: number | null;
}

export interface DeliveryRuleInput {
  frequency: Frequency;
  dueDay: number;
  firstPeriod: string | null;
}

export interface Notice {
  id: number;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface NoticeList {
  items: Notice[];
  total: number;
  unread: number;
}

/** Rates are shares, 0–1, or null when there is nothing to measure. */
export interface QualityFigures {
  batches: number;
  committed: number;
  rejected: number;
  rowsStored: number;
  duplicateRate: number | null;
  unmatchedRate: number | null;
  onTimeRate: number | null;
}

export interface DatasetQuality extends QualityFigures {
  dataset: string;
  datasetName: string;
  lastRejection: { batchId: number; at: string; errorCount: number } | null;
}

export interface QualityMonth {
  month: string;
  batches: number;
  rejected: number;
  rowsStored: number;
  duplicateRate: number | null;
  unmatchedRate: number | null;
}

export interface DepartmentQuality extends QualityFigures {
  departmentCode: string;
  departmentName: string;
  datasets: DatasetQuality[];
  trend: QualityMonth[];
}

export interface QualityReport {
  departments: DepartmentQuality[];
}

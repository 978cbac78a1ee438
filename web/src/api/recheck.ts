import { request } from './client';

/** The monthly recheck and its change alerts (每月复核、变化预警, issue #6): see docs/recheck.md and docs/api.md. */

export type RecheckRunState = 'running' | 'done' | 'failed';
export type RecheckItemStatus = 'pending' | 'done' | 'skipped' | 'failed' | 'carried';
export type RecheckMode = 'full' | 'changed';
export type AlertState = 'open' | 'confirmed' | 'dismissed' | 'case_opened' | 'awaiting_entrustment';

export const CHANGE_KINDS = [
  'NEW_VEHICLE',
  'NEW_REAL_ESTATE',
  'NEW_MARKET_ENTITY',
  'INCOME_RISE',
  'MEMBER_DECEASED',
  'MEMBER_MOVED_OUT',
  'NEW_MARRIAGE',
  'MEMBER_ON_PAYROLL',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface RecheckCounts {
  familyCount: number;
  doneCount: number;
  skippedCount: number;
  failedCount: number;
  changedCount: number;
  /** Families a `changed` run carried forward (issue #6 item 4). */
  carriedCount: number;
}

export interface RecheckRun extends RecheckCounts {
  id: number;
  month: string;
  scopeOrganisationId: number;
  scopeName: string;
  scopeRegionCode: string;
  state: RecheckRunState;
  startedAt: string;
  startedBy: number | null;
  startedByName: string | null;
  finishedAt: string | null;
  leaseUntil: string;
  resumedCount: number;
  errorCode: string | null;
  mode: RecheckMode;
}

export interface RecheckRunSummary {
  runId: number;
  month: string;
  scope: { organisationId: number; name: string; regionCode: string };
  state: RecheckRunState;
  resumed: boolean;
  counts: RecheckCounts;
  assessedNow: number;
  alertsByKind: Record<string, number>;
  startedAt: string;
  finishedAt: string | null;
  notice: string;
}

export interface RecheckFamily {
  id: number;
  rosterFamilyId: number;
  requesterOrganisationId: number;
  familyKey: string;
  regionCode: string | null;
  assistanceType: string | null;
  assistanceTypeLabel: string | null;
  members: { name: string; idNumberMasked: string; relation: string }[];
  status: RecheckItemStatus;
  assessmentId: number | null;
  changes: string[];
  errorCode: string | null;
  updatedAt: string;
}

export interface RecheckDetail {
  run: RecheckRun;
  alertsByKind: Record<string, number>;
  families: RecheckFamily[];
  familyTotal: number;
  notice: string;
}

export interface SourceRef {
  dataset: string;
  batchId: number | string;
  departmentCode: string;
  dataAsOf: string;
  rowNumber: number;
  recordId: number | string;
}

export interface RecheckAlert {
  id: number;
  runId: number;
  itemId: number;
  month: string;
  requesterOrganisationId: number;
  requesterName: string;
  requesterRegionCode: string;
  familyKey: string;
  kind: string;
  kindLabel: string;
  evidence: {
    kind: string;
    memberId: string | null;
    relation: string | null;
    message: string;
    sources: SourceRef[];
    before: unknown;
    after: unknown;
    previousAsOfDate: string;
    asOfDate: string;
  };
  state: AlertState;
  caseId: number | null;
  caseNumber: string | null;
  reason: string | null;
  workedBy: number | null;
  workedByName: string | null;
  workedAt: string | null;
  createdAt: string;
}

export type AlertWork =
  | { action: 'confirm'; reason?: string | null }
  | { action: 'dismiss'; reason: string }
  | { action: 'open_case'; caseId: number; reason?: string | null }
  | { action: 'request_entrustment'; reason?: string | null };

/** A case of the alert's family at its requester (members matched by the blind index of the ID number). */
export interface AlertFamilyCase {
  id: number;
  number: string;
  state: string;
  stateLabel: string;
  receivedOn: string;
  acceptedOn: string | null;
  applicantName: string;
  matchedMembers: number;
  memberCount: number;
}

export function listRechecks(query: { month?: string; page?: number; pageSize?: number } = {}) {
  return request<{ items: RecheckRun[]; total: number; notice: string }>('/api/rechecks', { query });
}

export function startRecheck(body: { month: string; scopeAgencyId?: number; mode?: RecheckMode }) {
  return request<RecheckRunSummary>('/api/rechecks', { method: 'POST', body });
}

export function getRecheck(
  id: number,
  query: { status?: RecheckItemStatus; changedOnly?: boolean; page?: number; pageSize?: number } = {},
) {
  return request<RecheckDetail>(`/api/rechecks/${id}`, { query });
}

export function listRecheckAlerts(
  query: {
    state?: AlertState;
    requesterOrganisationId?: number;
    runId?: number;
    page?: number;
    pageSize?: number;
  } = {},
) {
  return request<{ items: RecheckAlert[]; total: number; notice: string }>('/api/recheck-alerts', { query });
}

export function workRecheckAlert(id: number, work: AlertWork) {
  return request<RecheckAlert>(`/api/recheck-alerts/${id}/work`, { method: 'POST', body: work });
}

export function listAlertFamilyCases(id: number) {
  return request<{ alertId: number; familyKey: string; cases: AlertFamilyCase[]; notice: string }>(
    `/api/recheck-alerts/${id}/cases`,
  );
}

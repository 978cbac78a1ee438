import { downloadFile, request } from './client';

/** The monthly recheck report per requester (复核情况报告, issue #6 item 3): see docs/recheck.md and docs/api.md. */

export interface RecheckReport {
  id: number;
  runId: number;
  requesterOrganisationId: number;
  number: string;
  issuedOn: string;
  issuedAt: string;
  issuedByName: string | null;
  revoked: boolean;
}

export interface RunRequesterReport {
  requesterOrganisationId: number;
  requesterName: string;
  requesterRegionCode: string;
  familyCount: number;
  doneCount: number;
  skippedCount: number;
  failedCount: number;
  pendingCount: number;
  carriedCount: number;
  changedCount: number;
  report: RecheckReport | null;
}

export interface RunReports {
  run: { id: number; month: string; scopeName: string; state: 'running' | 'done' | 'failed' };
  requesters: RunRequesterReport[];
  notice: string;
}

export interface ListedRecheckReport extends RecheckReport {
  month: string;
  requesterName: string;
  agencyName: string;
}

export type RecheckReportFormat = 'pdf' | 'xlsx';

export function listRunReports(runId: number) {
  return request<RunReports>(`/api/rechecks/${runId}/reports`);
}

export function issueRecheckReport(runId: number, requesterId: number) {
  return request<{ report: RecheckReport; alreadyIssued: boolean }>(
    `/api/rechecks/${runId}/reports/${requesterId}/issue`,
    { method: 'POST' },
  );
}

export function downloadRecheckReport(
  runId: number,
  requesterId: number,
  format: RecheckReportFormat,
  fallbackName: string,
): Promise<string> {
  return downloadFile(`/api/rechecks/${runId}/reports/${requesterId}/download`, { format }, fallbackName);
}

export function listRecheckReports(query: { page?: number; pageSize?: number } = {}) {
  return request<{ items: ListedRecheckReport[]; total: number; notice: string }>('/api/recheck-reports', {
    query,
  });
}

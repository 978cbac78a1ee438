import { downloadFile, request } from './client';

/** What a bulk export names (issue #8 item 4): the server makes the file once a reviewer approved. */
export type ExportTarget =
  | { kind: 'dishonesty_records'; format: 'csv' | 'json' }
  | { kind: 'recheck_report_xlsx'; runId: number; requesterId: number }
  | { kind: 'case_archive'; caseId: number }
  | { kind: 'offline_exchange'; exchangeId: number };

export interface ExportRequest {
  id: number;
  kind: ExportTarget['kind'];
  kindLabel: string;
  target: string;
  reason: string;
  caseId: number | null;
  recheckRunId: number | null;
  requestedByName: string;
  requestedAt: string;
  state: 'pending' | 'approved' | 'refused' | 'downloaded';
  stateLabel: string;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  expiresAt: string | null;
  downloadedAt: string | null;
}

export function requestExport(target: ExportTarget, reason: string): Promise<ExportRequest> {
  return request('/api/exports', { method: 'POST', body: { target, reason } });
}

export function listExports(): Promise<{
  mine: ExportRequest[];
  toDecide: ExportRequest[];
  decided: ExportRequest[];
}> {
  return request('/api/exports');
}

export function approveExport(id: number, note?: string): Promise<ExportRequest> {
  return request(`/api/exports/${id}/approve`, { method: 'POST', body: note ? { note } : {} });
}

export function refuseExport(id: number, note: string): Promise<ExportRequest> {
  return request(`/api/exports/${id}/refuse`, { method: 'POST', body: { note } });
}

/** The one download of an approved export; the file carries the requester's watermark. */
export function downloadExport(id: number): Promise<string> {
  return downloadFile(`/api/exports/${id}/download`, undefined, `export-${id}`);
}

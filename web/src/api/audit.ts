import { request } from './client';
import type { AuditEntry, AuditVerifyResult } from './types';

/** The server's own list of audit actions (pure data, no imports), offered in the filter; unknown ones still display. */
export { AUDIT_ACTIONS } from '../../../src/domain/audit/actions.ts';

export interface AuditQuery {
  from?: string;
  to?: string;
  action?: string;
  actor?: string;
  caseId?: string;
  page: number;
  pageSize: number;
}

export interface AuditPage {
  items: AuditEntry[];
  total: number;
}

export function listAudit(query: AuditQuery): Promise<AuditPage> {
  return request<AuditPage>('/api/audit', { query: { ...query } });
}

export function verifyAudit(): Promise<AuditVerifyResult> {
  return request<AuditVerifyResult>('/api/audit/verify', { method: 'POST' });
}

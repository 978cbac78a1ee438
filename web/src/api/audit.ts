import { request } from './client';
import type { AuditEntry, AuditVerifyResult } from './types';

/** The server's audit actions (src/domain/audit/actions.ts), offered in the filter; unknown ones still display. */
export const AUDIT_ACTIONS = [
  'LOGIN',
  'LOGIN_FAILED',
  'LOGOUT',
  'ACCOUNT_LOCKED',
  'SESSION_EXPIRED',
  'PERMISSION_DENIED',
  'PASSWORD_CHANGED',
  'USER_CREATED',
  'USER_UPDATED',
  'USER_PASSWORD_RESET',
  'USER_UNLOCKED',
  'ORGANISATION_CREATED',
  'ORGANISATION_UPDATED',
  'REGION_CREATED',
  'CALENDAR_YEAR_SAVED',
  'AUDIT_LOG_VIEWED',
  'AUDIT_CHAIN_VERIFIED',
  'DEMO_CITY_LOADED',
  'BATCH_COMMITTED',
  'BATCH_REJECTED',
  'BATCH_DUPLICATE',
  'BATCH_RETRACTED',
  'API_KEY_CREATED',
  'API_KEY_REVOKED',
  'DELIVERY_RULE_UPDATED',
  'DELIVERY_OVERDUE_NOTIFIED',
  'NOTICE_READ',
  'KEYS_ROTATED',
  'POLICY_PROFILE_CREATED',
  'POLICY_VERSION_PUBLISHED',
] as const;

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

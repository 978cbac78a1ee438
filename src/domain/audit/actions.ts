/** Every audit action, in one place. */
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
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_OUTCOMES = ['success', 'denied', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

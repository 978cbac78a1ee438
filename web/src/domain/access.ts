import type { OrgKind, Role } from '../api/types';

export type MenuKey =
  | 'home'
  | 'my-data'
  | 'batches'
  | 'data-status'
  | 'data-quality'
  | 'calendar'
  | 'organisations'
  | 'users'
  | 'sessions'
  | 'api-keys'
  | 'delivery-rules'
  | 'retention'
  | 'jobs'
  | 'policy-profiles'
  | 'query-interfaces'
  | 'offline-exchange'
  | 'assessments'
  | 'cases'
  | 'escalations'
  | 'case-dashboard'
  | 'statistics'
  | 'roster'
  | 'rechecks'
  | 'recheck-alerts'
  | 'recheck-reports'
  | 'dishonesty'
  | 'exports'
  | 'webhooks'
  | 'audit';

/** Roles that may open each screen; `null` means every signed-in user. */
const SCREEN_ROLES: Record<MenuKey, readonly Role[] | null> = {
  home: null,
  'my-data': ['department_officer'],
  batches: ['department_officer', 'agency_staff', 'agency_reviewer'],
  'data-status': ['agency_staff', 'agency_reviewer'],
  'data-quality': ['agency_staff', 'agency_reviewer'],
  calendar: null,
  organisations: ['system_admin'],
  users: ['system_admin'],
  sessions: ['system_admin'],
  'api-keys': ['system_admin'],
  'delivery-rules': ['system_admin'],
  retention: ['system_admin'],
  jobs: ['system_admin'],
  'policy-profiles': ['agency_staff', 'agency_reviewer'],
  'query-interfaces': ['system_admin', 'agency_staff', 'agency_reviewer'],
  'offline-exchange': ['agency_staff', 'agency_reviewer', 'department_officer'],
  assessments: ['agency_staff', 'agency_reviewer'],
  cases: ['requester_staff', 'agency_staff', 'agency_reviewer'],
  escalations: ['agency_staff', 'agency_reviewer'],
  'case-dashboard': ['requester_staff', 'agency_staff', 'agency_reviewer'],
  statistics: ['agency_staff', 'agency_reviewer'],
  roster: ['requester_staff', 'agency_staff', 'agency_reviewer'],
  rechecks: ['agency_staff', 'agency_reviewer'],
  'recheck-alerts': ['agency_staff', 'agency_reviewer'],
  'recheck-reports': ['requester_staff'],
  dishonesty: ['agency_staff', 'agency_reviewer'],
  exports: ['requester_staff', 'agency_staff', 'agency_reviewer', 'department_officer'],
  webhooks: ['requester_staff'],
  audit: ['audit_officer'],
};

export function hasAnyRole(roles: readonly Role[], allowed: readonly Role[]): boolean {
  return roles.some((role) => allowed.includes(role));
}

export function canOpen(roles: readonly Role[], screen: MenuKey): boolean {
  const allowed = SCREEN_ROLES[screen];
  return allowed === null || hasAnyRole(roles, allowed);
}

export function canEditCalendar(roles: readonly Role[]): boolean {
  return roles.includes('system_admin');
}

/** Policy profiles: agency staff read them; only reviewers create profiles and publish versions. */
export function canPublishPolicy(roles: readonly Role[]): boolean {
  return roles.includes('agency_reviewer');
}

/** Query interfaces: administrators configure and test them; agency staff only see which are live. */
export function canManageQueryInterfaces(roles: readonly Role[]): boolean {
  return roles.includes('system_admin');
}

/** Only requester staff entrust cases (提交委托). */
export function canSubmitCases(roles: readonly Role[]): boolean {
  return roles.includes('requester_staff');
}

/** Which roles a user of each kind of organisation can hold. */
export const ROLES_BY_ORG_KIND: Record<OrgKind, readonly Role[]> = {
  agency: ['agency_staff', 'agency_reviewer'],
  requester: ['requester_staff'],
  department: ['department_officer'],
  admin: ['system_admin', 'audit_officer'],
};

/** Only the department that delivered a batch may retract it or download its error report. */
export function canManageBatches(roles: readonly Role[]): boolean {
  return roles.includes('department_officer');
}

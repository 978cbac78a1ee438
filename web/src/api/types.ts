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
  firstBroken: null | { seq: number; reason: string };
}

export interface Items<T> {
  items: T[];
}

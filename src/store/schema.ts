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
}

import { z } from 'zod';
import { ORGANISATION_KINDS, ROLES } from '../domain/access/roles.ts';

export const roleSchema = z.enum(ROLES);
export const organisationKindSchema = z.enum(ORGANISATION_KINDS);
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown(), requestId: z.string() }),
});

export const meSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  organisation: z.object({
    id: z.number(),
    name: z.string(),
    kind: organisationKindSchema,
    regionCode: z.string(),
    regionName: z.string(),
  }),
});

export const organisationSchema = z.object({
  id: z.number(),
  name: z.string(),
  kind: organisationKindSchema,
  regionCode: z.string(),
  regionName: z.string(),
  parentId: z.number().nullable(),
  departmentCode: z.string().nullable(),
  active: z.boolean(),
  userCount: z.number(),
});

export const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  organisationId: z.number(),
  organisationName: z.string(),
  roles: z.array(roleSchema),
  active: z.boolean(),
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  /** Whether the user has a confirmed TOTP second factor. */
  secondFactor: z.boolean(),
});

export const calendarDaySchema = z.object({
  date: isoDate,
  kind: z.enum(['holiday', 'workday']),
  name: z.string(),
});

export const calendarYearSchema = z.object({
  year: z.number(),
  source: z.string(),
  publishedOn: z.string().nullable(),
  days: z.array(calendarDaySchema),
});

export const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actorUserId: z.number().nullable(),
  actorName: z.string().nullable(),
  actorRoles: z.array(z.string()),
  organisationId: z.number().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  caseId: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

import { z } from 'zod';
import {
  createPolicyProfile,
  getPolicyProfile,
  listPolicyProfiles,
  publishPolicyVersion,
  resolvePolicyFor,
} from '../../app/policy/policy-profiles.ts';
import type { Deps } from '../../app/ports.ts';
import { TOLERANCE_CATEGORIES } from '../../domain/assessment/types.ts';
import { ASSISTANCE_TYPE_LABELS, ASSISTANCE_TYPES } from '../../domain/policy/assistance-types.ts';
import type { PolicyProfile, PolicyVersion } from '../../domain/policy/profile.ts';
import { allow } from '../access.ts';
import { idParam, isoDate } from '../schemas.ts';
import type { App } from '../types.ts';

const readers = allow('agency_staff', 'agency_reviewer');
const publishers = allow('agency_reviewer');

const assistanceTypeSchema = z.enum(ASSISTANCE_TYPES);
const toleranceSchema = z.object(
  Object.fromEntries(TOLERANCE_CATEGORIES.map((c) => [c, z.number()])) as Record<
    (typeof TOLERANCE_CATEGORIES)[number],
    z.ZodNumber
  >,
);

const versionSchema = z.object({
  version: z.number(),
  label: z.string(),
  windowMonths: z.number(),
  exemptSubsidyItems: z.array(z.string()),
  tolerances: toleranceSchema,
  seriousMultiple: z.number(),
  notes: z.string(),
  effectiveFrom: z.string(),
  publishedAt: z.string(),
  publishedBy: z.number().nullable(),
  publishedByName: z.string().nullable(),
});

const profileFields = {
  id: z.number(),
  regionCode: z.string(),
  assistanceType: assistanceTypeSchema,
  assistanceTypeName: z.string(),
  createdAt: z.string(),
};

const profileDetailSchema = z.object({ ...profileFields, versions: z.array(versionSchema) });
const regionCodeSchema = z.string().regex(/^\d{6}(\d{3})?$/, '行政区划代码应为 6 位或 9 位数字');

const policySchema = z.object({
  version: z.string(),
  windowMonths: z.number(),
  exemptSubsidyItems: z.array(z.string()),
  toleranceFen: toleranceSchema,
  seriousMultiple: z.number(),
});

function presentVersion(v: PolicyVersion): z.infer<typeof versionSchema> {
  return {
    version: v.version,
    label: v.label,
    windowMonths: v.windowMonths,
    exemptSubsidyItems: v.exemptSubsidyItems,
    tolerances: v.toleranceFen,
    seriousMultiple: v.seriousMultiple,
    notes: v.notes,
    effectiveFrom: v.effectiveFrom,
    publishedAt: v.publishedAt,
    publishedBy: v.publishedBy,
    publishedByName: v.publishedByName,
  };
}

function presentProfile(p: PolicyProfile) {
  return {
    id: p.id,
    regionCode: p.regionCode,
    assistanceType: p.assistanceType,
    assistanceTypeName: ASSISTANCE_TYPE_LABELS[p.assistanceType],
    createdAt: p.createdAt,
  };
}

export function policyRoutes(app: App, deps: Deps): void {
  app.get('/api/policy-profiles', {
    config: { access: readers },
    schema: {
      tags: ['policy'],
      summary: '本区域的政策配置（按区划与救助类型），各含最新版本',
      response: {
        200: z.object({
          items: z.array(z.object({ ...profileFields, latest: versionSchema.nullable() })),
        }),
      },
    },
    handler: async (request) => ({
      items: (await listPolicyProfiles(deps, request.actor)).map((p) => ({
        ...presentProfile(p),
        latest: p.latest ? presentVersion(p.latest) : null,
      })),
    }),
  });

  app.get('/api/policy-profiles/resolve', {
    config: { access: readers },
    schema: {
      tags: ['policy'],
      summary: '某区划、救助类型在某日适用的政策版本（就近向上级区划查找，否则为默认政策）',
      querystring: z.object({
        regionCode: regionCodeSchema,
        assistanceType: assistanceTypeSchema,
        date: isoDate,
      }),
      response: {
        200: z.object({
          source: z.enum(['profile', 'default']),
          regionCode: z.string().nullable(),
          profileId: z.number().nullable(),
          version: versionSchema.nullable(),
          policy: policySchema,
        }),
      },
    },
    handler: async (request) => {
      const resolved = await resolvePolicyFor(deps, request.query, request.actor);
      return {
        ...resolved,
        version: resolved.version ? presentVersion(resolved.version) : null,
        policy: {
          version: resolved.policy.version,
          windowMonths: resolved.policy.windowMonths,
          exemptSubsidyItems: [...resolved.policy.exemptSubsidyItems],
          toleranceFen: { ...resolved.policy.toleranceFen },
          seriousMultiple: resolved.policy.seriousMultiple,
        },
      };
    },
  });

  app.get('/api/policy-profiles/:id', {
    config: { access: readers },
    schema: {
      tags: ['policy'],
      summary: '政策配置及其全部已发布版本',
      params: idParam,
      response: { 200: z.object({ profile: profileDetailSchema }) },
    },
    handler: async (request) => {
      const profile = await getPolicyProfile(deps, request.params.id, request.actor);
      return { profile: { ...presentProfile(profile), versions: profile.versions.map(presentVersion) } };
    },
  });

  app.post('/api/policy-profiles', {
    config: { access: publishers },
    schema: {
      tags: ['policy'],
      summary: '新建某区划、某救助类型的政策配置（审核员）',
      body: z.object({ regionCode: regionCodeSchema, assistanceType: assistanceTypeSchema }),
      response: { 200: z.object({ profile: profileDetailSchema }) },
    },
    handler: async (request) => {
      const profile = await createPolicyProfile(deps, request.body, request.actor);
      return { profile: { ...presentProfile(profile), versions: [] } };
    },
  });

  app.post('/api/policy-profiles/:id/versions', {
    config: { access: publishers },
    schema: {
      tags: ['policy'],
      summary: '发布政策配置的新版本（已发布版本不可修改；审核员）',
      params: idParam,
      body: z.object({
        windowMonths: z.number().optional(),
        exemptSubsidyItems: z.array(z.string()).optional(),
        tolerances: z.record(z.string(), z.number()).optional(),
        seriousMultiple: z.number().optional(),
        notes: z.string().optional(),
        effectiveFrom: z.string(),
      }),
      response: { 200: z.object({ version: versionSchema }) },
    },
    handler: async (request) => {
      const version = await publishPolicyVersion(deps, request.params.id, request.body, request.actor);
      return { version: presentVersion(version) };
    },
  });
}

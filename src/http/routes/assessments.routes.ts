import { z } from 'zod';
import { compareAssessmentWith } from '../../app/assessment/compare.ts';
import { decideMatch } from '../../app/assessment/decide-match.ts';
import {
  getAssessment,
  listAssessments,
  rerunAssessment,
  runAssessment,
} from '../../app/assessment/run-assessment.ts';
import type { Deps } from '../../app/ports.ts';
import { householdRequestSchema } from '../../domain/assessment/household-request.ts';
import { allow } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';

/** Handlers and reviewers of the agency run and read assessments of their region (SPEC §1, §4). */
const agency = allow('agency_staff', 'agency_reviewer');

const metaSchema = z.object({
  id: z.number(),
  caseRef: z.string(),
  regionCode: z.string(),
  assistanceType: z.string(),
  policyVersionId: z.number().nullable(),
  policyLabel: z.string(),
  asOfDate: z.string(),
  mode: z.enum(['standing', 'recorded']),
  rerunOf: z.number().nullable(),
  batchIds: z.array(z.number()),
  memberCount: z.number(),
  summary: z.record(z.string(), z.number()),
  organisationId: z.number().nullable(),
  createdAt: z.string(),
  createdBy: z.number().nullable(),
  createdByName: z.string().nullable(),
});

const resultSchema = z
  .object({
    members: z.array(z.unknown()),
    assessment: z.unknown(),
    discrepancies: z.array(z.unknown()).nullable(),
    civilStatus: z.unknown(),
    links: z.array(z.unknown()),
    possibleMatches: z.array(z.unknown()),
    sources: z.unknown(),
    policy: z.unknown(),
    notice: z.string(),
  })
  .describe(
    '核对结果：成员（身份证号已遮蔽）、分类收入与资产及其每条证据（记录、批次、部门、数据截至日期）、与申报的差异、疑似匹配、使用的批次与政策版本。只陈述事实，不作认定。',
  );

const viewSchema = metaSchema.extend({ result: resultSchema });

const comparisonSchema = z.object({
  changes: z.array(
    z.object({
      memberId: z.string(),
      figure: z.string(),
      before: z.number().nullable(),
      after: z.number().nullable(),
    }),
  ),
  discrepanciesBefore: z.record(z.string(), z.number()),
  discrepanciesAfter: z.record(z.string(), z.number()),
  batchesAdded: z.array(z.number()),
  batchesRemoved: z.array(z.number()),
});

export function assessmentRoutes(app: App, deps: Deps): void {
  app.post('/api/assessments', {
    config: { access: agency },
    schema: {
      tags: ['assessment'],
      summary: '核对一户家庭：查找每名成员在各部门数据中的全部记录，计算回溯期内收入与资产并与申报比对',
      body: householdRequestSchema,
      response: { 200: z.object({ assessment: viewSchema }) },
    },
    handler: async (request) => ({ assessment: await runAssessment(deps, request.body, request.actor) }),
  });

  app.get('/api/assessments', {
    config: { access: agency },
    schema: {
      tags: ['assessment'],
      summary: '本区域的核对结果列表（不含个人信息）',
      querystring: z.object({
        caseRef: z.string().trim().min(1).optional(),
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(200).default(20),
      }),
      response: { 200: z.object({ items: z.array(metaSchema), total: z.number() }) },
    },
    handler: async (request) => listAssessments(deps, request.query, request.actor),
  });

  app.get('/api/assessments/:id', {
    config: { access: agency },
    schema: {
      tags: ['assessment'],
      summary: '一次核对的完整结果及证据（查看留痕）',
      params: idParam,
      response: { 200: z.object({ assessment: viewSchema }) },
    },
    handler: async (request) => ({
      assessment: await getAssessment(deps, request.params.id, request.actor),
    }),
  });

  app.post('/api/assessments/:id/rerun', {
    config: { access: agency },
    schema: {
      tags: ['assessment'],
      summary:
        '重新核对：recorded 使用原结果所用批次（结果可复现），standing 使用当前在用批次（显示新数据带来的变化）',
      params: idParam,
      body: z.object({ mode: z.enum(['recorded', 'standing']) }),
      response: { 200: z.object({ assessment: viewSchema, comparison: comparisonSchema.nullable() }) },
    },
    handler: async (request) => {
      const assessment = await rerunAssessment(deps, request.params.id, request.body.mode, request.actor);
      return { assessment, comparison: await compareAssessmentWith(deps, assessment, request.actor) };
    },
  });

  app.get('/api/assessments/:id/comparison', {
    config: { access: agency },
    schema: {
      tags: ['assessment'],
      summary: '重新核对的结果与原结果的差别',
      params: idParam,
      response: { 200: z.object({ comparison: comparisonSchema.nullable() }) },
    },
    handler: async (request) => {
      const assessment = await getAssessment(deps, request.params.id, request.actor);
      return { comparison: await compareAssessmentWith(deps, assessment, request.actor) };
    },
  });

  app.post('/api/assessments/:id/matches', {
    config: { access: agency },
    schema: {
      tags: ['assessment'],
      summary: '确认或排除一条疑似匹配记录（对本案件有效，留痕；重新核对后生效）',
      params: idParam,
      body: z.object({
        recordId: z.number().int().positive(),
        memberId: z.string().regex(/^m\d+$/),
        decision: z.enum(['confirmed', 'rejected']),
        reason: z.string().max(500),
      }),
      response: {
        200: z.object({
          decision: z.object({
            id: z.number(),
            recordId: z.number(),
            decision: z.enum(['confirmed', 'rejected']),
            reason: z.string(),
            decidedAt: z.string(),
            decidedByName: z.string().nullable(),
          }),
        }),
      },
    },
    handler: async (request) => {
      const saved = await decideMatch(deps, request.params.id, request.body, request.actor);
      const { id, recordId, decision, reason, decidedAt, decidedByName } = saved;
      return { decision: { id, recordId, decision, reason, decidedAt, decidedByName } };
    },
  });
}

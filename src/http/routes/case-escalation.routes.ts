import { z } from 'zod';
import {
  answerEscalation,
  decideEscalation,
  getEscalation,
  listEscalationQueue,
  proposeEscalation,
} from '../../app/cases/escalation.ts';
import type { Deps } from '../../app/ports.ts';
import { ESCALATION_STATES, MAX_ESCALATION_ITEMS } from '../../domain/cases/escalation.ts';
import { allow } from '../access.ts';
import { idParam, isoDate } from '../schemas.ts';
import type { App } from '../types.ts';

/**
 * Sub-requests to the agency above (庆阳细则第六条): the county's handler proposes, its reviewer approves, the
 * parent agency answers from its queue. Agency users only; which sub-request one may see is decided by the
 * use cases (the case's work group, or the addressee), anything else answers 404.
 */
const agency = allow('agency_staff', 'agency_reviewer');

const findingSchema = z.object({
  finding: z.string(),
  amountFen: z.number().nullable(),
  sourceDepartment: z.string(),
  sourceDataset: z.string(),
  dataAsOf: z.string(),
});

/** A sub-request as shown (exported for the case view's schema). */
export const escalationSchema = z.object({
  id: z.number(),
  caseId: z.number(),
  caseNumber: z.string(),
  state: z.enum(ESCALATION_STATES),
  stateLabel: z.string(),
  requestingOrganisationId: z.number(),
  requestingOrganisationName: z.string(),
  targetOrganisationId: z.number(),
  targetOrganisationName: z.string(),
  due: z.string(),
  calendarVersion: z.string(),
  workdaysLeft: z.number().nullable(),
  reason: z.string(),
  proposedByName: z.string().nullable(),
  proposedAt: z.string(),
  approvedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  answeredByName: z.string().nullable(),
  answeredAt: z.string().nullable(),
  items: z.array(
    z.object({
      index: z.number(),
      memberIndex: z.number(),
      name: z.string(),
      idNumber: z.string().nullable(),
      idNumberMasked: z.string(),
      relation: z.string(),
      dataItem: z.string(),
      finding: findingSchema.nullable(),
    }),
  ),
});

const escalationParams = z.object({
  id: z.coerce.number().int().positive(),
  eid: z.coerce.number().int().positive(),
});
const eidParam = z.object({ eid: z.coerce.number().int().positive() });
const okSchema = z.object({ id: z.number(), state: z.enum(ESCALATION_STATES) });

export function caseEscalationRoutes(app: App, deps: Deps): void {
  app.post('/api/cases/:id/escalations', {
    config: { access: agency },
    schema: {
      tags: ['cases'],
      summary: '经办人提请上级核对机构协助核对（本级无法核对的成员及数据项目、理由），送审核人审批',
      params: idParam,
      body: z.object({
        reason: z.string().max(2000),
        items: z
          .array(z.object({ memberIndex: z.number().int().min(0), dataItem: z.string().max(50) }))
          .max(MAX_ESCALATION_ITEMS),
      }),
      response: { 200: okSchema },
    },
    handler: async (request) => {
      const row = await proposeEscalation(deps, request.params.id, request.body, request.actor);
      return { id: row.id, state: row.state };
    },
  });

  for (const [path, approve, summary] of [
    ['approve', true, '本案审核人批准提请（不得审批本人提请的事项），子请求报送上级核对机构'],
    ['reject', false, '本案审核人不同意提请（写明理由）'],
  ] as const)
    app.post(`/api/cases/:id/escalations/:eid/${path}`, {
      config: { access: agency },
      schema: {
        tags: ['cases'],
        summary,
        params: escalationParams,
        body: z.object({ reason: z.string().max(2000).optional() }).default({}),
        response: { 200: okSchema },
      },
      handler: async (request) => {
        const { id, eid } = request.params;
        const input = {
          approve,
          ...(request.body.reason !== undefined ? { reason: request.body.reason } : {}),
        };
        const row = await decideEscalation(deps, id, eid, input, request.actor);
        return { id: row.id, state: row.state };
      },
    });

  app.get('/api/escalations', {
    config: { access: agency },
    schema: {
      tags: ['cases'],
      summary: '上级核对机构的协助核对队列：报送本机构的子请求（成员姓名、身份证号遮蔽）',
      querystring: z.object({
        state: z.enum(['approved', 'answered']).optional(),
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(200).default(20),
      }),
      response: { 200: z.object({ items: z.array(escalationSchema), total: z.number() }) },
    },
    handler: async (request) => {
      const { state, offset, limit } = request.query;
      return listEscalationQueue(
        deps,
        { ...(state !== undefined ? { state } : {}), offset, limit },
        request.actor,
      );
    },
  });

  app.get('/api/escalations/:eid', {
    config: { access: agency },
    schema: {
      tags: ['cases'],
      summary: '子请求详情（上级核对机构）：所列成员的完整身份证号，查看留痕并关联案件',
      params: eidParam,
      response: { 200: z.object({ escalation: escalationSchema }) },
    },
    handler: async (request) => ({
      escalation: await getEscalation(deps, request.params.eid, request.actor),
    }),
  });

  app.post('/api/escalations/:eid/answer', {
    config: { access: agency },
    schema: {
      tags: ['cases'],
      summary: '上级核对机构逐项答复：核对结果、金额（分）、数据来源部门与数据名称、数据截止日期',
      params: eidParam,
      body: z.object({
        findings: z
          .array(
            z.object({
              itemIndex: z.number().int().min(0),
              finding: z.string().max(2000),
              amountFen: z.number().int().min(0).nullable().default(null),
              sourceDepartment: z.string().max(100),
              sourceDataset: z.string().max(100),
              dataAsOf: isoDate,
            }),
          )
          .max(MAX_ESCALATION_ITEMS),
      }),
      response: { 200: z.object({ escalation: escalationSchema }) },
    },
    handler: async (request) => {
      await answerEscalation(deps, request.params.eid, request.body.findings, request.actor);
      return { escalation: await getEscalation(deps, request.params.eid, request.actor) };
    },
  });
}

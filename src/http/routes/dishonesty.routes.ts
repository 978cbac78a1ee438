import { z } from 'zod';
import {
  approveDishonestyRecord,
  rejectDishonestyRecord,
  revokeDishonestyRecord,
} from '../../app/dishonesty/decide-dishonesty.ts';
import { getDishonestyRecord, listDishonestyRecords } from '../../app/dishonesty/dishonesty-view.ts';
import { draftDishonestyRecord } from '../../app/dishonesty/draft-dishonesty.ts';
import type { Actor, Deps } from '../../app/ports.ts';
import { DISHONESTY_SOURCES, DISHONESTY_STATES } from '../../domain/dishonesty/records.ts';
import { allow } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';

/**
 * Dishonesty records (庆阳细则第二十四条, docs/dishonesty.md): agency staff draft from a suspended case, agency
 * reviewers approve (never their own draft), reject or revoke on appeal; agency users list, read and export within
 * their region; the requester of the case reads its records. The use cases check scope and four eyes.
 */
const readers = allow('requester_staff', 'agency_staff', 'agency_reviewer');
const agency = allow('agency_staff', 'agency_reviewer');
const reviewers = allow('agency_reviewer');

const subjectSchema = z.object({ name: z.string(), idNumberMasked: z.string(), relation: z.string() });
const summaryFields = {
  id: z.number(),
  number: z.string(),
  state: z.enum(DISHONESTY_STATES),
  stateLabel: z.string(),
  sourceKind: z.enum(DISHONESTY_SOURCES),
  sourceLabel: z.string(),
  caseId: z.number().nullable(),
  caseNumber: z.string().nullable(),
  regionCode: z.string(),
  subjects: z.array(subjectSchema),
  draftedAt: z.string(),
  approvedOn: z.string().nullable(),
  revokedAt: z.string().nullable(),
};
const detailSchema = z.object({
  ...summaryFields,
  concealed: z.string(),
  evidence: z.array(z.string()),
  legalBasis: z.string(),
  draftedBy: z.number(),
  draftedByName: z.string().nullable(),
  approvedByName: z.string().nullable(),
  approvedAt: z.string().nullable(),
  rejectedByName: z.string().nullable(),
  rejectedAt: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  revokedByName: z.string().nullable(),
  revocationReason: z.string().nullable(),
  notice: z.object({ id: z.number(), number: z.string(), shortCode: z.string() }).nullable(),
});
const recordResponse = { 200: z.object({ record: detailSchema }) };
const reasonBody = z.object({ reason: z.string().max(4000) });

async function detail(deps: Deps, id: number, actor: Actor) {
  return { record: await getDishonestyRecord(deps, id, actor) };
}

export function dishonestyRoutes(app: App, deps: Deps): void {
  app.get('/api/dishonesty-records', {
    config: { access: readers },
    schema: {
      tags: ['dishonesty'],
      summary:
        '失信记录列表：核对机构看本区域，委托单位看本单位案件的记录；姓名、身份证号遮蔽（按身份证号查询留痕）',
      querystring: z.object({
        state: z.enum(DISHONESTY_STATES).optional(),
        caseId: z.coerce.number().int().positive().optional(),
        idNumber: z.string().max(20).optional(),
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(200).default(20),
      }),
      response: { 200: z.object({ items: z.array(z.object(summaryFields)), total: z.number() }) },
    },
    handler: async (request) => {
      const { state, caseId, idNumber, offset, limit } = request.query;
      return listDishonestyRecords(
        deps,
        {
          ...(state !== undefined ? { state } : {}),
          ...(caseId !== undefined ? { caseId } : {}),
          ...(idNumber !== undefined ? { idNumber } : {}),
          offset,
          limit,
        },
        request.actor,
      );
    },
  });

  app.get('/api/dishonesty-records/:id', {
    config: { access: readers },
    schema: {
      tags: ['dishonesty'],
      summary: '失信记录详情：当事人姓名、失信事实、证据、法律依据、审批与撤销经过（查看留痕）',
      params: idParam,
      response: recordResponse,
    },
    handler: async (request) => detail(deps, request.params.id, request.actor),
  });

  app.post('/api/cases/:id/dishonesty-records', {
    config: { access: agency },
    schema: {
      tags: ['dishonesty'],
      summary: '核对机构人员从已中止的案件登记失信记录草稿（写明隐瞒事实、证据，选择当事人；默认申请人本人）',
      params: idParam,
      body: z.object({
        concealed: z.string().max(4000),
        evidence: z.array(z.string().max(500)).max(50).default([]),
        memberIndexes: z.array(z.number().int().min(0)).min(1).max(50).optional(),
      }),
      response: recordResponse,
    },
    handler: async (request) => {
      const record = await draftDishonestyRecord(deps, request.params.id, request.body, request.actor);
      return detail(deps, record.id, request.actor);
    },
  });

  const decision = (
    path: string,
    summary: string,
    run: (id: number, reason: string, actor: Actor) => Promise<unknown>,
  ) =>
    app.post(path, {
      config: { access: reviewers },
      schema: { tags: ['dishonesty'], summary, params: idParam, body: reasonBody, response: recordResponse },
      handler: async (request) => {
        await run(request.params.id, request.body.reason, request.actor);
        return detail(deps, request.params.id, request.actor);
      },
    });

  app.post('/api/dishonesty-records/:id/approve', {
    config: { access: reviewers },
    schema: {
      tags: ['dishonesty'],
      summary: '审核员批准失信记录（不得审批本人登记的记录），向委托单位出具失信信息告知书',
      params: idParam,
      body: z.object({}),
      response: recordResponse,
    },
    handler: async (request) => {
      await approveDishonestyRecord(deps, request.params.id, request.actor);
      return detail(deps, request.params.id, request.actor);
    },
  });
  decision('/api/dishonesty-records/:id/reject', '审核员不予登记（写明理由）', (id, reason, actor) =>
    rejectDishonestyRecord(deps, id, reason, actor),
  );
  decision(
    '/api/dishonesty-records/:id/revoke',
    '申诉后审核员撤销已生效的失信记录（写明理由）；记录保留为已撤销，不再导出，告知书核验显示已撤销',
    (id, reason, actor) => revokeDishonestyRecord(deps, id, reason, actor),
  );
}

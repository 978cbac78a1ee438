import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { acceptCase, resubmitCase, returnCase, workGroupCandidates } from '../../app/cases/acceptance.ts';
import { addAttachment } from '../../app/cases/attachments.ts';
import { getCase, listCases } from '../../app/cases/case-view.ts';
import { answerForceMajeure, decideForceMajeure, reportForceMajeure } from '../../app/cases/force-majeure.ts';
import { submitCase } from '../../app/cases/submit-case.ts';
import {
  approveReport,
  assignReview,
  decideExtension,
  decideSuspension,
  fileAppeal,
  requestExtension,
  requestSuspension,
  sendBackReport,
  submitReport,
} from '../../app/cases/verification-steps.ts';
import { downloadDocument, verifyDocument } from '../../app/cases/verify-document.ts';
import type { Actor, Deps } from '../../app/ports.ts';
import { ATTACHMENT_KINDS, MAX_ATTACHMENT_BYTES } from '../../domain/cases/attachments.ts';
import { SUSPENSION_GROUNDS, type SuspensionGround } from '../../domain/cases/documents.ts';
import { CASE_STATES, PENDING_REQUEST_KINDS } from '../../domain/cases/workflow.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { allow, publicAccess } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';
import { escalationSchema } from './case-escalation.routes.ts';

/** Requesters entrust and follow their cases; the agency of the region accepts and works them (SPEC §5). */
const caseUsers = allow('requester_staff', 'agency_staff', 'agency_reviewer');
const requesters = allow('requester_staff');
const agency = allow('agency_staff', 'agency_reviewer');

const deadlineSchema = z.object({
  kind: z.enum(['acceptance', 'report', 'ceiling', 'appeal', 'review', 'escalation']),
  due: z.string(),
  workdaysLeft: z.number().nullable(),
});

const summaryFields = {
  id: z.number(),
  number: z.string(),
  state: z.enum(CASE_STATES),
  stateLabel: z.string(),
  regionCode: z.string(),
  assistanceType: z.string(),
  requesterOrganisationId: z.number(),
  applicant: z.string(),
  memberCount: z.number(),
  receivedOn: z.string(),
  acceptedOn: z.string().nullable(),
  reportDue: z.string().nullable(),
  handlerId: z.number().nullable(),
  reviewerId: z.number().nullable(),
  extensionWorkdays: z.number(),
  pendingRequest: z.enum(PENDING_REQUEST_KINDS).nullable(),
  deadlines: z.array(deadlineSchema),
};
const summarySchema = z.object(summaryFields);

const detailSchema = z.object({
  ...summaryFields,
  ceilingDate: z.string().nullable(),
  forceMajeureWorkdays: z.number(),
  acceptanceDue: z.string(),
  calendarVersion: z.string(),
  assessmentId: z.number().nullable(),
  members: z.array(
    z.object({
      index: z.number(),
      name: z.string(),
      idNumberMasked: z.string(),
      relation: z.string(),
      coResiding: z.boolean(),
      exclusion: z.string().nullable(),
      declaredIncome: z.record(z.string(), z.number()).nullable(),
    }),
  ),
  declaredAssets: z.record(z.string(), z.unknown()).nullable(),
  missingAuthorizations: z.array(z.number()),
  attachments: z.array(
    z.object({
      id: z.number(),
      kind: z.enum(ATTACHMENT_KINDS),
      memberIndex: z.number().nullable(),
      fileName: z.string(),
      mediaType: z.string(),
      bytes: z.number(),
      sm3: z.string(),
      uploadedAt: z.string(),
    }),
  ),
  events: z.array(
    z.object({
      id: z.number(),
      at: z.string(),
      actorName: z.string().nullable(),
      step: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
  documents: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      number: z.string(),
      shortCode: z.string(),
      issuedAt: z.string(),
    }),
  ),
  /** Sub-requests to the agency above, for the requesting agency's staff only (empty for anyone else). */
  escalations: z.array(escalationSchema),
});

/** A case attachment's multipart upload (kind, memberIndex, file), for the web and the integration API alike. */
export async function readAttachmentUpload(request: FastifyRequest) {
  const fields: Record<string, string> = {};
  let file: { name: string; bytes: Buffer } | null = null;
  for await (const part of request.parts({ limits: { fileSize: MAX_ATTACHMENT_BYTES + 1, files: 1 } })) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer().catch((e: unknown) => {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError('FILE_TOO_LARGE', `文件超过 ${MAX_ATTACHMENT_BYTES / 1048576} MB`);
        throw e;
      });
      file = { name: part.filename, bytes };
    } else fields[part.fieldname] = String(part.value);
  }
  if (file === null) throw new AppError('VALIDATION_FAILED', '请选择要上传的文件');
  const kind = ATTACHMENT_KINDS.find((k) => k === fields.kind);
  if (kind === undefined) throw new AppError('VALIDATION_FAILED', '材料类型无效');
  const memberIndex =
    fields.memberIndex === undefined || fields.memberIndex === '' ? null : Number(fields.memberIndex);
  return { kind, memberIndex, fileName: file.name, bytes: file.bytes };
}

/** A case document's PDF as an audited attachment download (web and integration API). */
export async function replyWithCaseDocument(
  deps: Deps,
  reply: FastifyReply,
  ids: { id: number; documentId: number },
  actor: Actor,
): Promise<FastifyReply> {
  const { document, pdf } = await downloadDocument(deps, ids.id, ids.documentId, actor);
  return reply
    .header('content-type', 'application/pdf')
    .header('cache-control', 'no-store')
    .header(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(`${document.number}.pdf`)}`,
    )
    .send(pdf);
}

async function caseDetail(deps: Deps, id: number, actor: Parameters<typeof getCase>[2]) {
  return { case: await getCase(deps, id, actor) };
}

export function caseRoutes(app: App, deps: Deps): void {
  app.post('/api/cases', {
    config: { access: requesters },
    schema: {
      tags: ['cases'],
      summary: '提交核对委托（委托单位）：救助类型、全部家庭成员及申报情况；材料随后上传',
      body: z.object({
        assistanceType: z.string(),
        members: z.array(z.unknown()),
        declaredAssets: z.unknown().optional(),
      }),
      response: { 200: z.object({ case: detailSchema }) },
    },
    handler: async (request) => {
      const kase = await submitCase(deps, request.body, request.actor);
      return caseDetail(deps, kase.id, request.actor);
    },
  });

  app.get('/api/cases', {
    config: { access: caseUsers },
    schema: {
      tags: ['cases'],
      summary: '案件列表：核对机构看本区域，委托单位看本单位的委托；申请人姓名遮蔽',
      querystring: z.object({
        state: z.enum(CASE_STATES).optional(),
        mine: z.coerce.boolean().optional(),
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(200).default(20),
      }),
      response: { 200: z.object({ items: z.array(summarySchema), total: z.number() }) },
    },
    handler: async (request) => {
      const { state, mine, offset, limit } = request.query;
      return listCases(
        deps,
        { ...(state !== undefined ? { states: [state] } : {}), mine: mine === true, offset, limit },
        request.actor,
      );
    },
  });

  app.get('/api/cases/:id', {
    config: { access: caseUsers },
    schema: {
      tags: ['cases'],
      summary: '案件详情：期限（剩余工作日）、成员（身份证号遮蔽）、材料、全部办理记录（查看留痕）',
      params: idParam,
      response: { 200: z.object({ case: detailSchema }) },
    },
    handler: async (request) => caseDetail(deps, request.params.id, request.actor),
  });

  app.post('/api/cases/:id/attachments', {
    config: { access: requesters },
    bodyLimit: MAX_ATTACHMENT_BYTES + 1024 * 1024,
    schema: {
      tags: ['cases'],
      summary:
        '上传案件材料（multipart：kind、memberIndex、file）：PDF/JPEG/PNG，按内容识别，10 MB 以内；授权书一事一授权',
      params: idParam,
      consumes: ['multipart/form-data'],
      response: { 200: z.object({ case: detailSchema }) },
    },
    handler: async (request) => {
      await addAttachment(deps, request.params.id, await readAttachmentUpload(request), request.actor);
      return caseDetail(deps, request.params.id, request.actor);
    },
  });

  app.post('/api/cases/:id/accept', {
    config: { access: agency },
    schema: {
      tags: ['cases'],
      summary: '受理并指定工作组（经办人与审核人须为不同的人）；须每名成员均已提交授权书',
      params: idParam,
      body: z.object({ handlerId: z.number().int().positive(), reviewerId: z.number().int().positive() }),
      response: { 200: z.object({ case: detailSchema }) },
    },
    handler: async (request) => {
      await acceptCase(deps, request.params.id, request.body, request.actor);
      return caseDetail(deps, request.params.id, request.actor);
    },
  });

  app.get('/api/cases/:id/work-group-candidates', {
    config: { access: agency },
    schema: {
      tags: ['cases'],
      summary: '可组成本案工作组的核对机构人员（经办人；审核人须具审核员角色）',
      params: idParam,
      response: {
        200: z.object({
          items: z.array(
            z.object({
              id: z.number(),
              displayName: z.string(),
              organisationName: z.string(),
              canHandle: z.boolean(),
              canReview: z.boolean(),
              originalHandler: z.boolean(),
            }),
          ),
        }),
      },
    },
    handler: async (request) => ({
      items: await workGroupCandidates(deps, request.params.id, request.actor),
    }),
  });

  app.post('/api/cases/:id/return', {
    config: { access: agency },
    schema: {
      tags: ['cases'],
      summary: '退回补正（写明理由）',
      params: idParam,
      body: z.object({ reasons: z.array(z.string().max(500)).min(1).max(20) }),
      response: { 200: z.object({ case: detailSchema }) },
    },
    handler: async (request) => {
      await returnCase(deps, request.params.id, request.body.reasons, request.actor);
      return caseDetail(deps, request.params.id, request.actor);
    },
  });

  app.get('/api/cases/:id/documents/:documentId', {
    config: { access: caseUsers },
    schema: {
      tags: ['cases'],
      summary: '下载案件文书（PDF；下载留痕）',
      params: z.object({
        id: z.coerce.number().int().positive(),
        documentId: z.coerce.number().int().positive(),
      }),
    },
    handler: (request, reply) => replyWithCaseDocument(deps, reply, request.params, request.actor),
  });

  app.get('/api/public/documents/verify', {
    config: { access: publicAccess },
    schema: {
      tags: ['cases'],
      summary: '公开核验文书真伪：输入文书上的核验码，只回答是否有效（及文书编号、日期），不显示内容',
      querystring: z.object({ code: z.string().max(40) }),
      response: {
        200: z.object({
          valid: z.boolean(),
          documentNumber: z.string().optional(),
          issuedOn: z.string().optional(),
          revoked: z.boolean().optional(),
        }),
      },
    },
    handler: async (request) => verifyDocument(deps, request.query.code),
  });

  app.post('/api/cases/:id/resubmit', {
    config: { access: requesters },
    schema: {
      tags: ['cases'],
      summary: '补正后重新提交（重新计算受理期限）',
      params: idParam,
      response: { 200: z.object({ case: detailSchema }) },
    },
    handler: async (request) => {
      await resubmitCase(deps, request.params.id, request.actor);
      return caseDetail(deps, request.params.id, request.actor);
    },
  });

  const step = (
    path: string,
    access: typeof agency,
    summary: string,
    body: z.ZodType,
    run: (id: number, body: never, actor: Parameters<typeof getCase>[2]) => Promise<unknown>,
  ) =>
    app.post(path, {
      config: { access },
      schema: {
        tags: ['cases'],
        summary,
        params: idParam,
        body,
        response: { 200: z.object({ case: detailSchema }) },
      },
      handler: async (request) => {
        await run(request.params.id, request.body as never, request.actor);
        return caseDetail(deps, request.params.id, request.actor);
      },
    });

  step(
    '/api/cases/:id/report/submit',
    agency,
    '经办人提交核对报告（以本案最近一次核对结果为据）送审核人审批',
    z.object({ remarks: z.string().max(2000).default('') }),
    (id, body: { remarks: string }, actor) => submitReport(deps, id, body.remarks, actor),
  );
  step(
    '/api/cases/:id/report/approve',
    agency,
    '审核人批准并出具核对报告（不得审批本人经办的案件）；申诉期自出具之日起算',
    z.object({}),
    (id, _body, actor) => approveReport(deps, id, actor),
  );
  step(
    '/api/cases/:id/report/send-back',
    agency,
    '审核人退回报告修改（写明理由）',
    z.object({ reasons: z.string().max(2000) }),
    (id, body: { reasons: string }, actor) => sendBackReport(deps, id, body.reasons, actor),
  );
  step(
    '/api/cases/:id/extension',
    agency,
    '经办人申请延期（1–5 个工作日，总期限不超过受理后 20 个工作日）',
    z.object({ workdays: z.number().int(), reason: z.string().max(2000) }),
    (id, body: { workdays: number; reason: string }, actor) => requestExtension(deps, id, body, actor),
  );
  step(
    '/api/cases/:id/extension/decision',
    agency,
    '审核人同意（出具延期告知书）或不同意延期申请',
    z.object({ approve: z.boolean(), reason: z.string().max(2000).optional() }),
    (id, body: { approve: boolean; reason?: string }, actor) => decideExtension(deps, id, body, actor),
  );
  step(
    '/api/cases/:id/appeal',
    requesters,
    '委托单位代核对对象提出申诉（收到报告之日起 5 个工作日内）',
    z.object({ reason: z.string().max(4000) }),
    (id, body: { reason: string }, actor) => fileAppeal(deps, id, body.reason, actor),
  );
  step(
    '/api/cases/:id/suspension',
    agency,
    '经办人提出中止（隐瞒或提供虚假材料、拒不配合、救助项目规定），写明理由，送审核人审批',
    z.object({
      grounds: z.array(z.enum(SUSPENSION_GROUNDS)).min(1),
      reason: z.string().max(4000),
      programmeRule: z.string().max(1000).optional(),
    }),
    (id, body: { grounds: SuspensionGround[]; reason: string; programmeRule?: string }, actor) =>
      requestSuspension(deps, id, body, actor),
  );
  step(
    '/api/cases/:id/suspension/decision',
    agency,
    '审核人同意中止（案件退回委托单位并出具中止通知书）或不同意',
    z.object({ approve: z.boolean(), reason: z.string().max(2000).optional() }),
    (id, body: { approve: boolean; reason?: string }, actor) => decideSuspension(deps, id, body, actor),
  );
  step(
    '/api/cases/:id/force-majeure',
    agency,
    '经办人报告不可抗力（第十七条第二款），写明情况，送审核人审批后告知委托单位',
    z.object({ event: z.string().max(4000) }),
    (id, body: { event: string }, actor) => reportForceMajeure(deps, id, body, actor),
  );
  step(
    '/api/cases/:id/force-majeure/decision',
    agency,
    '审核人同意（出具不可抗力告知书，请委托单位选择延长或终止）或不同意',
    z.object({ approve: z.boolean(), reason: z.string().max(2000).optional() }),
    (id, body: { approve: boolean; reason?: string }, actor) => decideForceMajeure(deps, id, body, actor),
  );
  step(
    '/api/cases/:id/force-majeure/answer',
    requesters,
    '委托单位收到不可抗力告知书后要求延长核对时间（1–20 个工作日，出具延期告知书）或终止核对（出具终止通知书）',
    z.discriminatedUnion('choice', [
      z.object({ choice: z.literal('extend'), workdays: z.number().int(), reason: z.string().max(2000) }),
      z.object({ choice: z.literal('terminate'), reason: z.string().max(2000) }),
    ]),
    (id, body: Parameters<typeof answerForceMajeure>[2], actor) => answerForceMajeure(deps, id, body, actor),
  );
  step(
    '/api/cases/:id/review/assign',
    agency,
    '申诉后指定复核工作组（不得包括原经办人）',
    z.object({ handlerId: z.number().int().positive(), reviewerId: z.number().int().positive() }),
    (id, body: { handlerId: number; reviewerId: number }, actor) => assignReview(deps, id, body, actor),
  );
}

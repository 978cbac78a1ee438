import { join } from 'node:path';
import { z } from 'zod';
import { resubmitCase } from '../../app/cases/acceptance.ts';
import { addAttachment } from '../../app/cases/attachments.ts';
import { listOfflineExchanges } from '../../app/exchange/list-offline-exchanges.ts';
import { getEntrustment, listEntrustments, submitEntrustment } from '../../app/integration/entrustments.ts';
import { issueClientToken, OAuthError } from '../../app/integration/machine-clients.ts';
import type { Deps } from '../../app/ports.ts';
import { ATTACHMENT_KINDS, MAX_ATTACHMENT_BYTES } from '../../domain/cases/attachments.ts';
import { CASE_STATES, PENDING_REQUEST_KINDS } from '../../domain/cases/workflow.ts';
import { allowWithApiKey, publicAccess } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';
import { readAttachmentUpload, replyWithCaseDocument } from './cases.routes.ts';
import {
  answerResultSchema,
  exchangeSchema,
  presentExchange,
  receiveExchangeAnswer,
} from './exchange.routes.ts';

/**
 * The integration API (`/api/v1`, docs/integration.md): requesters' systems entrust cases, upload their documents,
 * follow them and fetch the PDFs; departments' systems answer offline exchanges. Every route reuses the web's use
 * cases (and their audit); machine clients authenticate with an API key or an OAuth2 token (client credentials).
 */

const TAG = 'integration-v1';
const writeEntrustments = allowWithApiKey('entrustments:write', 'requester_staff');
const readEntrustments = allowWithApiKey('entrustments:read', 'requester_staff');
const readDocuments = allowWithApiKey('documents:read', 'requester_staff');
const answerExchanges = allowWithApiKey('exchanges:write', 'department_officer');

const deadlineSchema = z.object({
  kind: z.enum(['acceptance', 'report', 'ceiling', 'appeal', 'review', 'escalation']),
  due: z.string().describe('到期日（YYYY-MM-DD，按工作日历计算）'),
  workdaysLeft: z.number().nullable().describe('剩余工作日'),
});

const summaryFields = {
  id: z.number().describe('委托（案件）标识'),
  number: z.string().describe('核对编号'),
  externalRef: z.string().nullable().describe('委托单位系统自己的业务编号'),
  state: z.enum(CASE_STATES),
  stateLabel: z.string().describe('状态的中文名称'),
  assistanceType: z.string(),
  memberCount: z.number(),
  receivedOn: z.string(),
  acceptedOn: z.string().nullable(),
  reportDue: z.string().nullable(),
  pendingRequest: z.enum(PENDING_REQUEST_KINDS).nullable(),
  deadlines: z.array(deadlineSchema),
  updatedAt: z.string().describe('最近变化时间（UTC），可作为下次 updatedSince'),
};

const entrustmentSchema = z.object({
  ...summaryFields,
  acceptanceDue: z.string(),
  ceilingDate: z.string().nullable(),
  missingAuthorizations: z.array(z.number()).describe('尚缺授权书的成员序号（从 0 起）'),
  attachments: z.array(
    z.object({
      id: z.number(),
      kind: z.enum(ATTACHMENT_KINDS),
      memberIndex: z.number().nullable(),
      fileName: z.string(),
      bytes: z.number(),
      sm3: z.string(),
      uploadedAt: z.string(),
    }),
  ),
  documents: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      kindLabel: z.string().describe('文书种类：受理回执、告知书、核对报告等'),
      number: z.string().describe('文书编号'),
      issuedAt: z.string(),
      downloadPath: z.string().describe('下载地址（GET，PDF）'),
    }),
  ),
});
const entrustmentBody = z.object({ entrustment: entrustmentSchema });
const caseParams = z.object({ id: z.coerce.number().int().positive().describe('委托（案件）标识') });

const tokenBody = z.object({
  grant_type: z.string().optional().describe('固定为 client_credentials'),
  client_id: z.string().optional().describe('API 密钥的前缀（hd_ 之后的 8 个字符）'),
  client_secret: z.string().optional().describe('完整的 API 密钥'),
  scope: z.string().optional().describe('以空格分隔的权限范围，缺省为密钥的全部范围'),
});

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1: each part form-urlencoded), if sent. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const part = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: part(decoded.slice(0, colon)), secret: part(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

export async function v1Routes(app: App, deps: Deps, options: { filesDir: string }): Promise<void> {
  // The token endpoint takes the form encoding of RFC 6749 (§4.4.2) as well as JSON; only inside this plugin.
  await app.register(async (v1) => {
    v1.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8192 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const api = v1.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>() as App;

    api.post('/api/v1/oauth/token', {
      config: { access: publicAccess, csrfExempt: true },
      attachValidation: true,
      schema: {
        tags: [TAG],
        operationId: 'issueAccessToken',
        summary: '获取访问令牌（OAuth2 客户端凭据模式，RFC 6749 §4.4）',
        description:
          'client_id 为 API 密钥前缀，client_secret 为完整密钥，也可用 HTTP Basic 认证传送；请求体可为表单或 JSON。令牌 1 小时内有效，密钥吊销后立即失效。错误按 RFC 6749 §5.2 返回 {error, error_description}。',
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        body: tokenBody,
        response: {
          200: z.object({
            access_token: z.string(),
            token_type: z.literal('Bearer'),
            expires_in: z.number(),
            scope: z.string(),
          }),
          400: z.object({ error: z.string(), error_description: z.string() }),
          401: z.object({ error: z.string(), error_description: z.string() }),
        },
      },
      handler: async (request, reply) => {
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        if (request.validationError)
          return reply.status(400).send({ error: 'invalid_request', error_description: '请求格式错误' });
        const body = (request.body ?? {}) as z.infer<typeof tokenBody>;
        const basic = basicCredentials(request.headers.authorization);
        try {
          return await issueClientToken(
            deps,
            {
              grantType: body.grant_type,
              clientId: basic?.id ?? body.client_id,
              clientSecret: basic?.secret ?? body.client_secret,
              scope: body.scope,
            },
            { ip: request.ip ?? null, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null },
          );
        } catch (error) {
          if (!(error instanceof OAuthError)) throw error;
          if (error.error === 'invalid_client') {
            if (basic) reply.header('www-authenticate', 'Basic realm="hedui"');
            return reply.status(401).send({ error: error.error, error_description: error.description });
          }
          return reply.status(400).send({ error: error.error, error_description: error.description });
        }
      },
    });
  });

  app.post('/api/v1/entrustments', {
    config: { access: writeEntrustments },
    schema: {
      tags: [TAG],
      operationId: 'submitEntrustment',
      summary: '提交核对委托：救助类型、全部家庭成员及申报情况（与网页端相同的校验）',
      description:
        '幂等：同一 Idempotency-Key 标头或同一 externalRef 的重试返回第一次创建的委托（200，replayed=true），不会重复委托。材料随后上传。',
      headers: z.looseObject({
        'idempotency-key': z.string().min(1).max(100).optional().describe('重试时保持不变的请求标识'),
      }),
      body: z.object({
        assistanceType: z.string().describe('救助类型'),
        members: z.array(z.unknown()).describe('家庭成员（与 POST /api/cases 相同）'),
        declaredAssets: z.unknown().optional(),
        externalRef: z.string().trim().min(1).max(100).optional().describe('委托单位系统自己的业务编号'),
      }),
      response: { 200: z.object({ entrustment: entrustmentSchema, replayed: z.boolean() }) },
    },
    handler: async (request) => {
      const { externalRef, ...input } = request.body;
      const { caseId, replayed } = await submitEntrustment(
        deps,
        input,
        {
          externalRef: externalRef ?? null,
          idempotencyKey: request.headers['idempotency-key'] ?? null,
          apiKeyId: request.machine?.apiKey.id ?? null,
        },
        request.actor,
      );
      return { entrustment: await getEntrustment(deps, caseId, request.actor), replayed };
    },
  });

  app.get('/api/v1/entrustments', {
    config: { access: readEntrustments },
    schema: {
      tags: [TAG],
      operationId: 'listEntrustments',
      summary: '本单位的委托列表（新的在前），可按状态和变化时间筛选，分页',
      querystring: z.object({
        state: z.enum(CASE_STATES).optional(),
        updatedSince: z.iso
          .datetime()
          .optional()
          .describe('只列出此时刻（含）之后有变化的委托（ISO-8601 UTC）'),
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: {
        200: z.object({
          items: z.array(z.object({ ...summaryFields, applicant: z.string().describe('申请人（遮蔽）') })),
          total: z.number(),
          offset: z.number(),
          limit: z.number(),
        }),
      },
    },
    handler: async (request) => {
      const { state, updatedSince, offset, limit } = request.query;
      const page = await listEntrustments(
        deps,
        {
          ...(state !== undefined ? { state } : {}),
          ...(updatedSince !== undefined ? { updatedSince: new Date(updatedSince).toISOString() } : {}),
          offset,
          limit,
        },
        request.actor,
      );
      return { ...page, offset, limit };
    },
  });

  app.get('/api/v1/entrustments/:id', {
    config: { access: readEntrustments },
    schema: {
      tags: [TAG],
      operationId: 'getEntrustment',
      summary: '委托状态：状态及中文名称、各项期限、缺少的授权书、已出具文书及下载地址（查看留痕）',
      params: caseParams,
      response: { 200: entrustmentBody },
    },
    handler: async (request) => ({
      entrustment: await getEntrustment(deps, request.params.id, request.actor),
    }),
  });

  app.post('/api/v1/entrustments/:id/documents', {
    config: { access: writeEntrustments },
    bodyLimit: MAX_ATTACHMENT_BYTES + 1024 * 1024,
    schema: {
      tags: [TAG],
      operationId: 'uploadEntrustmentDocument',
      summary:
        '上传委托材料（multipart：kind、memberIndex、file）：PDF/JPEG/PNG，按内容识别，10 MB 以内；每名成员一份授权书，一事一授权',
      params: caseParams,
      consumes: ['multipart/form-data'],
      response: { 200: entrustmentBody },
    },
    handler: async (request) => {
      await addAttachment(deps, request.params.id, await readAttachmentUpload(request), request.actor);
      return { entrustment: await getEntrustment(deps, request.params.id, request.actor) };
    },
  });

  app.post('/api/v1/entrustments/:id/resubmit', {
    config: { access: writeEntrustments },
    schema: {
      tags: [TAG],
      operationId: 'resubmitEntrustment',
      summary: '退回补正后重新提交（重新计算受理期限）',
      params: caseParams,
      response: { 200: entrustmentBody },
    },
    handler: async (request) => {
      await resubmitCase(deps, request.params.id, request.actor);
      return { entrustment: await getEntrustment(deps, request.params.id, request.actor) };
    },
  });

  app.get('/api/v1/entrustments/:id/documents/:documentId', {
    config: { access: readDocuments },
    schema: {
      tags: [TAG],
      operationId: 'downloadEntrustmentDocument',
      summary: '下载文书 PDF（受理回执、告知书、核对报告等；下载留痕）',
      params: caseParams.extend({ documentId: z.coerce.number().int().positive().describe('文书标识') }),
    },
    handler: (request, reply) => replyWithCaseDocument(deps, reply, request.params, request.actor),
  });

  app.get('/api/v1/offline-exchanges', {
    config: { access: answerExchanges },
    schema: {
      tags: [TAG],
      operationId: 'listOfflineExchanges',
      summary: '发给本部门的离线比对交换请求（默认只列待答复的），分页',
      querystring: z.object({
        status: z.enum(['exported', 'answered']).default('exported'),
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: {
        200: z.object({
          items: z.array(exchangeSchema),
          total: z.number(),
          offset: z.number(),
          limit: z.number(),
        }),
      },
    },
    handler: async (request) => {
      const { status, offset, limit } = request.query;
      const r = await listOfflineExchanges(deps, { status, offset, limit }, request.actor);
      return { items: r.items.map(presentExchange), total: r.total, offset, limit };
    },
  });

  app.post('/api/v1/offline-exchanges/:id/answer', {
    config: { access: answerExchanges },
    schema: {
      tags: [TAG],
      operationId: 'answerOfflineExchange',
      summary: '交回填写后的离线核对清单（multipart：file、asOf 可选），全部通过才入库',
      params: idParam,
      consumes: ['multipart/form-data'],
      response: { 200: answerResultSchema },
    },
    handler: (request) =>
      receiveExchangeAnswer(deps, request, join(options.filesDir, 'tmp'), request.params.id),
  });
}

import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { answerOfflineExchange } from '../../app/exchange/answer-offline-exchange.ts';
import { createOfflineExchange } from '../../app/exchange/create-offline-exchange.ts';
import { getOfflineExchange, listOfflineExchanges } from '../../app/exchange/list-offline-exchanges.ts';
import type { Deps, OfflineExchangeRecord } from '../../app/ports.ts';
import { DEPARTMENTS, findDataset, isDepartmentCode } from '../../domain/catalog/datasets.ts';
import { allow } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';
import { withUploadedFile } from '../upload.ts';

export const exchangeSchema = z.object({
  id: z.number(),
  reference: z.string(),
  departmentCode: z.string(),
  departmentName: z.string(),
  dataset: z.string(),
  datasetName: z.string(),
  status: z.enum(['exported', 'answered']),
  personCount: z.number(),
  caseRefs: z.array(z.string()),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  answeredAt: z.string().nullable(),
  answerBatchId: z.number().nullable(),
});

const errorItem = z.object({ row: z.number(), column: z.string(), code: z.string(), message: z.string() });
export const answerResultSchema = z.object({
  status: z.enum(['answered', 'rejected']),
  exchangeId: z.number(),
  reference: z.string(),
  batchId: z.number().nullable(),
  rows: z.number(),
  stored: z.number(),
  personsWithRecords: z.number(),
  personsWithoutRecords: z.number(),
  warnings: z.array(z.string()),
  errors: z.array(errorItem),
  fileErrors: z.array(z.object({ code: z.string(), message: z.string() })),
});

export function presentExchange(e: OfflineExchangeRecord): z.infer<typeof exchangeSchema> {
  return {
    id: e.id,
    reference: e.reference,
    departmentCode: e.departmentCode,
    departmentName: isDepartmentCode(e.departmentCode) ? DEPARTMENTS[e.departmentCode] : e.departmentCode,
    dataset: e.dataset,
    datasetName: findDataset(e.dataset)?.name ?? e.dataset,
    status: e.status,
    personCount: e.personCount,
    caseRefs: e.caseRefs,
    createdAt: e.createdAt,
    createdByName: e.createdByName,
    answeredAt: e.answeredAt,
    answerBatchId: e.answerBatchId,
  };
}

/** Agency staff export and take answers; the department addressed sees, downloads and answers its own. */
const READERS = allow('department_officer', 'agency_staff', 'agency_reviewer');

export function exchangeRoutes(app: App, deps: Deps, options: { filesDir: string }): void {
  const tmpDir = join(options.filesDir, 'tmp');

  app.get('/api/offline-exchanges', {
    config: { access: READERS },
    schema: {
      tags: ['offline-exchange'],
      summary: '离线比对交换列表（数据范围内；部门数据员只见发给本部门的）',
      querystring: z.object({
        status: z.enum(['exported', 'answered']).optional(),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(20),
      }),
      response: { 200: z.object({ items: z.array(exchangeSchema), total: z.number() }) },
    },
    handler: async (request) => {
      const { page, pageSize, status } = request.query;
      const r = await listOfflineExchanges(
        deps,
        { ...(status ? { status } : {}), offset: (page - 1) * pageSize, limit: pageSize },
        request.actor,
      );
      return { items: r.items.map(presentExchange), total: r.total };
    },
  });

  app.post('/api/offline-exchanges', {
    config: { access: allow('agency_staff', 'agency_reviewer') },
    schema: {
      tags: ['offline-exchange'],
      summary: '导出待核查人员（案件编号、身份证号、姓名），生成与本次导出绑定的离线核对清单',
      body: z.object({
        departmentCode: z.string(),
        dataset: z.string(),
        persons: z.array(z.object({ caseRef: z.string(), idNumber: z.string(), name: z.string() })).max(5000),
      }),
      response: { 200: z.object({ exchange: exchangeSchema }) },
    },
    handler: async (request) => {
      const exchange = await createOfflineExchange(deps, request.body, request.actor);
      return { exchange: presentExchange(exchange) };
    },
  });

  app.get('/api/offline-exchanges/:id', {
    config: { access: READERS },
    schema: {
      tags: ['offline-exchange'],
      summary: '离线交换详情：待核查人员（身份证号脱敏）',
      params: idParam,
      response: {
        200: z.object({
          exchange: exchangeSchema,
          persons: z.array(
            z.object({ seq: z.number(), caseRef: z.string(), idNumber: z.string(), name: z.string() }),
          ),
        }),
      },
    },
    handler: async (request) => {
      const r = await getOfflineExchange(deps, { exchangeId: request.params.id }, request.actor);
      return { exchange: presentExchange(r.exchange), persons: r.persons };
    },
  });

  app.post('/api/offline-exchanges/:id/answer', {
    config: { access: READERS },
    schema: {
      tags: ['offline-exchange'],
      summary: '上传部门填写后交回的清单（multipart：file、asOf 可选），全部通过才入库',
      params: idParam,
      consumes: ['multipart/form-data'],
      response: { 200: answerResultSchema },
    },
    handler: (request) => receiveExchangeAnswer(deps, request, tmpDir, request.params.id),
  });
}

/** A department's filled-in list (multipart: file, asOf), imported as the exchange's answer (web and v1 API). */
export function receiveExchangeAnswer(
  deps: Deps,
  request: FastifyRequest,
  tmpDir: string,
  exchangeId: number,
) {
  return withUploadedFile(
    request,
    { tmpDir, maxBytes: deps.exchangeDocuments.fileSizeLimit, missing: '请选择部门交回的清单文件' },
    ({ path, fileName, fields }) =>
      answerOfflineExchange(deps, { exchangeId, path, fileName, asOf: fields.asOf || null }, request.actor),
  );
}

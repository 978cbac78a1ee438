import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { batchDetail } from '../../app/ingest/batch-detail.ts';
import { type ImportResult, importBatch } from '../../app/ingest/import-batch.ts';
import { importUnidentified } from '../../app/ingest/import-unidentified.ts';
import { pushedTable } from '../../app/ingest/pushed-table.ts';
import { importUpload } from '../../app/ingest/queued-import.ts';
import { retractBatch } from '../../app/ingest/retract-batch.ts';
import type { Actor, BatchRecord, BatchStatus, Deps } from '../../app/ports.ts';
import { findDataset } from '../../domain/catalog/datasets.ts';
import { unidentifiedDataset } from '../../domain/catalog/unidentified.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { allow, allowWithApiKey } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';
import { withUploadedFile } from '../upload.ts';
import { importJobSchema, presentImportJob } from './import-jobs.routes.ts';

const rowErrorSchema = z.object({
  row: z.number(),
  column: z.string(),
  code: z.string(),
  message: z.string(),
});
const fileErrorSchema = z.object({ code: z.string(), message: z.string() });
export const importResultSchema = z.object({
  status: z.enum(['committed', 'rejected', 'duplicate']),
  batchId: z.number().nullable(),
  dataset: z.string(),
  period: z.string(),
  rows: z.number(),
  stored: z.number(),
  warnings: z.array(z.string()),
  errors: z.array(rowErrorSchema),
  fileErrors: z.array(fileErrorSchema),
});
const unidentifiedResultSchema = importResultSchema.extend({
  kind: z.literal('unidentified'),
  nearbyIdRows: z.number(),
  nameBirthRows: z.number(),
});

const batchSchema = z.object({
  id: z.number(),
  dataset: z.string(),
  datasetName: z.string(),
  period: z.string(),
  departmentCode: z.string(),
  source: z.string(),
  fileName: z.string().nullable(),
  fingerprint: z.string(),
  bytes: z.number(),
  format: z.string(),
  encoding: z.string().nullable(),
  rowsRead: z.number(),
  rowsStored: z.number(),
  duplicateRows: z.number(),
  errorCount: z.number(),
  status: z.string(),
  supersededBy: z.number().nullable(),
  dataAsOf: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  retractedAt: z.string().nullable(),
  retractReason: z.string().nullable(),
  hasErrorReport: z.boolean(),
  /** `main` (the template's delivery) or `unidentified` (待认定记录补充报送). */
  kind: z.enum(['main', 'unidentified']),
  nearbyIdRows: z.number().nullable(),
  nameBirthRows: z.number().nullable(),
});

function presentBatch(b: BatchRecord): z.infer<typeof batchSchema> {
  return {
    id: b.id,
    dataset: b.dataset,
    datasetName: findDataset(b.dataset)?.name ?? b.dataset,
    period: b.period,
    departmentCode: b.departmentCode,
    source: b.source,
    fileName: b.fileName,
    fingerprint: b.fingerprint,
    bytes: b.bytes,
    format: b.format,
    encoding: b.encoding,
    rowsRead: b.rowsRead,
    rowsStored: b.rowsStored,
    duplicateRows: b.duplicateRows,
    errorCount: b.errorCount,
    status: b.status,
    supersededBy: b.supersededBy,
    dataAsOf: b.dataAsOf,
    createdAt: b.createdAt,
    finishedAt: b.finishedAt,
    retractedAt: b.retractedAt,
    retractReason: b.retractReason,
    hasErrorReport: b.reportFile !== null,
    kind: b.kind ?? 'main',
    nearbyIdRows: b.nearbyIdRows ?? null,
    nameBirthRows: b.nameBirthRows ?? null,
  };
}

/** Department officers and API keys see their own department's batches; agency staff see all. */
async function departmentScope(deps: Deps, request: FastifyRequest): Promise<string | null> {
  if (request.machine) return request.machine.organisation.departmentCode ?? '—';
  const actor: Actor = request.actor;
  if (!actor.roles.includes('department_officer')) return null;
  const org = actor.organisationId ? await deps.store.organisations.get(actor.organisationId) : undefined;
  return org?.departmentCode ?? '—';
}

export function batchRoutes(
  app: App,
  deps: Deps,
  options: { filesDir: string; uploadMaxBytes: number },
): void {
  const tmpDir = join(options.filesDir, 'tmp');

  app.post('/api/batches', {
    config: { access: allow('department_officer') },
    schema: {
      tags: ['department-data'],
      summary:
        '上传数据文件（multipart：file、dataset、period、asOf 可选），全部通过才入库；大文件（HEDUI_IMPORT_QUEUE_MIN_MB 起）排队导入，答 202 与导入任务',
      consumes: ['multipart/form-data'],
      response: { 200: importResultSchema, 202: importJobSchema },
    },
    handler: (request, reply) =>
      withUploadedFile(
        request,
        { tmpDir, maxBytes: options.uploadMaxBytes, missing: '请选择要上传的文件' },
        async ({ path, fileName, fields }) => {
          if (!fields.dataset || !fields.period)
            throw new AppError('VALIDATION_FAILED', '请选择数据集并填写报送期');
          const upload = { datasetCode: fields.dataset, period: fields.period, asOf: fields.asOf || null };
          const bytes = (await stat(path)).size;
          const outcome = await importUpload(deps, { ...upload, fileName, path, bytes }, request.actor);
          if ('result' in outcome) return outcome.result;
          return reply.code(202).send(presentImportJob({ job: outcome.queued, errorReport: null }));
        },
      ),
  });

  app.post('/api/v1/datasets/:code/batches', {
    config: { access: allowWithApiKey('batches:write', 'department_officer') },
    bodyLimit: options.uploadMaxBytes,
    schema: {
      tags: ['department-data'],
      summary: '部门系统推送数据（JSON 数组或 NDJSON），校验与批次规则同文件上传',
      params: z.object({ code: z.string() }),
      querystring: z.object({ period: z.string(), asOf: z.string().optional() }),
      response: { 200: importResultSchema },
    },
    handler: async (request): Promise<ImportResult> => {
      const dataset = findDataset(request.params.code);
      if (!dataset) throw new AppError('NOT_FOUND', `未知的数据集代码「${request.params.code}」`);
      const contentType = request.headers['content-type'] ?? '';
      const format = contentType.includes('ndjson') ? 'ndjson' : 'json';
      const body = Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(JSON.stringify(request.body ?? null));
      const pushed = pushedTable(dataset, body, format);
      return importBatch(
        deps,
        {
          datasetCode: dataset.code,
          period: request.query.period,
          source: 'api',
          fileName: null,
          pushed: { ...pushed, format },
          asOf: request.query.asOf ?? null,
          apiKeyId: request.machine?.apiKey.id ?? null,
          organisationId: request.machine?.organisation.id ?? request.actor.organisationId,
        },
        request.actor,
      );
    },
  });

  app.post('/api/batches/unidentified', {
    config: { access: allow('department_officer') },
    schema: {
      tags: ['department-data'],
      summary:
        '上传待认定记录（身份证号缺失或有误的行；multipart：file、dataset、period、asOf 可选），全部通过才入库',
      consumes: ['multipart/form-data'],
      response: { 200: unidentifiedResultSchema },
    },
    handler: (request) =>
      withUploadedFile(
        request,
        { tmpDir, maxBytes: options.uploadMaxBytes, missing: '请选择要上传的文件' },
        ({ path, fileName, fields }) => {
          if (!fields.dataset || !fields.period)
            throw new AppError('VALIDATION_FAILED', '请选择数据集并填写报送期');
          const input = { datasetCode: fields.dataset, period: fields.period, fileName, path };
          return importUnidentified(
            deps,
            { ...input, source: 'upload', asOf: fields.asOf || null },
            request.actor,
          );
        },
      ),
  });

  app.post('/api/v1/datasets/:code/unidentified-batches', {
    config: { access: allowWithApiKey('batches:write', 'department_officer') },
    bodyLimit: options.uploadMaxBytes,
    schema: {
      tags: ['department-data'],
      summary: '部门系统推送待认定记录（JSON 数组或 NDJSON），校验与批次规则同待认定记录上传',
      params: z.object({ code: z.string() }),
      querystring: z.object({ period: z.string(), asOf: z.string().optional() }),
      response: { 200: unidentifiedResultSchema },
    },
    handler: async (request) => {
      const dataset = findDataset(request.params.code);
      if (!dataset) throw new AppError('NOT_FOUND', `未知的数据集代码「${request.params.code}」`);
      const format = (request.headers['content-type'] ?? '').includes('ndjson') ? 'ndjson' : 'json';
      const body = Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(JSON.stringify(request.body ?? null));
      const pushed = pushedTable(unidentifiedDataset(dataset), body, format);
      return importUnidentified(
        deps,
        {
          datasetCode: dataset.code,
          period: request.query.period,
          source: 'api',
          fileName: null,
          pushed: { ...pushed, format },
          asOf: request.query.asOf ?? null,
          apiKeyId: request.machine?.apiKey.id ?? null,
          organisationId: request.machine?.organisation.id ?? request.actor.organisationId,
        },
        request.actor,
      );
    },
  });

  app.get('/api/batches', {
    config: { access: allow('department_officer', 'agency_staff', 'agency_reviewer') },
    schema: {
      tags: ['department-data'],
      summary: '批次列表（部门数据员只见本部门）',
      querystring: z.object({
        dataset: z.string().optional(),
        status: z.enum(['committed', 'rejected', 'superseded', 'retracted']).optional(),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(20),
      }),
      response: { 200: z.object({ items: z.array(batchSchema), total: z.number() }) },
    },
    handler: async (request) => {
      const department = await departmentScope(deps, request);
      const { page, pageSize, dataset, status } = request.query;
      const result = await deps.store.batches.list({
        ...(department === null ? {} : { departmentCode: department }),
        ...(dataset ? { dataset } : {}),
        ...(status ? { statuses: [status as BatchStatus] } : {}),
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
      return { items: result.items.map(presentBatch), total: result.total };
    },
  });

  const batchInScope = async (request: FastifyRequest, id: number) => {
    const department = await departmentScope(deps, request);
    const batch = await deps.store.batches.get(id);
    if (!batch || (department !== null && batch.departmentCode !== department))
      throw new AppError('OUT_OF_SCOPE', '批次不存在或不属于您的部门');
    return batch;
  };

  app.get('/api/batches/:id', {
    config: { access: allow('department_officer', 'agency_staff', 'agency_reviewer') },
    schema: {
      tags: ['department-data'],
      summary: '批次详情（含错误清单前 1000 条）',
      params: idParam,
      response: {
        200: z.object({
          batch: batchSchema,
          errors: z.array(rowErrorSchema),
          fileErrors: z.array(fileErrorSchema),
          warnings: z.array(z.string()),
        }),
      },
    },
    handler: async (request) => {
      const batch = await batchInScope(request, request.params.id);
      return { batch: presentBatch(batch), ...batchDetail(deps.crypto, batch) };
    },
  });

  app.get('/api/batches/:id/error-report', {
    config: { access: allow('department_officer') },
    schema: {
      tags: ['department-data'],
      summary: '下载错误报告（XLSX，与上传文件逐行对应）',
      params: idParam,
    },
    handler: async (request, reply) => {
      const batch = await batchInScope(request, request.params.id);
      if (!batch.reportFile) throw new AppError('NOT_FOUND', '该批次没有错误报告');
      const name = encodeURIComponent(`错误报告_${batch.dataset}_${batch.period}_批次${batch.id}.xlsx`);
      reply.header('content-disposition', `attachment; filename*=UTF-8''${name}`);
      reply.header('cache-control', 'no-store');
      reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const { createReadStream } = await import('node:fs');
      return reply.send(createReadStream(join(options.filesDir, 'reports', batch.reportFile)));
    },
  });

  app.post('/api/batches/:id/retract', {
    config: { access: allow('department_officer') },
    schema: {
      tags: ['department-data'],
      summary: '撤回批次（须说明原因，留痕）',
      params: idParam,
      body: z.object({ reason: z.string() }),
      response: { 200: z.object({ batch: batchSchema }) },
    },
    handler: async (request) => {
      const department = await departmentScope(deps, request);
      const batch = await retractBatch(
        deps,
        { batchId: request.params.id, reason: request.body.reason, departmentCode: department },
        request.actor,
      );
      return { batch: presentBatch(batch) };
    },
  });
}

import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { createApiKey, revokeApiKey, rotateApiKey } from '../../app/ingest/api-keys.ts';
import type { Deps } from '../../app/ports.ts';
import { csvTemplate, templateFileName, writeXlsxTemplate } from '../../documents/templates.ts';
import { API_SCOPES } from '../../domain/access/scopes.ts';
import { DATASETS, findDataset } from '../../domain/catalog/datasets.ts';
import { checkAcceptsUnidentified, unidentifiedDataset } from '../../domain/catalog/unidentified.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { allow, anyUser } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';

const columnSchema = z.object({
  header: z.string(),
  key: z.string(),
  type: z.string(),
  required: z.boolean(),
  values: z.array(z.string()).nullable(),
  description: z.string(),
  example: z.string(),
});
const datasetSchema = z.object({
  code: z.string(),
  name: z.string(),
  departmentCode: z.string(),
  departmentName: z.string(),
  frequency: z.string(),
  kind: z.string(),
  core: z.boolean(),
  description: z.string(),
  columns: z.array(columnSchema),
});

const apiKeySchema = z.object({
  id: z.number(),
  organisationId: z.number(),
  organisationName: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  scopes: z.array(z.enum(API_SCOPES)),
});

export function datasetRoutes(app: App, deps: Deps): void {
  app.get('/api/datasets', {
    config: { access: anyUser },
    schema: {
      tags: ['department-data'],
      summary: '数据集目录（模板列、类型、允许值、报送频次）',
      response: { 200: z.object({ items: z.array(datasetSchema) }) },
    },
    handler: async () => ({
      items: DATASETS.map((d) => ({
        code: d.code,
        name: d.name,
        departmentCode: d.departmentCode,
        departmentName: d.departmentName,
        frequency: d.frequency,
        kind: d.kind,
        core: d.core,
        description: d.description,
        columns: d.columns.map((c) => ({
          header: c.header,
          key: c.key,
          type: c.type,
          required: c.required,
          values: c.values ? [...c.values] : null,
          description: c.description,
          example: c.example,
        })),
      })),
    }),
  });

  app.get('/api/datasets/:code/template', {
    config: { access: anyUser },
    schema: {
      tags: ['department-data'],
      summary: '下载数据模板（xlsx 或 csv；kind=unidentified 为待认定记录模板）',
      params: z.object({ code: z.string() }),
      querystring: z.object({
        format: z.enum(['xlsx', 'csv']).default('xlsx'),
        kind: z.enum(['main', 'unidentified']).default('main'),
      }),
    },
    handler: async (request, reply) => {
      const found = findDataset(request.params.code);
      if (!found) throw new AppError('NOT_FOUND', `未知的数据集代码「${request.params.code}」`);
      const { format, kind } = request.query;
      const refused = kind === 'unidentified' ? checkAcceptsUnidentified(found) : null;
      if (refused) throw new AppError('VALIDATION_FAILED', refused.message);
      const dataset = kind === 'unidentified' ? unidentifiedDataset(found) : found;
      reply.header(
        'content-disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent(templateFileName(dataset, format))}`,
      );
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(csvTemplate(dataset));
      const stream = new PassThrough();
      reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      writeXlsxTemplate(dataset, stream).catch((e: unknown) => stream.destroy(e as Error));
      return reply.send(stream);
    },
  });

  const admin = allow('system_admin');
  const present = async (keys: Awaited<ReturnType<typeof deps.store.apiKeys.list>>) => {
    const names = new Map<number, string>();
    for (const id of new Set(keys.map((k) => k.organisationId)))
      names.set(id, (await deps.store.organisations.get(id))?.name ?? String(id));
    return keys.map((k) => ({
      id: k.id,
      organisationId: k.organisationId,
      organisationName: names.get(k.organisationId) ?? '',
      name: k.name,
      prefix: k.prefix,
      createdAt: k.createdAt,
      revokedAt: k.revokedAt,
      lastUsedAt: k.lastUsedAt,
      scopes: k.scopes,
    }));
  };

  app.get('/api/api-keys', {
    config: { access: admin },
    schema: {
      tags: ['department-data'],
      summary: '委托单位和部门的 API 密钥（本人数据范围内），含权限范围',
      response: { 200: z.object({ items: z.array(apiKeySchema) }) },
    },
    handler: async (request) => {
      const orgs = await deps.store.organisations.list(request.actor.regionCode);
      return { items: await present(await deps.store.apiKeys.list(orgs.map((o) => o.id))) };
    },
  });

  const created = z.object({ apiKey: apiKeySchema, key: z.string() });
  app.post('/api/api-keys', {
    config: { access: admin },
    schema: {
      tags: ['department-data'],
      summary:
        '为委托单位或数据提供部门创建 API 密钥（密钥只显示这一次）；权限范围须在该类单位允许的范围内，缺省为全部',
      body: z.object({
        organisationId: z.number().int().positive(),
        name: z.string(),
        scopes: z.array(z.enum(API_SCOPES)).min(1).optional(),
      }),
      response: { 200: created },
    },
    handler: async (request) => {
      const r = await createApiKey(deps, request.body, request.actor);
      return { apiKey: (await present([r.apiKey]))[0] as z.infer<typeof apiKeySchema>, key: r.key };
    },
  });

  app.post('/api/api-keys/:id/rotate', {
    config: { access: admin },
    schema: {
      tags: ['department-data'],
      summary: '轮换 API 密钥（新密钥生效，旧密钥同时吊销）',
      params: idParam,
      response: { 200: created },
    },
    handler: async (request) => {
      const r = await rotateApiKey(deps, request.params.id, request.actor);
      return { apiKey: (await present([r.apiKey]))[0] as z.infer<typeof apiKeySchema>, key: r.key };
    },
  });

  app.post('/api/api-keys/:id/revoke', {
    config: { access: admin },
    schema: { tags: ['department-data'], summary: '吊销 API 密钥', params: idParam },
    handler: async (request, reply) => {
      await revokeApiKey(deps, request.params.id, request.actor);
      return reply.status(204).send();
    },
  });
}

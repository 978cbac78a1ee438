import { join } from 'node:path';
import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import { importRoster } from '../../app/roster/import-roster.ts';
import { diffRosterVersion, getRosterVersion, listRosterVersions } from '../../app/roster/roster-view.ts';
import { ROSTER_TEMPLATE_FILE_NAME, rosterTemplateBytes } from '../../documents/roster-template.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { allow } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';
import { withUploadedFile } from '../upload.ts';

/** Requester staff manage their own roster; agency staff and reviewers read those of their region (issue #6). */
const requesters = allow('requester_staff');
const readers = allow('requester_staff', 'agency_staff', 'agency_reviewer');

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

const importResultSchema = z.object({
  status: z.enum(['committed', 'rejected']),
  versionId: z.number().nullable(),
  month: z.string(),
  familyCount: z.number(),
  memberCount: z.number(),
  authorizationMissingCount: z.number(),
  supersededVersionId: z.number().nullable(),
  problems: z.array(z.object({ row: z.number(), column: z.string(), code: z.string(), message: z.string() })),
});

const versionSchema = z.object({
  id: z.number(),
  requesterOrganisationId: z.number(),
  requesterName: z.string().nullable(),
  month: z.string(),
  source: z.enum(['upload', 'api']),
  fileName: z.string().nullable(),
  sm3: z.string(),
  familyCount: z.number(),
  memberCount: z.number(),
  authorizationMissingCount: z.number(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  superseded: z.boolean(),
  supersededAt: z.string().nullable(),
  supersededBy: z.number().nullable(),
});

const familySchema = z.object({
  id: z.number(),
  familyKey: z.string(),
  regionCode: z.string(),
  assistanceType: z.string(),
  assistanceTypeLabel: z.string(),
  startDate: z.string(),
  monthlyAmountFen: z.number(),
  memberCount: z.number(),
  members: z.array(z.object({ name: z.string(), idNumberMasked: z.string(), relation: z.string() })),
  authorizationOnFile: z.boolean(),
  authorizationCaseId: z.number().nullable(),
});

const diffFamilySchema = z.object({
  familyKey: z.string(),
  regionCode: z.string(),
  assistanceType: z.string(),
  monthlyAmountFen: z.number(),
  memberCount: z.number(),
});

export function rosterRoutes(
  app: App,
  deps: Deps,
  options: { filesDir: string; uploadMaxBytes: number },
): void {
  const tmpDir = join(options.filesDir, 'tmp');

  app.get('/api/roster/template', {
    config: { access: requesters },
    schema: { tags: ['roster'], summary: '下载救助对象名册模板（xlsx）' },
    handler: async (_request, reply) => {
      reply.header(
        'content-disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent(ROSTER_TEMPLATE_FILE_NAME)}`,
      );
      reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return reply.send(await rosterTemplateBytes());
    },
  });

  app.post('/api/roster/uploads', {
    config: { access: requesters },
    schema: {
      tags: ['roster'],
      summary: '上传本单位某月的救助对象名册（multipart：file、month），全部通过才保存，同月重传替代上一版',
      consumes: ['multipart/form-data'],
      response: { 200: importResultSchema },
    },
    handler: (request) =>
      withUploadedFile(
        request,
        { tmpDir, maxBytes: options.uploadMaxBytes, missing: '请选择要上传的名册文件' },
        ({ path, fileName, fields }) => {
          const month = monthSchema.safeParse(fields.month);
          if (!month.success) throw new AppError('VALIDATION_FAILED', '请填写名册月份（YYYY-MM）');
          return importRoster(deps, { source: 'upload', month: month.data, fileName, path }, request.actor);
        },
      ),
  });

  app.post('/api/roster/versions', {
    config: { access: requesters },
    bodyLimit: options.uploadMaxBytes,
    schema: {
      tags: ['roster'],
      summary: '以 JSON 推送本单位某月的救助对象名册（rows 每个成员一项，字段同模板），规则同上传',
      body: z.object({ month: monthSchema, rows: z.array(z.record(z.string(), z.unknown())) }),
      response: { 200: importResultSchema },
    },
    handler: async (request) =>
      importRoster(
        deps,
        { source: 'api', month: request.body.month, rows: request.body.rows },
        request.actor,
      ),
  });

  app.get('/api/roster/versions', {
    config: { access: readers },
    schema: {
      tags: ['roster'],
      summary: '名册版本列表（委托单位只见本单位，核对机构见辖区内委托单位）',
      querystring: z.object({
        month: monthSchema.optional(),
        requesterOrganisationId: z.coerce.number().int().positive().optional(),
        includeSuperseded: z
          .enum(['true', 'false'])
          .default('false')
          .transform((v) => v === 'true'),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(20),
      }),
      response: { 200: z.object({ items: z.array(versionSchema), total: z.number() }) },
    },
    handler: async (request) => {
      const { page, pageSize, ...filter } = request.query;
      return listRosterVersions(
        deps,
        { ...filter, offset: (page - 1) * pageSize, limit: pageSize },
        request.actor,
      );
    },
  });

  app.get('/api/roster/versions/:id', {
    config: { access: readers },
    schema: {
      tags: ['roster'],
      summary: '名册版本详情：家庭（姓名、身份证号脱敏）及授权在案情况（查看留痕）',
      params: idParam,
      querystring: z.object({
        missingOnly: z
          .enum(['true', 'false'])
          .default('false')
          .transform((v) => v === 'true'),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(500).default(50),
      }),
      response: {
        200: z.object({ version: versionSchema, families: z.array(familySchema), familyTotal: z.number() }),
      },
    },
    handler: async (request) => {
      const { page, pageSize, missingOnly } = request.query;
      return getRosterVersion(
        deps,
        request.params.id,
        { offset: (page - 1) * pageSize, limit: pageSize, missingOnly },
        request.actor,
      );
    },
  });

  app.get('/api/roster/versions/:id/diff', {
    config: { access: readers },
    schema: {
      tags: ['roster'],
      summary: '与上一月份名册比较：新增、减少、月救助金额变化的家庭',
      params: idParam,
      response: {
        200: z.object({
          version: versionSchema,
          previous: versionSchema.nullable(),
          diff: z.object({
            added: z.array(diffFamilySchema),
            removed: z.array(diffFamilySchema),
            amountChanged: z.array(
              z.object({ familyKey: z.string(), fromFen: z.number(), toFen: z.number() }),
            ),
            unchanged: z.number(),
          }),
        }),
      },
    },
    handler: async (request) => diffRosterVersion(deps, request.params.id, request.actor),
  });
}

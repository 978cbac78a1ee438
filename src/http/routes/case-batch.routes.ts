import { join } from 'node:path';
import { z } from 'zod';
import { submitCaseBatch } from '../../app/cases/submit-case-batch.ts';
import type { Deps } from '../../app/ports.ts';
import { BATCH_TEMPLATE_FILE_NAME, batchTemplateXlsx } from '../../documents/case-batch-template.ts';
import { BATCH_PROBLEM_CODES } from '../../domain/cases/batch-entrustment.ts';
import { openCaseBundle } from '../../ingest/case-bundle.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';
import { withUploadedFile } from '../upload.ts';

/** Batch entrustment (issue #5): the template and the upload, for requester staff only (SPEC §5). */
const requesters = allow('requester_staff');

const batchResultSchema = z.object({
  status: z.enum(['valid', 'rejected', 'created']),
  dryRun: z.boolean(),
  batchRef: z.string(),
  rows: z.number(),
  families: z.number(),
  members: z.number(),
  attachments: z.number(),
  problems: z.array(
    z.object({
      row: z.number().nullable(),
      column: z.string().nullable(),
      code: z.enum(BATCH_PROBLEM_CODES),
      message: z.string(),
    }),
  ),
  cases: z.array(
    z.object({
      id: z.number(),
      number: z.string(),
      family: z.string(),
      firstRow: z.number(),
      applicant: z.string(),
      memberCount: z.number(),
      attachments: z.number(),
    }),
  ),
});

export function caseBatchRoutes(
  app: App,
  deps: Deps,
  options: { filesDir: string; uploadMaxBytes: number },
): void {
  const tmpDir = join(options.filesDir, 'tmp');

  app.get('/api/cases/batch-template', {
    config: { access: requesters },
    schema: { tags: ['cases'], summary: '下载批量委托模板（XLSX：委托名单、填写说明）' },
    handler: async (_request, reply) =>
      reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(BATCH_TEMPLATE_FILE_NAME)}`,
        )
        .send(await batchTemplateXlsx()),
  });

  app.post('/api/cases/batch', {
    config: { access: requesters },
    bodyLimit: options.uploadMaxBytes,
    schema: {
      tags: ['cases'],
      summary:
        '批量委托（multipart：dryRun、file）：XLSX，或 XLSX 与所引用扫描件的 ZIP；按行列出全部问题，有问题则整批不提交',
      consumes: ['multipart/form-data'],
      response: { 200: batchResultSchema },
    },
    handler: (request) =>
      withUploadedFile(
        request,
        { tmpDir, maxBytes: options.uploadMaxBytes, missing: '请选择要上传的表格或压缩包' },
        async ({ path, fields }) => {
          const bundle = await openCaseBundle(path, tmpDir);
          try {
            const dryRun = ['1', 'true', 'on'].includes((fields.dryRun ?? '').toLowerCase());
            return await submitCaseBatch(deps, bundle.upload, { dryRun }, request.actor);
          } finally {
            await bundle.close();
          }
        },
      ),
  });
}

import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { submitCaseBatch } from '../../app/cases/submit-case-batch.ts';
import type { Deps } from '../../app/ports.ts';
import { BATCH_TEMPLATE_FILE_NAME, batchTemplateXlsx } from '../../documents/case-batch-template.ts';
import { BATCH_PROBLEM_CODES } from '../../domain/cases/batch-entrustment.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { openCaseBundle } from '../../ingest/case-bundle.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

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
    handler: async (request) => {
      await mkdir(tmpDir, { recursive: true });
      const path = join(tmpDir, `case-batch-${randomUUID()}`);
      const fields: Record<string, string> = {};
      let received = false;
      try {
        for await (const part of request.parts({ limits: { fileSize: options.uploadMaxBytes, files: 1 } })) {
          if (part.type === 'file') {
            received = true;
            await pipeline(part.file, createWriteStream(path));
            if (part.file.truncated)
              throw new AppError(
                'FILE_TOO_LARGE',
                `文件超过 ${Math.round(options.uploadMaxBytes / 1048576)} MB 上限`,
              );
          } else fields[part.fieldname] = String(part.value);
        }
        if (!received) throw new AppError('VALIDATION_FAILED', '请选择要上传的表格或压缩包');
        const bundle = await openCaseBundle(path, tmpDir);
        try {
          const dryRun = ['1', 'true', 'on'].includes((fields.dryRun ?? '').toLowerCase());
          return await submitCaseBatch(deps, bundle.upload, { dryRun }, request.actor);
        } finally {
          await bundle.close();
        }
      } finally {
        await rm(path, { force: true });
      }
    },
  });
}

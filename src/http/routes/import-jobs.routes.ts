import { z } from 'zod';
import type { ImportJobRow } from '../../app/ingest/import-job.port.ts';
import { importJobStatus } from '../../app/ingest/queued-import.ts';
import type { Deps } from '../../app/ports.ts';
import { findDataset } from '../../domain/catalog/datasets.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

export const importJobSchema = z.object({
  id: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  dataset: z.string(),
  datasetName: z.string(),
  period: z.string(),
  fileName: z.string(),
  bytes: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  outcome: z.enum(['committed', 'duplicate', 'rejected']).nullable(),
  /** The batch it became (done), or the rejected batch with its error report (failed). */
  batchId: z.number().nullable(),
  rows: z.number().nullable(),
  stored: z.number().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Download link of the error report (a rejected batch's). */
  errorReport: z.string().nullable(),
});

export function presentImportJob(s: {
  job: ImportJobRow;
  errorReport: string | null;
}): z.infer<typeof importJobSchema> {
  const { job } = s;
  return {
    id: job.id,
    state: job.state,
    dataset: job.dataset,
    datasetName: findDataset(job.dataset)?.name ?? job.dataset,
    period: job.period,
    fileName: job.fileName,
    bytes: job.bytes,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    outcome: job.outcome,
    batchId: job.batchId,
    rows: job.rows,
    stored: job.stored,
    error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? '' } : null,
    errorReport: s.errorReport,
  };
}

/** Large uploads imported on the job queue (issue #9): their status, on any instance. */
export function importJobRoutes(app: App, deps: Deps): void {
  app.get('/api/batches/imports/:id', {
    config: { access: allow('department_officer', 'system_admin') },
    schema: {
      tags: ['department-data'],
      summary:
        '排队导入的状态（排队中、导入中、完成及批次、失败及原因与错误报告）；仅上传者所在部门与系统管理员',
      params: z.object({ id: z.string() }),
      response: { 200: importJobSchema },
    },
    handler: async (request) =>
      presentImportJob(await importJobStatus(deps, request.params.id, request.actor)),
  });
}

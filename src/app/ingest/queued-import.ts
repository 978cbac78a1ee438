import { randomUUID } from 'node:crypto';
import { findDataset } from '../../domain/catalog/datasets.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps } from '../ports.ts';
import { departmentOf, type ImportInput, type ImportResult, importBatch } from './import-batch.ts';
import type { ImportJobRow } from './import-job.port.ts';

/** The job that imports a kept upload, on whichever instance takes it. */
export const IMPORT_JOB = 'ingest.import';

export interface UploadInput {
  datasetCode: string;
  period: string;
  asOf: string | null;
  fileName: string;
  /** The upload's temporary file (in the files directory) and its size. */
  path: string;
  bytes: number;
}

export type UploadOutcome = { queued: ImportJobRow } | { result: ImportResult };

/**
 * An uploaded file: imported while the request waits, or — from `importQueueMinBytes` on, when a job runner is
 * there — kept in the shared files directory and imported by an `ingest.import` job (issue #9). The dataset and
 * the uploader's department are checked before queueing, so a plain refusal never waits in the queue.
 */
export async function importUpload(deps: Deps, input: UploadInput, actor: Actor): Promise<UploadOutcome> {
  const importInput: ImportInput = {
    datasetCode: input.datasetCode,
    period: input.period,
    source: 'upload',
    fileName: input.fileName,
    path: input.path,
    asOf: input.asOf,
  };
  if (!deps.jobs || input.bytes < deps.importQueueMinBytes)
    return { result: await importBatch(deps, importInput, actor) };
  const dataset = findDataset(input.datasetCode);
  if (!dataset) throw new AppError('VALIDATION_FAILED', `未知的数据集代码「${input.datasetCode}」`);
  const org = actor.organisationId ? await deps.store.organisations.get(actor.organisationId) : undefined;
  const departmentCode = departmentOf(dataset, importInput, actor, org?.departmentCode ?? null);

  const storedFile = await deps.importFiles.keep(input.path);
  const at = deps.clock.now().toISOString();
  const job = await deps.store.transaction(async (tx) => {
    const row = await tx.importJobs.add({
      id: randomUUID(),
      dataset: dataset.code,
      period: input.period,
      asOf: input.asOf,
      departmentCode,
      organisationId: actor.organisationId,
      actor,
      fileName: input.fileName,
      storedFile,
      bytes: input.bytes,
      createdAt: at,
    });
    await tx.audit.append(
      actor,
      {
        action: 'IMPORT_QUEUED',
        outcome: 'success',
        objectType: 'import_job',
        objectId: row.id,
        details: { dataset: dataset.code, period: input.period, bytes: input.bytes },
      },
      at,
    );
    return row;
  });
  try {
    const runnerJobId = await deps.jobs.send(IMPORT_JOB, { importJobId: job.id });
    await deps.store.importJobs.update(job.id, { runnerJobId });
    return { queued: { ...job, runnerJobId } };
  } catch (e) {
    await finish(deps, job, {
      state: 'failed',
      errorCode: 'INTERNAL_ERROR',
      errorMessage: '导入任务未能排队，请稍后重新上传',
    });
    throw e;
  }
}

/** Ends a queued import: its outcome recorded, its kept file removed (whatever the outcome). */
async function finish(deps: Deps, job: ImportJobRow, patch: Partial<ImportJobRow>): Promise<void> {
  if (job.storedFile) await deps.importFiles.remove(job.storedFile);
  await deps.store.importJobs.update(job.id, {
    ...patch,
    storedFile: null,
    finishedAt: deps.clock.now().toISOString(),
  });
}

function rejectionMessage(result: ImportResult): string {
  if (result.fileErrors.length > 0) return result.fileErrors.map((f) => f.message).join('；');
  return `数据校验未通过：${result.errors.length} 处错误，未入库任何数据；请下载错误报告修正后重新上传`;
}

/**
 * The `ingest.import` job: imports the kept upload as its uploader (all or nothing, as a direct upload), records
 * the outcome and removes the file. A job delivered again after its instance died mid-import (state `running`)
 * imports again: the killed attempt's transaction left nothing. Errors end the import as `failed` (no retry: the
 * department uploads again), so a failure never leaves the file behind.
 */
export async function runQueuedImport(deps: Deps, data: Record<string, unknown>): Promise<unknown> {
  const job = await deps.store.importJobs.get(String(data.importJobId ?? ''));
  if (!job || job.state === 'done' || job.state === 'failed') return { skipped: true };
  if (!job.storedFile) {
    await finish(deps, job, {
      state: 'failed',
      errorCode: 'NOT_FOUND',
      errorMessage: '上传的文件已不存在，请重新上传',
    });
    return { state: 'failed' };
  }
  await deps.store.importJobs.update(job.id, { state: 'running', startedAt: deps.clock.now().toISOString() });
  try {
    const result = await importBatch(
      deps,
      {
        datasetCode: job.dataset,
        period: job.period,
        source: 'upload',
        fileName: job.fileName,
        path: deps.importFiles.pathOf(job.storedFile),
        asOf: job.asOf,
      },
      job.actor,
    );
    const counts = {
      outcome: result.status,
      batchId: result.batchId,
      rows: result.rows,
      stored: result.stored,
    };
    if (result.status === 'rejected')
      await finish(deps, job, {
        state: 'failed',
        ...counts,
        errorCode: 'VALIDATION_FAILED',
        errorMessage: rejectionMessage(result),
      });
    else await finish(deps, job, { state: 'done', ...counts });
    return { state: result.status, batchId: result.batchId };
  } catch (e) {
    const error =
      e instanceof AppError
        ? { errorCode: e.code, errorMessage: e.message }
        : { errorCode: 'INTERNAL_ERROR', errorMessage: '导入时发生内部错误，未入库任何数据；请重新上传' };
    await finish(deps, job, { state: 'failed', ...error });
    await deps.store.audit.append(
      job.actor,
      {
        action: 'IMPORT_FAILED',
        outcome: 'failure',
        objectType: 'import_job',
        objectId: job.id,
        details: { dataset: job.dataset, period: job.period, code: error.errorCode },
      },
      deps.clock.now().toISOString(),
    );
    return { state: 'failed' };
  }
}

/** A queued import as its uploader's department (or a system administrator) sees it; anyone else: 404. */
export async function importJobStatus(
  deps: Deps,
  id: string,
  actor: Actor,
): Promise<{ job: ImportJobRow; errorReport: string | null }> {
  const job = /^[0-9a-f-]{36}$/.test(id) ? await deps.store.importJobs.get(id) : undefined;
  const mine =
    actor.roles.includes('system_admin') ||
    (actor.roles.includes('department_officer') &&
      job !== undefined &&
      job.organisationId !== null &&
      job.organisationId === actor.organisationId);
  if (!job || !mine) throw new AppError('OUT_OF_SCOPE', '导入任务不存在或不属于您的部门');
  const batch = job.batchId === null ? undefined : await deps.store.batches.get(job.batchId);
  return {
    job,
    errorReport: batch?.reportFile ? `/api/batches/${batch.id}/error-report` : null,
  };
}

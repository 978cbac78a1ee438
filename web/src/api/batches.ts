import { downloadFile, request, type UploadOptions, uploadForm } from './client';
import type { Batch, BatchDetail, BatchKind, BatchStatus, ImportJob, ImportResult } from './types';

export interface BatchQuery {
  dataset?: string;
  status?: BatchStatus;
  page: number;
  pageSize: number;
}

export interface BatchPage {
  items: Batch[];
  total: number;
}

export interface UploadInput {
  dataset: string;
  period: string;
  /** YYYY-MM-DD; the server takes the upload date when absent. */
  asOf?: string;
  file: File;
  /** `unidentified`: rows whose ID number is missing or mistyped (待认定记录); default a regular batch. */
  kind?: BatchKind;
}

export function listBatches(query: BatchQuery): Promise<BatchPage> {
  return request<BatchPage>('/api/batches', { query: { ...query } });
}

export function getBatch(id: number): Promise<BatchDetail> {
  return request<BatchDetail>(`/api/batches/${id}`);
}

export async function retractBatch(id: number, reason: string): Promise<Batch> {
  const { batch } = await request<{ batch: Batch }>(`/api/batches/${id}/retract`, {
    method: 'POST',
    body: { reason },
  });
  return batch;
}

export function downloadErrorReport(id: number): Promise<string> {
  return downloadFile(`/api/batches/${id}/error-report`, undefined, `error-report-${id}.xlsx`);
}

export function getImportJob(id: string): Promise<ImportJob> {
  return request<ImportJob>(`/api/batches/imports/${encodeURIComponent(id)}`);
}

/** A 202 answer: the file is large and imported by a queued job (HEDUI_IMPORT_QUEUE_MIN_MB). */
export function isImportJob(answer: ImportResult | ImportJob): answer is ImportJob {
  return 'state' in answer;
}

/**
 * Uploads a data file; committed, rejected and duplicate all come back as an import result — or, for a large
 * file, the queued import to follow with `getImportJob`.
 */
export function uploadBatch(
  input: UploadInput,
  options: UploadOptions = {},
): Promise<ImportResult | ImportJob> {
  const form = new FormData();
  // Fields first: the server reads the parts in order and needs them when the file arrives.
  form.append('dataset', input.dataset);
  form.append('period', input.period);
  if (input.asOf) form.append('asOf', input.asOf);
  form.append('file', input.file, input.file.name);
  const url = input.kind === 'unidentified' ? '/api/batches/unidentified' : '/api/batches';
  return uploadForm<ImportResult | ImportJob>(url, form, options);
}

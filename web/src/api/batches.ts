import { downloadFile, request, type UploadOptions, uploadForm } from './client';
import type { Batch, BatchDetail, BatchKind, BatchStatus, ImportResult } from './types';

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

/** Uploads a data file; committed, rejected and duplicate all come back as an import result. */
export function uploadBatch(input: UploadInput, options: UploadOptions = {}): Promise<ImportResult> {
  const form = new FormData();
  // Fields first: the server reads the parts in order and needs them when the file arrives.
  form.append('dataset', input.dataset);
  form.append('period', input.period);
  if (input.asOf) form.append('asOf', input.asOf);
  form.append('file', input.file, input.file.name);
  const url = input.kind === 'unidentified' ? '/api/batches/unidentified' : '/api/batches';
  return uploadForm<ImportResult>(url, form, options);
}

import type { BatchProblemCode } from '../../../src/domain/cases/batch-entrustment.ts';
import { downloadFile, type UploadOptions, uploadForm } from './client';

/** One problem of a batch upload: the sheet row (header = 1; null for the file as a whole) and column. */
export interface BatchProblem {
  row: number | null;
  column: string | null;
  code: BatchProblemCode;
  message: string;
}

export interface BatchCase {
  id: number;
  number: string;
  family: string;
  firstRow: number;
  applicant: string;
  memberCount: number;
  attachments: number;
}

export interface BatchResult {
  status: 'valid' | 'rejected' | 'created';
  dryRun: boolean;
  batchRef: string;
  rows: number;
  families: number;
  members: number;
  attachments: number;
  problems: BatchProblem[];
  cases: BatchCase[];
}

export function downloadBatchTemplate(): Promise<string> {
  return downloadFile('/api/cases/batch-template', undefined, '批量委托模板.xlsx');
}

/** The XLSX, or a ZIP of the XLSX and the scans it names; a dry run only checks. */
export function uploadBatch(file: File, dryRun: boolean, options: UploadOptions = {}): Promise<BatchResult> {
  const form = new FormData();
  // Fields before the file: the server reads the parts in order.
  form.append('dryRun', dryRun ? 'true' : 'false');
  form.append('file', file, file.name);
  return uploadForm<BatchResult>('/api/cases/batch', form, options);
}

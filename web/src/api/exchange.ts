import { downloadFile, request, type UploadOptions, uploadForm } from './client';
import type { RowError } from './types';

export type ExchangeStatus = 'exported' | 'answered';

export interface OfflineExchange {
  id: number;
  /** `LX-<yyyymmdd>-<id>`. */
  reference: string;
  departmentCode: string;
  departmentName: string;
  dataset: string;
  datasetName: string;
  status: ExchangeStatus;
  personCount: number;
  caseRefs: string[];
  createdAt: string;
  createdByName: string | null;
  answeredAt: string | null;
  answerBatchId: number | null;
}

export interface ExchangePersonInput {
  caseRef: string;
  idNumber: string;
  name: string;
}

/** A person as the detail shows it: the ID number masked. */
export interface ExchangePersonView extends ExchangePersonInput {
  seq: number;
}

/** A problem in the persons list sent for export (`row` = position in the list, 1-based). */
export interface PersonError {
  row: number;
  field: 'caseRef' | 'idNumber' | 'name';
  code: string;
  message: string;
}

export interface AnswerResult {
  status: 'answered' | 'rejected';
  exchangeId: number;
  reference: string;
  batchId: number | null;
  rows: number;
  stored: number;
  personsWithRecords: number;
  personsWithoutRecords: number;
  warnings: string[];
  errors: RowError[];
  fileErrors: { code: string; message: string }[];
}

export function listExchanges(query: {
  status?: ExchangeStatus;
  page: number;
  pageSize: number;
}): Promise<{ items: OfflineExchange[]; total: number }> {
  return request('/api/offline-exchanges', { query: { ...query } });
}

export function getExchange(
  id: number,
): Promise<{ exchange: OfflineExchange; persons: ExchangePersonView[] }> {
  return request(`/api/offline-exchanges/${id}`);
}

export async function createExchange(input: {
  departmentCode: string;
  dataset: string;
  persons: ExchangePersonInput[];
}): Promise<OfflineExchange> {
  const { exchange } = await request<{ exchange: OfflineExchange }>('/api/offline-exchanges', {
    method: 'POST',
    body: input,
  });
  return exchange;
}

export function downloadExchange(exchange: OfflineExchange): Promise<string> {
  return downloadFile(
    `/api/offline-exchanges/${exchange.id}/download`,
    undefined,
    `${exchange.reference}.xlsx`,
  );
}

/** Uploads the file the department returned; answered and rejected both come back as a result. */
export function answerExchange(
  id: number,
  input: { file: File; asOf?: string },
  options: UploadOptions = {},
): Promise<AnswerResult> {
  const form = new FormData();
  if (input.asOf) form.append('asOf', input.asOf);
  form.append('file', input.file, input.file.name);
  return uploadForm<AnswerResult>(`/api/offline-exchanges/${id}/answer`, form, options);
}

import type { FileError, RowError } from '../../domain/catalog/types.ts';
import type { BatchRecord, FieldCryptoPort } from '../ports.ts';

export interface BatchDetail {
  errors: RowError[];
  fileErrors: FileError[];
  warnings: string[];
}

/** The stored outcome of a batch (its row errors quote cell values, so it is kept encrypted). */
export function batchDetail(crypto: FieldCryptoPort, batch: BatchRecord): BatchDetail {
  if (!crypto.isCiphertext(batch.errors)) return { errors: [], fileErrors: [], warnings: [] };
  const d = JSON.parse(crypto.decrypt(batch.errors)) as Partial<BatchDetail>;
  return { errors: d.errors ?? [], fileErrors: d.fileErrors ?? [], warnings: d.warnings ?? [] };
}

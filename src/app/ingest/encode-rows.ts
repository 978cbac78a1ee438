import { rowKey, validateRow } from '../../domain/catalog/rows.ts';
import type { CellValue, DatasetDef, RowError } from '../../domain/catalog/types.ts';
import { BIRTH_KEY_PURPOSE } from '../../domain/matching/birth-date.ts';
import type { EncodedChunk, EncodeJob, FieldCryptoPort, NewRecordRow, RowEncoderPort } from '../ports.ts';

/** Identifiers are encrypted and indexed; everything else is kept as parsed. */
export function encodeRecordRow(
  crypto: FieldCryptoPort,
  dataset: DatasetDef,
  rowNumber: number,
  values: Record<string, CellValue>,
): NewRecordRow {
  const stored: Record<string, CellValue> = {};
  let personKey: string | null = null;
  let idEnc: string | null = null;
  let nameEnc: string | null = null;
  let month: string | null = null;
  for (const col of dataset.columns) {
    const v = values[col.key] ?? null;
    if (col.key === 'idNumber') {
      if (typeof v === 'string') {
        personKey = crypto.blindIndex(v);
        idEnc = crypto.encrypt(v);
      }
    } else if (col.key === 'name') {
      if (typeof v === 'string') nameEnc = crypto.encrypt(v);
    } else if (col.type === 'id_number' && typeof v === 'string') {
      stored[col.key] = crypto.encrypt(v);
      stored[`${col.key}Key`] = crypto.blindIndex(v);
    } else if ((col.type === 'name' || col.identifying) && typeof v === 'string') {
      stored[col.key] = crypto.encrypt(v);
    } else {
      stored[col.key] = v;
    }
    if (dataset.kind === 'periodic' && month === null && typeof v === 'string') {
      if (col.type === 'month') month = v;
      else if (col.type === 'date') month = v.slice(0, 7);
    }
  }
  const birthDate = values.birthDate;
  return {
    personKey,
    birthKey: typeof birthDate === 'string' ? crypto.blindIndex(birthDate, BIRTH_KEY_PURPOSE) : null,
    rowNumber,
    rowHash: crypto.rowFingerprint(rowKey(values)),
    idEnc,
    nameEnc,
    month,
    values: JSON.stringify(stored),
  };
}

/**
 * Validates every row of a chunk against the catalog and encodes the valid ones for storage. Once a row of the
 * chunk is in error the rest are still validated (every error is reported) but no longer encoded: a batch with
 * an error stores nothing. Pure apart from the keyed crypto, so it runs the same on a worker thread.
 */
export function encodeChunk(crypto: FieldCryptoPort, dataset: DatasetDef, job: EncodeJob): EncodedChunk {
  const records: NewRecordRow[] = [];
  const errors: RowError[] = [];
  let errorCount = 0;
  for (const { rowNumber, cells } of job.rows) {
    const row = validateRow(dataset, job.columnIndex, rowNumber, cells, job.context);
    if (row.errors.length > 0) {
      errorCount += row.errors.length;
      if (errors.length < job.maxErrors) errors.push(...row.errors.slice(0, job.maxErrors - errors.length));
      continue;
    }
    if (errorCount === 0 && !job.validateOnly)
      records.push(encodeRecordRow(crypto, dataset, rowNumber, row.values));
  }
  return { records: errorCount > 0 ? [] : records, errors, errorCount };
}

/** The encoder of small files and of tests: the chunk is encoded at once on this thread. */
export function inlineRowEncoder(
  crypto: FieldCryptoPort,
  findDataset: (code: string) => DatasetDef | undefined,
) {
  const encoder: RowEncoderPort = {
    parallel: false,
    async encode(job) {
      const dataset = findDataset(job.datasetCode);
      if (!dataset) throw new Error(`unknown dataset ${job.datasetCode}`);
      return encodeChunk(crypto, dataset, job);
    },
  };
  return encoder;
}

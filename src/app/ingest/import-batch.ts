import { findDataset } from '../../domain/catalog/datasets.ts';
import { checkPeriodForFrequency, parsePeriod } from '../../domain/catalog/period.ts';
import { checkHeaders } from '../../domain/catalog/rows.ts';
import type { CellValue, DatasetDef, FileError, ParsedPeriod, RowError } from '../../domain/catalog/types.ts';
import { lastDayOfMonth, shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type {
  Actor,
  BatchRecord,
  BatchSource,
  Deps,
  EncodedChunk,
  EncodeJob,
  NewRecordRow,
  Repositories,
  TableSource,
} from '../ports.ts';
import { encodeRecordRow, inlineRowEncoder } from './encode-rows.ts';

export interface ImportInput {
  datasetCode: string;
  period: string;
  /** Required from the command line; a department officer always imports as their own department. */
  departmentCode?: string | null;
  source: BatchSource;
  fileName: string | null;
  /** An uploaded file (CSV/XLSX, detected by content). */
  path?: string;
  /** Rows pushed over the API, already shaped as a table, with the fingerprint of the request body. */
  pushed?: { table: TableSource; fingerprint: string; bytes: number; format: 'json' | 'ndjson' };
  asOf?: string | null;
  apiKeyId?: number | null;
  /** The organisation uploading (for machine clients the API key's organisation). */
  organisationId?: number | null;
}

export interface ImportResult {
  status: 'committed' | 'rejected' | 'duplicate';
  batchId: number | null;
  dataset: string;
  period: string;
  rows: number;
  stored: number;
  warnings: string[];
  errors: RowError[];
  fileErrors: FileError[];
}

/** Errors kept in full for the report; beyond this the count goes on and TOO_MANY_ERRORS says so. */
export const MAX_REPORTED_ERRORS = 100_000;
const FLUSH_ROWS = 2000;
/** Chunks being encoded on worker threads at once, beyond the one being stored. */
const MAX_IN_FLIGHT = 4;

type Settled = { ok: true; chunk: EncodedChunk } | { ok: false; error: unknown };

class Rejected extends Error {}

function rejected(
  input: ImportInput,
  fileErrors: FileError[],
  extra: Partial<ImportResult> = {},
): ImportResult {
  return {
    status: 'rejected',
    batchId: null,
    dataset: input.datasetCode,
    period: input.period,
    rows: 0,
    stored: 0,
    warnings: [],
    errors: [],
    fileErrors,
    ...extra,
  };
}

/** Identifiers are encrypted and indexed; everything else is kept as parsed (see `encodeRecordRow`). */
export function toRecordRow(
  deps: Pick<Deps, 'crypto'>,
  dataset: DatasetDef,
  rowNumber: number,
  values: Record<string, CellValue>,
): NewRecordRow {
  return encodeRecordRow(deps.crypto, dataset, rowNumber, values);
}

/**
 * A new batch of an upload or push, as it is created (committed, nothing counted yet): the same for a delivery and
 * for a supplementary batch of unidentified rows, which passes its own `kind`.
 */
export function newBatch(b: {
  dataset: DatasetDef;
  period: ParsedPeriod;
  departmentCode: string;
  input: ImportInput;
  actor: Actor;
  fp: { sm3: string; bytes: number };
  at: string;
  today: string;
}): Omit<BatchRecord, 'id'> {
  const { dataset, period, input } = b;
  return {
    dataset: dataset.code,
    period: period.label,
    periodFirstMonth: period.firstMonth,
    periodLastMonth: period.lastMonth,
    departmentCode: b.departmentCode,
    organisationId: input.organisationId ?? b.actor.organisationId,
    uploaderUserId: b.actor.userId,
    apiKeyId: input.apiKeyId ?? null,
    source: input.source,
    fileName: input.fileName,
    fingerprint: b.fp.sm3,
    bytes: b.fp.bytes,
    format: input.pushed?.format ?? 'unknown',
    encoding: null,
    rowsRead: 0,
    rowsStored: 0,
    duplicateRows: 0,
    unmatchedRows: null,
    errorCount: 0,
    errors: '{}',
    status: 'committed',
    supersededBy: null,
    dataAsOf:
      input.asOf ??
      (dataset.kind === 'periodic'
        ? ([lastDayOfMonth(period.lastMonth), b.today].sort()[0] as string)
        : b.today),
    createdAt: b.at,
    finishedAt: null,
    retractedAt: null,
    retractedBy: null,
    retractReason: null,
    reportFile: null,
    exchangeId: null,
  };
}

export function departmentOf(
  dataset: DatasetDef,
  input: ImportInput,
  actor: Actor,
  actorDepartment: string | null,
): string {
  const deliverers = [dataset.departmentCode, ...(dataset.otherDepartmentCodes ?? [])];
  if (actor.roles.includes('department_officer')) {
    if (actorDepartment === null || !deliverers.includes(actorDepartment))
      throw new AppError(
        'PERMISSION_DENIED',
        `数据集「${dataset.name}」由${dataset.departmentName}等部门报送，您所在部门无权上传`,
      );
    return actorDepartment;
  }
  const code = input.departmentCode ?? dataset.departmentCode;
  if (!deliverers.includes(code))
    throw new AppError(
      'VALIDATION_FAILED',
      `数据集「${dataset.name}」由 ${deliverers.join('、')} 报送，不是 ${code}`,
    );
  return code;
}

/**
 * One upload or push becomes one batch, all or nothing: every row is validated and every error
 * reported; if any row fails nothing is stored. Rows are written inside one transaction as they
 * stream, so a crash at any point leaves either the whole batch or nothing.
 */
export async function importBatch(deps: Deps, input: ImportInput, actor: Actor): Promise<ImportResult> {
  const dataset = findDataset(input.datasetCode);
  if (!dataset)
    return rejected(input, [
      { code: 'UNKNOWN_DATASET', message: `未知的数据集代码「${input.datasetCode}」` },
    ]);
  const period = parsePeriod(input.period);
  if (!period.ok) return rejected(input, [{ code: 'INVALID_PERIOD', message: period.message }]);
  const periodProblem = checkPeriodForFrequency(dataset.frequency, period.value);
  if (periodProblem) return rejected(input, [periodProblem]);
  const actorOrg = actor.organisationId
    ? await deps.store.organisations.get(actor.organisationId)
    : undefined;
  const departmentCode = departmentOf(dataset, input, actor, actorOrg?.departmentCode ?? null);

  const now = deps.clock.now();
  const at = now.toISOString();
  const today = shanghaiDateOf(now);
  const fp = input.pushed
    ? { sm3: input.pushed.fingerprint, bytes: input.pushed.bytes }
    : await deps.tables.fingerprint(input.path as string);

  const previous = await deps.store.batches.current(dataset.code, period.value.label);
  if (previous && previous.fingerprint === fp.sm3) {
    await deps.store.audit.append(
      actor,
      {
        action: 'BATCH_DUPLICATE',
        outcome: 'success',
        objectType: 'batch',
        objectId: String(previous.id),
        details: { dataset: dataset.code, period: period.value.label, fingerprint: fp.sm3 },
      },
      at,
    );
    return {
      status: 'duplicate',
      batchId: previous.id,
      dataset: dataset.code,
      period: period.value.label,
      rows: previous.rowsRead,
      stored: previous.rowsStored,
      warnings: ['该文件与本期已入库批次完全相同，未作任何变更'],
      errors: [],
      fileErrors: [],
    };
  }

  const base = newBatch({ dataset, period: period.value, departmentCode, input, actor, fp, at, today });

  const fileErrors: FileError[] = [];
  if (dataset.kind === 'periodic') {
    const overlapping = (
      await deps.store.batches.committedOverlapping(
        dataset.code,
        period.value.firstMonth,
        period.value.lastMonth,
      )
    ).filter((b) => b.period !== period.value.label);
    if (overlapping.length > 0)
      fileErrors.push({
        code: 'PERIOD_OVERLAP',
        message: `报送期 ${period.value.label} 与已入库批次的报送期 ${overlapping.map((b) => b.period).join('、')} 部分重叠；同一报送期请整期重报以替代旧批次`,
      });
  }

  let table: TableSource | null = null;
  if (fileErrors.length === 0) {
    if (input.pushed) table = input.pushed.table;
    else {
      const opened = await deps.tables.open(input.path as string);
      if (opened.ok) table = opened.table;
      else fileErrors.push(opened.error);
    }
  }
  const columnIndex = table ? checkHeaders(dataset, table.headers) : null;
  if (columnIndex) fileErrors.push(...columnIndex.errors);

  const errors: RowError[] = [];
  let errorCount = 0;
  let rowsRead = 0;
  let stored = 0;
  let batchId: number | null = null;

  if (fileErrors.length === 0 && table && columnIndex) {
    const source = table;
    const index = columnIndex.columnIndex;
    try {
      await deps.store.transaction(async (tx: Repositories) => {
        // Looked up before the new batch exists: created as committed, it would otherwise find itself.
        // Two uploads of one period at once must not both become current.
        await tx.batches.lockPeriod(dataset.code, period.value.label);
        const superseded = await tx.batches.current(dataset.code, period.value.label);
        const batch = await tx.batches.create({
          ...base,
          format: input.pushed?.format ?? source.format,
          encoding: source.encoding,
        });
        batchId = batch.id;
        const encoder =
          deps.rowEncoder && fp.bytes >= deps.rowEncoder.minBytes
            ? deps.rowEncoder.encoder
            : inlineRowEncoder(deps.crypto, findDataset);
        // Chunks are validated and encoded (on worker threads for a large file) while the next are read and
        // the previous stored, in file order; a few in flight keep every core busy without holding the file.
        const inFlight: Promise<Settled>[] = [];
        const settle = async () => {
          const done = await (inFlight.shift() as Promise<Settled>);
          if (!done.ok) throw done.error;
          errorCount += done.chunk.errorCount;
          for (const e of done.chunk.errors) if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
          if (errorCount === 0)
            stored += await tx.batches.insertRecords(batch.id, dataset.code, done.chunk.records);
        };
        const submit = (rows: EncodeJob['rows']) => {
          inFlight.push(
            encoder
              .encode({
                datasetCode: dataset.code,
                columnIndex: index,
                rows,
                context: { today, period: period.value },
                maxErrors: MAX_REPORTED_ERRORS,
                validateOnly: errorCount > 0,
              })
              .then(
                (chunk): Settled => ({ ok: true, chunk }),
                (error: unknown): Settled => ({ ok: false, error }),
              ),
          );
        };
        let chunk: EncodeJob['rows'] = [];
        try {
          for await (const row of source.rows) {
            rowsRead += 1;
            chunk.push(row);
            if (chunk.length < FLUSH_ROWS) continue;
            submit(chunk);
            chunk = [];
            while (inFlight.length > (encoder.parallel ? MAX_IN_FLIGHT : 0)) await settle();
          }
          if (chunk.length > 0) submit(chunk);
          while (inFlight.length > 0) await settle();
        } finally {
          // A late read error or a failed insert: the chunks still in flight are left to finish unobserved.
          inFlight.length = 0;
        }
        if (rowsRead === 0) fileErrors.push({ code: 'EMPTY_FILE', message: '文件只有表头，没有数据行' });
        if (errorCount > 0 || fileErrors.length > 0) throw new Rejected();
        // Change-driven rechecks: the roster families with a member in this batch, one statement, same transaction.
        const marked = await tx.recheckMarks.markForBatch(batch.id, dataset.code, at);
        if (superseded && superseded.id !== batch.id)
          await tx.batches.update(superseded.id, { status: 'superseded', supersededBy: batch.id });
        const duplicates = rowsRead - stored;
        const warnings = duplicates > 0 ? [`${duplicates} 行与文件中其他行完全相同，只保存一次`] : [];
        await tx.batches.update(batch.id, {
          rowsRead,
          rowsStored: stored,
          duplicateRows: duplicates,
          errors: deps.crypto.encrypt(JSON.stringify({ errors: [], fileErrors: [], warnings })),
          finishedAt: deps.clock.now().toISOString(),
        });
        await tx.audit.append(
          actor,
          {
            action: 'BATCH_COMMITTED',
            outcome: 'success',
            objectType: 'batch',
            objectId: String(batch.id),
            details: {
              dataset: dataset.code,
              period: period.value.label,
              rows: rowsRead,
              stored,
              fingerprint: fp.sm3,
              supersedes: superseded && superseded.id !== batch.id ? superseded.id : null,
              recheckMarks: marked,
            },
          },
          at,
        );
      });
      const warnings =
        rowsRead - stored > 0 ? [`${rowsRead - stored} 行与文件中其他行完全相同，只保存一次`] : [];
      return {
        status: 'committed',
        batchId,
        dataset: dataset.code,
        period: period.value.label,
        rows: rowsRead,
        stored,
        warnings,
        errors: [],
        fileErrors: [],
      };
    } catch (e) {
      if (!(e instanceof Rejected)) {
        const late = deps.tables.asFileError(e);
        if (!late) throw e;
        fileErrors.push(late);
      }
    }
  }

  if (errorCount > errors.length)
    fileErrors.push({
      code: 'TOO_MANY_ERRORS',
      message: `共 ${errorCount} 处错误，报告列出前 ${errors.length} 处；请先修正这些错误后重新上传`,
    });
  return recordRejection(deps, actor, dataset, base, { errors, errorCount, fileErrors, rowsRead, input, at });
}

/** A rejected batch stores no rows, only its outcome (for the department's rejection history) and the error report. */
export async function recordRejection(
  deps: Deps,
  actor: Actor,
  dataset: DatasetDef,
  base: Omit<BatchRecord, 'id'>,
  r: {
    errors: RowError[];
    errorCount: number;
    fileErrors: FileError[];
    rowsRead: number;
    input: ImportInput;
    at: string;
  },
): Promise<ImportResult> {
  const batch = await deps.store.transaction(async (tx) => {
    const b = await tx.batches.create({
      ...base,
      status: 'rejected',
      rowsRead: r.rowsRead,
      errorCount: r.errorCount + r.fileErrors.length,
      // Row errors quote the offending cells, which may be (mistyped) ID numbers: stored encrypted.
      errors: deps.crypto.encrypt(
        JSON.stringify({ errors: r.errors.slice(0, 1000), fileErrors: r.fileErrors, warnings: [] }),
      ),
      finishedAt: deps.clock.now().toISOString(),
    });
    await tx.audit.append(
      actor,
      {
        action: 'BATCH_REJECTED',
        outcome: 'failure',
        objectType: 'batch',
        objectId: String(b.id),
        details: {
          dataset: dataset.code,
          period: base.period,
          rows: r.rowsRead,
          errorCount: r.errorCount,
          fileErrors: r.fileErrors.map((f) => f.code),
        },
      },
      r.at,
    );
    return b;
  });
  if (r.input.path && r.errors.length > 0) {
    const reopened = await deps.tables.open(r.input.path);
    if (reopened.ok) {
      const reportFile = await deps.errorReports.write({
        dataset,
        table: reopened.table,
        errors: r.errors,
        fileErrors: r.fileErrors,
        batchId: batch.id,
      });
      await deps.store.batches.update(batch.id, { reportFile });
    }
  }
  return {
    status: 'rejected',
    batchId: batch.id,
    dataset: dataset.code,
    period: base.period,
    rows: r.rowsRead,
    stored: 0,
    warnings: [],
    errors: r.errors,
    fileErrors: r.fileErrors,
  };
}

import { findDataset } from '../../domain/catalog/datasets.ts';
import { rowKey } from '../../domain/catalog/rows.ts';
import type { DatasetDef, RawCell } from '../../domain/catalog/types.ts';
import {
  checkReply,
  MAX_REPLY_ROWS,
  type ReplyCheck,
  type ReplyFileError,
  type ReplyFinding,
  type ReplyRowError,
  replyDataset,
} from '../../domain/exchange/offline-exchange.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { toRecordRow } from '../ingest/import-batch.ts';
import type { Actor, BatchRecord, Deps, NewRecordRow, OfflineExchangeRecord } from '../ports.ts';
import { auditCaseId, exchangeInScope, exchangePersons } from './exchange-scope.ts';

export interface AnswerExchangeInput {
  exchangeId: number;
  /** The returned workbook. */
  path: string;
  fileName: string | null;
  /** The date the department's findings are as of; the day of the upload when not given. */
  asOf?: string | null;
}

export interface AnswerExchangeResult {
  status: 'answered' | 'rejected';
  exchangeId: number;
  reference: string;
  batchId: number | null;
  /** Reply rows read (blank rows skipped). */
  rows: number;
  /** Records stored. */
  stored: number;
  /** Persons with at least one finding. */
  personsWithRecords: number;
  /** Persons the department answered for with nothing found (已答复无记录). */
  personsWithoutRecords: number;
  warnings: string[];
  errors: ReplyRowError[];
  fileErrors: ReplyFileError[];
}

/**
 * Takes a department's answer to an offline exchange (C§3). The file must carry this export's reference and
 * fingerprint, every row must be about a person of the export and follow the catalog's rules; one problem
 * anywhere and nothing is stored (all problems listed, the refusal audited). Accepted findings become one
 * batch of the department's dataset (source `offline`, bound to the exchange), each record carrying its case;
 * the batch stands beside the department's deliveries and never supersedes them.
 */
export async function answerOfflineExchange(
  deps: Deps,
  input: AnswerExchangeInput,
  actor: Actor,
): Promise<AnswerExchangeResult> {
  const exchange = await exchangeInScope(deps, input.exchangeId, actor);
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = shanghaiDateOf(now);
  if (exchange.status === 'answered') {
    await refuse(deps, actor, exchange, at, { fileErrors: ['EXCHANGE_ALREADY_ANSWERED'], errorCount: 0 });
    throw alreadyAnswered(exchange);
  }
  const dataset = findDataset(exchange.dataset);
  if (!dataset) throw new AppError('NOT_FOUND', `数据集「${exchange.dataset}」已不在目录中`);
  if (input.asOf && !(/^\d{4}-\d{2}-\d{2}$/.test(input.asOf) && input.asOf <= today))
    throw new AppError('VALIDATION_FAILED', '数据截至日期应为 YYYY-MM-DD，且不能晚于今天');

  const fp = await deps.tables.fingerprint(input.path);
  const check = await readReply(deps, exchange, dataset, input.path, fp.bytes, today);
  const result = (extra: Partial<AnswerExchangeResult>): AnswerExchangeResult => ({
    status: 'rejected',
    exchangeId: exchange.id,
    reference: exchange.reference,
    batchId: null,
    rows: check.rowsRead,
    stored: 0,
    personsWithRecords: 0,
    personsWithoutRecords: 0,
    warnings: [],
    errors: check.errors,
    fileErrors: check.fileErrors,
    ...extra,
  });
  if (check.errors.length > 0 || check.fileErrors.length > 0) {
    await refuse(deps, actor, exchange, at, {
      fileErrors: check.fileErrors.map((e) => e.code),
      errorCount: check.errors.length,
    });
    return result({});
  }

  const answered = new Set(check.findings.map((f) => f.person.seq));
  const rows = check.findings.map((f) => recordRow(deps, dataset, f));
  const month = today.slice(0, 7);
  const batch: Omit<BatchRecord, 'id'> = {
    dataset: dataset.code,
    // The month of the answer: it only dates the batch, which takes no part in the delivery schedule.
    period: month,
    periodFirstMonth: month,
    periodLastMonth: month,
    departmentCode: exchange.departmentCode,
    organisationId: actor.organisationId,
    uploaderUserId: actor.userId,
    apiKeyId: null,
    source: 'offline',
    fileName: input.fileName,
    fingerprint: fp.sm3,
    bytes: fp.bytes,
    format: 'xlsx',
    encoding: null,
    rowsRead: check.rowsRead,
    rowsStored: 0,
    duplicateRows: 0,
    unmatchedRows: null,
    errorCount: 0,
    errors: '{}',
    status: 'committed',
    supersededBy: null,
    dataAsOf: input.asOf || today,
    createdAt: at,
    finishedAt: null,
    retractedAt: null,
    retractedBy: null,
    retractReason: null,
    reportFile: null,
    exchangeId: exchange.id,
  };
  const outcome = await deps.store.transaction(async (tx) => {
    const created = await tx.batches.create(batch);
    const stored = await tx.batches.insertRecords(created.id, dataset.code, rows);
    // Change-driven rechecks: the roster families with a member in the reply, one statement, same transaction.
    const recheckMarks = await tx.recheckMarks.markForBatch(created.id, dataset.code, at);
    const duplicates = rows.length - stored;
    const warnings = duplicates > 0 ? [`${duplicates} 条记录与其他行完全相同，只保存一次`] : [];
    await tx.batches.update(created.id, {
      rowsStored: stored,
      duplicateRows: duplicates,
      errors: deps.crypto.encrypt(JSON.stringify({ errors: [], fileErrors: [], warnings })),
      finishedAt: deps.clock.now().toISOString(),
    });
    const marked = await tx.offlineExchanges.markAnswered(exchange.id, {
      answeredAt: at,
      answeredBy: actor.userId,
      batchId: created.id,
    });
    if (!marked) throw alreadyAnswered(exchange);
    await tx.audit.append(
      actor,
      {
        action: 'OFFLINE_EXCHANGE_ANSWERED',
        outcome: 'success',
        objectType: 'offline_exchange',
        objectId: String(exchange.id),
        caseId: auditCaseId(exchange.caseRefs),
        details: {
          reference: exchange.reference,
          batchId: created.id,
          departmentCode: exchange.departmentCode,
          dataset: dataset.code,
          rows: check.rowsRead,
          stored,
          personsWithRecords: answered.size,
          personsWithoutRecords: exchange.personCount - answered.size,
          fingerprint: fp.sm3,
          caseRefs: exchange.caseRefs,
          recheckMarks,
        },
      },
      at,
    );
    return { batchId: created.id, stored, warnings };
  });
  return result({
    status: 'answered',
    ...outcome,
    personsWithRecords: answered.size,
    personsWithoutRecords: exchange.personCount - answered.size,
  });
}

async function readReply(
  deps: Deps,
  exchange: OfflineExchangeRecord,
  dataset: DatasetDef,
  path: string,
  bytes: number,
  today: string,
): Promise<ReplyCheck> {
  const failed = (error: ReplyFileError): ReplyCheck => ({
    errors: [],
    fileErrors: [error],
    findings: [],
    rowsRead: 0,
  });
  const limit = deps.exchangeDocuments.fileSizeLimit;
  if (bytes > limit)
    return failed({
      code: 'FILE_TOO_LARGE',
      message: `离线交换答复文件不能超过 ${Math.round(limit / 1048576)} MB`,
    });
  const opened = await deps.tables.open(path);
  if (!opened.ok) return failed(opened.error);
  if (opened.table.format !== 'xlsx')
    return failed({
      code: 'NOT_AN_EXCHANGE_REPLY',
      message: '请上传平台导出并填写后的XLSX文件（不能另存为CSV）',
    });
  const rows: { rowNumber: number; cells: RawCell[] }[] = [];
  try {
    for await (const row of opened.table.rows) {
      rows.push(row);
      if (rows.length > MAX_REPLY_ROWS)
        return failed({ code: 'FILE_TOO_LARGE', message: `答复文件超过 ${MAX_REPLY_ROWS} 行` });
    }
  } catch (e) {
    const late = deps.tables.asFileError(e);
    if (!late) throw e;
    return failed(late);
  }
  return checkReply({
    dataset,
    persons: exchangePersons(deps, exchange),
    reference: exchange.reference,
    fingerprint: exchange.fingerprint,
    binding: await deps.exchangeDocuments.readBinding(path),
    headers: opened.table.headers,
    rows,
    today,
  });
}

/**
 * A finding as a record, exactly as an upload stores its rows (identifiers encrypted and indexed), with its
 * case. A finding without an ID keeps its 出生日期 among its values and is indexed by it (matched by name and
 * birth date). The case is part of the row hash, so equal findings of two cases are both kept.
 */
function recordRow(deps: Deps, dataset: DatasetDef, finding: ReplyFinding): NewRecordRow {
  const birthColumn = replyDataset(dataset).columns.find((c) => c.key === 'birthDate');
  const ownBirthDate = dataset.columns.some((c) => c.key === 'birthDate');
  // The extra 出生日期 goes last: the record's month is taken from the first date or month column.
  const def =
    finding.withId || ownBirthDate || !birthColumn
      ? dataset
      : { ...dataset, columns: [...dataset.columns, birthColumn] };
  const row = toRecordRow(deps, def, finding.rowNumber, finding.values);
  return {
    ...row,
    rowHash: deps.crypto.rowFingerprint(rowKey({ ...finding.values, caseRef: finding.person.caseRef })),
    caseRef: finding.person.caseRef,
  };
}

function alreadyAnswered(exchange: OfflineExchangeRecord): AppError {
  return new AppError(
    'EXCHANGE_ALREADY_ANSWERED',
    `离线交换「${exchange.reference}」已于 ${exchange.answeredAt ?? ''} 答复入库，不能重复答复；如需更正请重新导出一次`,
  );
}

async function refuse(
  deps: Deps,
  actor: Actor,
  exchange: OfflineExchangeRecord,
  at: string,
  details: { fileErrors: string[]; errorCount: number },
): Promise<void> {
  await deps.store.audit.append(
    actor,
    {
      action: 'OFFLINE_EXCHANGE_REJECTED',
      outcome: 'failure',
      objectType: 'offline_exchange',
      objectId: String(exchange.id),
      caseId: auditCaseId(exchange.caseRefs),
      details: { reference: exchange.reference, ...details },
    },
    at,
  );
}

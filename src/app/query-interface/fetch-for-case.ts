import { randomUUID } from 'node:crypto';
import { sm3Hex } from '../../domain/audit/chain.ts';
import { findDataset } from '../../domain/catalog/datasets.ts';
import type { DatasetDef } from '../../domain/catalog/types.ts';
import { parseIdNumber } from '../../domain/identity/id-number.ts';
import {
  type QueryInterfaceConfig,
  validateQueryInterfaceConfig,
} from '../../domain/query-interface/config.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { toRecordRow } from '../ingest/import-batch.ts';
import type {
  Actor,
  BatchRecord,
  Deps,
  NewRecordRow,
  QueryCallInput,
  QueryCallResult,
  QueryInterfaceRecord,
} from '../ports.ts';
import { datasetName, decryptConfig, departmentName } from './query-interface-view.ts';

/**
 * Calls every enabled query interface (Q§7, SPEC §2 mode 2) about every member of one case and keeps what the
 * departments answered as evidence of that case.
 *
 * - Each call names the case (`caseRef`) and the operator (the actor); members are asked one after the other,
 *   interfaces side by side; the client's timeouts and retries apply to each member's call.
 * - The answers of one interface become ONE batch (source `query`, status `committed`, period = the current
 *   Asia/Shanghai month, data as of today) whose records carry `caseRef`; such batches stand apart from the
 *   departments' deliveries: they supersede nothing and are not superseded, and count in no delivery figure.
 * - A source is `unavailable` as soon as one member's call fails, never an empty `ok`. The records of the members
 *   that were answered are still stored (they are true answers of the department, and the outcome tells the
 *   engine the source is incomplete for this case); the message names the failed members by position (1-based,
 *   in the order given), never by ID number.
 * - One `QUERY_INTERFACE_CALLED` audit entry per interface and call, with the case, in the transaction that
 *   stores its batch.
 */

export interface QuerySourceOutcome {
  interfaceId: number;
  name: string;
  departmentCode: string;
  dataset: string;
  status: 'ok' | 'unavailable';
  /** rows stored for this case; when unavailable, those of the members that were answered (often 0) */
  rowCount: number;
  rejectedRowCount: number;
  reason?: string;
  message?: string; // Chinese, when unavailable or rows were rejected
  attempts: number;
  requestId: string;
}

export interface FetchForCaseInput {
  caseRef: string;
  members: { idNumber: string; name: string }[];
  /** Only these interfaces (a background retry of those that did not answer); absent: every enabled one. */
  interfaceIds?: readonly number[];
}

interface Person {
  /** 1-based position in the input. */
  position: number;
  id18: string;
  name: string;
}

interface Answer {
  person: Person;
  result: QueryCallResult;
}

interface Failure {
  position: number;
  reason: string;
  message: string;
}

interface InterfaceCall {
  record: QueryInterfaceRecord;
  dataset: DatasetDef | undefined;
  requestId: string;
  answers: Answer[];
  failures: Failure[];
  attempts: number;
}

const CASE_REF_MAX = 100;

function where(record: QueryInterfaceRecord): string {
  return `「${departmentName(record.departmentCode)}」${datasetName(record.dataset)}查询接口`;
}

function persons(input: FetchForCaseInput, today: string): Person[] {
  const found: Person[] = [];
  const invalid: number[] = [];
  input.members.forEach((member, index) => {
    const id = parseIdNumber(member.idNumber, { today });
    if (id.ok) found.push({ position: index + 1, id18: id.id18, name: member.name.trim() });
    else invalid.push(index + 1);
  });
  if (invalid.length > 0)
    throw new AppError('VALIDATION_FAILED', `第${invalid.join('、')}位成员的身份证号不正确，无法向部门查询`, {
      members: invalid,
    });
  return found;
}

/** Loads and re-checks the stored configuration: the catalog may have changed since it was saved. */
function configOf(
  deps: Deps,
  record: QueryInterfaceRecord,
): { config: QueryInterfaceConfig } | { error: string } {
  let stored: unknown;
  try {
    stored = decryptConfig(deps.crypto, record);
  } catch {
    return { error: `${where(record)}的配置无法解密，请系统管理员重新保存` };
  }
  const checked = validateQueryInterfaceConfig(stored);
  if (!checked.ok)
    return {
      error: `${where(record)}的配置已不符合数据目录，请系统管理员修改：${checked.errors.map((e) => e.message).join('；')}`,
    };
  return { config: checked.value };
}

async function callInterface(
  deps: Deps,
  record: QueryInterfaceRecord,
  people: Person[],
  base: Omit<QueryCallInput, 'idNumber' | 'name' | 'requestId'>,
): Promise<InterfaceCall> {
  const call: InterfaceCall = {
    record,
    dataset: findDataset(record.dataset),
    requestId: randomUUID(),
    answers: [],
    failures: [],
    attempts: 0,
  };
  const loaded = configOf(deps, record);
  if ('error' in loaded) {
    call.failures = people.map((p) => ({
      position: p.position,
      reason: 'INVALID_CONFIG',
      message: loaded.error,
    }));
    return call;
  }
  for (const person of people) {
    let result: QueryCallResult;
    try {
      result = await deps.queryClient.queryPerson(loaded.config, {
        ...base,
        idNumber: person.id18,
        name: person.name,
        requestId: `${call.requestId}.${person.position}`,
      });
    } catch (e) {
      const detail = e instanceof AppError ? e.message : '内部错误';
      call.failures.push({
        position: person.position,
        reason: 'CLIENT_ERROR',
        message: `${where(record)}调用出错：${detail}`,
      });
      continue;
    }
    call.attempts += result.status === 'ok' ? result.request.attempts : result.attempts;
    if (result.status === 'ok') call.answers.push({ person, result });
    else call.failures.push({ position: person.position, reason: result.reason, message: result.message });
  }
  return call;
}

function rowsOf(deps: Deps, dataset: DatasetDef, caseRef: string, answers: Answer[]): NewRecordRow[] {
  const rows: NewRecordRow[] = [];
  for (const { person, result } of answers) {
    if (result.status !== 'ok') continue;
    for (const values of result.rows) {
      const row = toRecordRow(deps, dataset, rows.length + 1, values);
      rows.push({
        ...row,
        // The department answered about this member: the record is theirs (mapping rejected any other ID).
        personKey: deps.crypto.blindIndex(person.id18),
        idEnc: row.idEnc ?? deps.crypto.encrypt(person.id18),
        caseRef,
      });
    }
  }
  return rows;
}

function rejectionWarnings(answers: Answer[]): string[] {
  return answers.flatMap(({ person, result }) =>
    result.status === 'ok'
      ? result.rejectedRows.map(
          (r) =>
            `第${person.position}位成员的第${r.index + 1}条返回记录未予采用：${r.errors.map((e) => e.message).join('；')}`,
        )
      : [],
  );
}

function outcomeMessage(
  call: InterfaceCall,
  total: number,
  stored: number,
  rejected: number,
): string | undefined {
  const parts: string[] = [];
  if (call.failures.length > 0) {
    const positions = call.failures.map((f) => f.position).join('、');
    const reasons = [...new Set(call.failures.map((f) => f.message))].join('；');
    parts.push(`第${positions}位成员查询失败（共${total}位），未取得其数据：${reasons}`);
    if (call.answers.length > 0)
      parts.push(`其余${call.answers.length}位成员已查询，保存记录${stored}条，但该数据源对本案不完整`);
  }
  if (rejected > 0) parts.push(`${where(call.record)}返回的${rejected}条记录不符合数据目录规则，未予采用`);
  return parts.length > 0 ? parts.join('。') : undefined;
}

async function storeCall(
  deps: Deps,
  call: InterfaceCall,
  caseRef: string,
  total: number,
  actor: Actor,
): Promise<{ batchId: number | null; outcome: QuerySourceOutcome }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = shanghaiDateOf(now);
  const month = today.slice(0, 7);
  const { record, dataset } = call;
  const rows = dataset ? rowsOf(deps, dataset, caseRef, call.answers) : [];
  const rejectedRowCount = call.answers.reduce(
    (n, a) => n + (a.result.status === 'ok' ? a.result.rejectedRows.length : 0),
    0,
  );
  const warnings = rejectionWarnings(call.answers);
  const requestIds = call.answers.map((a) =>
    a.result.status === 'ok' ? a.result.request.requestId : a.result.requestId,
  );

  return deps.store.transaction(async (tx) => {
    let batchId: number | null = null;
    let stored = 0;
    if (dataset && call.answers.length > 0) {
      const batch: Omit<BatchRecord, 'id'> = {
        dataset: dataset.code,
        period: month,
        periodFirstMonth: month,
        periodLastMonth: month,
        departmentCode: record.departmentCode,
        organisationId: actor.organisationId,
        uploaderUserId: actor.userId,
        apiKeyId: null,
        source: 'query',
        fileName: null,
        fingerprint: sm3Hex(`query:${caseRef}:${requestIds.join(',')}`),
        bytes: 0,
        format: 'json',
        encoding: null,
        rowsRead: rows.length + rejectedRowCount,
        rowsStored: 0,
        duplicateRows: 0,
        unmatchedRows: null,
        errorCount: rejectedRowCount,
        errors: '{}',
        status: 'committed',
        supersededBy: null,
        dataAsOf: today,
        createdAt: at,
        finishedAt: null,
        retractedAt: null,
        retractedBy: null,
        retractReason: null,
        reportFile: null,
        exchangeId: null,
      };
      const created = await tx.batches.create(batch);
      batchId = created.id;
      stored = await tx.batches.insertRecords(created.id, dataset.code, rows);
      await tx.batches.update(created.id, {
        rowsStored: stored,
        duplicateRows: rows.length - stored,
        // Rejection messages may quote (masked) ID numbers and cell values: kept encrypted, like upload errors.
        errors: deps.crypto.encrypt(JSON.stringify({ errors: [], fileErrors: [], warnings })),
        finishedAt: deps.clock.now().toISOString(),
      });
    }
    const status = call.failures.length > 0 ? 'unavailable' : 'ok';
    const first = call.failures[0];
    const message = outcomeMessage(call, total, stored, rejectedRowCount);
    const outcome: QuerySourceOutcome = {
      interfaceId: record.id,
      name: record.name,
      departmentCode: record.departmentCode,
      dataset: record.dataset,
      status,
      rowCount: stored,
      rejectedRowCount,
      ...(first ? { reason: first.reason } : {}),
      ...(message ? { message } : {}),
      attempts: call.attempts,
      requestId: call.requestId,
    };
    await tx.audit.append(
      actor,
      {
        action: 'QUERY_INTERFACE_CALLED',
        outcome: status === 'ok' ? 'success' : 'failure',
        objectType: 'query_interface',
        objectId: String(record.id),
        caseId: caseRef,
        details: {
          interfaceId: record.id,
          departmentCode: record.departmentCode,
          dataset: record.dataset,
          status,
          members: total,
          failedMembers: call.failures.map((f) => f.position),
          reason: first?.reason ?? null,
          attempts: call.attempts,
          rowsStored: stored,
          rejectedRowCount,
          batchId,
          requestId: call.requestId,
        },
      },
      at,
    );
    return { batchId, outcome };
  });
}

export async function fetchQueryInterfaceRecords(
  deps: Deps,
  input: FetchForCaseInput,
  actor: Actor,
): Promise<{ batchIds: number[]; sources: QuerySourceOutcome[] }> {
  const caseRef = input.caseRef.trim();
  if (caseRef === '' || caseRef.length > CASE_REF_MAX)
    throw new AppError('VALIDATION_FAILED', `案件编号须为 1–${CASE_REF_MAX} 个字符`);
  const people = persons(input, shanghaiDateOf(deps.clock.now()));
  if (people.length === 0) return { batchIds: [], sources: [] };

  const enabled = await deps.store.queryInterfaces.list({ enabledOnly: true });
  const only = input.interfaceIds ? new Set(input.interfaceIds) : null;
  const interfaces = only ? enabled.filter((record) => only.has(record.id)) : enabled;
  const base = {
    caseNumber: caseRef,
    // A scheduled recheck has no user; the department still learns who asked.
    operator: { userId: actor.userId === null ? 'system' : String(actor.userId), name: actor.name ?? '系统' },
  };
  // Departments are called side by side; their answers are stored one after the other (one writer on SQLite).
  const calls = await Promise.all(interfaces.map((record) => callInterface(deps, record, people, base)));
  const batchIds: number[] = [];
  const sources: QuerySourceOutcome[] = [];
  for (const call of calls) {
    const { batchId, outcome } = await storeCall(deps, call, caseRef, people.length, actor);
    if (batchId !== null) batchIds.push(batchId);
    sources.push(outcome);
  }
  return { batchIds, sources };
}

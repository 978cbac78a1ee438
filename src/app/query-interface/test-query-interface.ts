import { randomBytes } from 'node:crypto';
import { maskIdNumber, parseIdNumber } from '../../domain/identity/id-number.ts';
import { validateQueryInterfaceConfig } from '../../domain/query-interface/config.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps } from '../ports.ts';
import { decryptConfig, queryInterfaceOrThrow } from './query-interface-view.ts';
import { departmentInScope } from './save-query-interface.ts';

/**
 * "测试连接": one real call to a department's interface (enabled or not) about a person the administrator
 * names, under a case number of its own (`TEST-YYYYMMDD-xxxxxx`) so the department can tell tests from cases.
 * The answer says whether the source works and how many records it returned — never their values. The rows
 * are not stored. Audited as `QUERY_INTERFACE_TESTED` (the person's ID number only masked).
 */

export interface TestQueryInterfaceInput {
  idNumber: string;
  name?: string | null;
}

export interface QueryProblem {
  /** The column's Chinese header; empty for a problem with the whole record. */
  column: string;
  code: string;
}

export interface QueryTestResult {
  interfaceId: number;
  status: 'ok' | 'unavailable';
  caseNumber: string;
  requestId: string;
  attempts: number;
  durationMs: number;
  rowCount: number;
  rejectedRowCount: number;
  /** Which columns failed the catalog rules in rejected records (no values), to correct the field map. */
  problems: QueryProblem[];
  reason?: string;
  httpStatus?: number;
  /** Chinese. */
  message?: string;
}

export async function testQueryInterface(
  deps: Deps,
  id: number,
  input: TestQueryInterfaceInput,
  actor: Actor,
): Promise<QueryTestResult> {
  const record = await queryInterfaceOrThrow(deps.store, id);
  await departmentInScope(deps.store, actor, record.departmentCode);
  const started = deps.clock.now();
  const today = shanghaiDateOf(started);
  const person = parseIdNumber(input.idNumber, { today });
  if (!person.ok)
    throw new AppError('VALIDATION_FAILED', `测试用身份证号不正确：${person.message}`, {
      errors: [{ path: 'idNumber', code: person.code, message: person.message }],
    });
  const checked = validateQueryInterfaceConfig(decryptConfig(deps.crypto, record));
  if (!checked.ok)
    throw new AppError('VALIDATION_FAILED', '查询接口配置已不符合数据目录，请先修改配置', {
      errors: checked.errors,
    });

  const caseNumber = `TEST-${today.replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
  const result = await deps.queryClient.queryPerson(checked.value, {
    caseNumber,
    operator: { userId: String(actor.userId ?? 'system'), name: actor.name ?? '' },
    idNumber: person.id18,
    name: input.name?.trim() ?? '',
  });
  const durationMs = Math.max(0, deps.clock.now().getTime() - started.getTime());

  const outcome: QueryTestResult =
    result.status === 'ok'
      ? {
          interfaceId: id,
          status: 'ok',
          caseNumber,
          requestId: result.request.requestId,
          attempts: result.request.attempts,
          durationMs,
          rowCount: result.rows.length,
          rejectedRowCount: result.rejectedRows.length,
          problems: distinctProblems(result.rejectedRows.flatMap((r) => r.errors)),
          ...(result.rejectedRows.length > 0
            ? { message: `返回的 ${result.rejectedRows.length} 条记录不符合数据目录规则，将不予采用` }
            : {}),
        }
      : {
          interfaceId: id,
          status: 'unavailable',
          caseNumber,
          requestId: result.requestId,
          attempts: result.attempts,
          durationMs,
          rowCount: 0,
          rejectedRowCount: 0,
          problems: [],
          reason: result.reason,
          ...(result.httpStatus === undefined ? {} : { httpStatus: result.httpStatus }),
          message: result.message,
        };

  await deps.store.audit.append(
    actor,
    {
      action: 'QUERY_INTERFACE_TESTED',
      outcome: outcome.status === 'ok' ? 'success' : 'failure',
      objectType: 'query_interface',
      objectId: String(id),
      caseId: caseNumber,
      details: {
        interfaceId: id,
        departmentCode: record.departmentCode,
        dataset: record.dataset,
        person: maskIdNumber(person.id18),
        status: outcome.status,
        reason: outcome.reason ?? null,
        attempts: outcome.attempts,
        rowCount: outcome.rowCount,
        rejectedRowCount: outcome.rejectedRowCount,
        requestId: outcome.requestId,
      },
    },
    deps.clock.now().toISOString(),
  );
  return outcome;
}

function distinctProblems(errors: { column: string; code: string }[]): QueryProblem[] {
  const seen = new Map<string, QueryProblem>();
  for (const e of errors) seen.set(`${e.column}\u0000${e.code}`, { column: e.column, code: e.code });
  return [...seen.values()];
}

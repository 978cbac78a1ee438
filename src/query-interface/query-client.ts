import { randomUUID } from 'node:crypto';
import { DEPARTMENTS, findDataset, isDepartmentCode } from '../domain/catalog/datasets.ts';
import type { CellValue } from '../domain/catalog/types.ts';
import { parseIdNumber } from '../domain/identity/id-number.ts';
import { type QueryInterfaceConfig, readPath } from '../domain/query-interface/config.ts';
import { mapRecord, type QueryRowError } from '../domain/query-interface/mapping.ts';
import { shanghaiDateOf } from '../domain/shared/clock.ts';
import { AppError } from '../domain/shared/errors.ts';

/**
 * Calls a department's query interface for one member of a case (SPEC §2 mode 2). Every attempt names the case
 * and the operator; failures end in an explicit `unavailable` result, never in an empty list of rows.
 */

export interface QueryPersonInput {
  caseNumber: string;
  operator: { userId: string; name: string };
  /** 18-digit ID number (a 15-digit legacy number is upgraded before sending). */
  idNumber: string;
  name: string;
}

export interface QueryClientDeps {
  fetch?: typeof fetch;
  now(): Date;
  sleep?(ms: number): Promise<void>;
  /** Request id generator; one id per call, shared by its retries. */
  requestId?(): string;
}

export type UnavailableReason = 'TIMEOUT' | 'HTTP_ERROR' | 'NETWORK_ERROR' | 'BAD_RESPONSE';

export interface QueryRequestInfo {
  attempts: number;
  durationMs: number;
  requestId: string;
}

export type QueryPersonResult =
  | {
      status: 'ok';
      departmentCode: string;
      dataset: string;
      rows: Record<string, CellValue>[];
      /** Records the department returned that fail the catalog rules; `index` is the position in its array. */
      rejectedRows: { index: number; errors: QueryRowError[] }[];
      request: QueryRequestInfo;
      /** ISO instant of the answer used. */
      respondedAt: string;
    }
  | {
      status: 'unavailable';
      departmentCode: string;
      dataset: string;
      reason: UnavailableReason;
      httpStatus?: number;
      /** Chinese; never contains a credential or the person's ID number. */
      message: string;
      attempts: number;
      requestId: string;
    };

/** The longest wait a `Retry-After` header can impose; a longer one is cut to this. */
export const MAX_RETRY_AFTER_MS = 10_000;
/** Answers above this size are refused as BAD_RESPONSE. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

type Attempt =
  | { kind: 'answer'; status: number; body: string; respondedAt: Date }
  | {
      kind: 'failure';
      reason: UnavailableReason;
      retryable: boolean;
      httpStatus?: number;
      detail: string;
      waitMs?: number;
    };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function authHeader(config: QueryInterfaceConfig): [string, string] | undefined {
  const { auth } = config;
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'bearer':
      return ['Authorization', `Bearer ${auth.token}`];
    case 'basic':
      return [
        'Authorization',
        `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`,
      ];
    case 'header':
      return [auth.name, auth.value];
  }
}

/** Header values must be Latin-1; names and case numbers may be Chinese, so they travel percent-encoded (UTF-8). */
function headerText(value: string): string {
  return encodeURIComponent(value);
}

function buildRequest(
  config: QueryInterfaceConfig,
  input: QueryPersonInput,
  id18: string,
  requestId: string,
  attempt: number,
): { url: string; init: RequestInit } {
  const { request } = config;
  const headers = new Headers({
    Accept: 'application/json',
    'X-Hedui-Case': headerText(input.caseNumber),
    'X-Hedui-Operator': headerText(input.operator.userId),
    'X-Hedui-Operator-Name': headerText(input.operator.name),
    'X-Request-Id': requestId,
    'X-Hedui-Attempt': String(attempt),
  });
  const auth = authHeader(config);
  if (auth) headers.set(auth[0], auth[1]);

  const url = new URL(config.url);
  if (request.method === 'GET') {
    url.searchParams.set(request.idField, id18);
    if (request.nameField !== null) url.searchParams.set(request.nameField, input.name);
    url.searchParams.set(request.caseField, input.caseNumber);
    url.searchParams.set(request.operatorField, input.operator.userId);
    url.searchParams.set(`${request.operatorField}Name`, input.operator.name);
    return { url: url.toString(), init: { method: 'GET', headers } };
  }
  const body: Record<string, unknown> = { [request.idField]: id18 };
  if (request.nameField !== null) body[request.nameField] = input.name;
  body[request.caseField] = input.caseNumber;
  body[request.operatorField] = { userId: input.operator.userId, name: input.operator.name };
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return { url: url.toString(), init: { method: 'POST', headers, body: JSON.stringify(body) } };
}

/** `Retry-After` as seconds or an HTTP date, capped; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  let ms: number | undefined;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) ms = Math.max(0, at - now.getTime());
  }
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

async function attemptOnce(
  doFetch: typeof fetch,
  config: QueryInterfaceConfig,
  built: { url: string; init: RequestInit },
  now: () => Date,
): Promise<Attempt> {
  try {
    // Redirects are not followed: a credential must never travel to a host nobody configured.
    const response = await doFetch(built.url, {
      ...built.init,
      redirect: 'manual',
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > MAX_RESPONSE_BYTES) {
      await response.body?.cancel();
      return { kind: 'failure', reason: 'BAD_RESPONSE', retryable: false, detail: '返回内容超过5MB' };
    }
    const body = await response.text();
    if (Buffer.byteLength(body, 'utf8') > MAX_RESPONSE_BYTES) {
      return { kind: 'failure', reason: 'BAD_RESPONSE', retryable: false, detail: '返回内容超过5MB' };
    }
    if (response.status >= 200 && response.status < 300) {
      return { kind: 'answer', status: response.status, body, respondedAt: now() };
    }
    const status = response.status;
    const retryable = status === 429 || status >= 500;
    const waitMs = retryable ? retryAfterMs(response.headers.get('retry-after'), now()) : undefined;
    const detail =
      status >= 300 && status < 400
        ? `接口返回重定向（HTTP ${status}），平台不跟随重定向，请核对接口地址`
        : status === 401 || status === 403
          ? `接口拒绝访问（HTTP ${status}），请核对认证配置`
          : status === 429
            ? '接口繁忙，请求过于频繁（HTTP 429）'
            : `接口返回错误（HTTP ${status}）`;
    return { kind: 'failure', reason: 'HTTP_ERROR', retryable, httpStatus: status, detail, waitMs };
  } catch (error) {
    if (isTimeout(error)) {
      return {
        kind: 'failure',
        reason: 'TIMEOUT',
        retryable: true,
        detail: `接口在${config.timeoutMs}毫秒内未响应`,
      };
    }
    return {
      kind: 'failure',
      reason: 'NETWORK_ERROR',
      retryable: true,
      detail: '无法连接到接口（网络错误）',
    };
  }
}

function departmentLabel(code: string): string {
  return isDepartmentCode(code) ? DEPARTMENTS[code] : code;
}

/**
 * Queries one person. Retries timeouts, network errors, 5xx and 429 with exponential backoff (or the server's
 * `Retry-After`, capped); any other 4xx and any unreadable answer end at once. A 200 with an empty array is a
 * real "nothing found"; a 200 without an array at `rowsPath` is BAD_RESPONSE.
 */
export async function queryPerson(
  config: QueryInterfaceConfig,
  input: QueryPersonInput,
  deps: QueryClientDeps,
): Promise<QueryPersonResult> {
  const dataset = findDataset(config.dataset);
  if (!dataset) throw new AppError('VALIDATION_FAILED', `数据目录中没有数据集「${config.dataset}」`);
  const startedAt = deps.now();
  const today = shanghaiDateOf(startedAt);
  const id = parseIdNumber(input.idNumber, { today });
  if (!id.ok) throw new AppError('VALIDATION_FAILED', `所查询人员的身份证号不正确：${id.message}`);
  if (input.caseNumber.trim() === '') throw new AppError('VALIDATION_FAILED', '查询必须注明案件编号');
  if (input.operator.userId.trim() === '') throw new AppError('VALIDATION_FAILED', '查询必须注明经办人');

  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? defaultSleep;
  const requestId = deps.requestId?.() ?? randomUUID();
  const maxAttempts = config.retries + 1;
  const where = `「${departmentLabel(config.departmentCode)}」${dataset.name}查询接口`;
  const base = { departmentCode: config.departmentCode, dataset: dataset.code };

  let attempts = 0;
  for (;;) {
    attempts += 1;
    const built = buildRequest(config, input, id.id18, requestId, attempts);
    const outcome = await attemptOnce(doFetch, config, built, deps.now);

    if (outcome.kind === 'answer') {
      const unavailable = (detail: string): QueryPersonResult => ({
        ...base,
        status: 'unavailable',
        reason: 'BAD_RESPONSE',
        httpStatus: outcome.status,
        message: `${where}返回的内容无法识别：${detail}`,
        attempts,
        requestId,
      });
      let parsed: unknown;
      try {
        parsed = JSON.parse(outcome.body);
      } catch {
        return unavailable('不是有效的JSON');
      }
      const records = readPath(parsed, config.response.rowsPath);
      if (!Array.isArray(records)) {
        const path = config.response.rowsPath === '' ? '返回结果本身' : `「${config.response.rowsPath}」`;
        return unavailable(
          records === undefined ? `缺少记录数组${path}` : `${path}不是数组，无法判断是否查到记录`,
        );
      }
      const rows: Record<string, CellValue>[] = [];
      const rejectedRows: { index: number; errors: QueryRowError[] }[] = [];
      records.forEach((record: unknown, index) => {
        const mapped = mapRecord(
          dataset,
          config.response.fieldMap,
          record,
          { idNumber: id.id18, name: input.name },
          { today },
        );
        if (mapped.ok) rows.push(mapped.values);
        else rejectedRows.push({ index, errors: mapped.errors });
      });
      return {
        ...base,
        status: 'ok',
        rows,
        rejectedRows,
        request: {
          attempts,
          durationMs: Math.max(0, outcome.respondedAt.getTime() - startedAt.getTime()),
          requestId,
        },
        respondedAt: outcome.respondedAt.toISOString(),
      };
    }

    if (!outcome.retryable || attempts >= maxAttempts) {
      const tried = attempts > 1 ? `（共尝试${attempts}次）` : '';
      return {
        ...base,
        status: 'unavailable',
        reason: outcome.reason,
        ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
        message: `${where}暂不可用：${outcome.detail}${tried}`,
        attempts,
        requestId,
      };
    }
    const backoff = config.backoffMs * 2 ** (attempts - 1);
    await sleep(outcome.waitMs ?? backoff);
  }
}

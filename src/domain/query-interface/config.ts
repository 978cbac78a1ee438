import { DEPARTMENTS, datasetsOfDepartment, findDataset, isDepartmentCode } from '../catalog/datasets.ts';
import { normalizeHeader } from '../catalog/rows.ts';
import type { DatasetDef } from '../catalog/types.ts';

/**
 * A department's data query interface (SPEC §2 mode 2, Q§7 "提供数据查询接口"): where the platform calls, how it
 * authenticates, what it sends per person and how the answer maps onto the columns of a catalog dataset.
 * Pure rules only; the HTTP adapter lives in `src/query-interface/`.
 */

export type QueryInterfaceAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'header'; name: string; value: string };

export type QueryInterfaceMethod = 'POST' | 'GET';

export interface QueryInterfaceRequestConfig {
  /** Field carrying the 18-digit ID number. */
  idField: string;
  /** Field carrying the person's name; null sends no name. */
  nameField: string | null;
  /** Field carrying the case number (every call names its case, SPEC §2). */
  caseField: string;
  /**
   * Field carrying the operator. POST sends `{ userId, name }` under it; GET sends the user id under it and the
   * name under `<operatorField>Name`.
   */
  operatorField: string;
  method: QueryInterfaceMethod;
}

export interface QueryInterfaceResponseConfig {
  /** Dot path to the array of records in the JSON body, e.g. `data.records`; empty when the body is the array. */
  rowsPath: string;
  /** Catalog column key → dot path of the value inside one record. Keys are normalised from headers or keys. */
  fieldMap: Record<string, string>;
}

export interface QueryInterfaceConfig {
  departmentCode: string;
  /** Catalog dataset code, e.g. `vehicle`. */
  dataset: string;
  url: string;
  auth: QueryInterfaceAuth;
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  /** Further attempts after the first one fails with a timeout, a network error, 5xx or 429. */
  retries: number;
  /** First wait between attempts; doubles after each retry. */
  backoffMs: number;
  request: QueryInterfaceRequestConfig;
  response: QueryInterfaceResponseConfig;
}

export const QUERY_CONFIG_ERROR_CODES = [
  'REQUIRED',
  'INVALID_TYPE',
  'UNKNOWN_FIELD',
  'UNKNOWN_DEPARTMENT',
  'UNKNOWN_DATASET',
  'DATASET_NOT_OF_DEPARTMENT',
  'INVALID_URL',
  'INSECURE_URL',
  'CREDENTIALS_IN_URL',
  'OUT_OF_RANGE',
  'INVALID_AUTH',
  'INVALID_HEADER',
  'RESERVED_HEADER',
  'INVALID_FIELD_NAME',
  'DUPLICATE_FIELD_NAME',
  'INVALID_PATH',
  'UNKNOWN_COLUMN',
  'DUPLICATE_COLUMN',
  'MISSING_MAPPING',
] as const;
export type QueryConfigErrorCode = (typeof QUERY_CONFIG_ERROR_CODES)[number];

export interface QueryConfigError {
  /** Dot path of the offending setting, e.g. `response.fieldMap.号牌号码`. */
  path: string;
  code: QueryConfigErrorCode;
  /** Chinese; never contains a credential. */
  message: string;
}

export type QueryConfigValidation =
  | { ok: true; value: QueryInterfaceConfig }
  | { ok: false; errors: QueryConfigError[] };

export const QUERY_TIMEOUT_MS = { default: 5000, min: 100, max: 60_000 } as const;
export const QUERY_RETRIES = { default: 2, min: 0, max: 5 } as const;
export const QUERY_BACKOFF_MS = { default: 200, min: 0, max: 10_000 } as const;

/** Headers the platform sets itself on every call; a department's auth header may not replace them. */
export const RESERVED_HEADERS: readonly string[] = [
  'x-hedui-case',
  'x-hedui-operator',
  'x-hedui-operator-name',
  'x-hedui-attempt',
  'x-request-id',
  'content-type',
  'content-length',
  'accept',
  'host',
  'connection',
  'transfer-encoding',
];

/** Columns the adapter fills from the person asked about when the department's record does not carry them. */
export const PERSON_COLUMNS: readonly string[] = ['idNumber', 'name'];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const PATH_SEGMENT = /^[^.\s]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII and spaces/tabs inside; CR, LF and non-ASCII cannot travel in a header. */
const HEADER_VALUE = /^[\x21-\x7E]([\x20-\x7E\t]*[\x21-\x7E])?$/;
const FORBIDDEN_PATH_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

const TOP_FIELDS = [
  'departmentCode',
  'dataset',
  'url',
  'auth',
  'timeoutMs',
  'retries',
  'backoffMs',
  'request',
  'response',
];
const REQUEST_FIELDS = ['idField', 'nameField', 'caseField', 'operatorField', 'method'];
const RESPONSE_FIELDS = ['rowsPath', 'fieldMap'];
const AUTH_FIELDS: Record<QueryInterfaceAuth['kind'], readonly string[]> = {
  none: ['kind'],
  bearer: ['kind', 'token'],
  basic: ['kind', 'username', 'password'],
  header: ['kind', 'name', 'value'],
};

type Errors = QueryConfigError[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(
  input: Record<string, unknown>,
  allowed: readonly string[],
  prefix: string,
  errors: Errors,
) {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) {
      errors.push({ path: join(prefix, key), code: 'UNKNOWN_FIELD', message: `不认识的配置项「${key}」` });
    }
  }
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

function requiredText(
  input: Record<string, unknown>,
  key: string,
  path: string,
  label: string,
  errors: Errors,
) {
  const value = input[key];
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    errors.push({ path, code: 'REQUIRED', message: `请填写${label}` });
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.push({ path, code: 'INVALID_TYPE', message: `${label}应为文本` });
    return undefined;
  }
  return value.trim();
}

function integerInRange(
  input: Record<string, unknown>,
  key: string,
  range: { default: number; min: number; max: number },
  label: string,
  errors: Errors,
): number {
  const value = input[key];
  if (value === undefined || value === null) return range.default;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    errors.push({ path: key, code: 'INVALID_TYPE', message: `${label}应为整数` });
    return range.default;
  }
  if (value < range.min || value > range.max) {
    errors.push({
      path: key,
      code: 'OUT_OF_RANGE',
      message: `${label}应在${range.min}至${range.max}之间，实际为${value}`,
    });
  }
  return value;
}

/** Plain HTTP only to the machine itself (tests, a local relay); anything else must be HTTPS. */
function checkUrl(input: Record<string, unknown>, errors: Errors): string | undefined {
  const text = requiredText(input, 'url', 'url', '接口地址', errors);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    errors.push({ path: 'url', code: 'INVALID_URL', message: '接口地址不是有效的网址' });
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    errors.push({ path: 'url', code: 'INVALID_URL', message: '接口地址必须以 https:// 开头' });
    return undefined;
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    errors.push({
      path: 'url',
      code: 'INSECURE_URL',
      message: '接口地址必须使用 https；明文 http 只允许本机地址（127.0.0.1、localhost）',
    });
  }
  if (url.username !== '' || url.password !== '') {
    errors.push({
      path: 'url',
      code: 'CREDENTIALS_IN_URL',
      message: '接口地址中不能包含用户名或密码，请在认证方式中配置',
    });
  }
  if (url.hash !== '') {
    errors.push({ path: 'url', code: 'INVALID_URL', message: '接口地址不能包含 # 片段' });
  }
  return url.toString();
}

function secret(
  input: Record<string, unknown>,
  key: string,
  label: string,
  errors: Errors,
  pattern: RegExp = HEADER_VALUE,
): string {
  const value = input[key];
  const path = `auth.${key}`;
  if (typeof value !== 'string' || value === '') {
    errors.push({ path, code: 'REQUIRED', message: `请填写${label}` });
    return '';
  }
  // The value itself is never quoted back: it is a credential.
  if (!pattern.test(value)) {
    errors.push({
      path,
      code: 'INVALID_AUTH',
      message: `${label}只能包含可见的英文字符，不能有换行、首尾空格或中文`,
    });
  }
  return value;
}

function checkAuth(input: Record<string, unknown>, errors: Errors): QueryInterfaceAuth {
  const raw = input.auth ?? { kind: 'none' };
  if (!isRecord(raw)) {
    errors.push({ path: 'auth', code: 'INVALID_TYPE', message: '认证方式配置格式不正确' });
    return { kind: 'none' };
  }
  const kind = raw.kind;
  if (kind !== 'none' && kind !== 'bearer' && kind !== 'basic' && kind !== 'header') {
    errors.push({
      path: 'auth.kind',
      code: 'INVALID_AUTH',
      message: '认证方式只能是 none、bearer、basic 或 header',
    });
    return { kind: 'none' };
  }
  unknownFields(raw, AUTH_FIELDS[kind], 'auth', errors);
  switch (kind) {
    case 'none':
      return { kind };
    case 'bearer':
      return { kind, token: secret(raw, 'token', '访问令牌', errors) };
    case 'basic': {
      const username = secret(raw, 'username', '用户名', errors, /^[\x21-\x39\x3B-\x7E]+$/);
      const password = secret(raw, 'password', '密码', errors, /^[\x20-\x7E]+$/);
      return { kind, username, password };
    }
    case 'header': {
      const name = raw.name;
      if (typeof name !== 'string' || name === '') {
        errors.push({ path: 'auth.name', code: 'REQUIRED', message: '请填写认证请求头名称' });
      } else if (!HEADER_NAME.test(name)) {
        errors.push({
          path: 'auth.name',
          code: 'INVALID_HEADER',
          message: `「${name}」不是有效的请求头名称`,
        });
      } else if (RESERVED_HEADERS.includes(name.toLowerCase())) {
        errors.push({
          path: 'auth.name',
          code: 'RESERVED_HEADER',
          message: `请求头「${name}」由平台设置，不能用于认证`,
        });
      }
      const value = secret(raw, 'value', '认证请求头的值', errors);
      return { kind, name: typeof name === 'string' ? name : '', value };
    }
  }
}

function fieldName(
  input: Record<string, unknown>,
  key: string,
  fallback: string,
  label: string,
  errors: Errors,
): string {
  const value = input[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !FIELD_NAME.test(value)) {
    errors.push({
      path: `request.${key}`,
      code: 'INVALID_FIELD_NAME',
      message: `${label}应为英文字母开头的字段名（字母、数字、_ . -，最长64个字符）`,
    });
    return fallback;
  }
  return value;
}

function checkRequest(input: Record<string, unknown>, errors: Errors): QueryInterfaceRequestConfig {
  const raw = input.request ?? {};
  if (!isRecord(raw)) {
    errors.push({ path: 'request', code: 'INVALID_TYPE', message: '请求配置格式不正确' });
    return {
      idField: 'idNumber',
      nameField: 'name',
      caseField: 'caseNumber',
      operatorField: 'operator',
      method: 'POST',
    };
  }
  unknownFields(raw, REQUEST_FIELDS, 'request', errors);
  const method = raw.method ?? 'POST';
  if (method !== 'POST' && method !== 'GET') {
    errors.push({ path: 'request.method', code: 'INVALID_TYPE', message: '请求方式只能是 POST 或 GET' });
  }
  const request: QueryInterfaceRequestConfig = {
    idField: fieldName(raw, 'idField', 'idNumber', '身份证号字段', errors),
    nameField: raw.nameField === null ? null : fieldName(raw, 'nameField', 'name', '姓名字段', errors),
    caseField: fieldName(raw, 'caseField', 'caseNumber', '案件编号字段', errors),
    operatorField: fieldName(raw, 'operatorField', 'operator', '经办人字段', errors),
    method: method === 'GET' ? 'GET' : 'POST',
  };
  const used = new Map<string, string>();
  const sent: [string, string | null][] = [
    ['idField', request.idField],
    ['nameField', request.nameField],
    ['caseField', request.caseField],
    ['operatorField', request.operatorField],
    ['operatorField', request.method === 'GET' ? `${request.operatorField}Name` : null],
  ];
  for (const [key, name] of sent) {
    if (name === null) continue;
    const other = used.get(name);
    if (other !== undefined && other !== key) {
      errors.push({
        path: `request.${key}`,
        code: 'DUPLICATE_FIELD_NAME',
        message: `字段名「${name}」与 ${other} 重复`,
      });
    }
    used.set(name, key);
  }
  return request;
}

function isPath(value: string): boolean {
  return value
    .split('.')
    .every((segment) => PATH_SEGMENT.test(segment) && !FORBIDDEN_PATH_SEGMENTS.has(segment));
}

function columnKeyOf(dataset: DatasetDef, name: string): string | undefined {
  const wanted = normalizeHeader(name);
  return dataset.columns.find((column) => column.key === wanted || normalizeHeader(column.header) === wanted)
    ?.key;
}

function checkResponse(
  input: Record<string, unknown>,
  dataset: DatasetDef | undefined,
  errors: Errors,
): QueryInterfaceResponseConfig {
  const raw = input.response;
  if (!isRecord(raw)) {
    errors.push({
      path: 'response',
      code: raw === undefined ? 'REQUIRED' : 'INVALID_TYPE',
      message: '请填写返回结果配置（记录所在路径和字段对应关系）',
    });
    return { rowsPath: '', fieldMap: {} };
  }
  unknownFields(raw, RESPONSE_FIELDS, 'response', errors);

  let rowsPath = '';
  if (raw.rowsPath === undefined || raw.rowsPath === null) {
    errors.push({
      path: 'response.rowsPath',
      code: 'REQUIRED',
      message: '请填写记录数组在返回结果中的路径，如 data.records；返回结果本身就是数组时填空字符串',
    });
  } else if (typeof raw.rowsPath !== 'string' || (raw.rowsPath !== '' && !isPath(raw.rowsPath))) {
    errors.push({
      path: 'response.rowsPath',
      code: 'INVALID_PATH',
      message: '记录路径应为以点分隔的字段名，如 data.records',
    });
  } else {
    rowsPath = raw.rowsPath;
  }

  const fieldMap: Record<string, string> = {};
  const mapRaw = raw.fieldMap;
  if (!isRecord(mapRaw)) {
    errors.push({
      path: 'response.fieldMap',
      code: mapRaw === undefined ? 'REQUIRED' : 'INVALID_TYPE',
      message: '请填写字段对应关系：数据目录的列 → 返回记录中的字段',
    });
    return { rowsPath, fieldMap };
  }
  const mappedBy = new Map<string, string>();
  for (const [name, path] of Object.entries(mapRaw)) {
    const entryPath = `response.fieldMap.${name}`;
    const key = dataset ? columnKeyOf(dataset, name) : undefined;
    if (dataset && key === undefined) {
      errors.push({
        path: entryPath,
        code: 'UNKNOWN_COLUMN',
        message: `「${dataset.name}」没有「${name}」这一列`,
      });
      continue;
    }
    const earlier = key === undefined ? undefined : mappedBy.get(key);
    if (earlier !== undefined) {
      errors.push({
        path: entryPath,
        code: 'DUPLICATE_COLUMN',
        message: `「${name}」与「${earlier}」是同一列，只能配置一次`,
      });
      continue;
    }
    if (key !== undefined) mappedBy.set(key, name);
    if (typeof path !== 'string' || !isPath(path)) {
      errors.push({ path: entryPath, code: 'INVALID_PATH', message: `「${name}」对应的字段路径不正确` });
      continue;
    }
    if (key !== undefined) fieldMap[key] = path;
  }
  if (dataset) {
    for (const column of dataset.columns) {
      if (column.required && !PERSON_COLUMNS.includes(column.key) && !mappedBy.has(column.key)) {
        errors.push({
          path: `response.fieldMap.${column.header}`,
          code: 'MISSING_MAPPING',
          message: `必填列「${column.header}」没有配置对应的返回字段`,
        });
      }
    }
  }
  return { rowsPath, fieldMap };
}

/**
 * Checks a configuration as an administrator entered it and fills the defaults. Every problem is reported, not
 * just the first; messages are Chinese and never repeat a credential.
 */
export function validateQueryInterfaceConfig(input: unknown): QueryConfigValidation {
  const errors: Errors = [];
  if (!isRecord(input)) {
    return { ok: false, errors: [{ path: '', code: 'INVALID_TYPE', message: '查询接口配置格式不正确' }] };
  }
  unknownFields(input, TOP_FIELDS, '', errors);

  const departmentCode = requiredText(input, 'departmentCode', 'departmentCode', '部门', errors);
  if (departmentCode !== undefined && !isDepartmentCode(departmentCode)) {
    errors.push({
      path: 'departmentCode',
      code: 'UNKNOWN_DEPARTMENT',
      message: `不认识的部门「${departmentCode}」`,
    });
  }
  const datasetCode = requiredText(input, 'dataset', 'dataset', '数据集', errors);
  let dataset: DatasetDef | undefined;
  if (datasetCode !== undefined) {
    dataset = findDataset(datasetCode);
    if (!dataset) {
      errors.push({
        path: 'dataset',
        code: 'UNKNOWN_DATASET',
        message: `数据目录中没有数据集「${datasetCode}」`,
      });
    } else if (
      departmentCode !== undefined &&
      isDepartmentCode(departmentCode) &&
      !datasetsOfDepartment(departmentCode).some((candidate) => candidate.code === dataset?.code)
    ) {
      errors.push({
        path: 'dataset',
        code: 'DATASET_NOT_OF_DEPARTMENT',
        message: `「${dataset.name}」不由${DEPARTMENTS[departmentCode]}部门提供`,
      });
    }
  }

  const value: QueryInterfaceConfig = {
    departmentCode: departmentCode ?? '',
    dataset: datasetCode ?? '',
    url: checkUrl(input, errors) ?? '',
    auth: checkAuth(input, errors),
    timeoutMs: integerInRange(input, 'timeoutMs', QUERY_TIMEOUT_MS, '超时时间（毫秒）', errors),
    retries: integerInRange(input, 'retries', QUERY_RETRIES, '重试次数', errors),
    backoffMs: integerInRange(input, 'backoffMs', QUERY_BACKOFF_MS, '重试间隔（毫秒）', errors),
    request: checkRequest(input, errors),
    response: checkResponse(input, dataset, errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** The configuration safe to show or log: every credential replaced by `***`. */
export function redactQueryInterfaceConfig(config: QueryInterfaceConfig): QueryInterfaceConfig {
  const hidden = '***';
  const { auth } = config;
  switch (auth.kind) {
    case 'none':
      return { ...config, auth };
    case 'bearer':
      return { ...config, auth: { kind: 'bearer', token: hidden } };
    case 'basic':
      return { ...config, auth: { kind: 'basic', username: auth.username, password: hidden } };
    case 'header':
      return { ...config, auth: { kind: 'header', name: auth.name, value: hidden } };
  }
}

/** Reads a dot path inside parsed JSON; only own properties, so `__proto__` and friends never resolve. */
export function readPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

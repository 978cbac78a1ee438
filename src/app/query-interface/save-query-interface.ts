import { isInRegionScope } from '../../domain/access/scope.ts';
import {
  type QueryConfigError,
  type QueryInterfaceAuth,
  type QueryInterfaceConfig,
  validateQueryInterfaceConfig,
} from '../../domain/query-interface/config.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, QueryInterfaceRecord, Repositories } from '../ports.ts';
import {
  datasetName,
  decryptConfig,
  departmentName,
  presentQueryInterface,
  type QueryInterfaceView,
  queryInterfaceOrThrow,
  urlHostOf,
} from './query-interface-view.ts';

/**
 * Creating and changing a department's query interface (system administrators). The configuration is checked
 * with every problem listed at once (`details.errors: [{path, code, message}]`), stored encrypted, and audited
 * as `QUERY_INTERFACE_SAVED` without any credential.
 *
 * Credentials are write-only: on an update, a secret left out (or sent back as `***`, as the redacted view
 * shows it) keeps the stored one when the authentication kind is unchanged; leaving out `auth` altogether keeps
 * the stored authentication.
 */

export interface CreateQueryInterfaceInput {
  /** Defaults to 「部门」数据集查询接口. */
  name?: string | null;
  /** Defaults to false: test the connection first, then enable. */
  enabled?: boolean;
  /** A `QueryInterfaceConfig` as entered; validated here. */
  config: unknown;
}

export interface UpdateQueryInterfaceInput {
  name?: string | null;
  enabled?: boolean;
  config?: unknown;
}

const NAME_MAX = 100;
const HIDDEN = '***';
const SECRET_FIELDS: Record<QueryInterfaceAuth['kind'], readonly string[]> = {
  none: [],
  bearer: ['token'],
  basic: ['username', 'password'],
  header: ['value'],
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkName(name: string | null | undefined, errors: QueryConfigError[]): string | null {
  if (name === undefined || name === null) return null;
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > NAME_MAX) {
    errors.push({ path: 'name', code: 'OUT_OF_RANGE', message: `接口名称须为 1–${NAME_MAX} 个字符` });
    return null;
  }
  return trimmed;
}

function defaultName(config: QueryInterfaceConfig): string {
  return `${departmentName(config.departmentCode)}${datasetName(config.dataset)}查询接口`;
}

/** The entered configuration with unchanged secrets taken from the stored one. */
function withStoredSecrets(raw: unknown, stored: QueryInterfaceConfig): unknown {
  if (!isRecord(raw)) return raw;
  if (raw.auth === undefined) return { ...raw, auth: stored.auth };
  if (!isRecord(raw.auth) || raw.auth.kind !== stored.auth.kind) return raw;
  const auth: Record<string, unknown> = { ...raw.auth };
  const previous = stored.auth as unknown as Record<string, unknown>;
  for (const field of SECRET_FIELDS[stored.auth.kind]) {
    const value = auth[field];
    if (value === undefined || value === null || value === '' || value === HIDDEN)
      auth[field] = previous[field];
  }
  return { ...raw, auth };
}

function validated(raw: unknown, nameErrors: QueryConfigError[]): QueryInterfaceConfig {
  const result = validateQueryInterfaceConfig(raw);
  const errors = [...nameErrors, ...(result.ok ? [] : result.errors)];
  if (!result.ok || errors.length > 0)
    throw new AppError('VALIDATION_FAILED', '查询接口配置有误，请按提示修改', { errors });
  return result.value;
}

async function checkUnique(repos: Repositories, config: QueryInterfaceConfig, exceptId: number | null) {
  const existing = await repos.queryInterfaces.find(config.departmentCode, config.dataset);
  if (existing && existing.id !== exceptId)
    throw new AppError(
      'CONFLICT',
      `${departmentName(config.departmentCode)}的「${datasetName(config.dataset)}」已配置查询接口（${existing.name}），请修改该接口`,
      { interfaceId: existing.id },
    );
}

/**
 * A department's endpoint belongs to the department's region (the city's departments): an administrator of a
 * county may not point it elsewhere, change its credential or call it (found by the access matrix, issue #8).
 */
export async function departmentInScope(repos: Repositories, actor: Actor, departmentCode: string) {
  const departments = (await repos.organisations.list(null)).filter(
    (o) => o.kind === 'department' && o.departmentCode === departmentCode,
  );
  if (!departments.some((o) => isInRegionScope(o.regionCode, actor.regionCode)))
    throw new AppError('OUT_OF_SCOPE', '该部门不在您的数据范围内', { departmentCode });
}

/** What the audit log keeps of a configuration: where and how, never the credential. */
function auditDetails(
  record: QueryInterfaceRecord,
  config: QueryInterfaceConfig,
  change: string,
  fields: string[],
) {
  return {
    interfaceId: record.id,
    change,
    fields,
    name: record.name,
    departmentCode: record.departmentCode,
    dataset: record.dataset,
    enabled: record.enabled,
    urlHost: urlHostOf(config.url),
    authKind: config.auth.kind,
  };
}

export async function createQueryInterface(
  deps: Deps,
  input: CreateQueryInterfaceInput,
  actor: Actor,
): Promise<QueryInterfaceView> {
  const nameErrors: QueryConfigError[] = [];
  const name = checkName(input.name, nameErrors);
  const config = validated(input.config, nameErrors);
  const at = deps.clock.now().toISOString();
  const record = await deps.store.transaction(async (tx) => {
    await departmentInScope(tx, actor, config.departmentCode);
    await checkUnique(tx, config, null);
    const created = await tx.queryInterfaces.create({
      departmentCode: config.departmentCode,
      dataset: config.dataset,
      name: name ?? defaultName(config),
      configEnc: deps.crypto.encrypt(JSON.stringify(config)),
      enabled: input.enabled ?? false,
      createdAt: at,
      createdBy: actor.userId,
      updatedAt: at,
      updatedBy: actor.userId,
    });
    await tx.audit.append(
      actor,
      {
        action: 'QUERY_INTERFACE_SAVED',
        outcome: 'success',
        objectType: 'query_interface',
        objectId: String(created.id),
        details: auditDetails(created, config, 'created', ['name', 'enabled', 'config']),
      },
      at,
    );
    return created;
  });
  return presentQueryInterface(deps, record);
}

export async function updateQueryInterface(
  deps: Deps,
  id: number,
  input: UpdateQueryInterfaceInput,
  actor: Actor,
): Promise<QueryInterfaceView> {
  const at = deps.clock.now().toISOString();
  const record = await deps.store.transaction(async (tx) => {
    const current = await queryInterfaceOrThrow(tx, id);
    await departmentInScope(tx, actor, current.departmentCode);
    const stored = decryptConfig(deps.crypto, current);
    const nameErrors: QueryConfigError[] = [];
    const name = checkName(input.name, nameErrors);
    // A stored configuration the catalog no longer accepts may still be switched off, never on.
    const config =
      input.config !== undefined
        ? validated(withStoredSecrets(input.config, stored), nameErrors)
        : input.enabled === true
          ? validated(stored, nameErrors)
          : stored;
    if (nameErrors.length > 0)
      throw new AppError('VALIDATION_FAILED', '查询接口配置有误，请按提示修改', { errors: nameErrors });
    const fields: string[] = [];
    if (name !== null && name !== current.name) fields.push('name');
    if (input.enabled !== undefined && input.enabled !== current.enabled) fields.push('enabled');
    if (input.config !== undefined && JSON.stringify(config) !== JSON.stringify(stored))
      fields.push('config');
    if (fields.length === 0) return current;
    if (fields.includes('config')) {
      await departmentInScope(tx, actor, config.departmentCode);
      await checkUnique(tx, config, id);
    }
    const patch = {
      ...(fields.includes('name') ? { name: name as string } : {}),
      ...(fields.includes('enabled') ? { enabled: input.enabled as boolean } : {}),
      ...(fields.includes('config')
        ? {
            departmentCode: config.departmentCode,
            dataset: config.dataset,
            configEnc: deps.crypto.encrypt(JSON.stringify(config)),
          }
        : {}),
      updatedAt: at,
      updatedBy: actor.userId,
    };
    await tx.queryInterfaces.update(id, patch);
    const updated: QueryInterfaceRecord = { ...current, ...patch };
    const change =
      fields.length === 1 && fields[0] === 'enabled' ? (updated.enabled ? 'enabled' : 'disabled') : 'updated';
    await tx.audit.append(
      actor,
      {
        action: 'QUERY_INTERFACE_SAVED',
        outcome: 'success',
        objectType: 'query_interface',
        objectId: String(id),
        details: auditDetails(updated, config, change, fields),
      },
      at,
    );
    return updated;
  });
  return presentQueryInterface(deps, record);
}

/** Switches an interface on or off; a disabled interface is never called for a case. */
export async function setQueryInterfaceEnabled(
  deps: Deps,
  id: number,
  enabled: boolean,
  actor: Actor,
): Promise<QueryInterfaceView> {
  return updateQueryInterface(deps, id, { enabled }, actor);
}

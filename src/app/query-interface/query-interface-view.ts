import { DEPARTMENTS, findDataset, isDepartmentCode } from '../../domain/catalog/datasets.ts';
import {
  type QueryInterfaceConfig,
  redactQueryInterfaceConfig,
} from '../../domain/query-interface/config.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Deps, FieldCryptoPort, QueryInterfaceRecord, Repositories } from '../ports.ts';

/**
 * How a query interface is shown: the configuration with every credential replaced by `***`. The stored
 * configuration is only ever decrypted to call the department or to keep unchanged secrets on an update.
 */
export interface QueryInterfaceView {
  id: number;
  departmentCode: string;
  departmentName: string;
  dataset: string;
  datasetName: string;
  name: string;
  enabled: boolean;
  /** Host (and port) of the endpoint, for lists. */
  urlHost: string;
  authKind: QueryInterfaceConfig['auth']['kind'];
  /** Redacted: credentials are `***`. */
  config: QueryInterfaceConfig;
  createdAt: string;
  createdBy: number | null;
  updatedAt: string;
  updatedBy: number | null;
}

export function departmentName(code: string): string {
  return isDepartmentCode(code) ? DEPARTMENTS[code] : code;
}

export function datasetName(code: string): string {
  return findDataset(code)?.name ?? code;
}

export function urlHostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

export function decryptConfig(crypto: FieldCryptoPort, record: QueryInterfaceRecord): QueryInterfaceConfig {
  return JSON.parse(crypto.decrypt(record.configEnc)) as QueryInterfaceConfig;
}

export function presentQueryInterface(
  deps: Pick<Deps, 'crypto'>,
  record: QueryInterfaceRecord,
): QueryInterfaceView {
  const config = redactQueryInterfaceConfig(decryptConfig(deps.crypto, record));
  return {
    id: record.id,
    departmentCode: record.departmentCode,
    departmentName: departmentName(record.departmentCode),
    dataset: record.dataset,
    datasetName: datasetName(record.dataset),
    name: record.name,
    enabled: record.enabled,
    urlHost: urlHostOf(config.url),
    authKind: config.auth.kind,
    config,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
  };
}

export async function queryInterfaceOrThrow(repos: Repositories, id: number): Promise<QueryInterfaceRecord> {
  const record = await repos.queryInterfaces.get(id);
  if (!record) throw new AppError('NOT_FOUND', '查询接口不存在', { interfaceId: id });
  return record;
}

import { request } from './client';
import type { Items } from './types';

export type QueryAuthKind = 'none' | 'bearer' | 'basic' | 'header';
export type QueryMethod = 'POST' | 'GET';

/** A department's query interface as the server shows it: credentials read `***`. */
export interface QueryInterfaceConfig {
  departmentCode: string;
  dataset: string;
  url: string;
  auth: {
    kind: QueryAuthKind;
    token?: string;
    username?: string;
    password?: string;
    name?: string;
    value?: string;
  };
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  request: {
    idField: string;
    nameField: string | null;
    caseField: string;
    operatorField: string;
    method: QueryMethod;
  };
  response: { rowsPath: string; fieldMap: Record<string, string> };
}

export interface QueryInterface {
  id: number;
  departmentCode: string;
  departmentName: string;
  dataset: string;
  datasetName: string;
  name: string;
  enabled: boolean;
  urlHost: string;
  authKind: QueryAuthKind;
  config: QueryInterfaceConfig;
  createdAt: string;
  createdBy: number | null;
  updatedAt: string;
  updatedBy: number | null;
}

/**
 * What the form sends: a configuration in which secrets may be left out (on an update the stored ones are
 * kept while the auth kind is unchanged).
 */
export interface QueryInterfaceInput {
  name?: string | null;
  enabled?: boolean;
  config?: Record<string, unknown>;
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
  problems: { column: string; code: string }[];
  reason?: string;
  httpStatus?: number;
  message?: string;
}

export async function listQueryInterfaces(): Promise<QueryInterface[]> {
  const { items } = await request<Items<QueryInterface>>('/api/query-interfaces');
  return items;
}

export async function createQueryInterface(input: QueryInterfaceInput): Promise<QueryInterface> {
  const { queryInterface } = await request<{ queryInterface: QueryInterface }>('/api/query-interfaces', {
    method: 'POST',
    body: input,
  });
  return queryInterface;
}

export async function updateQueryInterface(id: number, input: QueryInterfaceInput): Promise<QueryInterface> {
  const { queryInterface } = await request<{ queryInterface: QueryInterface }>(
    `/api/query-interfaces/${id}`,
    {
      method: 'PATCH',
      body: input,
    },
  );
  return queryInterface;
}

export async function testQueryInterface(
  id: number,
  input: { idNumber: string; name?: string },
): Promise<QueryTestResult> {
  const { result } = await request<{ result: QueryTestResult }>(`/api/query-interfaces/${id}/test`, {
    method: 'POST',
    body: input,
  });
  return result;
}

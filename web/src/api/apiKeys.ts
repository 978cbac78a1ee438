import type { ApiScope } from '../../../src/domain/access/scopes.ts';
import { request, requestVoid } from './client';
import type { ApiKey, IssuedApiKey, Items } from './types';

export { API_SCOPES, type ApiScope, scopesAllowedFor } from '../../../src/domain/access/scopes.ts';

export interface CreateApiKeyInput {
  organisationId: number;
  name: string;
  /** Within what the organisation's kind allows; all of those when absent. */
  scopes?: ApiScope[];
}

export async function listApiKeys(): Promise<ApiKey[]> {
  const { items } = await request<Items<ApiKey>>('/api/api-keys');
  return items;
}

export function createApiKey(input: CreateApiKeyInput): Promise<IssuedApiKey> {
  return request<IssuedApiKey>('/api/api-keys', { method: 'POST', body: input });
}

export function rotateApiKey(id: number): Promise<IssuedApiKey> {
  return request<IssuedApiKey>(`/api/api-keys/${id}/rotate`, { method: 'POST' });
}

export function revokeApiKey(id: number): Promise<void> {
  return requestVoid(`/api/api-keys/${id}/revoke`, { method: 'POST' });
}

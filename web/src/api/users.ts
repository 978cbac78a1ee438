import { request, requestVoid } from './client';
import type { Items, Role, User } from './types';

export interface UserQuery {
  organisationId?: number;
  q?: string;
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  organisationId: number;
  roles: Role[];
  password: string;
}

export interface UpdateUserInput {
  displayName?: string;
  roles?: Role[];
  active?: boolean;
}

export async function listUsers(query: UserQuery = {}): Promise<User[]> {
  const { items } = await request<Items<User>>('/api/users', { query: { ...query } });
  return items;
}

export async function createUser(input: CreateUserInput): Promise<User> {
  const { user } = await request<{ user: User }>('/api/users', { method: 'POST', body: input });
  return user;
}

export async function updateUser(id: number, input: UpdateUserInput): Promise<User> {
  const { user } = await request<{ user: User }>(`/api/users/${id}`, { method: 'PATCH', body: input });
  return user;
}

export function resetUserPassword(id: number, password: string): Promise<void> {
  return requestVoid(`/api/users/${id}/reset-password`, { method: 'POST', body: { password } });
}

export function unlockUser(id: number): Promise<void> {
  return requestVoid(`/api/users/${id}/unlock`, { method: 'POST' });
}

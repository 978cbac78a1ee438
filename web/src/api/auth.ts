import { request, requestVoid } from './client';
import type { Me } from './types';

export async function login(username: string, password: string): Promise<Me> {
  const { user } = await request<{ user: Me }>('/api/auth/login', {
    method: 'POST',
    body: { username, password },
  });
  return user;
}

export function logout(): Promise<void> {
  return requestVoid('/api/auth/logout', { method: 'POST' });
}

export async function fetchMe(): Promise<Me> {
  const { user } = await request<{ user: Me }>('/api/auth/me');
  return user;
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return requestVoid('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
}

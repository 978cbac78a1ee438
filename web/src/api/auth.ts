import type { LoginStepResult } from './account-security';
import { request, requestVoid } from './client';
import type { Me } from './types';

/** The first step of logging in: `full` with the user, or the next step (code, enrolment, new password). */
export function login(username: string, password: string): Promise<LoginStepResult> {
  return request<LoginStepResult>('/api/auth/login', { method: 'POST', body: { username, password } });
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

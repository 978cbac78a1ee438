import { request, requestVoid } from './client';
import type { Me } from './types';

/** Where logging in stands: `full` (signed in), or the step the session is kept to. */
export type LoginStep = 'second_factor' | 'enrol' | 'password_change' | 'full';

export interface LoginStepResult {
  step: LoginStep;
  user?: Me;
}

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

export interface SecondFactorStatus {
  enrolled: boolean;
  enrolledAt: string | null;
  recoveryCodesLeft: number;
  required: boolean;
}

export interface LoginEvent {
  id: number;
  at: string;
  step: 'password' | 'second_factor';
  outcome: 'success' | 'failure' | 'denied';
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface OnlineSession {
  id: string;
  userId: number;
  username: string;
  displayName: string;
  organisationName: string;
  stage: LoginStep;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export function submitSecondFactor(code: string): Promise<LoginStepResult> {
  return request('/api/auth/login/second-factor', { method: 'POST', body: { code } });
}

export function startEnrolment(): Promise<Enrolment> {
  return request('/api/auth/second-factor/enrolment', { method: 'POST' });
}

export function confirmEnrolment(code: string): Promise<LoginStepResult & { recoveryCodes: string[] }> {
  return request('/api/auth/second-factor/enrolment/confirm', { method: 'POST', body: { code } });
}

export function fetchSecondFactorStatus(): Promise<SecondFactorStatus> {
  return request('/api/auth/second-factor');
}

export async function regenerateRecoveryCodes(code: string): Promise<string[]> {
  const { recoveryCodes } = await request<{ recoveryCodes: string[] }>(
    '/api/auth/second-factor/recovery-codes',
    { method: 'POST', body: { code } },
  );
  return recoveryCodes;
}

export function myLogins(page: number, pageSize: number): Promise<{ items: LoginEvent[]; total: number }> {
  return request('/api/auth/logins', { query: { page, pageSize } });
}

export function userLogins(
  userId: number,
  page: number,
  pageSize: number,
): Promise<{ items: LoginEvent[]; total: number }> {
  return request(`/api/users/${userId}/logins`, { query: { page, pageSize } });
}

export function resetSecondFactor(userId: number): Promise<void> {
  return requestVoid(`/api/users/${userId}/reset-second-factor`, { method: 'POST' });
}

export function endUserSessions(userId: number): Promise<{ endedSessions: number }> {
  return request(`/api/users/${userId}/end-sessions`, { method: 'POST' });
}

export async function listOnlineSessions(): Promise<OnlineSession[]> {
  const { items } = await request<{ items: OnlineSession[] }>('/api/sessions');
  return items;
}

export function endSession(id: string): Promise<void> {
  return requestVoid(`/api/sessions/${id}/end`, { method: 'POST' });
}

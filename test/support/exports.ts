import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { hashPassword } from '../../src/app/security/password.ts';
import type { TestApp } from './app.ts';

/** What a bulk export names (the body's `target` of POST /api/exports). */
export type ExportTargetBody =
  | { kind: 'dishonesty_records'; format?: 'csv' | 'json'; approvedFrom?: string; approvedTo?: string }
  | { kind: 'recheck_report_xlsx'; runId: number; requesterId: number }
  | { kind: 'case_archive'; caseId: number }
  | { kind: 'offline_exchange'; exchangeId: number };

const cookies = new WeakMap<TestApp, Map<string, string>>();

async function cookieOf(t: TestApp, username: string): Promise<string> {
  let byUser = cookies.get(t);
  if (!byUser) {
    byUser = new Map();
    cookies.set(t, byUser);
  }
  let cookie = byUser.get(username);
  if (!cookie) {
    cookie = await t.login(username);
    byUser.set(username, cookie);
  }
  return cookie;
}

/** A reviewer whose scope covers the user's organisation, never the user themself (four eyes). */
export function approverFor(username: string): string {
  if (username.startsWith('qingcheng_') && username !== 'qingcheng_reviewer') return 'qingcheng_reviewer';
  if (username.startsWith('xifeng_') && username !== 'xifeng_reviewer') return 'xifeng_reviewer';
  return username === 'city_reviewer' ? SECOND_CITY_REVIEWER : 'city_reviewer';
}

/** The demo city has one city-level reviewer; a city reviewer's own export needs a second one. */
export const SECOND_CITY_REVIEWER = 'city_reviewer_2';

async function ensureSecondCityReviewer(t: TestApp): Promise<void> {
  if (await t.deps.store.users.getByUsername(SECOND_CITY_REVIEWER)) return;
  const first = await t.deps.store.users.getByUsername('city_reviewer');
  if (!first) throw new Error('the demo city has no city_reviewer');
  const at = t.deps.clock.now().toISOString();
  await t.deps.store.users.create({
    username: SECOND_CITY_REVIEWER,
    displayName: '市级审核员二（测试）',
    organisationId: first.organisationId,
    passwordHash: await hashPassword(t.config.demoPassword),
    active: true,
    failedLoginCount: 0,
    lockedUntil: null,
    passwordChangedAt: at,
    lastLoginAt: null,
    createdAt: at,
    roles: ['agency_reviewer'],
  });
}

/**
 * A bulk export as the platform hands it out (issue #8 item 4): `username` requests it, another reviewer approves
 * it, `username` downloads it. A refused request (scope, role) is answered as it came, so callers can assert it.
 */
export async function exportAs(
  t: TestApp,
  username: string,
  target: ExportTargetBody,
  options: { cookie?: string; approver?: string } = {},
): Promise<LightMyRequestResponse> {
  const cookie = options.cookie ?? (await cookieOf(t, username));
  const requested = await t.call('POST', '/api/exports', {
    cookie,
    body: { target, reason: '测试：核对工作需要导出' },
  });
  if (requested.statusCode !== 201) return requested;
  const { id } = requested.json<{ id: number }>();
  const approver = options.approver ?? approverFor(username);
  if (approver === SECOND_CITY_REVIEWER) await ensureSecondCityReviewer(t);
  const approved = await t.call('POST', `/api/exports/${id}/approve`, {
    cookie: await cookieOf(t, approver),
    body: {},
  });
  expect(approved.statusCode, approved.body).toBe(200);
  return t.call('GET', `/api/exports/${id}/download`, { cookie });
}

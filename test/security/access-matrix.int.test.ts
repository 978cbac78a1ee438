import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { startRecheck } from '../../src/app/recheck/run-recheck.ts';
import { importRoster } from '../../src/app/roster/import-roster.ts';
import { hashPassword } from '../../src/app/security/password.ts';
import {
  createWebhookSubscription,
  testWebhookSubscription,
} from '../../src/app/webhooks/webhook-subscriptions.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import type { Access } from '../../src/http/access.ts';
import type { HttpMethod } from '../support/app.ts';
import { useTestApp } from '../support/app.ts';
import { actorOf, authorizationPdf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName, tempDir } from '../support/department-data.ts';
import { batchLoader, loadMonthOneData, loadMonthTwoData, relationOf } from '../support/recheck.ts';

/**
 * The access matrix (issue #8 item 3): every route the server registers × one demo account per role (city and
 * county level) × the object's county (own county 西峰区 vs the other county 庆城县). Each call either succeeds
 * within scope — 2xx, or 400/409/415/422 about the dummy body or the object's state — or is refused with 403/404
 * (401 without a session); every 403 of a signed-in user is in the audit log with its route. Fixtures are real
 * objects of each kind in each county, made through the use cases, so `:id` names something that exists.
 */

type County = 'xifeng' | 'qingcheng';
const COUNTIES: readonly County[] = ['xifeng', 'qingcheng'];
const REGION: Record<County, string> = { xifeng: '621002', qingcheng: '621021' };

interface CountyFixtures {
  regionCode: string;
  /** What must never reach another county: the members' names and ID numbers. */
  secrets: string[];
  caseId: number;
  caseNumber: string;
  documentId: number;
  suspendedCaseId: number;
  assessmentId: number;
  escalationId: number;
  exchangeId: number;
  rosterVersionId: number;
  recheckRunId: number;
  recheckAlertId: number;
  requesterOrgId: number;
  dishonestyId: number;
  policyProfileId: number;
  userId: number;
  organisationId: number;
  sessionId: string;
  exportId: number;
  /** The county's requester's webhook subscription and its test delivery. */
  webhookId: number;
  webhookDeliveryId: number;
}

interface SharedFixtures {
  batchId: number;
  apiKeyId: number;
  queryInterfaceId: number;
  noticeId: number;
}

/**
 * How a route's object relates to regions:
 * - `none`: no object of a county (lists, the caller's own account, configuration of the city);
 * - `read`: reads an object of a county — the city level and that county see it, the other county is refused;
 * - `act`: acts on a county's object — the other county is refused; the city level may be refused by the
 *   object's own rules (work group, four eyes) but never with anything but 403/404.
 */
type Bound = 'none' | 'read' | 'act';

interface Probe {
  bound: Bound;
  /** The concrete URL (params substituted, query added) for an object of `c` (ignored when bound is `none`). */
  url: (c: CountyFixtures, s: SharedFixtures) => string;
  body?: unknown;
  /** The call ends the caller's session: it gets a session of its own. */
  ownSession?: true;
  /** A body naming the county's objects. */
  bodyOf?: (c: CountyFixtures) => unknown;
  /** Sent as multipart/form-data instead of `body`. */
  multipart?: { fields: Record<string, string>; file: { name: string; bytes: Buffer } };
  /** Configuration of the city (its departments' keys and endpoints): a county's administrator is refused. */
  cityOnly?: true;
  /** Accounts whose call within scope may be refused by the object's own rule (e.g. the department not addressed). */
  mayRefuse?: readonly string[];
}

const fixed = (url: string, extra: Partial<Probe> = {}): Probe => ({
  bound: 'none',
  url: () => url,
  ...extra,
});
const read = (url: (c: CountyFixtures, s: SharedFixtures) => string, extra: Partial<Probe> = {}): Probe => ({
  bound: 'read',
  url,
  ...extra,
});
const act = (url: (c: CountyFixtures, s: SharedFixtures) => string, extra: Partial<Probe> = {}): Probe => ({
  bound: 'act',
  url,
  ...extra,
});

/** One account per role, at city and county level where the demo city has both (all counties' on the 西峰区 side). */
const ACCOUNTS: { username: string | null; roles: Role[]; county: County | null }[] = [
  { username: null, roles: [], county: null },
  { username: 'admin', roles: ['system_admin'], county: null },
  { username: 'xifeng_admin', roles: ['system_admin'], county: 'xifeng' },
  { username: 'auditor', roles: ['audit_officer'], county: null },
  { username: 'xifeng_auditor', roles: ['audit_officer'], county: 'xifeng' },
  { username: 'city_staff', roles: ['agency_staff'], county: null },
  { username: 'city_reviewer', roles: ['agency_reviewer'], county: null },
  { username: 'xifeng_staff', roles: ['agency_staff'], county: 'xifeng' },
  { username: 'xifeng_reviewer', roles: ['agency_reviewer'], county: 'xifeng' },
  { username: 'xifeng_requester', roles: ['requester_staff'], county: 'xifeng' },
  { username: 'xifeng_township', roles: ['requester_staff'], county: 'xifeng' },
  { username: 'dept_public_security', roles: ['department_officer'], county: null },
  { username: 'dept_finance', roles: ['department_officer'], county: null },
];
const ACCOUNT_NAMES = ACCOUNTS.flatMap((a) => (a.username ? [a.username] : []));

/** The township's requester sees its township's cases, not those its county's requester entrusted. */
const TOWNSHIP: Partial<Probe> = { mayRefuse: ['xifeng_township'] };
/** An offline exchange is the agency's and the addressed department's (财政 here), not another department's. */
const NOT_ADDRESSED: Partial<Probe> = { mayRefuse: ['dept_public_security'] };
const FULL_ID_FOR_UPPER_LEVEL: Record<string, true> = {
  'GET /api/escalations/:eid': true,
  'POST /api/escalations/:eid/answer': true,
};
const WORK_GROUP = { handlerId: 1, reviewerId: 2 };
const DECLINE = { approve: false, reason: '理由不足' };

/** Every route, by `METHOD /pattern`. A route missing here fails the first test: add it on purpose. */
const MATRIX: Record<string, Probe> = {
  'GET /healthz': fixed('/healthz'),
  'GET /readyz': fixed('/readyz'),
  // Guarded by its own token or the loopback address (app.inject comes from 127.0.0.1).
  'GET /metrics': fixed('/metrics'),
  'GET /api/openapi.json': fixed('/api/openapi.json'),
  'GET /api/public/documents/verify': fixed('/api/public/documents/verify?code=ABCD-EFGH'),
  'POST /api/auth/login': fixed('/api/auth/login', { body: {} }),
  'POST /api/auth/logout': fixed('/api/auth/logout', { ownSession: true }),
  'GET /api/auth/me': fixed('/api/auth/me'),
  'POST /api/auth/password': fixed('/api/auth/password', { body: {} }),
  'POST /api/auth/login/second-factor': fixed('/api/auth/login/second-factor', { body: {} }),
  'GET /api/auth/second-factor': fixed('/api/auth/second-factor'),
  'POST /api/auth/second-factor/enrolment': fixed('/api/auth/second-factor/enrolment', { ownSession: true }),
  'POST /api/auth/second-factor/enrolment/confirm': fixed('/api/auth/second-factor/enrolment/confirm', {
    body: {},
  }),
  'POST /api/auth/second-factor/recovery-codes': fixed('/api/auth/second-factor/recovery-codes', {
    body: {},
  }),
  'GET /api/auth/logins': fixed('/api/auth/logins'),
  'GET /api/users/:id/logins': read((c) => `/api/users/${c.userId}/logins`),
  'POST /api/users/:id/reset-second-factor': act((c) => `/api/users/${c.userId}/reset-second-factor`),
  'POST /api/users/:id/end-sessions': act((c) => `/api/users/${c.userId}/end-sessions`),
  'GET /api/sessions': fixed('/api/sessions'),
  'POST /api/sessions/:sessionId/end': act((c) => `/api/sessions/${c.sessionId}/end`),
  // The job queue (issue #9): no job has failed in the test app, so retrying an unknown one answers 404.
  'GET /api/admin/jobs': fixed('/api/admin/jobs'),
  'POST /api/admin/jobs/:id/retry': fixed('/api/admin/jobs/no-such-job/retry', {
    mayRefuse: ['admin', 'xifeng_admin'],
  }),
  // DCI registry search (issue #9 item 6): a requester's search of a case is answered in the envelope (succ or rjct).
  'POST /api/v1/registry/sync/search': fixed('/api/v1/registry/sync/search', {
    bodyOf: (c) => ({
      header: {
        version: '1.0.0',
        message_id: 'probe',
        message_ts: '2025-09-26T10:00:00+08:00',
        action: 'search',
        sender_id: 'probe',
        total_count: 1,
        is_msg_encrypted: false,
      },
      message: {
        transaction_id: 'probe',
        search_request: [
          {
            reference_id: 'probe',
            search_criteria: {
              reg_type: 'ns:org:RegistryType:Social',
              query_type: 'idtype-value',
              query: { type: 'CASE_NUMBER', value: c.caseNumber },
              authorize: { ref: c.caseNumber },
              consent: { ref: '0'.repeat(64) },
            },
          },
        ],
      },
    }),
  }),
  // The integration API v1 (issue #9 item 5): the web's case and exchange use cases, open to sessions of the same
  // roles as well as to machine clients (test/integration/entrustment-api.int.test.ts probes keys and scopes).
  'GET /api/v1/openapi.json': fixed('/api/v1/openapi.json'),
  'POST /api/v1/oauth/token': fixed('/api/v1/oauth/token', { body: {} }),
  'POST /api/v1/entrustments': fixed('/api/v1/entrustments', { body: {} }),
  'GET /api/v1/entrustments': fixed('/api/v1/entrustments'),
  'GET /api/v1/entrustments/:id': read((c) => `/api/v1/entrustments/${c.caseId}`, TOWNSHIP),
  'POST /api/v1/entrustments/:id/documents': act((c) => `/api/v1/entrustments/${c.caseId}/documents`, {
    multipart: { fields: { kind: 'other' }, file: { name: '补充材料.pdf', bytes: authorizationPdf() } },
  }),
  'POST /api/v1/entrustments/:id/resubmit': act((c) => `/api/v1/entrustments/${c.caseId}/resubmit`, {
    body: {},
  }),
  'GET /api/v1/entrustments/:id/documents/:documentId': read(
    (c) => `/api/v1/entrustments/${c.caseId}/documents/${c.documentId}`,
    TOWNSHIP,
  ),
  'GET /api/v1/offline-exchanges': fixed('/api/v1/offline-exchanges'),
  'POST /api/v1/offline-exchanges/:id/answer': act(
    (c) => `/api/v1/offline-exchanges/${c.exchangeId}/answer`,
    {
      multipart: { fields: {}, file: { name: '回复.csv', bytes: Buffer.from('身份证号,姓名\n') } },
    },
  ),
  // Webhooks (issue #9 item 5): a requester organisation's own subscriptions; the township's requester is another.
  'GET /api/v1/webhooks': fixed('/api/v1/webhooks'),
  'POST /api/v1/webhooks': fixed('/api/v1/webhooks', { body: {} }),
  'PATCH /api/v1/webhooks/:id': act((c) => `/api/v1/webhooks/${c.webhookId}`, { body: {} }),
  'POST /api/v1/webhooks/:id/rotate-secret': act((c) => `/api/v1/webhooks/${c.webhookId}/rotate-secret`),
  'GET /api/v1/webhooks/:id/deliveries': read((c) => `/api/v1/webhooks/${c.webhookId}/deliveries`, TOWNSHIP),
  'POST /api/v1/webhooks/:id/test': act((c) => `/api/v1/webhooks/${c.webhookId}/test`),
  'POST /api/v1/webhook-deliveries/:id/redeliver': act(
    (c) => `/api/v1/webhook-deliveries/${c.webhookDeliveryId}/redeliver`,
  ),
  'DELETE /api/v1/webhooks/:id': act((c) => `/api/v1/webhooks/${c.webhookId}`),
  'GET /api/organisations': fixed('/api/organisations'),
  'POST /api/organisations': fixed('/api/organisations', { body: {} }),
  'PATCH /api/organisations/:id': act((c) => `/api/organisations/${c.organisationId}`, { body: {} }),
  'GET /api/users': fixed('/api/users'),
  'POST /api/users': fixed('/api/users', { body: {} }),
  'PATCH /api/users/:id': act((c) => `/api/users/${c.userId}`, { body: {} }),
  'POST /api/users/:id/reset-password': act((c) => `/api/users/${c.userId}/reset-password`, {
    body: { password: 'Matrix#pass2025' },
  }),
  'POST /api/users/:id/unlock': act((c) => `/api/users/${c.userId}/unlock`),
  'GET /api/regions': fixed('/api/regions'),
  'POST /api/regions': fixed('/api/regions', { body: {} }),
  'GET /api/calendar/years': fixed('/api/calendar/years'),
  'GET /api/calendar/years/:year': fixed('/api/calendar/years/2025'),
  'PUT /api/calendar/years/:year': fixed('/api/calendar/years/2025', { body: {} }),
  'GET /api/calendar/add-workdays': fixed('/api/calendar/add-workdays?from=2025-09-26&days=3'),
  'GET /api/calendar/workdays-between': fixed('/api/calendar/workdays-between?from=2025-09-26&to=2025-10-10'),
  'GET /api/audit': fixed('/api/audit?pageSize=1'),
  'POST /api/audit/verify': fixed('/api/audit/verify'),
  'GET /api/audit/checkpoints': fixed('/api/audit/checkpoints'),
  'GET /api/retention': fixed('/api/retention'),
  'GET /api/datasets': fixed('/api/datasets'),
  'GET /api/datasets/:code/template': fixed('/api/datasets/hukou/template?format=csv'),
  'GET /api/api-keys': fixed('/api/api-keys'),
  'POST /api/api-keys': fixed('/api/api-keys', { body: {} }),
  'POST /api/api-keys/:id/rotate': fixed('', {
    url: (_c, s) => `/api/api-keys/${s.apiKeyId}/rotate`,
    cityOnly: true,
  }),
  'POST /api/api-keys/:id/revoke': fixed('', {
    url: (_c, s) => `/api/api-keys/${s.apiKeyId}/revoke`,
    cityOnly: true,
  }),
  'POST /api/batches': fixed('/api/batches', { body: {} }),
  'POST /api/v1/datasets/:code/batches': fixed('/api/v1/datasets/hukou/batches', { body: {} }),
  'POST /api/batches/unidentified': fixed('/api/batches/unidentified', { body: {} }),
  'POST /api/v1/datasets/:code/unidentified-batches': fixed('/api/v1/datasets/hukou/unidentified-batches', {
    body: {},
  }),
  'GET /api/batches': fixed('/api/batches'),
  // A queued import (issue #9) is its uploader's department's: the probe's unknown id answers 404 OUT_OF_SCOPE.
  'GET /api/batches/imports/:id': fixed('/api/batches/imports/00000000-0000-0000-0000-000000000000', {
    mayRefuse: ['admin', 'xifeng_admin', 'dept_public_security', 'dept_finance'],
  }),
  'GET /api/batches/:id': fixed('', {
    url: (_c, s) => `/api/batches/${s.batchId}`,
    mayRefuse: ['dept_finance'],
  }),
  'GET /api/batches/:id/error-report': fixed('', {
    url: (_c, s) => `/api/batches/${s.batchId}/error-report`,
    // A committed batch has no error report (404 NOT_FOUND); another department's is out of scope.
    mayRefuse: ['dept_public_security', 'dept_finance'],
  }),
  'POST /api/batches/:id/retract': fixed('', {
    url: (_c, s) => `/api/batches/${s.batchId}/retract`,
    body: {},
  }),
  'GET /api/delivery/rules': fixed('/api/delivery/rules'),
  'PUT /api/delivery/rules/:dataset': fixed('/api/delivery/rules/hukou', { body: {} }),
  'GET /api/delivery/status': fixed('/api/delivery/status'),
  'GET /api/quality': fixed('/api/quality'),
  'GET /api/notices': fixed('/api/notices'),
  'POST /api/notices/:id/read': fixed('', {
    url: (_c, s) => `/api/notices/${s.noticeId}/read`,
    // A notice is its addressee's: everyone else is refused.
    mayRefuse: ACCOUNT_NAMES,
  }),
  'GET /api/policy-profiles': fixed('/api/policy-profiles'),
  'GET /api/policy-profiles/resolve': read(
    (c) =>
      `/api/policy-profiles/resolve?regionCode=${c.regionCode}001&assistanceType=subsistence_allowance&date=2025-09-26`,
  ),
  'GET /api/policy-profiles/:id': read((c) => `/api/policy-profiles/${c.policyProfileId}`),
  'POST /api/policy-profiles': fixed('/api/policy-profiles', { body: {} }),
  'POST /api/policy-profiles/:id/versions': act((c) => `/api/policy-profiles/${c.policyProfileId}/versions`, {
    body: { windowMonths: 12, effectiveFrom: '2026-01-01', notes: '矩阵测试' },
  }),
  'POST /api/assessments': fixed('/api/assessments', { body: {} }),
  'GET /api/assessments': fixed('/api/assessments'),
  'GET /api/assessments/:id': read((c) => `/api/assessments/${c.assessmentId}`),
  'POST /api/assessments/:id/rerun': act((c) => `/api/assessments/${c.assessmentId}/rerun`, {
    body: { mode: 'recorded' },
  }),
  'GET /api/assessments/:id/comparison': read((c) => `/api/assessments/${c.assessmentId}/comparison`),
  'POST /api/assessments/:id/matches': act((c) => `/api/assessments/${c.assessmentId}/matches`, {
    body: { recordId: 1, memberId: 'm0', decision: 'rejected', reason: '非本人' },
  }),
  'POST /api/cases': fixed('/api/cases', { body: {} }),
  'GET /api/cases/batch-template': fixed('/api/cases/batch-template'),
  'POST /api/cases/batch': fixed('/api/cases/batch', { body: {} }),
  'GET /api/cases': fixed('/api/cases'),
  'GET /api/cases/:id': read((c) => `/api/cases/${c.caseId}`, TOWNSHIP),
  'GET /api/cases/dashboard': fixed('/api/cases/dashboard'),
  'GET /api/statistics': fixed('/api/statistics'),
  'GET /api/statistics/export': fixed('/api/statistics/export'),
  'POST /api/cases/:id/attachments': act((c) => `/api/cases/${c.caseId}/attachments`, {
    multipart: { fields: { kind: 'other' }, file: { name: '补充材料.pdf', bytes: authorizationPdf() } },
  }),
  'POST /api/cases/:id/accept': act((c) => `/api/cases/${c.caseId}/accept`, { body: WORK_GROUP }),
  'POST /api/cases/:id/return': act((c) => `/api/cases/${c.caseId}/return`, {
    body: { reasons: ['材料不全'] },
  }),
  'GET /api/cases/:id/work-group-candidates': read((c) => `/api/cases/${c.caseId}/work-group-candidates`),
  'POST /api/cases/:id/report/submit': act((c) => `/api/cases/${c.caseId}/report/submit`, { body: {} }),
  'POST /api/cases/:id/report/approve': act((c) => `/api/cases/${c.caseId}/report/approve`, { body: {} }),
  'POST /api/cases/:id/report/send-back': act((c) => `/api/cases/${c.caseId}/report/send-back`, {
    body: { reasons: '请补充说明' },
  }),
  'POST /api/cases/:id/extension': act((c) => `/api/cases/${c.caseId}/extension`, {
    body: { workdays: 3, reason: '部门数据尚未报送' },
  }),
  'POST /api/cases/:id/extension/decision': act((c) => `/api/cases/${c.caseId}/extension/decision`, {
    body: DECLINE,
  }),
  'POST /api/cases/:id/appeal': act((c) => `/api/cases/${c.caseId}/appeal`, {
    body: { reason: '对报告有异议' },
  }),
  'POST /api/cases/:id/suspension': act((c) => `/api/cases/${c.caseId}/suspension`, {
    body: { grounds: ['refusal-to-cooperate'], reason: '申请人拒不配合' },
  }),
  'POST /api/cases/:id/suspension/decision': act((c) => `/api/cases/${c.caseId}/suspension/decision`, {
    body: DECLINE,
  }),
  'POST /api/cases/:id/force-majeure': act((c) => `/api/cases/${c.caseId}/force-majeure`, {
    body: { event: '暴雨致系统停运' },
  }),
  'POST /api/cases/:id/force-majeure/decision': act((c) => `/api/cases/${c.caseId}/force-majeure/decision`, {
    body: DECLINE,
  }),
  'POST /api/cases/:id/force-majeure/answer': act((c) => `/api/cases/${c.caseId}/force-majeure/answer`, {
    body: { choice: 'extend', workdays: 2, reason: '请延长' },
  }),
  'POST /api/cases/:id/review/assign': act((c) => `/api/cases/${c.caseId}/review/assign`, {
    body: WORK_GROUP,
  }),
  'POST /api/cases/:id/resubmit': act((c) => `/api/cases/${c.caseId}/resubmit`, { body: {} }),
  'GET /api/cases/:id/documents/:documentId': read(
    (c) => `/api/cases/${c.caseId}/documents/${c.documentId}`,
    TOWNSHIP,
  ),
  'POST /api/cases/:id/escalations': act((c) => `/api/cases/${c.caseId}/escalations`, {
    body: { reason: '外地社保本级无法核对', items: [{ memberIndex: 1, dataItem: '跨区域社保' }] },
  }),
  'POST /api/cases/:id/escalations/:eid/approve': act(
    (c) => `/api/cases/${c.caseId}/escalations/${c.escalationId}/approve`,
    { body: {} },
  ),
  'POST /api/cases/:id/escalations/:eid/reject': act(
    (c) => `/api/cases/${c.caseId}/escalations/${c.escalationId}/reject`,
    { body: {} },
  ),
  'GET /api/escalations': fixed('/api/escalations'),
  // A sub-request is the upper level's work: the county that sent it follows it on its case, not here.
  'GET /api/escalations/:eid': read((c) => `/api/escalations/${c.escalationId}`, {
    mayRefuse: ['xifeng_staff', 'xifeng_reviewer'],
  }),
  'POST /api/escalations/:eid/answer': act((c) => `/api/escalations/${c.escalationId}/answer`, {
    body: {
      findings: [
        {
          itemIndex: 0,
          finding: '兰州市无不动产登记',
          amountFen: null,
          sourceDepartment: '兰州市自然资源局',
          sourceDataset: '不动产登记信息',
          dataAsOf: '2025-09-20',
        },
      ],
    },
  }),
  // Bulk exports of personal data (case archive, exchange list, dishonesty records…) are requested with a purpose,
  // approved by another reviewer, and downloaded once by the one who asked.
  'GET /api/exports': fixed('/api/exports'),
  'POST /api/exports': act(() => '/api/exports', {
    bodyOf: (c) => ({ target: { kind: 'case_archive', caseId: c.caseId }, reason: '归档备查' }),
  }),
  'POST /api/exports/:id/approve': act((c) => `/api/exports/${c.exportId}/approve`, { body: {} }),
  'POST /api/exports/:id/refuse': act((c) => `/api/exports/${c.exportId}/refuse`, {
    body: { note: '用途不明' },
  }),
  'GET /api/exports/:id/download': read((c) => `/api/exports/${c.exportId}/download`, {
    mayRefuse: ACCOUNT_NAMES,
  }),
  'GET /api/query-interfaces': fixed('/api/query-interfaces'),
  'POST /api/query-interfaces': fixed('/api/query-interfaces', { body: {} }),
  'GET /api/query-interfaces/:id': fixed('', {
    url: (_c, s) => `/api/query-interfaces/${s.queryInterfaceId}`,
  }),
  'PATCH /api/query-interfaces/:id': fixed('', {
    url: (_c, s) => `/api/query-interfaces/${s.queryInterfaceId}`,
    body: { name: '公安机动车查询（矩阵）' },
    cityOnly: true,
  }),
  'POST /api/query-interfaces/:id/test': fixed('', {
    url: (_c, s) => `/api/query-interfaces/${s.queryInterfaceId}/test`,
    body: { idNumber: idNumber(40) },
    cityOnly: true,
  }),
  'GET /api/offline-exchanges': fixed('/api/offline-exchanges'),
  'POST /api/offline-exchanges': fixed('/api/offline-exchanges', { body: {} }),
  'GET /api/offline-exchanges/:id': read((c) => `/api/offline-exchanges/${c.exchangeId}`, NOT_ADDRESSED),
  'POST /api/offline-exchanges/:id/answer': act((c) => `/api/offline-exchanges/${c.exchangeId}/answer`, {
    multipart: { fields: {}, file: { name: '回复.csv', bytes: Buffer.from('身份证号,姓名\n') } },
  }),
  'GET /api/roster/template': fixed('/api/roster/template'),
  'POST /api/roster/uploads': fixed('/api/roster/uploads', { body: {} }),
  'POST /api/roster/versions': fixed('/api/roster/versions', { body: {} }),
  'GET /api/roster/versions': fixed('/api/roster/versions'),
  'GET /api/roster/versions/:id': read((c) => `/api/roster/versions/${c.rosterVersionId}`, TOWNSHIP),
  'GET /api/roster/versions/:id/diff': read(
    (c) => `/api/roster/versions/${c.rosterVersionId}/diff`,
    TOWNSHIP,
  ),
  'POST /api/rechecks': fixed('/api/rechecks', { body: {} }),
  'GET /api/rechecks': fixed('/api/rechecks'),
  'GET /api/rechecks/:id': read((c) => `/api/rechecks/${c.recheckRunId}`),
  'GET /api/recheck-alerts': fixed('/api/recheck-alerts'),
  'POST /api/recheck-alerts/:id/work': act((c) => `/api/recheck-alerts/${c.recheckAlertId}/work`, {
    body: { action: 'confirm', reason: null },
  }),
  'GET /api/recheck-alerts/:id/cases': read((c) => `/api/recheck-alerts/${c.recheckAlertId}/cases`),
  'GET /api/rechecks/:id/reports': read((c) => `/api/rechecks/${c.recheckRunId}/reports`),
  'POST /api/rechecks/:id/reports/:requesterId/issue': act(
    (c) => `/api/rechecks/${c.recheckRunId}/reports/${c.requesterOrgId}/issue`,
  ),
  'GET /api/rechecks/:id/reports/:requesterId/download': read(
    (c) => `/api/rechecks/${c.recheckRunId}/reports/${c.requesterOrgId}/download?format=pdf`,
    TOWNSHIP,
  ),
  'GET /api/recheck-reports': fixed('/api/recheck-reports'),
  'GET /api/dishonesty-records': fixed('/api/dishonesty-records'),
  'GET /api/dishonesty-records/:id': read((c) => `/api/dishonesty-records/${c.dishonestyId}`, TOWNSHIP),
  'POST /api/cases/:id/dishonesty-records': act((c) => `/api/cases/${c.suspendedCaseId}/dishonesty-records`, {
    body: { concealed: '隐瞒名下车辆', evidence: [] },
  }),
  'POST /api/dishonesty-records/:id/approve': act(
    (c) => `/api/dishonesty-records/${c.dishonestyId}/approve`,
    {
      body: {},
    },
  ),
  'POST /api/dishonesty-records/:id/reject': act((c) => `/api/dishonesty-records/${c.dishonestyId}/reject`, {
    body: { reason: '证据不足' },
  }),
  'POST /api/dishonesty-records/:id/revoke': act((c) => `/api/dishonesty-records/${c.dishonestyId}/revoke`, {
    body: { reason: '申诉成立' },
  }),
};

type Outcome = 'ok' | 'refused';

function multipart(form: NonNullable<Probe['multipart']>): { body: Buffer; headers: Record<string, string> } {
  const boundary = '----hedui-matrix';
  const parts = Object.entries(form.fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(form.file.name)}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    body: Buffer.concat([
      Buffer.from(parts.join('') + head),
      form.file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

interface Call {
  route: string;
  username: string | null;
  county: County | null;
  status: number;
  code: string | null;
}

type Account = (typeof ACCOUNTS)[number];
type Expectation = 'ok' | 'refused' | 'either' | 'role' | 'anonymous';

/** What the call must answer, from the route's declared policy, the probe's region binding and the account. */
function expectedOutcome(
  access: Access | undefined,
  probe: Probe,
  account: Account,
  county: County | null,
): Expectation {
  if (access?.kind === 'public') return 'ok';
  if (!account.username) return 'anonymous';
  if (access?.kind !== 'authenticated' && !account.roles.some((r) => access?.roles.includes(r)))
    return 'role';
  const mayRefuse = probe.mayRefuse?.includes(account.username) ?? false;
  if (probe.cityOnly && account.county !== null) return 'refused';
  if (probe.bound === 'none') return mayRefuse ? 'either' : 'ok';
  if (account.county !== null && account.county !== county) return 'refused';
  if (probe.bound === 'act') return 'either';
  return mayRefuse ? 'either' : 'ok';
}

function outcomeOf(res: LightMyRequestResponse): Outcome | 'error' {
  const s = res.statusCode;
  if (s >= 200 && s < 300) return 'ok';
  if ([400, 409, 415, 422].includes(s)) return 'ok';
  if ([401, 403, 404].includes(s)) return 'refused';
  return 'error';
}

function errorCode(res: LightMyRequestResponse): string | null {
  try {
    const body = res.json<{ error?: { code?: string; details?: { code?: string } | null } }>();
    const e = body.error;
    return e ? (e.details?.code ? `${e.code}/${e.details.code}` : (e.code ?? null)) : null;
  } catch {
    return null;
  }
}

describeEachDatabase('access matrix', (dialect) => {
  const t = useTestApp(dialect);
  const fx = {} as Record<County, CountyFixtures>;
  const shared = {} as SharedFixtures;
  const cookies = new Map<string, string>();
  const calls: Call[] = [];

  async function cookieOf(username: string): Promise<string> {
    let cookie = cookies.get(username);
    if (!cookie) {
      cookie = await t.login(username);
      cookies.set(username, cookie);
    }
    return cookie;
  }

  async function ok(res: LightMyRequestResponse) {
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<Record<string, unknown>>();
  }

  async function buildCounty(county: County) {
    const slug = county;
    const parties = {
      requester: `${slug}_requester`,
      handler: `${slug}_staff`,
      reviewer: `${slug}_reviewer`,
    };
    const base = county === 'xifeng' ? 40 : 50;
    const members = [0, 1].map((i) => ({
      idNumber: idNumber(base + i),
      name: personName(base + i),
      relation: relationOf(i),
    }));
    const handler = await cookieOf(parties.handler);
    const reviewer = await cookieOf(parties.reviewer);
    const requester = await cookieOf(parties.requester);
    const kase = await openCase(t.deps, members, parties);
    const caseView = (await ok(await t.call('GET', `/api/cases/${kase.id}`, { cookie: handler }))) as {
      case: { documents: { id: number }[] };
    };
    const documentId = caseView.case.documents[0]?.id;
    if (!documentId) throw new Error('the accepted case has no receipt document');

    const assessment = (await ok(
      await t.call('POST', '/api/assessments', {
        cookie: handler,
        body: {
          caseRef: kase.number,
          regionCode: REGION[county],
          assistanceType: 'subsistence_allowance',
          members,
        },
      }),
    )) as { assessment: { id: number } };

    const escalation = (await ok(
      await t.call('POST', `/api/cases/${kase.id}/escalations`, {
        cookie: handler,
        body: { reason: '外地不动产本级无法核对', items: [{ memberIndex: 0, dataItem: '外地不动产' }] },
      }),
    )) as { id: number };
    await ok(
      await t.call('POST', `/api/cases/${kase.id}/escalations/${escalation.id}/approve`, {
        cookie: reviewer,
        body: {},
      }),
    );

    const exchange = (await ok(
      await t.call('POST', '/api/offline-exchanges', {
        cookie: handler,
        body: {
          departmentCode: 'finance',
          dataset: 'payroll',
          persons: [{ caseRef: kase.number, idNumber: members[0]?.idNumber, name: members[0]?.name }],
        },
      }),
    )) as { exchange: { id: number } };

    // A second case, suspended for concealment: the suspension drafts the dishonesty record.
    const suspendedMembers = [{ idNumber: idNumber(base + 5), name: personName(base + 5), relation: '本人' }];
    const suspended = await openCase(t.deps, suspendedMembers, parties);
    await ok(
      await t.call('POST', `/api/cases/${suspended.id}/suspension`, {
        cookie: handler,
        body: { grounds: ['concealment-or-false-materials'], reason: '申请人隐瞒名下车辆' },
      }),
    );
    await ok(
      await t.call('POST', `/api/cases/${suspended.id}/suspension/decision`, {
        cookie: reviewer,
        body: { approve: true },
      }),
    );
    const records = (await ok(await t.call('GET', '/api/dishonesty-records', { cookie: reviewer }))) as {
      items: { id: number; caseId: number | null }[];
    };
    const dishonestyId = records.items.find((r) => r.caseId === suspended.id)?.id;
    if (!dishonestyId) throw new Error('no dishonesty record drafted');

    const profile = (await ok(
      await t.call('POST', '/api/policy-profiles', {
        cookie: reviewer,
        body: { regionCode: REGION[county], assistanceType: 'temporary_assistance' },
      }),
    )) as { profile: { id: number } };

    const exported = (await ok(
      await t.call('POST', '/api/exports', {
        cookie: handler,
        body: { target: { kind: 'case_archive', caseId: kase.id }, reason: '归档备查' },
      }),
    )) as { id: number };

    const requesterActor = await actorOf(t.deps, parties.requester);
    const webhook = await createWebhookSubscription(
      t.deps,
      { url: 'https://example.com/hedui-hook', eventTypes: ['entrustment.state_changed'] },
      requesterActor,
    );
    const ping = await testWebhookSubscription(t.deps, webhook.subscription.id, requesterActor);
    const rosterVersions = (await ok(await t.call('GET', '/api/roster/versions', { cookie: requester }))) as {
      items: { id: number }[];
    };
    await t.login(`${slug}_victim`);
    const user = await t.deps.store.users.getByUsername(`${slug}_victim`);
    const sessions = (await ok(
      await t.call('GET', '/api/sessions', { cookie: await cookieOf('admin') }),
    )) as {
      items: { id: string; username: string }[];
    };
    const organisation = (await t.deps.store.organisations.list(null)).find(
      (o) => o.regionCode === `${REGION[county]}002` && o.kind === 'requester',
    );
    fx[county] = {
      regionCode: REGION[county],
      secrets: [...members, ...suspendedMembers].flatMap((m) => [m.name, m.idNumber]),
      caseId: kase.id,
      caseNumber: kase.number,
      documentId,
      suspendedCaseId: suspended.id,
      assessmentId: assessment.assessment.id,
      escalationId: escalation.id,
      exchangeId: exchange.exchange.id,
      rosterVersionId: rosterVersions.items[0]?.id ?? 0,
      recheckRunId: 0,
      recheckAlertId: 0,
      requesterOrgId: requesterActor.organisationId as number,
      dishonestyId,
      policyProfileId: profile.profile.id,
      userId: user?.id ?? 0,
      organisationId: organisation?.id ?? 0,
      sessionId: sessions.items.find((s) => s.username === `${slug}_victim`)?.id ?? '',
      exportId: exported.id,
      webhookId: webhook.subscription.id,
      webhookDeliveryId: ping.id,
    };
  }

  beforeAll(async () => {
    const dir = tempDir('hedui-access-matrix-');
    const { load, batchIds } = batchLoader(t, dir);
    // A victim account per county, signed in, for the routes that act on users and sessions.
    const passwordHash = await hashPassword(t.config.demoPassword);
    for (const county of COUNTIES) {
      const org = (await t.deps.store.organisations.list(null)).find(
        (o) => o.regionCode === REGION[county] && o.kind === 'agency',
      );
      const at = t.clock.now().toISOString();
      await t.deps.store.users.create({
        username: `${county}_victim`,
        displayName: `${county} 受试账号`,
        organisationId: org?.id as number,
        passwordHash,
        active: true,
        failedLoginCount: 0,
        lockedUntil: null,
        passwordChangedAt: at,
        lastLoginAt: null,
        createdAt: at,
        roles: ['agency_staff'],
      });
    }
    await loadMonthOneData(load);
    shared.batchId = batchIds.hukou as number;

    // The monthly recheck: a family per county on its requester's roster, month 1 and month 2 (one change each).
    const family = (county: County) => (county === 'xifeng' ? [0, 1] : [2]);
    const rosterOf = (county: County) =>
      family(county).map((p, i) => ({
        familyKey: `F-${county}`,
        ...(i === 0
          ? {
              regionCode: `${REGION[county]}001`,
              assistanceType: '最低生活保障',
              startDate: '2025-01-01',
              monthlyAmount: '650',
            }
          : {}),
        name: personName(p),
        idNumber: idNumber(p),
        relation: relationOf(i),
      }));
    for (const county of COUNTIES) {
      await openCase(
        t.deps,
        family(county).map((p, i) => ({
          idNumber: idNumber(p),
          name: personName(p),
          relation: relationOf(i),
        })),
        { requester: `${county}_requester`, handler: `${county}_staff`, reviewer: `${county}_reviewer` },
      );
      await importRoster(
        t.deps,
        { source: 'api', month: '2025-09', rows: rosterOf(county) },
        await actorOf(t.deps, `${county}_requester`),
      );
    }
    const runs = {} as Record<County, number>;
    for (const county of COUNTIES) {
      const reviewer = await actorOf(t.deps, `${county}_reviewer`);
      await startRecheck(
        t.deps,
        { month: '2025-09', scopeAgencyId: reviewer.organisationId as number },
        reviewer,
      );
    }
    t.clock.set('2025-10-03T02:00:00.000Z');
    await loadMonthTwoData(load);
    for (const county of COUNTIES) {
      await importRoster(
        t.deps,
        { source: 'api', month: '2025-10', rows: rosterOf(county) },
        await actorOf(t.deps, `${county}_requester`),
      );
      const reviewer = await actorOf(t.deps, `${county}_reviewer`);
      runs[county] = (
        await startRecheck(
          t.deps,
          { month: '2025-10', scopeAgencyId: reviewer.organisationId as number },
          reviewer,
        )
      ).runId;
    }

    for (const county of COUNTIES) await buildCounty(county);
    for (const county of COUNTIES) {
      const reviewer = await cookieOf(`${county}_reviewer`);
      const f = fx[county];
      f.recheckRunId = runs[county];
      const alerts = (await ok(
        await t.call('GET', `/api/recheck-alerts?runId=${runs[county]}`, { cookie: reviewer }),
      )) as { items: { id: number }[] };
      f.recheckAlertId = alerts.items[0]?.id ?? 0;
      await ok(
        await t.call('POST', `/api/rechecks/${runs[county]}/reports/${f.requesterOrgId}/issue`, {
          cookie: reviewer,
        }),
      );
    }

    const admin = await cookieOf('admin');
    const police = (await t.deps.store.organisations.list(null)).find(
      (o) => o.departmentCode === 'public_security',
    );
    const key = (await ok(
      await t.call('POST', '/api/api-keys', {
        cookie: admin,
        body: { organisationId: police?.id, name: '矩阵测试' },
      }),
    )) as { apiKey: { id: number } };
    shared.apiKeyId = key.apiKey.id;
    const qi = (await ok(
      await t.call('POST', '/api/query-interfaces', {
        cookie: admin,
        body: {
          config: {
            departmentCode: 'public_security',
            dataset: 'vehicle',
            url: 'http://127.0.0.1:9/api/vehicles',
            auth: { kind: 'bearer', token: 'matrix-secret' },
            timeoutMs: 300,
            retries: 1,
            backoffMs: 1,
            response: {
              rowsPath: 'data.records',
              fieldMap: {
                身份证号: 'sfzh',
                号牌号码: 'hphm',
                车辆类型: 'cllx',
                使用性质: 'syxz',
                初次登记日期: 'ccdjrq',
                车辆状态: 'zt',
              },
            },
          },
        },
      }),
    )) as { queryInterface: { id: number } };
    shared.queryInterfaceId = qi.queryInterface.id;
    const notices = (await ok(
      await t.call('GET', '/api/notices', { cookie: await cookieOf('city_staff') }),
    )) as {
      items: { id: number }[];
    };
    shared.noticeId = notices.items[0]?.id ?? 999_999;
  }, 180_000);

  it('has a probe for every route the server registers, so a new route must be added on purpose', () => {
    const served = t.app.routeTable
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    const unprobed = served.filter((r) => !(r in MATRIX));
    const gone = Object.keys(MATRIX).filter((r) => !served.includes(r));
    expect({ unprobed, gone }).toEqual({ unprobed: [], gone: [] });
  });

  it('answers every route × role × region within scope or refuses it, and audits every refusal', async () => {
    const policies = new Map(t.app.routeTable.map((r) => [`${r.method} ${r.url}`, r.access]));
    const userIds = new Map<string, number>();
    for (const a of ACCOUNTS) if (a.username) userIds.set(a.username, await t.userId(a.username));
    // Reads first, then writes (a write may move a fixture on; reads must see every fixture as built).
    const entries = Object.entries(MATRIX).sort(
      ([a], [b]) => Number(!a.startsWith('GET ')) - Number(!b.startsWith('GET ')),
    );
    const wrong: string[] = [];
    const unmasked: string[] = [];
    const refusals = new Map<string, number>();
    for (const [route, probe] of entries) {
      const method = route.split(' ')[0] as HttpMethod;
      const access = policies.get(route);
      const counties: (County | null)[] = probe.bound === 'none' ? [null] : [...COUNTIES];
      for (const account of ACCOUNTS) {
        for (const county of counties) {
          const url = probe.url(fx[county ?? 'xifeng'], shared);
          const cookie = account.username
            ? probe.ownSession
              ? await t.login(account.username)
              : await cookieOf(account.username)
            : undefined;
          const res = probe.multipart
            ? await t.call(method, url, { cookie, ...multipart(probe.multipart) })
            : await t.call(method, url, {
                cookie,
                body: probe.bodyOf ? probe.bodyOf(fx[county ?? 'xifeng']) : probe.body,
              });
          const code = errorCode(res);
          // Unmasked ID numbers are for the case's work group and requester (item 4), never the city level or a
          // department; the upper-level agency answering a sub-request is given the members it must look up.
          if (county && account.username && account.county === null && !(route in FULL_ID_FOR_UPPER_LEVEL))
            for (const id of fx[county].secrets.filter((x) => /^\d{17}/.test(x)))
              if (res.body.includes(id)) unmasked.push(`${route} as ${account.username} on ${county}`);
          calls.push({ route, username: account.username, county, status: res.statusCode, code });
          const expectation = expectedOutcome(access, probe, account, county);
          const got = outcomeOf(res);
          const roleRefused = expectation === 'role';
          const fine =
            expectation === 'anonymous'
              ? res.statusCode === 401
              : roleRefused
                ? res.statusCode === 403 && code === 'PERMISSION_DENIED'
                : expectation === 'either'
                  ? got !== 'error' && res.statusCode !== 401
                  : expectation === 'refused'
                    ? res.statusCode === 403 || res.statusCode === 404
                    : got === 'ok';
          if (!fine)
            wrong.push(
              `${route} as ${account.username} on ${county}: expected ${expectation}, got ${res.statusCode} ${code}`,
            );
          const refusedInScope = res.statusCode === 403 || code === 'OUT_OF_SCOPE';
          if (account.username && refusedInScope) {
            const key = `${userIds.get(account.username)} ${method} ${route.slice(method.length + 1)}`;
            refusals.set(key, (refusals.get(key) ?? 0) + 1);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(unmasked).toEqual([]);
    expect(calls.length).toBeGreaterThan(Object.keys(MATRIX).length * ACCOUNTS.length);

    // Every refusal of a signed-in user (403, or 404 OUT_OF_SCOPE) is in the audit log with its route.
    const denials = (
      await t.deps.store.audit.list({ action: 'PERMISSION_DENIED', offset: 0, limit: 100_000 })
    ).items;
    const audited = new Map<string, number>();
    for (const d of denials) {
      const details = d.details as { method: string; route: string };
      const key = `${d.actorUserId} ${details.method} ${details.route}`;
      audited.set(key, (audited.get(key) ?? 0) + 1);
    }
    const unaudited = [...refusals].filter(([key, n]) => (audited.get(key) ?? 0) < n).map(([key]) => key);
    expect(unaudited).toEqual([]);
    expect(refusals.size).toBeGreaterThan(100);
  }, 300_000);

  it("refuses a county user another county's objects by identifier, never with the data, and audits each refusal", async () => {
    const other = fx.qingcheng;
    const denials = () => t.deps.store.audit.list({ action: 'PERMISSION_DENIED', offset: 0, limit: 1 });
    const attempts: [string, string, string][] = [
      ['xifeng_staff', `/api/cases/${other.caseId}`, '/api/cases/:id'],
      ['xifeng_reviewer', `/api/cases/${other.caseId}`, '/api/cases/:id'],
      ['xifeng_requester', `/api/cases/${other.caseId}`, '/api/cases/:id'],
      [
        'xifeng_staff',
        `/api/cases/${other.caseId}/documents/${other.documentId}`,
        '/api/cases/:id/documents/:documentId',
      ],
      [
        'xifeng_requester',
        `/api/cases/${other.caseId}/documents/${other.documentId}`,
        '/api/cases/:id/documents/:documentId',
      ],
      ['xifeng_staff', `/api/assessments/${other.assessmentId}`, '/api/assessments/:id'],
      [
        'xifeng_reviewer',
        `/api/assessments/${other.assessmentId}/comparison`,
        '/api/assessments/:id/comparison',
      ],
      ['xifeng_staff', `/api/escalations/${other.escalationId}`, '/api/escalations/:eid'],
      ['xifeng_staff', `/api/offline-exchanges/${other.exchangeId}`, '/api/offline-exchanges/:id'],
      ['xifeng_requester', `/api/roster/versions/${other.rosterVersionId}`, '/api/roster/versions/:id'],
      ['xifeng_staff', `/api/roster/versions/${other.rosterVersionId}/diff`, '/api/roster/versions/:id/diff'],
      ['xifeng_reviewer', `/api/rechecks/${other.recheckRunId}`, '/api/rechecks/:id'],
      ['xifeng_staff', `/api/recheck-alerts/${other.recheckAlertId}/cases`, '/api/recheck-alerts/:id/cases'],
      ['xifeng_reviewer', `/api/rechecks/${other.recheckRunId}/reports`, '/api/rechecks/:id/reports'],
      [
        'xifeng_requester',
        `/api/rechecks/${other.recheckRunId}/reports/${other.requesterOrgId}/download?format=pdf`,
        '/api/rechecks/:id/reports/:requesterId/download',
      ],
      ['xifeng_staff', `/api/dishonesty-records/${other.dishonestyId}`, '/api/dishonesty-records/:id'],
      ['xifeng_requester', `/api/dishonesty-records/${other.dishonestyId}`, '/api/dishonesty-records/:id'],
      ['xifeng_staff', `/api/exports/${other.exportId}/download`, '/api/exports/:id/download'],
      ['xifeng_staff', `/api/policy-profiles/${other.policyProfileId}`, '/api/policy-profiles/:id'],
      // A department sees its own uploads only: 财政 asks for 公安's household-register batch.
      ['dept_finance', `/api/batches/${shared.batchId}`, '/api/batches/:id'],
      ['dept_finance', `/api/batches/${shared.batchId}/error-report`, '/api/batches/:id/error-report'],
    ];
    for (const [username, url, route] of attempts) {
      const before = await denials();
      const res = await t.call('GET', url, { cookie: await cookieOf(username) });
      expect([403, 404], `${username} ${url}: ${res.statusCode}`).toContain(res.statusCode);
      expect(res.headers['content-type']).toContain('application/json');
      for (const secret of [...other.secrets, other.caseNumber]) expect(res.body).not.toContain(secret);
      const after = await denials();
      expect(after.total, `${username} ${url} not audited`).toBe(before.total + 1);
      expect(after.items[0]).toMatchObject({
        actorUserId: await t.userId(username),
        outcome: 'denied',
        details: { method: 'GET', route },
      });
    }
    // The same objects are there for their own county: the refusals above are about scope, not absence.
    const own = await cookieOf('qingcheng_staff');
    for (const url of [`/api/cases/${other.caseId}`, `/api/assessments/${other.assessmentId}`]) {
      const res = await t.call('GET', url, { cookie: own });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
});

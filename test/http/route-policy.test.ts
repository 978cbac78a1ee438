import { expect, it } from 'vitest';
import type { RouteEntry } from '../../src/http/app.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

const UNPOLICED_ROUTE = '/api/test/unpoliced';

/** Every route the API serves today, with who may call it. A new route must be added here on purpose. */
const KNOWN_API_ROUTES = [
  'GET /healthz public',
  'GET /readyz public',
  'GET /metrics public',
  'POST /api/auth/login public',
  'POST /api/auth/logout authenticated',
  'GET /api/auth/me authenticated',
  'POST /api/auth/password authenticated',
  'POST /api/auth/login/second-factor authenticated',
  'GET /api/auth/second-factor authenticated',
  'POST /api/auth/second-factor/enrolment authenticated',
  'POST /api/auth/second-factor/enrolment/confirm authenticated',
  'POST /api/auth/second-factor/recovery-codes authenticated',
  'GET /api/auth/logins authenticated',
  'GET /api/users/:id/logins system_admin',
  'POST /api/users/:id/reset-second-factor system_admin',
  'POST /api/users/:id/end-sessions system_admin',
  'GET /api/sessions system_admin',
  'POST /api/sessions/:sessionId/end system_admin',
  'GET /api/organisations system_admin',
  'POST /api/organisations system_admin',
  'PATCH /api/organisations/:id system_admin',
  'GET /api/users system_admin',
  'POST /api/users system_admin',
  'PATCH /api/users/:id system_admin',
  'POST /api/users/:id/reset-password system_admin',
  'POST /api/users/:id/unlock system_admin',
  'GET /api/regions authenticated',
  'POST /api/regions system_admin',
  'GET /api/calendar/years authenticated',
  'GET /api/calendar/years/:year authenticated',
  'PUT /api/calendar/years/:year system_admin',
  'GET /api/calendar/add-workdays authenticated',
  'GET /api/calendar/workdays-between authenticated',
  'GET /api/audit audit_officer',
  'POST /api/audit/verify audit_officer',
  'GET /api/audit/checkpoints audit_officer',
  'GET /api/retention system_admin',
  'GET /api/admin/jobs system_admin',
  'POST /api/admin/jobs/:id/retry system_admin',
  'POST /api/v1/registry/sync/search requester_staff+apikey:registry:search',
  'GET /api/openapi.json public',
  'GET /api/v1/openapi.json public',
  'POST /api/v1/oauth/token public',
  'POST /api/v1/entrustments requester_staff+apikey:entrustments:write',
  'GET /api/v1/entrustments requester_staff+apikey:entrustments:read',
  'GET /api/v1/entrustments/:id requester_staff+apikey:entrustments:read',
  'POST /api/v1/entrustments/:id/documents requester_staff+apikey:entrustments:write',
  'POST /api/v1/entrustments/:id/resubmit requester_staff+apikey:entrustments:write',
  'GET /api/v1/entrustments/:id/documents/:documentId requester_staff+apikey:documents:read',
  'GET /api/v1/offline-exchanges department_officer+apikey:exchanges:write',
  'POST /api/v1/offline-exchanges/:id/answer department_officer+apikey:exchanges:write',
  'GET /api/v1/webhooks requester_staff+apikey:webhooks:manage',
  'POST /api/v1/webhooks requester_staff+apikey:webhooks:manage',
  'PATCH /api/v1/webhooks/:id requester_staff+apikey:webhooks:manage',
  'DELETE /api/v1/webhooks/:id requester_staff+apikey:webhooks:manage',
  'POST /api/v1/webhooks/:id/rotate-secret requester_staff+apikey:webhooks:manage',
  'GET /api/v1/webhooks/:id/deliveries requester_staff+apikey:webhooks:manage',
  'POST /api/v1/webhooks/:id/test requester_staff+apikey:webhooks:manage',
  'POST /api/v1/webhook-deliveries/:id/redeliver requester_staff+apikey:webhooks:manage',
  'GET /api/datasets authenticated',
  'GET /api/datasets/:code/template authenticated',
  'GET /api/api-keys system_admin',
  'POST /api/api-keys system_admin',
  'POST /api/api-keys/:id/rotate system_admin',
  'POST /api/api-keys/:id/revoke system_admin',
  'POST /api/batches department_officer',
  'POST /api/v1/datasets/:code/batches department_officer+apikey:batches:write',
  'POST /api/batches/unidentified department_officer',
  'POST /api/v1/datasets/:code/unidentified-batches department_officer+apikey:batches:write',
  'GET /api/batches department_officer+agency_staff+agency_reviewer',
  'GET /api/batches/:id department_officer+agency_staff+agency_reviewer',
  'GET /api/batches/imports/:id department_officer+system_admin',
  'GET /api/batches/:id/error-report department_officer',
  'POST /api/batches/:id/retract department_officer',
  'GET /api/delivery/rules system_admin',
  'PUT /api/delivery/rules/:dataset system_admin',
  'GET /api/delivery/status department_officer+agency_staff+agency_reviewer',
  'GET /api/quality department_officer+agency_staff+agency_reviewer',
  'GET /api/notices authenticated',
  'POST /api/notices/:id/read authenticated',
  'GET /api/policy-profiles agency_staff+agency_reviewer',
  'GET /api/policy-profiles/resolve agency_staff+agency_reviewer',
  'GET /api/policy-profiles/:id agency_staff+agency_reviewer',
  'POST /api/policy-profiles agency_reviewer',
  'POST /api/policy-profiles/:id/versions agency_reviewer',
  'POST /api/assessments agency_staff+agency_reviewer',
  'GET /api/assessments agency_staff+agency_reviewer',
  'GET /api/assessments/:id agency_staff+agency_reviewer',
  'POST /api/assessments/:id/rerun agency_staff+agency_reviewer',
  'GET /api/assessments/:id/comparison agency_staff+agency_reviewer',
  'POST /api/assessments/:id/matches agency_staff+agency_reviewer',
  'POST /api/cases requester_staff',
  'GET /api/cases/batch-template requester_staff',
  'POST /api/cases/batch requester_staff',
  'GET /api/cases requester_staff+agency_staff+agency_reviewer',
  'GET /api/cases/:id requester_staff+agency_staff+agency_reviewer',
  'GET /api/cases/dashboard requester_staff+agency_staff+agency_reviewer',
  'GET /api/statistics agency_staff+agency_reviewer',
  'GET /api/statistics/export agency_staff+agency_reviewer',
  'POST /api/cases/:id/attachments requester_staff',
  'POST /api/cases/:id/accept agency_staff+agency_reviewer',
  'POST /api/cases/:id/return agency_staff+agency_reviewer',
  'GET /api/cases/:id/work-group-candidates agency_staff+agency_reviewer',
  'POST /api/cases/:id/report/submit agency_staff+agency_reviewer',
  'POST /api/cases/:id/report/approve agency_staff+agency_reviewer',
  'POST /api/cases/:id/report/send-back agency_staff+agency_reviewer',
  'POST /api/cases/:id/extension agency_staff+agency_reviewer',
  'POST /api/cases/:id/extension/decision agency_staff+agency_reviewer',
  'POST /api/cases/:id/appeal requester_staff',
  'POST /api/cases/:id/suspension agency_staff+agency_reviewer',
  'POST /api/cases/:id/suspension/decision agency_staff+agency_reviewer',
  'POST /api/cases/:id/force-majeure agency_staff+agency_reviewer',
  'POST /api/cases/:id/force-majeure/decision agency_staff+agency_reviewer',
  'POST /api/cases/:id/force-majeure/answer requester_staff',
  'POST /api/cases/:id/review/assign agency_staff+agency_reviewer',
  'POST /api/cases/:id/resubmit requester_staff',
  'GET /api/cases/:id/documents/:documentId requester_staff+agency_staff+agency_reviewer',
  'POST /api/cases/:id/escalations agency_staff+agency_reviewer',
  'POST /api/cases/:id/escalations/:eid/approve agency_staff+agency_reviewer',
  'POST /api/cases/:id/escalations/:eid/reject agency_staff+agency_reviewer',
  'GET /api/escalations agency_staff+agency_reviewer',
  'GET /api/escalations/:eid agency_staff+agency_reviewer',
  'POST /api/escalations/:eid/answer agency_staff+agency_reviewer',
  'GET /api/public/documents/verify public',
  'GET /api/query-interfaces system_admin+agency_staff+agency_reviewer',
  'POST /api/query-interfaces system_admin',
  'GET /api/query-interfaces/:id system_admin+agency_staff+agency_reviewer',
  'PATCH /api/query-interfaces/:id system_admin',
  'POST /api/query-interfaces/:id/test system_admin',
  'GET /api/offline-exchanges department_officer+agency_staff+agency_reviewer',
  'POST /api/offline-exchanges agency_staff+agency_reviewer',
  'GET /api/offline-exchanges/:id department_officer+agency_staff+agency_reviewer',
  'POST /api/offline-exchanges/:id/answer department_officer+agency_staff+agency_reviewer',
  'GET /api/roster/template requester_staff',
  'POST /api/roster/uploads requester_staff',
  'POST /api/roster/versions requester_staff',
  'GET /api/roster/versions requester_staff+agency_staff+agency_reviewer',
  'GET /api/roster/versions/:id requester_staff+agency_staff+agency_reviewer',
  'GET /api/roster/versions/:id/diff requester_staff+agency_staff+agency_reviewer',
  'POST /api/rechecks agency_reviewer',
  'GET /api/rechecks agency_staff+agency_reviewer',
  'GET /api/rechecks/:id agency_staff+agency_reviewer',
  'GET /api/recheck-alerts agency_staff+agency_reviewer',
  'POST /api/recheck-alerts/:id/work agency_staff+agency_reviewer',
  'GET /api/recheck-alerts/:id/cases agency_staff+agency_reviewer',
  'GET /api/rechecks/:id/reports agency_staff+agency_reviewer',
  'POST /api/rechecks/:id/reports/:requesterId/issue agency_reviewer',
  'GET /api/rechecks/:id/reports/:requesterId/download requester_staff+agency_staff+agency_reviewer',
  'GET /api/exports requester_staff+agency_staff+agency_reviewer+department_officer',
  'POST /api/exports requester_staff+agency_staff+agency_reviewer+department_officer',
  'POST /api/exports/:id/approve agency_reviewer',
  'POST /api/exports/:id/refuse agency_reviewer',
  'GET /api/exports/:id/download requester_staff+agency_staff+agency_reviewer+department_officer',
  'GET /api/recheck-reports requester_staff+agency_staff+agency_reviewer',
  'GET /api/dishonesty-records requester_staff+agency_staff+agency_reviewer',
  'GET /api/dishonesty-records/:id requester_staff+agency_staff+agency_reviewer',
  'POST /api/cases/:id/dishonesty-records agency_staff+agency_reviewer',
  'POST /api/dishonesty-records/:id/approve agency_reviewer',
  'POST /api/dishonesty-records/:id/reject agency_reviewer',
  'POST /api/dishonesty-records/:id/revoke agency_reviewer',
].sort();

function describeAccess(route: RouteEntry): string {
  const { access } = route;
  const who = !access
    ? 'NONE'
    : access.kind === 'roles'
      ? [...access.roles, ...(access.machine ? [`apikey:${access.scope}`] : [])].join('+')
      : access.kind;
  return `${route.method} ${route.url} ${who}`;
}

function routesWithoutPolicy(routes: RouteEntry[]): string[] {
  return routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`);
}

describeEachDatabase('route access policies', (dialect) => {
  const t = useTestApp(dialect, {
    extraRoutes: (app) => {
      // Registered without config.access, as a careless new route would be.
      app.get(UNPOLICED_ROUTE, async () => ({ secret: true }));
    },
  });

  it('finds the route that was registered without a policy, so the check below is not vacuous', () => {
    expect(routesWithoutPolicy(t.app.routeTable)).toEqual([
      `GET ${UNPOLICED_ROUTE}`,
      `HEAD ${UNPOLICED_ROUTE}`,
    ]);
  });

  it('declares an access policy on every route the server registers (deny by default)', () => {
    const served = t.app.routeTable.filter((r) => r.url !== UNPOLICED_ROUTE);
    expect(served.length).toBeGreaterThan(KNOWN_API_ROUTES.length);
    expect(routesWithoutPolicy(served)).toEqual([]);
  });

  it('serves exactly the known API routes with the known policies', () => {
    const api = t.app.routeTable
      .filter((r) => r.method !== 'HEAD' && r.url !== UNPOLICED_ROUTE && !r.url.startsWith('/api/docs'))
      .map(describeAccess)
      .sort();
    expect(api).toEqual(KNOWN_API_ROUTES);
  });

  it('marks the browsable API documentation public', () => {
    const docs = t.app.routeTable.filter((r) => r.url.startsWith('/api/docs'));
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.filter((r) => r.access?.kind !== 'public')).toEqual([]);
  });

  it('refuses a route without a policy to a signed-in user with 403 PERMISSION_DENIED and audits it', async () => {
    const cookie = await t.login('admin');
    const res = await t.call('GET', UNPOLICED_ROUTE, { cookie });
    expectError(res, 403, 'PERMISSION_DENIED');
    expect(res.body).not.toContain('secret');
    const [denial] = await t.audit('PERMISSION_DENIED');
    expect(denial).toMatchObject({
      actorUserId: await t.userId('admin'),
      outcome: 'denied',
      details: { method: 'GET', route: UNPOLICED_ROUTE, reason: 'NO_POLICY' },
    });
  });

  it('refuses a route without a policy to an anonymous caller with 401 UNAUTHENTICATED', async () => {
    const res = await t.call('GET', UNPOLICED_ROUTE);
    expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.body).not.toContain('secret');
  });

  it('answers public routes without a session', async () => {
    expect((await t.call('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.call('GET', '/readyz')).json()).toEqual({ status: 'ready' });
    expect((await t.call('GET', '/api/openapi.json')).statusCode).toBe(200);
  });
});

import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { submitCase } from '../../src/app/cases/submit-case.ts';
import type { ImportResult } from '../../src/app/ingest/import-batch.ts';
import type { CaseRow } from '../../src/app/ports.ts';
import type { JobQueueDepth } from '../../src/http/metrics.ts';
import { pendingMigrations } from '../../src/store/db.ts';
import { expectError, type TestApp, useTestApp } from '../support/app.ts';
import { actorOf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { csvBytes, hukouRows, idNumber, multipart, personName } from '../support/department-data.ts';

/**
 * Prometheus `/metrics` (issue #9): request counts and latencies by route pattern and status, job queue depth from
 * the plugged-in job runner, import totals by dataset, open cases past a statutory deadline; answered on loopback
 * only, or to the bearer of `HEDUI_METRICS_TOKEN`.
 */

/** `name{a="x",b="y"}` → value, with the labels sorted so that the order prom-client writes them does not matter. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_]\w*=")/)
      .filter(Boolean)
      .sort()
      .join(',');
    out.set(`${match[1]}{${labels}}`, Number(match[3]));
  }
  return out;
}

/** The series key as parseMetrics writes it. */
const series = (name: string, labels: Record<string, string> = {}) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')}}`;

const queue: JobQueueDepth[] = [];

async function scrape(t: TestApp, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const res = await t.call('GET', '/metrics', { headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(res.body);
}

describeEachDatabase('Prometheus metrics', (dialect) => {
  const t = useTestApp(dialect, { appOptions: { metrics: { cacheMs: 0, jobQueueDepth: () => queue } } });

  it('counts requests and their latencies by route pattern and status, never by URL', async () => {
    const before = await scrape(t);
    const healthz = series('hedui_http_requests_total', { method: 'GET', route: '/healthz', status: '200' });
    expect(before.get(healthz)).toBeUndefined();
    for (let i = 0; i < 3; i++) expect((await t.call('GET', '/healthz')).statusCode).toBe(200);
    expectError(await t.call('GET', '/api/cases/4711'), 401, 'UNAUTHENTICATED');
    expectError(await t.call('GET', '/api/cases/4712'), 401, 'UNAUTHENTICATED');
    expect((await t.call('GET', '/no/such/page')).statusCode).toBe(404);

    const after = await scrape(t);
    expect(after.get(healthz)).toBe(3);
    const caseLabels = { method: 'GET', route: '/api/cases/:id', status: '401' };
    expect(after.get(series('hedui_http_requests_total', caseLabels))).toBe(2);
    expect(after.get(series('hedui_http_request_duration_seconds_count', caseLabels))).toBe(2);
    expect(after.get(series('hedui_http_request_duration_seconds_sum', caseLabels))).toBeGreaterThan(0);
    expect(
      after.get(series('hedui_http_request_duration_seconds_bucket', { ...caseLabels, le: '+Inf' })),
    ).toBe(2);
    expect(
      after.get(series('hedui_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })),
    ).toBe(1);
    // The previous scrape is itself counted.
    expect(
      after.get(series('hedui_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })),
    ).toBe(1);
    expect([...after.keys()].some((key) => key.includes('4711'))).toBe(false);
  });

  it('reports the job queue depth of the plugged-in job runner', async () => {
    queue.splice(0, queue.length, { queue: 'monthly-recheck', state: 'created', jobs: 3 });
    queue.push({ queue: 'retention', state: 'active', jobs: 1 });
    const figures = await scrape(t);
    expect(figures.get(series('hedui_job_queue_depth', { queue: 'monthly-recheck', state: 'created' }))).toBe(
      3,
    );
    expect(figures.get(series('hedui_job_queue_depth', { queue: 'retention', state: 'active' }))).toBe(1);
    queue.splice(0, queue.length);
    const drained = await scrape(t);
    expect([...drained.keys()].filter((key) => key.startsWith('hedui_job_queue_depth{'))).toEqual([]);
  });

  it('counts imported batches and rows by dataset and status', async () => {
    const police = await t.login('dept_public_security');
    const upload = async (period: string, count: number): Promise<ImportResult> => {
      const { payload, headers } = multipart(
        { dataset: 'hukou', period },
        { name: 'hukou.csv', content: csvBytes(hukouRows(count, 0)) },
      );
      const res = await t.call('POST', '/api/batches', { cookie: police, body: payload, headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<ImportResult>();
    };
    const committed = { dataset: 'hukou', status: 'committed' };
    const before = await scrape(t);
    expect(before.get(series('hedui_import_rows_total', committed))).toBeUndefined();

    expect((await upload('2025-Q2', 4)).status).toBe('committed');
    expect((await upload('2025-Q3', 5)).status).toBe('committed');
    const after = await scrape(t);
    expect(after.get(series('hedui_import_batches_total', committed))).toBe(2);
    expect(after.get(series('hedui_import_rows_total', committed))).toBe(9);
    expect(
      after.get(
        series('hedui_http_requests_total', { method: 'POST', route: '/api/batches', status: '200' }),
      ),
    ).toBe(2);
  });

  it('counts open cases past a statutory deadline, by deadline kind and region, on the working-day calendar', async () => {
    // Friday 26 September 2025: acceptance falls due on 30 September, the report on 13 October (National Day off).
    t.clock.set('2025-09-26T02:00:00.000Z');
    const accepted: CaseRow = await openCase(t.deps, [
      { idNumber: idNumber(900), name: personName(900), relation: '本人' },
    ]);
    const submitted = await submitCase(
      t.deps,
      {
        assistanceType: 'subsistence_allowance',
        members: [
          {
            idNumber: idNumber(901),
            name: personName(901),
            relation: '本人',
            coResiding: true,
            exclusion: null,
          },
        ],
      },
      await actorOf(t.deps, 'xifeng_requester'),
    );
    expect([submitted.acceptanceDue, accepted.reportDue]).toEqual(['2025-09-30', '2025-10-13']);
    const past = (figures: Map<string, number>) =>
      [...figures.entries()].filter(([key]) => key.startsWith('hedui_cases_past_deadline{'));
    expect(past(await scrape(t))).toEqual([]);

    // Thursday 9 October (a holiday week later): acceptance is past, the report not yet.
    t.clock.set('2025-10-09T02:00:00.000Z');
    expect(past(await scrape(t))).toEqual([
      [series('hedui_cases_past_deadline', { kind: 'acceptance', region: submitted.regionCode }), 1],
    ]);
    // Tuesday 14 October: the report is past too.
    t.clock.set('2025-10-14T02:00:00.000Z');
    expect(new Map(past(await scrape(t)))).toEqual(
      new Map([
        [series('hedui_cases_past_deadline', { kind: 'acceptance', region: submitted.regionCode }), 1],
        [series('hedui_cases_past_deadline', { kind: 'report', region: accepted.regionCode }), 1],
      ]),
    );
  });

  it('answers loopback clients only when no token is configured, whatever X-Forwarded-For a remote peer sends', async () => {
    const from = (
      remoteAddress: string,
      headers: Record<string, string> = {},
    ): Promise<LightMyRequestResponse> =>
      t.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });
    expectError(await from('203.0.113.9'), 403, 'PERMISSION_DENIED');
    expectError(await from('203.0.113.9', { 'x-forwarded-for': '127.0.0.1' }), 403, 'PERMISSION_DENIED');
    // Through a reverse proxy on this host, the client is the forwarded address: refused.
    expectError(await from('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), 403, 'PERMISSION_DENIED');
    expect((await from('::1')).statusCode).toBe(200);
  });
});

describeEachDatabase('Prometheus metrics behind a token', (dialect) => {
  const token = 'scrape-token-0123456789abcdef';
  const t = useTestApp(dialect, { appOptions: { metrics: { token, cacheMs: 0 } } });
  beforeAll(async () => {
    expect((await t.call('GET', '/healthz')).statusCode).toBe(200);
  });

  it('answers the bearer of HEDUI_METRICS_TOKEN from any address, and nobody else, loopback included', async () => {
    const from = (remoteAddress: string, authorization?: string) =>
      t.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress,
        headers: authorization ? { authorization } : {},
      });
    expectError(await from('127.0.0.1'), 403, 'PERMISSION_DENIED');
    expectError(await from('203.0.113.9', 'Bearer wrong-token-0123456789abcdef'), 403, 'PERMISSION_DENIED');
    expectError(await from('203.0.113.9', token), 403, 'PERMISSION_DENIED');
    const res = await from('203.0.113.9', `Bearer ${token}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(
      parseMetrics(res.body).get(
        series('hedui_http_requests_total', { method: 'GET', route: '/healthz', status: '200' }),
      ),
    ).toBe(1);
  });
});

describeEachDatabase('readiness: database reachable and migrations current', (dialect) => {
  const t: TestApp = useTestApp(dialect, {
    appOptions: { pendingMigrations: () => pendingMigrations(t.runtime.database) },
  });

  it('is ready when every migration has run, and 503 NOT_READY while the database lacks one', async () => {
    expect((await t.call('GET', '/readyz')).json()).toEqual({ status: 'ready' });
    const { db } = t.runtime.database;
    const last = await db
      .selectFrom('kysely_migration' as never)
      .selectAll()
      .orderBy('name' as never, 'desc')
      .executeTakeFirstOrThrow();
    const name = (last as { name: string }).name;
    // As if this program were newer than the database: its latest migration has not run.
    await db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', name as never)
      .execute();
    try {
      const res = await t.call('GET', '/readyz');
      expectError(res, 503, 'NOT_READY');
      expect(res.json<{ error: { details: unknown } }>().error.details).toEqual({ pending: [name] });
      expect((await t.call('GET', '/healthz')).statusCode).toBe(200);
    } finally {
      await db
        .insertInto('kysely_migration' as never)
        .values(last as never)
        .execute();
    }
    expect((await t.call('GET', '/readyz')).json()).toEqual({ status: 'ready' });
  });
});

import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { deadlineBreaches, importTotals } from '../app/operations/operation-figures.ts';
import type { Deps } from '../app/ports.ts';
import { publicAccess } from './access.ts';
import { sendError } from './plugins/errors.ts';
import type { App } from './types.ts';

/**
 * Prometheus metrics at `/metrics` (issue #9, docs/deployment.md「监控」): HTTP requests and latencies by route and
 * status, job queue depth, import totals by dataset and open cases past a statutory deadline. Each app has its own
 * registry. Request figures are this process's own; the database figures (imports, deadline breaches, a queue kept
 * in PostgreSQL) are the same on every instance, read at most once per `cacheMs`.
 */

/** Jobs of one queue in one state (in-process scheduler: `active`; pg-boss: created, retry, active…). */
export interface JobQueueDepth {
  queue: string;
  state: string;
  jobs: number;
}
/** Where the job queue depth comes from; the job runner in use plugs in here (serve.ts). */
export type JobQueueDepthSource = () => Promise<readonly JobQueueDepth[]> | readonly JobQueueDepth[];

export interface MetricsOptions {
  /**
   * `HEDUI_METRICS_TOKEN`: when set, a scrape must send `Authorization: Bearer <token>` (from any address); when
   * not, only loopback clients are answered (the client address as `HEDUI_TRUST_PROXY` decides it).
   */
  token?: string | null;
  jobQueueDepth?: JobQueueDepthSource;
  /** How long the database figures are reused between scrapes (ms; default 15 000, 0 = every scrape). */
  cacheMs?: number;
  /** Node.js process figures (CPU, memory, event loop lag): on in `hedui serve`. */
  processMetrics?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks `Authorization: Bearer` itself; the auth plugin does not take it for an API key. */
    ownBearerToken?: boolean;
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const digest = (value: string) => createHash('sha256').update(value).digest();

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1] as string), digest(token));
}

/** Reuses a promise for `ms` so a burst of scrapes reads the database once. */
function cached<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (last === null || now - last.at >= ms) {
      const value = read();
      value.catch(() => {
        last = null;
      });
      last = { at: now, value };
    }
    return last.value;
  };
}

export function registerMetrics(app: App, deps: Deps, options: MetricsOptions = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'hedui_' });
  const cacheMs = options.cacheMs ?? 15_000;

  const requests = new Counter({
    name: 'hedui_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'hedui_http_request_duration_seconds',
    help: 'HTTP request latency (receipt to response sent), by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the URL: IDs in paths would make unbounded series.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });

  const jobQueueDepth = options.jobQueueDepth;
  new Gauge({
    name: 'hedui_job_queue_depth',
    help: 'Jobs in the queue by queue name and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of jobQueueDepth ? await jobQueueDepth() : [])
        this.set({ queue: row.queue, state: row.state }, row.jobs);
    },
  });

  const imports = cached(cacheMs, () => importTotals(deps));
  new Counter({
    name: 'hedui_import_batches_total',
    help: 'Department data batches imported, by dataset and batch status (database-wide)',
    labelNames: ['dataset', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await imports()) this.inc({ dataset: row.dataset, status: row.status }, row.batches);
    },
  });
  new Counter({
    name: 'hedui_import_rows_total',
    help: 'Rows stored by imported batches, by dataset and batch status (database-wide)',
    labelNames: ['dataset', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await imports()) this.inc({ dataset: row.dataset, status: row.status }, row.rows);
    },
  });

  const breaches = cached(cacheMs, () => deadlineBreaches(deps));
  new Gauge({
    name: 'hedui_cases_past_deadline',
    help: 'Open cases past a statutory deadline (working-day calendar), by deadline kind and region',
    labelNames: ['kind', 'region'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await breaches()) this.set({ kind: row.kind, region: row.regionCode }, row.cases);
    },
  });

  const token = options.token ?? null;
  app.get('/metrics', {
    // Not a user route: guarded by the metrics token or the loopback address below.
    config: { access: publicAccess, ownBearerToken: true },
    schema: { hide: true },
    handler: async (request, reply) => {
      const allowed =
        token !== null ? tokenMatches(request.headers.authorization, token) : LOOPBACK.has(request.ip);
      if (!allowed)
        return sendError(
          reply,
          request,
          'PERMISSION_DENIED',
          token !== null
            ? '监控指标需要有效的访问令牌'
            : '监控指标只对本机开放（或配置 HEDUI_METRICS_TOKEN）',
        );
      const body = await registry.metrics();
      return reply
        .header('content-type', registry.contentType)
        .header('cache-control', 'no-store')
        .send(body);
    },
  });
  return registry;
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Deps } from '../app/ports.ts';
import { type Access, publicAccess } from './access.ts';
import { type MetricsOptions, registerMetrics } from './metrics.ts';
import { v1OpenApiDocument } from './openapi-v1.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerErrorHandling, sendError } from './plugins/errors.ts';
import { withLogRedaction } from './redact.ts';
import { accountSecurityRoutes } from './routes/account-security.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { assessmentRoutes } from './routes/assessments.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { batchRoutes } from './routes/batches.routes.ts';
import { calendarRoutes } from './routes/calendar.routes.ts';
import { caseBatchRoutes } from './routes/case-batch.routes.ts';
import { caseDashboardRoutes } from './routes/case-dashboard.routes.ts';
import { caseEscalationRoutes } from './routes/case-escalation.routes.ts';
import { caseRoutes } from './routes/cases.routes.ts';
import { datasetRoutes } from './routes/datasets.routes.ts';
import { deliveryRoutes } from './routes/delivery.routes.ts';
import { dishonestyRoutes } from './routes/dishonesty.routes.ts';
import { exchangeRoutes } from './routes/exchange.routes.ts';
import { exportRoutes } from './routes/exports.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { importJobRoutes } from './routes/import-jobs.routes.ts';
import { jobRoutes } from './routes/jobs.routes.ts';
import { noticeRoutes } from './routes/notices.routes.ts';
import { policyRoutes } from './routes/policy.routes.ts';
import { qualityRoutes } from './routes/quality.routes.ts';
import { queryInterfaceRoutes } from './routes/query-interfaces.routes.ts';
import { recheckRoutes } from './routes/recheck.routes.ts';
import { recheckReportRoutes } from './routes/recheck-report.routes.ts';
import { regionRoutes } from './routes/regions.routes.ts';
import { registryRoutes } from './routes/registry.routes.ts';
import { retentionRoutes } from './routes/retention.routes.ts';
import { rosterRoutes } from './routes/roster.routes.ts';
import { statisticsRoutes } from './routes/statistics.routes.ts';
import { v1Routes } from './routes/v1.routes.ts';
import { webhookRoutes } from './routes/webhooks.routes.ts';
import { type RateLimitSettings, registerRateLimits, registerSecurityHeaders } from './security.ts';
import type { App } from './types.ts';

export interface AppOptions {
  deps: Deps;
  logger?: FastifyServerOptions['logger'];
  cookieSecure?: boolean;
  /** Directory of the built web interface; served at / when it exists. */
  webDist?: string;
  /** Shared file store (uploads in progress, error reports). */
  filesDir?: string;
  uploadMaxBytes?: number;
  /** Rate limits (config `HEDUI_RATE_LIMIT_*`); none when absent (tests, embedded use). */
  rateLimit?: RateLimitSettings;
  /** Whose X-Forwarded-* headers to believe (config `HEDUI_TRUST_PROXY`); default a proxy on loopback. */
  trustProxy?: boolean | string | string[];
  /** Prometheus `/metrics`: its token, the job queue depth source (see src/http/metrics.ts). */
  metrics?: MetricsOptions;
  /** Migrations the database has not run yet: /readyz answers 503 while there are any. */
  pendingMigrations?: () => Promise<readonly string[]>;
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

export async function buildApp(options: AppOptions): Promise<App> {
  const { deps } = options;
  const app = Fastify({
    logger: options.logger ? withLogRedaction(options.logger) : false,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? 'loopback',
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // Read the policy when asked, not now: onRoute hooks of inner scopes (which may set it) run after this one.
    for (const method of methods)
      routeTable.push({
        method,
        url: route.url,
        get access() {
          return route.config?.access;
        },
      });
  });

  registerErrorHandling(app);
  registerSecurityHeaders(app);
  if (options.rateLimit) await registerRateLimits(app, options.rateLimit);
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart);
  // Pushed NDJSON is parsed by the import, line by line, not by Fastify.
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Hedui 核对 API',
        version: '0.1.0',
        description:
          '居民家庭经济状况核对平台接口。所有错误形如 {"error":{"code","message","details","requestId"}}。',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'hedui_sid' } } },
    },
    transform: jsonSchemaTransform,
  });
  registerAuth(app, deps);

  // Documentation and static files are public by their nature; they are marked so explicitly.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: publicAccess };
    });
    scope.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    // The integration API's own document: its /api/v1 routes only, with the machine clients' schemes.
    scope.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => v1OpenApiDocument(app));
    await scope.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
    const dist = options.webDist ? resolve(options.webDist) : null;
    if (dist && existsSync(resolve(dist, 'index.html'))) {
      await scope.register(fastifyStatic, { root: dist, wildcard: false, index: ['index.html'] });
      // The web app routes in the browser: unknown non-API paths get its index page.
      scope.get('/*', async (request, reply) => {
        if (request.url.startsWith('/api/'))
          return sendError(reply, request, 'NOT_FOUND', '请求的地址不存在');
        return reply.sendFile('index.html');
      });
    }
  });

  const cookieSecure = options.cookieSecure ?? false;
  registerMetrics(app, deps, options.metrics);
  healthRoutes(app, deps, options.pendingMigrations);
  authRoutes(app, deps, cookieSecure);
  accountSecurityRoutes(app, deps, cookieSecure);
  adminRoutes(app, deps);
  regionRoutes(app, deps);
  calendarRoutes(app, deps);
  auditRoutes(app, deps);
  retentionRoutes(app, deps);
  jobRoutes(app, deps);
  importJobRoutes(app, deps);
  datasetRoutes(app, deps);
  batchRoutes(app, deps, {
    filesDir: options.filesDir ?? 'data/files',
    uploadMaxBytes: options.uploadMaxBytes ?? 200 * 1024 * 1024,
  });
  exchangeRoutes(app, deps, { filesDir: options.filesDir ?? 'data/files' });
  deliveryRoutes(app, deps);
  qualityRoutes(app, deps);
  noticeRoutes(app, deps);
  policyRoutes(app, deps);
  assessmentRoutes(app, deps);
  caseDashboardRoutes(app, deps);
  caseRoutes(app, deps);
  caseEscalationRoutes(app, deps);
  caseBatchRoutes(app, deps, {
    filesDir: options.filesDir ?? 'data/files',
    uploadMaxBytes: options.uploadMaxBytes ?? 200 * 1024 * 1024,
  });
  exportRoutes(app, deps);
  dishonestyRoutes(app, deps);
  queryInterfaceRoutes(app, deps);
  rosterRoutes(app, deps, {
    filesDir: options.filesDir ?? 'data/files',
    uploadMaxBytes: options.uploadMaxBytes ?? 200 * 1024 * 1024,
  });
  recheckRoutes(app, deps);
  recheckReportRoutes(app, deps);
  statisticsRoutes(app, deps);
  registryRoutes(app, deps);
  webhookRoutes(app, deps);
  await v1Routes(app, deps, { filesDir: options.filesDir ?? 'data/files' });
  return app;
}

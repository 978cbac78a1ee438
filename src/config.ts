import { z } from 'zod';

/**
 * The only place that reads `process.env`. Every problem is listed at once so an operator
 * fixes the environment in one pass instead of one error per restart.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HEDUI_DB: z
    .string()
    .default('sqlite:./data/hedui.sqlite')
    .refine((v) => v.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(v), {
      message: '必须以 sqlite: 或 postgres:// 开头',
    }),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HEDUI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HEDUI_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  HEDUI_DEMO_PASSWORD: z.string().min(8).default('Hedui@2026demo'),
  HEDUI_DEMO_DATA: z.enum(['on', 'off']).default('on'),
  HEDUI_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  HEDUI_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  HEDUI_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  HEDUI_LOCKOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  HEDUI_MFA: z.enum(['required', 'optional']).optional(),
  HEDUI_PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  HEDUI_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  HEDUI_WEB_DIST: z.string().default('web/dist'),
  HEDUI_KEY_FILE: z.string().default('./data/keys.json'),
  HEDUI_KEYS: z.string().optional(),
  HEDUI_FILES_DIR: z.string().default('./data/files'),
  HEDUI_UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(4096).default(200),
  HEDUI_JOB_QUEUE: z.enum(['auto', 'pg-boss', 'in-process']).default('auto'),
  HEDUI_JOB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, { message: '模式名只能含小写字母、数字和下划线' })
    .default('pgboss'),
  HEDUI_JOB_TEST: z.enum(['on', 'off']).default('off'),
  /** In-process runner (SQLite): seconds after start before the scheduled jobs' catch-up runs. */
  HEDUI_JOB_FIRST_RUN_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  HEDUI_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
  HEDUI_IMPORT_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(64)]).default('auto'),
  HEDUI_IMPORT_PARALLEL_MIN_MB: z.coerce.number().min(0).max(4096).default(1),
  HEDUI_IMPORT_QUEUE_MIN_MB: z.coerce.number().min(0).max(4096).default(20),
  HEDUI_PUBLIC_URL: z.url().optional(),
  HEDUI_AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(180, { message: '审计日志至少保存 180 天（6 个月）' })
    .max(36_500)
    .default(365),
  HEDUI_RETENTION_RECORD_DAYS: z.coerce.number().int().min(30).max(36_500).default(1095),
  HEDUI_RETENTION_DATASET_DAYS: z
    .string()
    .regex(/^\s*$|^\s*[a-z_]+\s*=\s*\d+\s*(,\s*[a-z_]+\s*=\s*\d+\s*)*$/, {
      message: '格式为 数据集=天数,数据集=天数（如 hukou=3650,bank_deposit=730）',
    })
    .default(''),
  HEDUI_RETENTION_CASE_DAYS: z.coerce.number().int().min(30).max(36_500).default(1825),
  HEDUI_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  HEDUI_RATE_LIMIT_ACCOUNT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(300),
  HEDUI_RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(20),
  HEDUI_TRUST_PROXY: z.string().default('loopback'),
  /** Webhooks (docs/integration.md «事件推送»): plain http targets, targets on this machine, auto-disable threshold. */
  HEDUI_WEBHOOK_ALLOW_HTTP: z.enum(['true', 'false']).default('false'),
  HEDUI_WEBHOOK_ALLOW_LOOPBACK: z.enum(['true', 'false']).default('false'),
  HEDUI_WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Bearer token for /metrics (at least 16 characters); unset: /metrics answers loopback clients only. */
  HEDUI_METRICS_TOKEN: z.string().min(16, { message: '至少 16 个字符' }).optional(),
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  databaseUrl: string;
  host: string;
  port: number;
  logLevel: z.infer<typeof schema>['HEDUI_LOG_LEVEL'];
  demo: 'auto' | 'on' | 'off';
  demoPassword: string;
  /**
   * With the demo city, also load its synthetic department data (about 40 families, every core dataset, through
   * the importer; about a second). `HEDUI_DEMO_DATA=off` skips it: the test suite's apps do, except the tests
   * of the demo data themselves.
   */
  demoData: boolean;
  /**
   * Where the public reaches this platform (`HEDUI_PUBLIC_URL`, e.g. `https://hedui.example.gov.cn`): the
   * verification link and QR code on every document point there. Default `http://localhost:<PORT>`.
   */
  publicUrl: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  /**
   * `HEDUI_MFA`: `required` (default) makes every role seeing personal data log in with a TOTP second factor,
   * enrolling first if it has none; `optional` lets anyone enrol but asks no one. The demo city (and the test
   * suite) default to `optional` so its accounts log in with the password alone.
   */
  secondFactor: 'required' | 'optional';
  /** `HEDUI_PASSWORD_MAX_AGE_DAYS` (default 90, 0 = never): staff must change an older password before anything else. */
  passwordMaxAgeDays: number;
  cookieSecure: boolean;
  webDist: string;
  keyFile: string;
  /** The key file's JSON given inline (e.g. from a secret store), instead of keyFile. */
  keysInline: string | null;
  filesDir: string;
  uploadMaxBytes: number;
  /** HTTP server processes of `hedui serve` (`HEDUI_WORKERS`, `auto` = cores; `--workers` overrides). */
  serveWorkers: number | 'auto';
  /** Scheduled and background jobs: pg-boss on PostgreSQL (auto), in this process on SQLite (issue #9). */
  jobs: { queue: 'pg-boss' | 'in-process'; schema: string; testJobs: boolean; firstRunDelaySeconds: number };
  /**
   * Retention (docs/security.md): audit entries `HEDUI_AUDIT_RETENTION_DAYS` (default 365, never below 180);
   * department records `HEDUI_RETENTION_RECORD_DAYS` (default 1095) unless `HEDUI_RETENTION_DATASET_DAYS`
   * (`hukou=3650,bank_deposit=730`) names the dataset; case files `HEDUI_RETENTION_CASE_DAYS` (default 1825) after closure.
   */
  retention: {
    auditDays: number;
    recordDays: number;
    datasetDays: Record<string, number>;
    closedCaseDays: number;
  };
  /** Worker threads validating and encrypting large imports (`HEDUI_IMPORT_WORKERS`, `auto` = cores − 1; 0 = none). */
  importWorkers: number | 'auto';
  /** Files from this size on are imported with the workers (`HEDUI_IMPORT_PARALLEL_MIN_MB`, default 1). */
  importParallelMinBytes: number;
  /** Uploads from this size on are imported by an `ingest.import` job, answered 202 (`HEDUI_IMPORT_QUEUE_MIN_MB`, default 20). */
  importQueueMinBytes: number;
  /** Requests per minute per client IP, per signed-in account, and login attempts per IP; 0 turns one off. */
  rateLimit: { perIp: number; perAccount: number; login: number };
  /**
   * Which peers' X-Forwarded-For / X-Forwarded-Proto are believed (`HEDUI_TRUST_PROXY`): `loopback` (default: a
   * reverse proxy on the same host), `false`, `true` (any: only behind a proxy that overwrites the headers), or a
   * comma-separated list of addresses/CIDRs. Decides the client IP (rate limits, login log) and HTTPS (HSTS).
   */
  trustProxy: boolean | string[];
  /** `HEDUI_METRICS_TOKEN`: bearer token of /metrics; null = loopback clients only. */
  metricsToken: string | null;
  /**
   * Webhooks: `HEDUI_WEBHOOK_ALLOW_HTTP` (plain http to any permitted host), `HEDUI_WEBHOOK_ALLOW_LOOPBACK`
   * (targets on this machine; private and link-local addresses are refused always), and the consecutive failed
   * attempts after which a subscription is turned off (`HEDUI_WEBHOOK_DISABLE_AFTER_FAILURES`, 30).
   */
  webhooks: { allowHttp: boolean; allowLoopback: boolean; disableAfterFailures: number };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误（${problems.length} 项）：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The demo city would be loaded (the rule of `demoWanted` in cli/runtime.ts): never in production. */
function demoMode(e: z.infer<typeof schema>): boolean {
  if (e.NODE_ENV === 'production' || e.HEDUI_DEMO === 'off') return false;
  return e.HEDUI_DEMO === 'on' || e.HEDUI_DB.startsWith('sqlite:');
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.HEDUI_DB,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.HEDUI_LOG_LEVEL,
    demo: e.HEDUI_DEMO,
    demoPassword: e.HEDUI_DEMO_PASSWORD,
    demoData: e.HEDUI_DEMO_DATA === 'on',
    publicUrl: (e.HEDUI_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    sessionIdleMinutes: e.HEDUI_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.HEDUI_SESSION_ABSOLUTE_HOURS,
    lockoutThreshold: e.HEDUI_LOCKOUT_THRESHOLD,
    lockoutMinutes: e.HEDUI_LOCKOUT_MINUTES,
    secondFactor: e.HEDUI_MFA ?? (demoMode(e) ? 'optional' : 'required'),
    passwordMaxAgeDays: e.HEDUI_PASSWORD_MAX_AGE_DAYS,
    cookieSecure:
      e.HEDUI_COOKIE_SECURE === 'true' || (e.HEDUI_COOKIE_SECURE === 'auto' && e.NODE_ENV === 'production'),
    webDist: e.HEDUI_WEB_DIST,
    keyFile: e.HEDUI_KEY_FILE,
    keysInline: e.HEDUI_KEYS ?? null,
    filesDir: e.HEDUI_FILES_DIR,
    uploadMaxBytes: e.HEDUI_UPLOAD_MAX_MB * 1024 * 1024,
    serveWorkers: e.HEDUI_WORKERS,
    jobs: {
      queue:
        e.HEDUI_JOB_QUEUE === 'auto'
          ? e.HEDUI_DB.startsWith('sqlite:')
            ? 'in-process'
            : 'pg-boss'
          : e.HEDUI_JOB_QUEUE,
      schema: e.HEDUI_JOB_SCHEMA,
      testJobs: e.HEDUI_JOB_TEST === 'on' && e.NODE_ENV !== 'production',
      firstRunDelaySeconds: e.HEDUI_JOB_FIRST_RUN_DELAY_SECONDS,
    },
    retention: {
      auditDays: e.HEDUI_AUDIT_RETENTION_DAYS,
      recordDays: e.HEDUI_RETENTION_RECORD_DAYS,
      datasetDays: Object.fromEntries(
        e.HEDUI_RETENTION_DATASET_DAYS.split(',')
          .map((part) => part.split('=').map((x) => x.trim()))
          .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== '')
          .map(([k, v]) => [k, Number(v)]),
      ),
      closedCaseDays: e.HEDUI_RETENTION_CASE_DAYS,
    },
    importWorkers: e.HEDUI_IMPORT_WORKERS,
    importParallelMinBytes: Math.round(e.HEDUI_IMPORT_PARALLEL_MIN_MB * 1024 * 1024),
    importQueueMinBytes: Math.round(e.HEDUI_IMPORT_QUEUE_MIN_MB * 1024 * 1024),
    rateLimit: {
      perIp: e.HEDUI_RATE_LIMIT_PER_MINUTE,
      perAccount: e.HEDUI_RATE_LIMIT_ACCOUNT_PER_MINUTE,
      login: e.HEDUI_RATE_LIMIT_LOGIN_PER_MINUTE,
    },
    trustProxy: parseTrustProxy(e.HEDUI_TRUST_PROXY),
    metricsToken: e.HEDUI_METRICS_TOKEN ?? null,
    webhooks: {
      allowHttp: e.HEDUI_WEBHOOK_ALLOW_HTTP === 'true',
      allowLoopback: e.HEDUI_WEBHOOK_ALLOW_LOOPBACK === 'true',
      disableAfterFailures: e.HEDUI_WEBHOOK_DISABLE_AFTER_FAILURES,
    },
  };
}

function parseTrustProxy(value: string): boolean | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The test suite's PostgreSQL, read here so that `process.env` stays in this module. */
export function testDatabaseSettings(env: Record<string, string | undefined> = process.env) {
  return {
    postgresUrl: env.HEDUI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    postgresRequired: env.HEDUI_TEST_PG !== 'off' || env.CI === 'true',
    ci: env.CI === 'true',
  };
}

/** A one-off secret handed to a CLI command through the environment (never through argv, which `ps` shows). */
export function secretFromEnvironment(name: string, env: Record<string, string | undefined> = process.env) {
  const value = env[name];
  return value && value.length > 0 ? value : null;
}

/** Generated inputs per property of the fuzz tests (`npm run fuzz` sets HEDUI_FUZZ_RUNS); null: the test's own few hundred. */
export function fuzzRuns(env: Record<string, string | undefined> = process.env): number | null {
  const runs = Number(env.HEDUI_FUZZ_RUNS ?? '');
  return Number.isInteger(runs) && runs > 0 ? runs : null;
}

/** The environment an external tool (pg_dump, pg_restore) runs in: this process's (the caller adds PGPASSWORD). */
export function toolEnvironment(env: Record<string, string | undefined> = process.env): NodeJS.ProcessEnv {
  return { ...env };
}

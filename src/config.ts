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
  HEDUI_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  HEDUI_WEB_DIST: z.string().default('web/dist'),
  HEDUI_KEY_FILE: z.string().default('./data/keys.json'),
  HEDUI_KEYS: z.string().optional(),
  HEDUI_FILES_DIR: z.string().default('./data/files'),
  HEDUI_UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(4096).default(200),
  HEDUI_IMPORT_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(64)]).default('auto'),
  HEDUI_IMPORT_PARALLEL_MIN_MB: z.coerce.number().min(0).max(4096).default(4),
  HEDUI_PUBLIC_URL: z.url().optional(),
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
  cookieSecure: boolean;
  webDist: string;
  keyFile: string;
  /** The key file's JSON given inline (e.g. from a secret store), instead of keyFile. */
  keysInline: string | null;
  filesDir: string;
  uploadMaxBytes: number;
  importWorkers: number | 'auto';
  importParallelMinBytes: number;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误（${problems.length} 项）：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
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
    cookieSecure:
      e.HEDUI_COOKIE_SECURE === 'true' || (e.HEDUI_COOKIE_SECURE === 'auto' && e.NODE_ENV === 'production'),
    webDist: e.HEDUI_WEB_DIST,
    keyFile: e.HEDUI_KEY_FILE,
    keysInline: e.HEDUI_KEYS ?? null,
    filesDir: e.HEDUI_FILES_DIR,
    uploadMaxBytes: e.HEDUI_UPLOAD_MAX_MB * 1024 * 1024,
    importWorkers: e.HEDUI_IMPORT_WORKERS,
    importParallelMinBytes: Math.round(e.HEDUI_IMPORT_PARALLEL_MIN_MB * 1024 * 1024),
  };
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

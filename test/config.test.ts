import { describe, expect, it } from 'vitest';
import { demoWanted } from '../src/cli/runtime.ts';
import { ConfigError, loadConfig, secretFromEnvironment, testDatabaseSettings } from '../src/config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('loadConfig accepted the environment');
}

describe(loadConfig.name, () => {
  it('lists every problem at once instead of stopping at the first', () => {
    const problems = problemsOf({ PORT: 'eighty', HEDUI_DB: 'mysql://localhost/hedui' });
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.startsWith('PORT:'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('HEDUI_DB:'))).toContain('sqlite: 或 postgres://');
  });

  it('names the count and each problem in its message', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: '70000', HEDUI_DEMO: 'maybe', HEDUI_LOCKOUT_THRESHOLD: '0' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('loadConfig accepted the environment');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('配置有误（3 项）');
    for (const key of ['PORT', 'HEDUI_DEMO', 'HEDUI_LOCKOUT_THRESHOLD']) expect(error.message).toContain(key);
  });

  it('runs on the embedded SQLite with safe defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      databaseUrl: 'sqlite:./data/hedui.sqlite',
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      demo: 'auto',
      demoPassword: 'Hedui@2026demo',
      demoData: true,
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
      lockoutThreshold: 5,
      lockoutMinutes: 15,
      secondFactor: 'optional',
      passwordMaxAgeDays: 90,
      publicUrl: 'http://localhost:8080',
      cookieSecure: false,
      webDist: 'web/dist',
      keyFile: './data/keys.json',
      keysInline: null,
      filesDir: './data/files',
      uploadMaxBytes: 200 * 1024 * 1024,
      importWorkers: 'auto',
      importParallelMinBytes: 1024 * 1024,
      importQueueMinBytes: 20 * 1024 * 1024,
      rateLimit: { perIp: 1000, perAccount: 300, login: 20 },
      trustProxy: ['loopback'],
      metricsToken: null,
      webhooks: { allowHttp: false, allowLoopback: false, disableAfterFailures: 30 },
      retention: { auditDays: 365, closedCaseDays: 1825, datasetDays: {}, recordDays: 1095 },
      serveWorkers: 1,
      jobs: { queue: 'in-process', schema: 'pgboss', testJobs: false, firstRunDelaySeconds: 60 },
    });
  });

  it('takes a /metrics token of at least 16 characters', () => {
    expect(loadConfig({ HEDUI_METRICS_TOKEN: 'scrape-token-0123456789' }).metricsToken).toBe(
      'scrape-token-0123456789',
    );
    expect(() => loadConfig({ HEDUI_METRICS_TOKEN: 'short' })).toThrow(/HEDUI_METRICS_TOKEN/);
  });

  it('runs jobs on pg-boss on PostgreSQL and in this process on SQLite unless told otherwise', () => {
    expect(loadConfig({ HEDUI_DB: 'postgresql://hedui@db/hedui' }).jobs.queue).toBe('pg-boss');
    expect(loadConfig({ HEDUI_DB: 'postgresql://db/h', HEDUI_JOB_QUEUE: 'in-process' }).jobs.queue).toBe(
      'in-process',
    );
    expect(loadConfig({ HEDUI_JOB_TEST: 'on', NODE_ENV: 'production', HEDUI_KEYS: 'x' }).jobs.testJobs).toBe(
      false,
    );
    expect(() => loadConfig({ HEDUI_JOB_SCHEMA: 'pg-boss; drop' })).toThrow();
  });

  it('reads numbers from their text form and accepts a PostgreSQL URL', () => {
    const config = loadConfig({
      PORT: '9090',
      HEDUI_DB: 'postgresql://hedui@db/hedui',
      HEDUI_SESSION_IDLE_MINUTES: '10',
      HEDUI_LOCKOUT_THRESHOLD: '3',
    });
    expect(config).toMatchObject({
      port: 9090,
      databaseUrl: 'postgresql://hedui@db/hedui',
      sessionIdleMinutes: 10,
      lockoutThreshold: 3,
    });
  });

  it('marks the cookie Secure in production unless told otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).cookieSecure).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', HEDUI_COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
    expect(loadConfig({ HEDUI_COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
  });

  it('requires the second factor by default, except with the demo city, and expires passwords after 90 days', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
      secondFactor: 'required',
      passwordMaxAgeDays: 90,
    });
    expect(loadConfig({ HEDUI_DB: 'postgres://db/hedui' }).secondFactor).toBe('required');
    expect(loadConfig({ HEDUI_DEMO: 'on', HEDUI_DB: 'postgres://db/hedui' }).secondFactor).toBe('optional');
    expect(loadConfig({ HEDUI_DEMO: 'on', HEDUI_MFA: 'required' }).secondFactor).toBe('required');
    expect(loadConfig({ NODE_ENV: 'production', HEDUI_DEMO: 'on' }).secondFactor).toBe('required');
    expect(loadConfig({ HEDUI_PASSWORD_MAX_AGE_DAYS: '0' }).passwordMaxAgeDays).toBe(0);
  });

  it('refuses a demo password shorter than eight characters', () => {
    expect(problemsOf({ HEDUI_DEMO_PASSWORD: 'short' })).toEqual([
      expect.stringMatching(/^HEDUI_DEMO_PASSWORD:/),
    ]);
  });
});

describe(demoWanted.name, () => {
  it('loads the demo city on the embedded SQLite by default, never in production', () => {
    expect(demoWanted(loadConfig({}))).toBe(true);
    expect(demoWanted(loadConfig({ HEDUI_DB: 'postgres://db/hedui' }))).toBe(false);
    expect(demoWanted(loadConfig({ HEDUI_DB: 'postgres://db/hedui', HEDUI_DEMO: 'on' }))).toBe(true);
    expect(demoWanted(loadConfig({ HEDUI_DEMO: 'off' }))).toBe(false);
    expect(demoWanted(loadConfig({ NODE_ENV: 'production', HEDUI_DEMO: 'on' }))).toBe(false);
  });
});

describe(secretFromEnvironment.name, () => {
  it('returns a set secret and null for a missing or empty one', () => {
    expect(secretFromEnvironment('PW', { PW: 'x' })).toBe('x');
    expect(secretFromEnvironment('PW', { PW: '' })).toBeNull();
    expect(secretFromEnvironment('PW', {})).toBeNull();
  });
});

describe(testDatabaseSettings.name, () => {
  it('requires PostgreSQL unless turned off, and always in CI', () => {
    expect(testDatabaseSettings({}).postgresRequired).toBe(true);
    expect(testDatabaseSettings({ HEDUI_TEST_PG: 'off' }).postgresRequired).toBe(false);
    expect(testDatabaseSettings({ HEDUI_TEST_PG: 'off', CI: 'true' }).postgresRequired).toBe(true);
  });
});

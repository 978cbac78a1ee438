import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Deps } from '../../src/app/ports.ts';
import { openRuntime, prepareDatabase, type Runtime } from '../../src/cli/runtime.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { AuditAction } from '../../src/domain/audit/actions.ts';
import type { ChainedAuditEntry } from '../../src/domain/audit/chain.ts';
import { fixedClock } from '../../src/domain/shared/clock.ts';
import type { ErrorCode } from '../../src/domain/shared/errors.ts';
import { type AppOptions, buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/types.ts';
import type { Dialect } from '../../src/store/dialect.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { isolatedStorageEnv } from './keys.ts';

/** Thursday 2025-09-26 10:00 in Shanghai: every test starts from the same instant. */
export const TEST_START = '2025-09-26T02:00:00.000Z';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  cookie?: string;
  body?: unknown;
  /** Writes carry `x-hedui-csrf: 1` unless this is false. */
  csrf?: boolean;
  headers?: Record<string, string>;
}

export interface ErrorBody {
  error: { code: string; message: string; details: unknown; requestId: string };
}

export interface TestApp {
  app: App;
  deps: Deps;
  runtime: Runtime;
  database: TestDatabase;
  config: Config;
  clock: ReturnType<typeof fixedClock>;
  /** Logs in (demo password unless given) and returns the `Cookie` header value of the new session. */
  login(username: string, password?: string): Promise<string>;
  call(method: HttpMethod, url: string, options?: CallOptions): Promise<LightMyRequestResponse>;
  /** Audit entries of one action, newest first, read straight from the store. */
  audit(action: AuditAction): Promise<ChainedAuditEntry[]>;
  userId(username: string): Promise<number>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  extraRoutes?: (app: App) => void;
  /** Configuration overrides, e.g. `{ HEDUI_DEMO_DATA: 'on' }` to load the demo's department data too. */
  env?: Record<string, string>;
  /** Further options of the app (rate limits, logger, trusted proxies…). */
  appOptions?: Partial<Omit<AppOptions, 'deps'>>;
}

export const SESSION_COOKIE = 'hedui_sid';
const WRITES = new Set<HttpMethod>(['POST', 'PUT', 'PATCH', 'DELETE']);

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    HEDUI_DEMO: 'on',
    // The demo's department data costs about a second per app: only the tests that need it turn it on.
    HEDUI_DEMO_DATA: 'off',
    // Passwords alone, as for the demo city: the second-factor tests turn it on with `HEDUI_MFA: 'required'`.
    HEDUI_MFA: 'optional',
    NODE_ENV: 'test',
    HEDUI_DB: 'sqlite::memory:',
    ...isolatedStorageEnv(),
    ...overrides,
  });
}

/** A prepared database (regions, official calendar, demo city) behind a Fastify app, on an injected clock. */
export async function createTestApp(dialect: Dialect, options: TestAppOptions = {}) {
  const database = await createTestDatabase(dialect);
  const clock = fixedClock(TEST_START);
  const config = testConfig(options.env);
  const runtime = openRuntime(config, clock, database);
  await prepareDatabase(runtime, config);
  const app = await buildApp({
    deps: runtime.deps,
    filesDir: config.filesDir,
    uploadMaxBytes: config.uploadMaxBytes,
    ...options.appOptions,
  });
  options.extraRoutes?.(app);
  await app.ready();
  const { deps } = runtime;

  const call: TestApp['call'] = (method, url, { cookie, body, csrf = true, headers = {} } = {}) =>
    app.inject({
      method,
      url,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(WRITES.has(method) && csrf ? { 'x-hedui-csrf': '1' } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: body as object }),
    });

  const testApp: TestApp = {
    app,
    deps,
    runtime,
    database,
    config,
    clock,
    call,
    async login(username, password = config.demoPassword) {
      const res = await call('POST', '/api/auth/login', { body: { username, password } });
      if (res.statusCode !== 200)
        throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
      return sessionCookie(res);
    },
    async audit(action) {
      return (await deps.store.audit.list({ action, offset: 0, limit: 1000 })).items;
    },
    async userId(username) {
      const user = await deps.store.users.getByUsername(username);
      if (!user) throw new Error(`no user ${username}`);
      return user.id;
    },
    async close() {
      await app.close();
      await runtime.close();
    },
  };
  return testApp;
}

/**
 * One app per describe block (scrypt makes each login cost ~50 ms, preparing the demo city more):
 * the returned handle is usable inside tests and hooks of that block.
 */
export function useTestApp(dialect: Dialect, options: TestAppOptions = {}): TestApp {
  let current: TestApp | null = null;
  beforeAll(async () => {
    current = await createTestApp(dialect, options);
  });
  afterAll(async () => {
    await current?.close();
  });
  const get = (): TestApp => {
    if (!current) throw new Error('the test app is used outside the describe block that created it');
    return current;
  };
  return {
    get app() {
      return get().app;
    },
    get deps() {
      return get().deps;
    },
    get runtime() {
      return get().runtime;
    },
    get database() {
      return get().database;
    },
    get config() {
      return get().config;
    },
    get clock() {
      return get().clock;
    },
    login: (username, password) => get().login(username, password),
    call: (method, url, options) => get().call(method, url, options),
    audit: (action) => get().audit(action),
    userId: (username) => get().userId(username),
    close: () => get().close(),
  };
}

/** The `Cookie` header value carrying the session a response has just set. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie?.value) throw new Error(`no ${SESSION_COOKIE} cookie in the response: ${res.body}`);
  return `${SESSION_COOKIE}=${cookie.value}`;
}

/** Asserts the one error shape of the API, `{error:{code,message,details,requestId}}`, and returns it. */
export function expectError(
  res: LightMyRequestResponse,
  status: number,
  code: ErrorCode,
): ErrorBody['error'] {
  const body = res.json<ErrorBody>();
  expect({ status: res.statusCode, code: body.error?.code }).toEqual({ status, code });
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'message', 'requestId']);
  expect(body.error.message).toMatch(/\S/);
  expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  return body.error;
}

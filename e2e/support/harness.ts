import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { openRuntime, prepareDatabase, type Runtime } from '../../src/cli/runtime.ts';
import { loadConfig, testDatabaseSettings } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/types.ts';
import type { Dialect } from '../../src/store/dialect.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { isolatedStorageEnv } from '../../test/support/keys.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const DEMO_PASSWORD = 'Hedui@2026demo';
export const SCREENSHOTS = 'test-results/screenshots';

export interface E2eServer {
  baseUrl: string;
  app: App;
  runtime: Runtime;
  close(): Promise<void>;
}

/** The real server (same app, built web interface) on a fresh database with the demo city, on a free loopback port. */
export async function startServer(
  dialect: Dialect = 'sqlite',
  env: Record<string, string> = {},
): Promise<E2eServer> {
  if (!existsSync('web/dist/index.html'))
    throw new Error('web/dist is missing: run `npm run build:web` first');
  let database: TestDatabase | null = null;
  let dir: string | null = null;
  if (dialect === 'postgres') database = await createTestDatabase('postgres');
  else dir = mkdtempSync(join(tmpdir(), 'hedui-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HEDUI_DEMO: 'on',
    HEDUI_DEMO_DATA: 'off',
    HEDUI_DEMO_PASSWORD: DEMO_PASSWORD,
    ...isolatedStorageEnv(),
    HEDUI_DB: database ? database.url : `sqlite:${join(dir as string, 'e2e.sqlite')}`,
    ...env,
  });
  const runtime = openRuntime(config, undefined, database ?? undefined);
  await prepareDatabase(runtime, config);
  const app = await buildApp({ deps: runtime.deps, webDist: 'web/dist', filesDir: config.filesDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    runtime,
    async close() {
      await app.close();
      await runtime.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export async function loginAs(
  page: Page,
  baseUrl: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 15_000 });
}

export function postgresAvailableForE2e(): boolean {
  return testDatabaseSettings().postgresRequired;
}

/**
 * Waits until the page is at rest: no request in flight and every finite animation (a modal or drawer opening or
 * closing) ended — a spinner runs forever and one cancelled meanwhile (AbortError) has ended all the same. Clicks in
 * a dialog still zooming in can miss on a loaded machine.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() =>
    Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect?.getComputedTiming().endTime !== Number.POSITIVE_INFINITY)
          .map((a) => a.finished.catch(() => undefined)),
      ),
      new Promise((resolve) => setTimeout(resolve, 5_000)),
    ]),
  );
}

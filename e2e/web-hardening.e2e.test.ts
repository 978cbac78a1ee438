import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eServer, launchBrowser, loginAs, settle, startServer } from './support/harness.ts';

/**
 * The built web app under the platform's Content-Security-Policy (no inline script, no eval; inline styles for
 * antd only): signing in and opening the main pages (charts included) and the API documentation raise no CSP
 * violation, and the policy is the one the server sends.
 */

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('sqlite');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every CSP violation the page reports (the DOM event, and the console line Chromium writes for it). */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      );
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

describe('the web app under the Content-Security-Policy', () => {
  it('signs in and shows the main pages without a single violation', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const violations = await watchViolations(page);
    const response = await page.goto(`${server.baseUrl}/login`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    await loginAs(page, server.baseUrl, 'city_staff');
    for (const path of ['/cases', '/statistics', '/data/upload', '/cases/dashboard']) {
      await page.goto(`${server.baseUrl}${path}`);
      await settle(page);
      await expect(page.getByTestId('user-menu').isVisible()).resolves.toBe(true);
    }
    expect(violations).toEqual([]);
    await context.close();
  }, 120_000);

  it('serves the API documentation without a violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations = await watchViolations(page);
    await page.goto(`${server.baseUrl}/api/docs`);
    await page.locator('.swagger-ui').first().waitFor({ timeout: 30_000 });
    await settle(page);
    expect(violations).toEqual([]);
    await context.close();
  }, 120_000);
});

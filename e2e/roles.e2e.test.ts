import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eServer, launchBrowser, loginAs, SCREENSHOTS, startServer } from './support/harness.ts';

const MENU_KEYS = ['home', 'calendar', 'organisations', 'users', 'audit'] as const;

/** What each role of the demo city sees in the side menu (SPEC §1, three-role separation). */
const EXPECTED: { username: string; role: string; menu: (typeof MENU_KEYS)[number][] }[] = [
  { username: 'admin', role: 'system_admin', menu: ['home', 'calendar', 'organisations', 'users'] },
  { username: 'auditor', role: 'audit_officer', menu: ['home', 'calendar', 'audit'] },
  { username: 'xifeng_staff', role: 'agency_staff', menu: ['home', 'calendar'] },
  { username: 'xifeng_reviewer', role: 'agency_reviewer', menu: ['home', 'calendar'] },
  { username: 'xifeng_requester', role: 'requester_staff', menu: ['home', 'calendar'] },
  { username: 'dept_public_security', role: 'department_officer', menu: ['home', 'calendar'] },
];

describe('logging in as each role of the demo city', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer('sqlite');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const { username, role, menu } of EXPECTED) {
    it(`shows ${role} (${username}) exactly the menu of that role`, async () => {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 820 } });
      const page = await context.newPage();
      await loginAs(page, server.baseUrl, username);
      const visible: string[] = [];
      for (const key of MENU_KEYS) {
        if ((await page.getByTestId(`menu-${key}`).count()) > 0) visible.push(key);
      }
      expect(visible).toEqual(menu);
      await expect(page.getByTestId('user-menu').textContent()).resolves.toBeTruthy();
      // The deadline card on the home page computes from the server's working-day calendar.
      await expect.poll(() => page.getByTestId('deadline-report').textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `${SCREENSHOTS}/role-${role}.png` });
      await context.close();
    });
  }

  it('refuses the audit page to the system administrator with a 403 page', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'admin');
    await page.goto(`${server.baseUrl}/audit`);
    await page.getByText('无权访问').first().waitFor({ timeout: 10_000 });
    await context.close();
  });

  it('lets the auditor read the audit log, including the logins just made, and verify the chain', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 820 } });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'auditor');
    await page.getByTestId('menu-audit').click();
    await page.getByText('登录').first().waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: /校验完整性/ }).click();
    await page
      .getByText(/链完整/)
      .first()
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SCREENSHOTS}/audit-log.png` });
    await context.close();
  });

  it('switches the interface to English and back', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'admin');
    await expect(page.getByTestId('menu-users').textContent()).resolves.toContain('用户管理');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('menu-users').textContent()).toMatch(/Users/i);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('menu-users').textContent()).toContain('用户管理');
    await context.close();
  });

  it('shows a wrong password as a Chinese error and stays on the login page', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByTestId('login-username').fill('xifeng_staff');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByText('用户名或密码错误').first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('user-menu').count()).toBe(0);
    await context.close();
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totpAt } from '../src/domain/auth/totp.ts';
import {
  DEMO_PASSWORD,
  type E2eServer,
  launchBrowser,
  loginAs,
  SCREENSHOTS,
  settle,
  startServer,
} from './support/harness.ts';

/** The code an authenticator app would show, `offsetSteps` steps from now. */
const codeFor = (secret: string, offsetSteps = 0) =>
  totpAt(base32Decode(secret), Date.now() + offsetSteps * 30_000);

describe('two-factor login in the browser (HEDUI_MFA=required)', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer('sqlite', { HEDUI_MFA: 'required' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('makes a user enrol at the first login, shows recovery codes, then asks for a code at the next', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByTestId('login-username').fill('city_staff');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();

    await page.getByTestId('mfa-qr').locator('svg').waitFor({ timeout: 15_000 });
    const secret = ((await page.getByTestId('mfa-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByText('绑定身份验证器').first().waitFor();
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/mfa-enrol.png` });
    await page.getByTestId('mfa-enrol-code').fill(codeFor(secret));
    await page.getByTestId('mfa-enrol-submit').click();

    const codes = page.getByTestId('mfa-recovery-codes').locator('.ant-list-item');
    await codes.first().waitFor({ timeout: 15_000 });
    expect(await codes.count()).toBe(10);
    await page.screenshot({ path: `${SCREENSHOTS}/mfa-recovery-codes.png` });
    await page.getByTestId('mfa-recovery-continue').click();
    await page.getByTestId('user-menu').waitFor({ timeout: 15_000 });

    // Log out and in again: now the password alone is not enough.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').fill('city_staff');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('mfa-code').waitFor({ timeout: 15_000 });
    await page.getByTestId('mfa-code').fill('000000');
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('login-step-error').waitFor({ timeout: 10_000 });
    // The code of the step the enrolment used is spent: the next step's code (within the ±1 window) is accepted.
    await page.getByTestId('mfa-code').fill(codeFor(secret, 1));
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('user-menu').waitFor({ timeout: 15_000 });

    await page.goto(`${server.baseUrl}/account/security`);
    await page.getByTestId('account-mfa-enrolled').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.getByTestId('account-logins').locator('tbody tr').count())
      .toBeGreaterThan(2);
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/mfa-account-security.png` });
    await context.close();
  });
});

describe('online sessions in the browser (demo default: HEDUI_MFA=optional)', () => {
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

  it('logs in with the password alone, and an administrator forces that session out', async () => {
    const staff = await browser.newContext({ locale: 'zh-CN' });
    const staffPage = await staff.newPage();
    await loginAs(staffPage, server.baseUrl, 'xifeng_staff');

    const admin = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 820 } });
    const page = await admin.newPage();
    await loginAs(page, server.baseUrl, 'admin');
    await page.getByTestId('menu-sessions').click();
    const end = page.getByTestId('session-end-xifeng_staff');
    await end.waitFor({ timeout: 15_000 });
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/online-sessions.png` });
    await end.click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByText('已强制下线').first().waitFor({ timeout: 10_000 });

    // The staff member's next request finds the session ended and lands on the login page.
    await staffPage.goto(`${server.baseUrl}/`);
    await staffPage.getByTestId('login-username').waitFor({ timeout: 15_000 });
    await staff.close();
    await admin.close();
  });
});

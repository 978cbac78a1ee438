import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type E2eServer,
  launchBrowser,
  loginAs,
  SCREENSHOTS,
  settle,
  startServer,
} from './support/harness.ts';

interface Version {
  version: number;
  label: string;
  windowMonths: number;
  exemptSubsidyItems: string[];
  tolerances: Record<string, number>;
  effectiveFrom: string;
}

const PROFILE_PATH = '/api/policy-profiles';
const CITY = '621000';
const TYPE = 'subsistence_allowance';
const TYPE_NAME = '最低生活保障';

/** antd puts a field's data-testid on the <input> itself or on the wrapper around it, depending on the component. */
function input(scope: Page | Locator, testId: string): Locator {
  return scope.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

async function replaceText(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.press('ControlOrMeta+a');
  await field.fill(text);
}

/** Types a date into an antd DatePicker and confirms it. */
async function pickDate(scope: Page | Locator, testId: string, date: string): Promise<void> {
  const field = input(scope, testId);
  await replaceText(field, date);
  await field.press('Enter');
  await expect.poll(() => field.inputValue()).toBe(date);
}

async function chooseOption(page: Page, select: Locator, label: string): Promise<void> {
  await select.click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();
}

/** Submits the version form and answers the version the server published. */
async function publish(page: Page, profileId: number): Promise<Version> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith(`${PROFILE_PATH}/${profileId}/versions`) && r.request().method() === 'POST',
    ),
    page.getByTestId('policy-version-submit').click(),
  ]);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { version: Version }).version;
}

describe('policy profiles (政策参数) in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let reviewerContext: BrowserContext;
  let page: Page;
  let profileId = 0;

  beforeAll(async () => {
    server = await startServer('sqlite');
    browser = await launchBrowser();
    reviewerContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    page = await reviewerContext.newPage();
    await loginAs(page, server.baseUrl, 'city_reviewer');
  });
  afterAll(async () => {
    await reviewerContext?.close();
    await browser?.close();
    await server?.close();
  });

  it('lets the city reviewer create a profile and publish its first version, prefilled with the defaults', async () => {
    await expect(page.getByTestId('menu-policy-profiles').textContent()).resolves.toContain('政策参数');
    await page.getByTestId('menu-policy-profiles').click();
    await page.getByTestId('policy-profiles').waitFor();
    await expect(page.getByTestId('policy-hint').textContent()).resolves.toContain('已发布的版本不可修改');

    await page.getByTestId('policy-create').click();
    const create = page.getByTestId('policy-create-modal');
    await create.waitFor();
    // The region starts as the reviewer's own (庆阳市).
    await expect(create.getByTestId('region-select').textContent()).resolves.toContain('庆阳市');
    await chooseOption(page, create.getByTestId('policy-create-type'), TYPE_NAME);
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(PROFILE_PATH) && r.request().method() === 'POST'),
      page.getByTestId('policy-create-submit').click(),
    ]);
    expect(created.status(), await created.text()).toBe(200);
    const { profile } = (await created.json()) as { profile: { id: number; regionCode: string } };
    expect(profile.regionCode).toBe(CITY);
    profileId = profile.id;

    // A new profile goes straight on to its first version, filled in from the policy in force (the default).
    const modal = page.getByTestId('policy-version-modal');
    await modal.waitFor({ timeout: 10_000 });
    await expect.poll(() => input(modal, 'policy-window-months').inputValue()).toBe('12');
    await expect(input(modal, 'policy-tolerance-wages').inputValue()).resolves.toBe('500.00');
    await expect(input(modal, 'policy-tolerance-deposits').inputValue()).resolves.toBe('1000.00');

    await pickDate(modal, 'policy-effective-from', '2025-01-01');
    await replaceText(input(modal, 'policy-window-months'), '6');
    await replaceText(input(modal, 'policy-tolerance-wages'), '300.5');
    const exempt = input(modal, 'policy-exempt-items');
    await exempt.click();
    await exempt.fill('高龄补贴');
    await exempt.press('Enter');
    await modal.getByTestId('policy-notes').fill('庆阳市低保核对参数（演示）');

    const v1 = await publish(page, profileId);
    expect(v1).toMatchObject({
      version: 1,
      label: `${CITY}-${TYPE}-v1`,
      windowMonths: 6,
      exemptSubsidyItems: ['高龄补贴'],
      effectiveFrom: '2025-01-01',
    });
    // 300.5 元 is stored as 30 050 分, exactly; the untouched categories keep the defaults.
    expect(v1.tolerances).toMatchObject({ wages: 30_050, business: 50_000, deposits: 100_000 });

    const drawer = page.getByTestId('policy-drawer');
    await drawer.getByTestId('policy-version-1').waitFor({ timeout: 10_000 });
    await expect(drawer.getByTestId('policy-version-window-1').textContent()).resolves.toBe('6');
    await expect(drawer.getByTestId('policy-version-tolerance-1-wages').textContent()).resolves.toBe(
      '300.50 元',
    );
    await expect(drawer.getByTestId('policy-version-exempt-1').textContent()).resolves.toContain('高龄补贴');
  });

  it('publishes a second version from the first with a changed window and tolerance; version 1 stays as it was', async () => {
    const drawer = page.getByTestId('policy-drawer');
    await drawer.getByTestId('policy-drawer-publish').click();
    const modal = page.getByTestId('policy-version-modal');
    await modal.waitFor();
    // Prefilled from the newest version.
    await expect.poll(() => input(modal, 'policy-window-months').inputValue()).toBe('6');
    await expect(input(modal, 'policy-tolerance-wages').inputValue()).resolves.toBe('300.50');
    await expect(modal.textContent()).resolves.toContain(`${CITY}-${TYPE}-v1`);
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/policy-version-form.png`, fullPage: true });

    // A tolerance that is not an amount in yuan is refused before anything is sent.
    await replaceText(input(modal, 'policy-tolerance-deposits'), '12.345');
    await page.getByTestId('policy-version-submit').click();
    await modal.getByText('请输入不小于 0 的金额（元），最多两位小数').waitFor();

    await pickDate(modal, 'policy-effective-from', '2026-01-01');
    await replaceText(input(modal, 'policy-window-months'), '9');
    await replaceText(input(modal, 'policy-tolerance-deposits'), '2,000.05');
    const v2 = await publish(page, profileId);
    expect(v2).toMatchObject({ version: 2, label: `${CITY}-${TYPE}-v2`, windowMonths: 9 });
    expect(v2.tolerances).toMatchObject({ wages: 30_050, deposits: 200_005 });
    expect(v2.exemptSubsidyItems).toEqual(['高龄补贴']);

    await drawer.getByTestId('policy-version-2').waitFor({ timeout: 10_000 });
    const cards = drawer.locator('[data-testid^="policy-version-label-"]');
    await expect(cards.allTextContents()).resolves.toEqual([`${CITY}-${TYPE}-v1`, `${CITY}-${TYPE}-v2`]);
    await expect(drawer.getByTestId('policy-version-window-1').textContent()).resolves.toBe('6');
    await expect(drawer.getByTestId('policy-version-window-2').textContent()).resolves.toBe('9');
    await expect(drawer.getByTestId('policy-version-tolerance-2-deposits').textContent()).resolves.toBe(
      '2,000.05 元',
    );
    expect(await drawer.getByTestId('policy-changed-2-windowMonths').count()).toBe(1);
    expect(await drawer.getByTestId('policy-changed-2-tolerances.deposits').count()).toBe(1);
    expect(await drawer.getByTestId('policy-changed-2-tolerances.wages').count()).toBe(0);
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/policy-profile-versions.png`, fullPage: true });

    await drawer.locator('.ant-drawer-close').click();
    await expect
      .poll(() => page.getByTestId(`policy-label-${profileId}`).textContent(), { timeout: 10_000 })
      .toBe(`${CITY}-${TYPE}-v2`);
    await expect(page.getByTestId(`policy-window-${profileId}`).textContent()).resolves.toBe('9');
    await expect(page.getByTestId(`policy-effective-${profileId}`).textContent()).resolves.toBe('2026-01-01');
    await expect(page.getByTestId(`policy-row-${profileId}`).textContent()).resolves.toContain('庆阳市');
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/policy-profiles-list.png`, fullPage: true });
  });

  it('shows the server’s validation errors in Chinese, on the list and at the field', async () => {
    // The form checks what the server checks, so the server's answer is stood in for here (its exact shape).
    await page.route(`**${PROFILE_PATH}/${profileId}/versions`, (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'VALIDATION_FAILED',
            message: '政策配置有误，请按提示修改',
            details: {
              errors: [
                {
                  path: 'windowMonths',
                  code: 'WINDOW_MONTHS_INVALID',
                  message: '回溯期（月数）应为 1–36 的整数',
                },
                {
                  path: 'tolerances.wages',
                  code: 'TOLERANCE_INVALID',
                  message: '容差应为 0–1000000000 的整数（单位：分）',
                },
              ],
            },
            requestId: 'e2e',
          },
        }),
      }),
    );
    try {
      await page.getByTestId(`policy-publish-${profileId}`).click();
      const modal = page.getByTestId('policy-version-modal');
      await modal.waitFor();
      await expect.poll(() => input(modal, 'policy-window-months').inputValue()).toBe('9');
      await page.getByTestId('policy-version-submit').click();
      const errors = modal.getByTestId('policy-version-error');
      await expect
        .poll(() => errors.textContent(), { timeout: 10_000 })
        .toContain('政策配置有误，请按提示修改');
      await expect(errors.textContent()).resolves.toContain('回溯期（月）：回溯期（月数）应为 1–36 的整数');
      await expect(errors.textContent()).resolves.toContain('工资性收入容差：容差应为');
      // Each message also sits under its field.
      await modal
        .locator('.ant-form-item-explain-error', { hasText: '回溯期（月数）应为 1–36 的整数' })
        .waitFor();
      await page.keyboard.press('Escape');
      await modal.waitFor({ state: 'hidden' });
    } finally {
      await page.unroute(`**${PROFILE_PATH}/${profileId}/versions`);
    }
  });

  it('shows the server’s refusal of a second profile for the same region and type in Chinese', async () => {
    await page.getByTestId('policy-create').click();
    const create = page.getByTestId('policy-create-modal');
    await create.waitFor();
    await chooseOption(page, create.getByTestId('policy-create-type'), TYPE_NAME);
    await page.getByTestId('policy-create-submit').click();
    await expect
      .poll(() => create.getByTestId('policy-create-error').textContent(), { timeout: 10_000 })
      .toContain('该区划已有此救助类型的政策配置');
    await page.keyboard.press('Escape');
    await create.waitFor({ state: 'hidden' });
  });

  it('resolves which version applies on a date', async () => {
    await page.getByTestId('policy-resolve-open').click();
    const modal = page.getByTestId('policy-resolve-modal');
    await modal.waitFor();
    await pickDate(modal, 'policy-resolve-date', '2026-03-01');
    await page.getByTestId('policy-resolve-submit').click();
    await expect
      .poll(() => modal.getByTestId('policy-resolve-label').textContent(), { timeout: 10_000 })
      .toBe(`${CITY}-${TYPE}-v2`);
    await expect(modal.getByTestId('policy-resolve-window').textContent()).resolves.toBe('9');

    await pickDate(modal, 'policy-resolve-date', '2025-06-30');
    await page.getByTestId('policy-resolve-submit').click();
    await expect
      .poll(() => modal.getByTestId('policy-resolve-label').textContent(), { timeout: 10_000 })
      .toBe(`${CITY}-${TYPE}-v1`);
    await expect(modal.getByTestId('policy-resolve-window').textContent()).resolves.toBe('6');

    // Before the first version, the built-in default applies.
    await pickDate(modal, 'policy-resolve-date', '2024-12-31');
    await page.getByTestId('policy-resolve-submit').click();
    await expect
      .poll(() => modal.getByTestId('policy-resolve-label').textContent(), { timeout: 10_000 })
      .toBe('default-v1');
    await expect(modal.getByTestId('policy-resolve-result').getAttribute('data-source')).resolves.toBe(
      'default',
    );
    await page.keyboard.press('Escape');
  });

  it('shows city agency staff the profile and its versions read-only', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    const staff = await context.newPage();
    await loginAs(staff, server.baseUrl, 'city_staff');
    await staff.getByTestId('menu-policy-profiles').click();
    await staff.getByTestId('policy-profiles').waitFor();
    await expect
      .poll(() => staff.getByTestId(`policy-label-${profileId}`).textContent(), { timeout: 10_000 })
      .toBe(`${CITY}-${TYPE}-v2`);
    expect(await staff.getByTestId('policy-create').count()).toBe(0);
    expect(await staff.getByTestId(`policy-publish-${profileId}`).count()).toBe(0);
    await expect(staff.getByTestId('policy-hint').textContent()).resolves.toContain('核对员只读');

    await staff.getByTestId(`policy-view-${profileId}`).click();
    const drawer = staff.getByTestId('policy-drawer');
    await drawer.getByTestId('policy-version-2').waitFor({ timeout: 10_000 });
    expect(await drawer.getByTestId('policy-version-1').count()).toBe(1);
    expect(await drawer.getByTestId('policy-drawer-publish').count()).toBe(0);
    await settle(staff);
    await staff.screenshot({ path: `${SCREENSHOTS}/policy-profiles-staff.png`, fullPage: true });
    await context.close();
  });

  it('keeps the screen from users who may not read profiles', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const officer = await context.newPage();
    await loginAs(officer, server.baseUrl, 'dept_public_security');
    expect(await officer.getByTestId('menu-policy-profiles').count()).toBe(0);
    await officer.goto(`${server.baseUrl}/policy-profiles`);
    await officer.getByText('无权访问').first().waitFor({ timeout: 10_000 });
    await context.close();
  });
});

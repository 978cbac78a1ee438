import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eServer, launchBrowser, loginAs, settle, startServer } from './support/harness.ts';

/**
 * Bulk export in the browser (issue #8 item 4): the dishonesty CSV is asked for with a purpose, approved by another
 * reviewer on 导出审批, and downloaded once by the requester with its watermark line.
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

async function pageAs(username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  await loginAs(page, server.baseUrl, username);
  return page;
}

describe('导出审批', () => {
  it('requests, approves and downloads a watermarked dishonesty export once', async () => {
    const staff = await pageAs('xifeng_staff');
    await staff.goto(`${server.baseUrl}/dishonesty`);
    await settle(staff);
    await staff.getByTestId('dishonesty-export-csv').click();
    await staff.getByTestId('export-request-reason').fill('报送省信用信息平台');
    await staff.getByTestId('export-request-submit').click();
    await staff.waitForURL(/\/exports$/);
    // The list loads after the navigation: wait for the new request's row rather than read the empty table.
    const row = staff.getByTestId('exports-mine').locator('tbody tr', { hasText: '待审批' }).first();
    await row.waitFor({ timeout: 20_000 });
    await expect(row.textContent()).resolves.toContain('待审批');

    const reviewer = await pageAs('xifeng_reviewer');
    await reviewer.goto(`${server.baseUrl}/exports`);
    await settle(reviewer);
    const approve = reviewer
      .getByTestId('exports-to-decide')
      .locator('[data-testid^="export-approve-"]')
      .first();
    await approve.click();
    await reviewer.getByTestId('exports-to-decide').locator('.ant-empty').waitFor({ timeout: 20_000 });

    await staff.reload();
    await settle(staff);
    const button = staff.locator('[data-testid^="export-download-"]').first();
    const [download] = await Promise.all([staff.waitForEvent('download'), button.click()]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(path, 'utf8');
    expect(text.replace(/^\ufeff/, '').split('\r\n')[0]).toMatch(/^# 水印：核对专用 · 导出编号 \d+ · /);
    await settle(staff);
    await staff
      .locator('[data-testid^="export-download-"]')
      .first()
      .waitFor({ state: 'detached', timeout: 20_000 });
    await expect(staff.locator('[data-testid^="export-download-"]').count()).resolves.toBe(0);
  }, 180_000);
});

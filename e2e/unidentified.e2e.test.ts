import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type E2eServer,
  launchBrowser,
  loginAs,
  SCREENSHOTS,
  settle,
  startServer,
} from './support/harness.ts';

/** The last quarter that has ended, in Beijing time: vehicle is delivered quarterly. */
function lastQuarter(now = new Date()): string {
  const beijing = new Date(now.getTime() + 8 * 3600_000);
  const year = beijing.getUTCFullYear();
  const quarter = Math.floor(beijing.getUTCMonth() / 3) + 1;
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}

const HEADERS = ['身份证号', '姓名', '出生日期', '号牌号码', '使用性质', '初次登记日期', '车辆状态'];

function csv(rows: string[][]): Buffer {
  return Buffer.from(`${[HEADERS, ...rows].map((cells) => cells.join(',')).join('\r\n')}\r\n`, 'utf8');
}

describe('unidentified rows (待认定记录) uploaded in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let officer: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer('sqlite');
    browser = await launchBrowser();
    officer = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    page = await officer.newPage();
    await loginAs(page, server.baseUrl, 'dept_public_security');
  });
  afterAll(async () => {
    await officer?.close();
    await browser?.close();
    await server?.close();
  });

  it('offers the unidentified kind, uploads rows without an ID, and shows the kind and link counts on the batch', async () => {
    await page.goto(`${server.baseUrl}/data/upload?dataset=vehicle&kind=unidentified`);
    await page.getByTestId('upload-unidentified-hint').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('upload-unidentified-template').count()).resolves.toBe(1);
    await page.getByTestId('upload-period').fill(lastQuarter());
    await page.locator('label[for="dataset"]').click();
    const file = csv([
      ['', '张建国', '1968-04-12', '甘M10001', '非营运', '2020-05-01', '正常'],
      ['62100219700903102X', '李秀英', '', '甘M10002', '非营运', '2021-06-01', '正常'],
    ]);
    await page
      .getByTestId('upload-file')
      .locator('input[type=file]')
      .setInputFiles({ name: 'vehicle-unidentified.csv', mimeType: 'text/csv', buffer: file });
    await page.getByText('vehicle-unidentified.csv').waitFor();
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/api/batches/unidentified') && r.request().method() === 'POST',
      ),
      page.getByTestId('upload-submit').click(),
    ]);
    const result = (await response.json()) as { status: string; batchId: number; nameBirthRows: number };
    expect(result).toMatchObject({ status: 'committed', nameBirthRows: 2 });
    const outcome = page.locator('[data-testid="upload-result"][data-status="committed"]');
    await outcome.waitFor({ timeout: 15_000 });
    await expect(outcome.textContent()).resolves.toContain('2 行待核对时按姓名和出生日期比对');
    await page.screenshot({ path: `${SCREENSHOTS}/unidentified-upload-committed.png`, fullPage: true });

    await page.goto(`${server.baseUrl}/data/batches`);
    const tag = page.getByTestId(`batch-kind-${result.batchId}`);
    await tag.waitFor({ timeout: 15_000 });
    await expect(tag.textContent()).resolves.toBe('待认定记录');
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/unidentified-batches.png`, fullPage: true });
  });
});

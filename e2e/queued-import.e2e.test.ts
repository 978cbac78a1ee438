import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_JOB, runQueuedImport } from '../src/app/ingest/queued-import.ts';
import type { JobRunner } from '../src/app/jobs/job-runner.ts';
import { computeCheckChar } from '../src/domain/identity/id-number.ts';
import { inProcessJobRunner } from '../src/jobs/in-process-runner.ts';
import { type E2eServer, launchBrowser, loginAs, SCREENSHOTS, startServer } from './support/harness.ts';

const HEADERS = '身份证号,姓名,性别,出生日期,户号,与户主关系,户籍地址,户籍状态,状态变更日期';

/** 30 hukou rows (≈ 3 KiB, above the 0.002 MiB queue threshold of this server); `badSex` spoils one row. */
function hukouCsv(from: number, badSex = false): Buffer {
  const lines = [HEADERS];
  for (let i = 0; i < 30; i++) {
    const first17 = `62100219800101${String(from + i).padStart(3, '0')}`;
    const sex = badSex && i === 4 ? '男性' : Number(first17.charAt(16)) % 2 === 1 ? '男' : '女';
    lines.push(
      `${first17}${computeCheckChar(first17)},排队${i},${sex},1980-01-01,H${from + i},户主,甘肃省庆阳市西峰区南大街12号,正常,`,
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

describe('上传大文件：排队导入，页面显示进度与结果', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let runner: JobRunner;
  /** Each queued import waits for the test to let it go, so the page's queued state is seen. */
  let release: () => void = () => {};

  beforeAll(async () => {
    server = await startServer('sqlite', { HEDUI_IMPORT_QUEUE_MIN_MB: '0.002' });
    const deps = server.runtime.deps;
    runner = inProcessJobRunner({}, () => new Date(), { limit: 0, baseMs: 10 });
    await runner.work(IMPORT_JOB, async (data) => {
      await new Promise<void>((go) => {
        release = go;
      });
      return runQueuedImport(deps, data);
    });
    deps.jobs = runner;
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    await loginAs(page, server.baseUrl, 'dept_public_security');
  }, 60_000);
  afterAll(async () => {
    release();
    await runner?.stop();
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  async function uploadQueued(period: string, file: Buffer, name: string) {
    await page.goto(`${server.baseUrl}/data/upload?dataset=hukou`);
    await page.getByTestId('upload-page').waitFor();
    await page.getByTestId('upload-period').fill(period);
    await page.locator('label[for="dataset"]').click();
    await page
      .getByTestId('upload-file')
      .locator('input[type=file]')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: file });
    await page.getByText(name).waitFor();
    await page.getByTestId('upload-submit').click();
    const queued = page.getByTestId('upload-queued');
    await queued.waitFor({ timeout: 15_000 });
    await expect(queued.textContent()).resolves.toContain('已排队导入');
    return queued;
  }

  it('shows the queued import, then the committed batch when the job has run', async () => {
    const queued = await uploadQueued('2025-Q1', hukouCsv(100), 'hukou-large.csv');
    await page.screenshot({ path: `${SCREENSHOTS}/queued-import-waiting.png`, fullPage: true });
    release();
    const outcome = page.locator('[data-testid="upload-result"][data-status="committed"]');
    await outcome.waitFor({ timeout: 20_000 });
    expect(await queued.count()).toBe(0);
    await expect(outcome.textContent()).resolves.toContain('30');
    await page.screenshot({ path: `${SCREENSHOTS}/queued-import-committed.png`, fullPage: true });
  }, 60_000);

  it('shows the rejected import with its row errors and the error report button', async () => {
    await uploadQueued('2025-Q2', hukouCsv(200, true), 'hukou-large-broken.csv');
    release();
    const outcome = page.locator('[data-testid="upload-result"][data-status="rejected"]');
    await outcome.waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('upload-errors').textContent()).resolves.toContain('男性');
    expect(await page.getByTestId('download-error-report').count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/queued-import-rejected.png`, fullPage: true });
  }, 60_000);
});

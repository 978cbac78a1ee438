import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRunner } from '../src/app/jobs/job-runner.ts';
import { inProcessJobRunner } from '../src/jobs/in-process-runner.ts';
import {
  type E2eServer,
  launchBrowser,
  loginAs,
  SCREENSHOTS,
  settle,
  startServer,
} from './support/harness.ts';

/**
 * 系统管理 → 后台任务 (issue #9): the administrator sees the schedules with their next run and the recent runs
 * with state, attempts and last error, retries a failed run after confirming, and sees it complete without
 * reloading the page (auto-refresh). Other roles have no such menu entry.
 */

async function until(ok: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the background jobs page in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let runner: JobRunner;
  let failedId: string;
  let fail = true;

  beforeAll(async () => {
    server = await startServer('sqlite');
    runner = inProcessJobRunner({}, () => new Date(), { limit: 1, baseMs: 10 });
    server.runtime.deps.jobs = runner;
    await runner.work('deliveries.check', async () => {
      if (fail) throw new Error('部门接口无响应');
      return 'ok';
    });
    await runner.schedule('deliveries.check', '7 * * * *');
    await runner.schedule('retention.purge', '0 3 * * *');
    failedId = (await runner.list()).jobs.find((j) => j.name === 'deliveries.check')?.id as string;
    await until(async () => (await runner.get(failedId))?.state === 'failed');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    await server?.close();
  });

  it('shows schedules and failed runs to the administrator, who retries one after confirming', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 820 } });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'admin');
    await page.getByTestId('menu-jobs').click();
    const body = page.getByTestId('jobs-page');
    await body.getByText('计划任务').waitFor({ timeout: 10_000 });
    const schedules = await page.getByTestId('jobs-schedules').textContent();
    expect(schedules).toContain('逾期报送检查');
    expect(schedules).toContain('7 * * * *');
    expect(schedules).toContain('到期数据清理');
    const runs = page.getByTestId('jobs-runs');
    expect(await runs.textContent()).toMatch(/失败.*2.*部门接口无响应/);
    expect(await page.getByTestId('jobs-failed').textContent()).toContain('1 个失败的任务');
    expect(await body.textContent()).toContain('本进程内执行');
    await page.screenshot({ path: `${SCREENSHOTS}/jobs.png` });

    fail = false;
    await page.getByTestId(`job-retry-${failedId}`).click();
    await page.getByRole('tooltip').getByText('此操作记入审计日志').waitFor();
    await page
      .getByRole('tooltip')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByText('任务已重新排队').waitFor({ timeout: 10_000 });
    await until(async () => (await runner.get(failedId))?.state === 'completed');
    // The run shows completed, with its third attempt, and no retry button.
    await expect
      .poll(async () => runs.textContent(), { timeout: 20_000, interval: 500 })
      .toMatch(/已完成.*3/);
    await settle(page);
    expect(await page.getByTestId(`job-retry-${failedId}`).count()).toBe(0);
    expect(await page.getByTestId('jobs-failed').count()).toBe(0);
    const [entry] = (
      await server.runtime.deps.store.audit.list({ action: 'JOB_RETRIED', offset: 0, limit: 1 })
    ).items;
    expect(entry).toMatchObject({ objectId: failedId, details: { name: 'deliveries.check' } });

    // A run that fails later appears by itself, with the warning, without any click (auto-refresh).
    fail = true;
    const later = await runner.send('deliveries.check');
    await until(async () => (await runner.get(later))?.state === 'failed');
    await page.getByTestId(`job-retry-${later}`).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('jobs-failed').textContent()).toContain('1 个失败的任务');
    await context.close();
  });

  it('has no jobs menu entry for other roles', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 820 } });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'auditor');
    expect(await page.getByTestId('menu-jobs').count()).toBe(0);
    await context.close();
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/app/actor.ts';
import { createAuditCheckpoint } from '../src/app/audit/checkpoints.ts';
import { runRetention } from '../src/app/retention/run-retention.ts';
import { type E2eServer, launchBrowser, loginAs, SCREENSHOTS, startServer } from './support/harness.ts';

describe('retention settings and signed audit checkpoints in the browser', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer('sqlite', { HEDUI_RETENTION_DATASET_DAYS: 'hukou=3650' });
    browser = await launchBrowser();
    await runRetention(server.runtime.deps, { dryRun: true, trigger: 'cli' }, SYSTEM_ACTOR);
    await createAuditCheckpoint(server.runtime.deps, SYSTEM_ACTOR);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the administrator the retention periods and the last runs', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 820 } });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'admin');
    await page.getByTestId('menu-retention').click();
    const body = page.getByTestId('retention-page');
    await body.getByText('数据保存期限').waitFor({ timeout: 10_000 });
    const text = await body.textContent();
    expect(text).toContain('审计日志（不少于 180 天）');
    expect(text).toContain('365 天');
    expect(text).toContain('部门数据：hukou');
    expect(text).toContain('3650 天');
    expect(text).toContain('试运行');
    await page.screenshot({ path: `${SCREENSHOTS}/retention.png` });
    await context.close();
  });

  it('keeps the retention page from the auditor, who sees the signed checkpoints verified instead', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 820 } });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'auditor');
    expect(await page.getByTestId('menu-retention').count()).toBe(0);
    await page.getByTestId('menu-audit').click();
    await page.getByRole('button', { name: /校验完整性/ }).click();
    await expect
      .poll(() => page.getByTestId('audit-verify-result').textContent(), { timeout: 10_000 })
      .toMatch(/已校验 1 个签名检查点/);
    await context.close();
  });
});

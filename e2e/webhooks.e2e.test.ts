import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../client/webhooks.ts';
import type { JobRunner } from '../src/app/jobs/job-runner.ts';
import { deliverWebhooks } from '../src/app/webhooks/deliver-webhooks.ts';
import { WEBHOOK_DELIVERY_JOB } from '../src/app/webhooks/outbox.ts';
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
 * 接口推送 (issue #9 item 5): a requester's staff subscribes its system's URL, copies the secret shown once,
 * sends a test ping that its system first refuses (500), then sees the next one delivered in the delivery log
 * with each attempt, and sends a delivered one again.
 */
describe('the webhooks page in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let runner: JobRunner;
  let receiver: Server;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const answers = [500];

  beforeAll(async () => {
    server = await startServer('sqlite', { HEDUI_WEBHOOK_ALLOW_LOOPBACK: 'true' });
    runner = inProcessJobRunner();
    server.runtime.deps.jobs = runner;
    await runner.work(WEBHOOK_DELIVERY_JOB, () => deliverWebhooks(server.runtime.deps));
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    await new Promise((r) => receiver?.close(r));
    await server?.close();
  });

  it('subscribes, shows the secret once, tests, logs the attempts and redelivers', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 820 } });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'xifeng_requester');
    await page.getByTestId('menu-webhooks').click();
    await page.getByTestId('webhook-create').click();
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hedui`;
    await page.getByTestId('webhook-url').fill(url);
    await page.getByTestId('webhook-submit').click();
    const secretBox = page.getByTestId('webhook-secret');
    await secretBox.waitFor({ timeout: 10_000 });
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.screenshot({ path: `${SCREENSHOTS}/webhook-secret.png` });
    await page.getByTestId('webhook-secret-saved').click();
    const [subscription] = await server.runtime.deps.store.webhooks.subscriptions(
      (await server.runtime.deps.store.users.getByUsername('xifeng_requester'))?.organisationId as number,
    );
    const id = subscription?.id as number;
    await expect.poll(() => page.getByTestId(`webhook-status-${id}`).textContent()).toBe('启用');
    expect(await page.locator('body').textContent()).not.toContain(secret);

    // First ping: the receiver answers 500, so it waits for its retry (1 minute); the second is delivered.
    await page.getByTestId(`webhook-test-${id}`).click();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    await page.getByTestId(`webhook-test-${id}`).click();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);
    for (const r of received) expect(verifyWebhook(secret, r.headers, r.body).type).toBe('ping');

    await page.getByTestId(`webhook-log-${id}`).click();
    const drawer = page.getByTestId('webhook-deliveries');
    await drawer.getByText('已送达').waitFor({ timeout: 10_000 });
    expect(await drawer.textContent()).toContain('待推送');
    await drawer.locator('.ant-table-row-expand-icon').last().click();
    await drawer.getByText('对方返回 HTTP 500').waitFor();
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/webhook-deliveries.png` });

    const [delivered] = (await server.runtime.deps.store.webhooks.deliveries(id, { offset: 0, limit: 1 }))
      .items;
    await drawer.getByTestId(`webhook-redeliver-${delivered?.id}`).click();
    await page.getByText('已重新排队推送').waitFor({ timeout: 10_000 });
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(3);
    expect(received[2]?.headers['webhook-id']).toBe(delivered?.messageId);
    await context.close();
  });

  it('has no webhooks menu entry for an agency’s staff', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'xifeng_staff');
    expect(await page.getByTestId('menu-webhooks').count()).toBe(0);
    await context.close();
  });
});

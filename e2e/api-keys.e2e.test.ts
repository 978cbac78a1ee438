import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeduiClient, requestAccessToken } from '../client/v1/index.ts';
import { type E2eServer, launchBrowser, loginAs, SCREENSHOTS, startServer } from './support/harness.ts';

/**
 * 接口密钥 (issue #9 item 5): the administrator issues a key to a requester organisation with some of the
 * requester scopes, copies it from the one-time dialog, sees the scopes in the list — and the key works over
 * /api/v1 exactly within them.
 */
describe('the API keys page in the browser', () => {
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

  it('issues a requester key with chosen scopes, shows them, and the key is held to them', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 820 } });
    const page = await context.newPage();
    await loginAs(page, server.baseUrl, 'admin');
    await page.getByTestId('menu-api-keys').click();
    await page.getByTestId('api-key-create').click();
    await page.getByTestId('api-key-organisation').click();
    await page.keyboard.type('西峰区民政局社会救助股');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '委托单位' })
      .first()
      .click();
    // A requester's scopes, all ticked; untick the downloads and the webhooks.
    const scopes = page.getByTestId('api-key-scopes');
    await scopes.getByText('entrustments:write').waitFor();
    expect(await scopes.textContent()).not.toContain('batches:write');
    await scopes.getByText('documents:read').click();
    await scopes.getByText('webhooks:manage').click();
    await page.getByTestId('api-key-name').fill('救助业务系统');
    await page.screenshot({ path: `${SCREENSHOTS}/api-key-scopes.png` });
    await page.getByTestId('api-key-submit').click();

    const secretBox = page.getByTestId('api-key-secret');
    await secretBox.waitFor({ timeout: 10_000 });
    const key = await secretBox.inputValue();
    expect(key).toMatch(/^hd_[A-Za-z0-9_-]{8}_/);
    expect(await page.getByTestId('api-key-issued').textContent()).toContain('/api/v1/oauth/token');
    await page.getByTestId('api-key-saved').click();

    const [issued] = await server.runtime.deps.store.apiKeys.list(null);
    expect(issued?.scopes).toEqual(['entrustments:write', 'entrustments:read', 'registry:search']);
    const cell = page.getByTestId(`api-key-scopes-${issued?.id}`);
    await expect.poll(() => cell.textContent()).toBe('entrustments:writeentrustments:readregistry:search');

    const token = await requestAccessToken({ baseUrl: server.baseUrl, apiKey: key });
    expect(token.scope).toBe('entrustments:write entrustments:read registry:search');
    const hedui = createHeduiClient({ baseUrl: server.baseUrl, token: token.access_token });
    expect((await hedui.GET('/api/v1/entrustments', { params: { query: {} } })).response.status).toBe(200);
    const download = await hedui.GET('/api/v1/entrustments/{id}/documents/{documentId}', {
      params: { path: { id: 1, documentId: 1 } },
    });
    expect(download.response.status).toBe(403);
    await context.close();
  });
});

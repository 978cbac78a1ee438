import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber, personName } from '../test/support/department-data.ts';
import {
  DEMO_PASSWORD,
  type E2eServer,
  launchBrowser,
  loginAs,
  SCREENSHOTS,
  startServer,
} from './support/harness.ts';

/**
 * Entrustment and acceptance (委托、受理, SPEC §5) in the browser: a Xifeng requester submits a two-member case
 * and files one authorization; the agency sees it with its acceptance deadline and cannot accept it yet (先授权、
 * 后核对); the second authorization arrives; the agency accepts it with its work group and the receipt (受理回执)
 * is downloadable and genuine on the public verification page.
 */

/** A tiny PDF; `tag` makes each file's bytes (and so its SM3) distinct: one authorization per matter. */
function pdf(tag: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${tag}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** antd puts a field's data-testid on the <input> itself or on the wrapper around it, depending on the component. */
function input(scope: Page | Locator, testId: string): Locator {
  return scope.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

describe('case entrustment and acceptance (委托与受理) in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let requesterContext: BrowserContext;
  let agencyContext: BrowserContext;
  let requester: Page;
  let agency: Page;
  let caseId = 0;
  let caseNumber = '';

  async function apiLogin(username: string): Promise<string> {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: DEMO_PASSWORD },
      headers: { 'x-hedui-csrf': '1' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'hedui_sid');
    if (!cookie) throw new Error(`no session cookie for ${username}`);
    return `hedui_sid=${cookie.value}`;
  }

  async function userId(username: string): Promise<number> {
    const cookie = await apiLogin(username);
    const res = await server.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ id?: number; user?: { id: number } }>();
    const id = body.user?.id ?? body.id;
    if (typeof id !== 'number') throw new Error(`no id in ${res.body}`);
    return id;
  }

  async function uploadAuthorization(memberIndex: number, tag: string): Promise<void> {
    await expect
      .poll(() => requester.getByTestId('case-paper-member').textContent())
      .toContain(`第 ${memberIndex + 1} 名`);
    await requester.getByTestId('case-paper-file').setInputFiles({
      name: `授权书-${memberIndex + 1}.pdf`,
      mimeType: 'application/pdf',
      buffer: pdf(tag),
    });
    await requester.getByTestId(`member-${memberIndex}-auth-ok`).waitFor();
  }

  beforeAll(async () => {
    server = await startServer('sqlite');
    browser = await launchBrowser();
    requesterContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    agencyContext = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    });
    requester = await requesterContext.newPage();
    agency = await agencyContext.newPage();
    await loginAs(requester, server.baseUrl, 'xifeng_requester');
    await loginAs(agency, server.baseUrl, 'xifeng_staff');
  });
  afterAll(async () => {
    await requesterContext?.close();
    await agencyContext?.close();
    await browser?.close();
    await server?.close();
  });

  it('the requester submits a two-member case and files the first authorization', async () => {
    await expect(requester.getByTestId('menu-cases').textContent()).resolves.toContain('我的委托');
    await requester.getByTestId('menu-cases').click();
    await requester.getByTestId('cases-page').waitFor();
    await requester.getByTestId('case-new').click();
    await requester.getByTestId('case-form-page').waitFor();

    await input(requester, 'member-0-id').fill(idNumber(0));
    await input(requester, 'member-0-name').fill(personName(0));
    await requester.getByTestId('member-add').click();
    await input(requester, 'member-1-id').fill(idNumber(1));
    await input(requester, 'member-1-name').fill(personName(1));
    await input(requester, 'member-1-relation').fill('配偶');
    await requester.getByTestId('case-submit').click();

    await requester.getByTestId('case-page').waitFor({ timeout: 15_000 });
    caseNumber = (await requester.getByTestId('case-number').textContent()) ?? '';
    expect(caseNumber).toMatch(/^HD-621002-\d{4}-\d{6}$/);
    caseId = Number(/\/cases\/(\d+)$/.exec(requester.url())?.[1]);
    expect(caseId).toBeGreaterThan(0);
    await expect(requester.getByTestId('case-state').textContent()).resolves.toBe('待受理');
    // The members' ID numbers are masked; neither has an authorization yet.
    const members = (await requester.getByTestId('case-members').textContent()) ?? '';
    expect(members).not.toContain(idNumber(0));
    await requester.getByTestId('member-0-auth-missing').waitFor();
    await requester.getByTestId('member-1-auth-missing').waitFor();

    await uploadAuthorization(0, 'member one');
    await requester.getByTestId('member-1-auth-missing').waitFor();
    await expect(requester.getByTestId('case-papers').textContent()).resolves.toContain('授权书-1.pdf');
    await requester.screenshot({ path: `${SCREENSHOTS}/case-submitted.png`, fullPage: true });
  });

  it('the agency sees the case with its acceptance deadline and cannot accept it without every authorization', async () => {
    await expect(agency.getByTestId('menu-cases').textContent()).resolves.toContain('核对案件');
    await agency.getByTestId('menu-cases').click();
    await agency.getByTestId('cases-page').waitFor();
    const link = agency.getByTestId(`case-link-${caseId}`);
    await link.waitFor();
    await expect(link.textContent()).resolves.toBe(caseNumber);
    await expect(agency.getByTestId(`case-state-${caseId}`).textContent()).resolves.toBe('待受理');
    const deadline = agency.getByTestId(`case-deadlines-${caseId}`).getByTestId('deadline-acceptance');
    await expect(deadline.textContent()).resolves.toMatch(/受理 \d{4}-\d{2}-\d{2} · 剩 \d+ 个工作日/);

    await link.click();
    await agency.getByTestId('case-page').waitFor();
    await agency.getByTestId('case-missing-authorizations').waitFor();
    await agency.getByTestId('case-accept').click();
    await input(agency, 'case-accept-reviewer').fill(String(await userId('xifeng_reviewer')));
    await agency.getByTestId('case-accept-ok').click();
    const refusal = agency.getByTestId('case-accept-error');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('授权书');
    await expect(agency.getByTestId('case-state').textContent()).resolves.toBe('待受理');
  });

  it('after the second authorization the agency accepts; the receipt downloads and verifies', async () => {
    await uploadAuthorization(1, 'member two');
    await expect(requester.getByTestId('case-missing-authorizations').count()).resolves.toBe(0);

    // The handler is the signed-in xifeng_staff by default; the reviewer's id is still in the open dialog.
    await expect(input(agency, 'case-accept-handler').inputValue()).resolves.toBe(
      String(await userId('xifeng_staff')),
    );
    await agency.getByTestId('case-accept-ok').click();
    await expect
      .poll(() => agency.getByTestId('case-state').textContent(), { timeout: 15_000 })
      .toBe('核对中');
    await expect(agency.getByTestId('case-history').textContent()).resolves.toContain('受理');
    await expect(agency.getByTestId('case-deadlines').textContent()).resolves.toContain('核对报告');

    const button = agency.getByTestId('case-document-download-receipt');
    await button.waitFor();
    const [download] = await Promise.all([agency.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/核受〔\d{4}〕\d+号\.pdf$/);
    const path = await download.path();
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await agency.screenshot({ path: `${SCREENSHOTS}/case-accepted.png`, fullPage: true });

    const cookie = await apiLogin('xifeng_staff');
    const res = await server.app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const receipt = res
      .json<{ case: { documents: { kind: string; shortCode: string }[] } }>()
      .case.documents.find((d) => d.kind === 'receipt');
    if (!receipt) throw new Error('no receipt');

    const anonymous = await browser.newContext({ locale: 'zh-CN' });
    try {
      const page = await anonymous.newPage();
      await page.goto(`${server.baseUrl}/verify?code=${encodeURIComponent(receipt.shortCode)}`);
      const result = page.getByTestId('verify-result');
      await result.waitFor({ timeout: 15_000 });
      await expect(result.textContent()).resolves.toContain('有效');
    } finally {
      await anonymous.close();
    }
  });

  it('the handler submits the report, the reviewer issues it, and the requester appeals', async () => {
    // The handler's assessment (the 家庭核对 screen is tested on its own): run through the API for this case.
    const handlerCookie = await apiLogin('xifeng_staff');
    const assessed = await server.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: { cookie: handlerCookie, 'x-hedui-csrf': '1' },
      payload: {
        caseRef: caseNumber,
        regionCode: '621002',
        assistanceType: 'subsistence_allowance',
        members: [
          { idNumber: idNumber(0), name: personName(0), relation: '本人' },
          { idNumber: idNumber(1), name: personName(1), relation: '配偶' },
        ],
      },
    });
    expect(assessed.statusCode, assessed.body).toBe(200);

    await agency.reload();
    await agency.getByTestId('case-step-submitReport').click();
    await agency.getByTestId('case-step-submitReport-modal-text').fill('已核对全部数据源');
    await agency.getByTestId('case-step-submitReport-modal-ok').click();
    await expect
      .poll(() => agency.getByTestId('case-state').textContent(), { timeout: 15_000 })
      .toBe('报告待审核');
    // The handler cannot approve their own report: no button for them.
    await expect(agency.getByTestId('case-step-approveReport').count()).resolves.toBe(0);

    const reviewerContext = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1440, height: 1000 },
    });
    try {
      const reviewer = await reviewerContext.newPage();
      await loginAs(reviewer, server.baseUrl, 'xifeng_reviewer');
      await reviewer.goto(`${server.baseUrl}/cases/${caseId}`);
      await reviewer.getByTestId('case-step-approveReport').click();
      await reviewer.getByTestId('case-step-approveReport-modal-ok').click();
      await expect
        .poll(() => reviewer.getByTestId('case-state').textContent(), { timeout: 20_000 })
        .toBe('已出具报告');
      await reviewer.getByTestId('case-document-download-report').waitFor();
    } finally {
      await reviewerContext.close();
    }

    await requester.reload();
    await requester.getByTestId('case-step-appeal').click();
    await requester.getByTestId('case-step-appeal-modal-text').fill('存款系代亲属保管');
    await requester.getByTestId('case-step-appeal-modal-ok').click();
    await expect
      .poll(() => requester.getByTestId('case-state').textContent(), { timeout: 15_000 })
      .toBe('申诉待复核');
  });
});

import { execFileSync } from 'node:child_process';
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
  settle,
  startServer,
} from './support/harness.ts';

/**
 * The life of a case in the browser (SPEC §5, Q§14–20): a Xifeng requester submits a two-member case and files
 * one authorization; the agency sees it with its acceptance deadline and cannot accept it yet (先授权、后核对);
 * the second authorization arrives; the agency accepts it with its work group picked from its staff, and the
 * receipt (受理回执) is genuine on the public verification page. The handler asks for an extension that the
 * reviewer grants (延期告知书); the handler submits the report and the reviewer issues it; the requester appeals;
 * a review group without the original handler re-verifies and its reviewer issues the new report with the
 * 复核结果告知书. Every PDF is read back with pdftotext for its names, numbers and dates.
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

/** `2026-11-24` as the documents print it: 2026年11月24日. */
function printed(date: string | null): string {
  const [y, m, d] = (date ?? '').split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** Picks the option of an antd Select by the text it shows (typed into its search: the list is virtual). */
async function pick(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
    .first()
    .click();
}

async function optionTexts(page: Page, testId: string): Promise<string[]> {
  await page.getByTestId(testId).click();
  const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  await options.first().waitFor();
  const texts = await options.allTextContents();
  await page.keyboard.press('Escape');
  return texts;
}

/**
 * Takes a case step in its dialog: opens it, waits for it to be at rest, lets `fill` answer it, confirms, and
 * waits for the dialog to close — a refusal shown in the dialog fails the test with its text.
 */
async function takeStep(page: Page, kind: string, fill: (modal: string) => Promise<void> = async () => {}) {
  const modal = `case-step-${kind}-modal`;
  await page.getByTestId(`case-step-${kind}`).click();
  await page.getByTestId(`${modal}-ok`).waitFor();
  await settle(page);
  await fill(modal);
  await page.getByTestId(`${modal}-ok`).click();
  const error = page.getByTestId(`${modal}-error`);
  await expect
    .poll(
      async () =>
        (await error.count()) > 0
          ? `refused: ${await error.textContent()}`
          : (await page.getByTestId(`${modal}-ok`).count()) === 0
            ? 'closed'
            : 'open',
      { timeout: 30_000 },
    )
    .toBe('closed');
}

interface CaseJson {
  acceptedOn: string | null;
  reportDue: string | null;
  documents: { kind: string; number: string; shortCode: string }[];
  events: { step: string; at: string; details: Record<string, unknown> }[];
}

describe('a case from entrustment to review (委托、受理、核对、延期、报告、申诉、复核) in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let requesterContext: BrowserContext;
  let agencyContext: BrowserContext;
  let requester: Page;
  let agency: Page;
  let caseId = 0;
  let caseNumber = '';
  let reviewerContext: BrowserContext;
  let reviewer: Page;

  /** The case as the agency's API shows it (dates and document numbers to look for in the PDFs). */
  async function caseJson(): Promise<CaseJson> {
    const cookie = await apiLogin('xifeng_staff');
    const res = await server.app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ case: CaseJson }>().case;
  }

  /** Downloads the document in the browser and returns its text, whitespace removed. */
  async function documentText(page: Page, kind: string, which: 'first' | 'last' = 'first'): Promise<string> {
    const buttons = page.getByTestId(`case-document-download-${kind}`);
    const button = which === 'first' ? buttons.first() : buttons.last();
    await button.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    return execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes })
      .toString('utf8')
      .replace(/\s+/g, '');
  }

  async function assessAs(username: string): Promise<void> {
    const cookie = await apiLogin(username);
    const assessed = await server.app.inject({
      method: 'POST',
      url: '/api/assessments',
      headers: { cookie, 'x-hedui-csrf': '1' },
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
  }

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
    requesterContext = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    });
    agencyContext = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    });
    reviewerContext = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    });
    requester = await requesterContext.newPage();
    agency = await agencyContext.newPage();
    reviewer = await reviewerContext.newPage();
    await loginAs(requester, server.baseUrl, 'xifeng_requester');
    await loginAs(agency, server.baseUrl, 'xifeng_staff');
    await loginAs(reviewer, server.baseUrl, 'xifeng_reviewer');
  });
  afterAll(async () => {
    await reviewerContext?.close();
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
    await agency.getByTestId('case-step-accept').click();
    await agency.getByTestId('case-step-accept-modal-ok').waitFor();
    await settle(agency);
    // The work group is picked from the agency's staff; the reviewer must hold the reviewer role.
    const reviewers = await optionTexts(agency, 'case-step-accept-modal-reviewer');
    expect(reviewers.some((text) => text.includes('西峰区审核员'))).toBe(true);
    expect(reviewers.some((text) => text.includes('西峰区核对员'))).toBe(false);
    await pick(agency, 'case-step-accept-modal-reviewer', '西峰区审核员');
    await agency.getByTestId('case-step-accept-modal-ok').click();
    const refusal = agency.getByTestId('case-step-accept-modal-error');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('授权书');
    await expect(agency.getByTestId('case-state').textContent()).resolves.toBe('待受理');
  });

  it('after the second authorization the agency accepts; the receipt downloads and verifies', async () => {
    await uploadAuthorization(1, 'member two');
    await expect(requester.getByTestId('case-missing-authorizations').count()).resolves.toBe(0);

    // The handler is the signed-in xifeng_staff by default; the reviewer is still picked in the open dialog.
    await expect(agency.getByTestId('case-step-accept-modal-handler').textContent()).resolves.toContain(
      '西峰区核对员',
    );
    await agency.getByTestId('case-step-accept-modal-ok').click();
    await expect
      .poll(() => agency.getByTestId('case-state').textContent(), { timeout: 15_000 })
      .toBe('核对中');
    await expect(agency.getByTestId('case-history').textContent()).resolves.toContain('受理');
    await expect(agency.getByTestId('case-deadlines').textContent()).resolves.toContain('核对报告');

    const accepted = await caseJson();
    const receipt = accepted.documents.find((d) => d.kind === 'receipt');
    if (!receipt) throw new Error('no receipt');
    const receiptText = await documentText(agency, 'receipt');
    for (const expected of [
      '居民家庭经济状况核对受理回执',
      receipt.number,
      caseNumber,
      personName(0),
      printed(accepted.acceptedOn),
      printed(accepted.reportDue),
      '西峰区核对员（演示）',
      '西峰区审核员（演示）',
      `核验码：${receipt.shortCode}`,
    ])
      expect(receiptText).toContain(expected);
    expect(receiptText).not.toContain(idNumber(0));
    await agency.screenshot({ path: `${SCREENSHOTS}/case-accepted.png`, fullPage: true });

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

  it('the handler asks for an extension, the reviewer grants it with the written notice', async () => {
    const before = await caseJson();
    await takeStep(agency, 'requestExtension', async (modal) => {
      await input(agency, `${modal}-workdays`).fill('2');
      await agency.getByTestId(`${modal}-text`).fill('不动产登记部门接口维护，等待离线交换答复');
    });
    await agency.getByTestId('case-step-requestExtension').waitFor({ state: 'detached' });
    // The handler never decides their own request: no button for them.
    await expect(agency.getByTestId('case-step-approveExtension').count()).resolves.toBe(0);

    await reviewer.goto(`${server.baseUrl}/cases/${caseId}`);
    await takeStep(reviewer, 'approveExtension');
    await reviewer.getByTestId('case-document-download-extension-notice').waitFor({ timeout: 20_000 });
    const after = await caseJson();
    expect(after.reportDue).not.toBe(before.reportDue);
    const notice = after.documents.find((d) => d.kind === 'extension-notice');
    // The requester receives the notice.
    await requester.reload();
    const text = await documentText(requester, 'extension-notice');
    for (const expected of [
      '居民家庭经济状况核对延期告知书',
      notice?.number ?? '—',
      caseNumber,
      personName(0),
      '不动产登记部门接口维护，等待离线交换答复',
      '2个工作日',
      printed(before.reportDue),
      printed(after.reportDue),
      '不计入核对工作期限',
    ])
      expect(text).toContain(expected);
  });

  it('the dashboard shows the open case with its days left', async () => {
    await agency.goto(`${server.baseUrl}/cases/dashboard`);
    await agency.getByTestId('case-dashboard-page').waitFor();
    await expect(agency.getByTestId(`dashboard-case-${caseId}`).textContent()).resolves.toBe(caseNumber);
    await expect(agency.getByTestId(`dashboard-left-${caseId}`).textContent()).resolves.toMatch(/\d+/);
    // Names are masked on the dashboard.
    await expect(agency.getByTestId('dashboard-open-cases').textContent()).resolves.not.toContain(
      personName(0),
    );
    await agency.screenshot({ path: `${SCREENSHOTS}/case-dashboard.png`, fullPage: true });
    await agency.goto(`${server.baseUrl}/cases/${caseId}`);
    await agency.getByTestId('case-page').waitFor();
  });

  it('an item the county cannot verify goes to the city after approval, and its finding returns into the case', async () => {
    await agency.getByTestId('escalation-propose').click();
    await agency.getByTestId('escalation-propose-ok').waitFor();
    await settle(agency);
    await agency.getByTestId('escalation-reason').fill('申请人配偶在外市有不动产登记线索，本级无法查询');
    await pick(agency, 'escalation-member-0', personName(1));
    await input(agency, 'escalation-data-item-0').fill('外地不动产');
    await agency.getByTestId('escalation-propose-ok').click();
    await expect
      .poll(() => agency.getByTestId('case-escalations').textContent(), { timeout: 15_000 })
      .toContain('外地不动产');
    await expect(agency.getByTestId('case-deadlines').textContent()).resolves.toContain('上级协助核对');
    // Never approved by the one who proposed it.
    await expect(agency.getByTestId('escalation-approve').count()).resolves.toBe(0);

    await reviewer.goto(`${server.baseUrl}/cases/${caseId}`);
    await reviewer.getByTestId('escalation-approve').click();
    await reviewer.getByTestId('escalation-approve-ok').waitFor();
    await settle(reviewer);
    await reviewer.getByTestId('escalation-approve-ok').click();
    await reviewer.getByTestId('escalation-approve').waitFor({ state: 'detached', timeout: 15_000 });

    const cityContext = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1440, height: 1000 },
    });
    try {
      const city = await cityContext.newPage();
      await loginAs(city, server.baseUrl, 'city_staff');
      await city.goto(`${server.baseUrl}/escalations`);
      await city.getByTestId('escalation-queue').waitFor();
      // The queue masks the person; the detail shows what is needed to answer, and the look is audited.
      await expect(city.getByTestId('escalation-queue').textContent()).resolves.not.toContain(personName(1));
      await city.locator('[data-testid^="escalation-open-"]').first().click();
      await city.getByTestId('escalation-answer-form').waitFor();
      await city.getByTestId('escalation-finding-0').fill('经查庆阳市外县区不动产登记，名下有住宅一套');
      await input(city, 'escalation-amount-0').fill('350000');
      await input(city, 'escalation-source-department-0').fill('庆阳市自然资源局');
      await input(city, 'escalation-source-dataset-0').fill('不动产登记');
      const dataAsOf = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      await input(city, 'escalation-data-as-of-0').fill(dataAsOf);
      await city.keyboard.press('Enter');
      await city.getByTestId('escalation-answer-submit').click();
      await city.getByTestId('escalation-answer-form').waitFor({ state: 'detached', timeout: 15_000 });
    } finally {
      await cityContext.close();
    }

    await agency.reload();
    const panel = agency.getByTestId('case-escalations');
    await expect
      .poll(() => panel.textContent(), { timeout: 15_000 })
      .toContain('经查庆阳市外县区不动产登记，名下有住宅一套');
    await expect(panel.textContent()).resolves.toContain('庆阳市自然资源局');
    await expect(agency.getByTestId('case-deadlines').textContent()).resolves.not.toContain('上级协助核对');
    await agency.screenshot({ path: `${SCREENSHOTS}/case-escalation.png`, fullPage: true });
  });

  it('the handler submits the report, the reviewer issues it, and the requester appeals', async () => {
    await assessAs('xifeng_staff');
    await agency.reload();
    await takeStep(agency, 'submitReport', (modal) =>
      agency.getByTestId(`${modal}-text`).fill('已核对全部数据源'),
    );
    await expect
      .poll(() => agency.getByTestId('case-state').textContent(), { timeout: 15_000 })
      .toBe('报告待审核');
    // The handler cannot approve their own report: no button for them.
    await expect(agency.getByTestId('case-step-approveReport').count()).resolves.toBe(0);

    await reviewer.reload();
    await takeStep(reviewer, 'approveReport');
    await expect
      .poll(() => reviewer.getByTestId('case-state').textContent(), { timeout: 20_000 })
      .toBe('已出具报告');
    const report = (await caseJson()).documents.find((d) => d.kind === 'report');
    const text = await documentText(reviewer, 'report');
    for (const expected of [
      '居民家庭经济状况核对报告',
      report?.number ?? '—',
      caseNumber,
      personName(0),
      personName(1),
      '经办人：西峰区核对员（演示）',
      '不得用作其他用途',
      '不作是否给予救助的认定',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain(idNumber(0));
    expect(text).not.toContain(idNumber(1));

    await requester.reload();
    await takeStep(requester, 'appeal', (modal) =>
      requester.getByTestId(`${modal}-text`).fill('存款系代亲属保管'),
    );
    await expect
      .poll(() => requester.getByTestId('case-state').textContent(), { timeout: 15_000 })
      .toBe('申诉待复核');
  });

  it('a review group without the original handler re-verifies; the new report and the review result are issued', async () => {
    await agency.reload();
    await takeStep(agency, 'assignReview', async (modal) => {
      // The original handler (the signed-in xifeng_staff) is not offered for the review group.
      const handlers = await optionTexts(agency, `${modal}-handler`);
      expect(handlers.some((text) => text.includes('西峰区核对员'))).toBe(false);
      await pick(agency, `${modal}-handler`, '西峰区审核员');
      await pick(agency, `${modal}-reviewer`, '市级审核员');
    });
    await expect
      .poll(() => agency.getByTestId('case-state').textContent(), { timeout: 15_000 })
      .toBe('复核中');
    await expect(agency.getByTestId('case-step-submitReport').count()).resolves.toBe(0);

    // xifeng_reviewer now handles the review: assesses again and submits the review report.
    await assessAs('xifeng_reviewer');
    await reviewer.reload();
    await takeStep(reviewer, 'submitReport', (modal) =>
      reviewer.getByTestId(`${modal}-text`).fill('复核：已重新核对存款数据'),
    );
    await expect
      .poll(() => reviewer.getByTestId('case-state').textContent(), { timeout: 15_000 })
      .toBe('复核报告待审核');

    const cityContext = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    });
    try {
      const city = await cityContext.newPage();
      await loginAs(city, server.baseUrl, 'city_reviewer');
      await city.goto(`${server.baseUrl}/cases/${caseId}`);
      await takeStep(city, 'approveReport');
      await expect
        .poll(() => city.getByTestId('case-state').textContent(), { timeout: 20_000 })
        .toBe('复核完成');

      const done = await caseJson();
      const reports = done.documents.filter((d) => d.kind === 'report');
      expect(reports).toHaveLength(2);
      const appeal = done.events.find((e) => e.step === 'appeal');
      const result = await documentText(city, 'review-result');
      for (const expected of [
        '复核结果告知书',
        caseNumber,
        personName(0),
        // The appeal's day in Shanghai, as the platform dates it.
        printed(appeal ? new Date(Date.parse(appeal.at) + 8 * 3600_000).toISOString().slice(0, 10) : null),
        reports[0]?.number ?? '—',
        reports[1]?.number ?? '—',
        '经办人：西峰区审核员（演示）',
        '审核人：市级审核员（演示）',
      ])
        expect(result).toContain(expected);
      const newReport = await documentText(city, 'report', 'last');
      for (const expected of [reports[1]?.number ?? '—', caseNumber, '经办人：西峰区审核员（演示）'])
        expect(newReport).toContain(expected);
      await city.screenshot({ path: `${SCREENSHOTS}/case-reviewed.png`, fullPage: true });
    } finally {
      await cityContext.close();
    }
  });
});

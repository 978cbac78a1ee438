import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../test/support/cases.ts';
import {
  csvBytes,
  hukouRow,
  idNumber,
  multipart,
  payrollRow,
  personName,
  type Row,
} from '../test/support/department-data.ts';
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
 * 家庭核对 in the browser: department data uploaded through the API (the e2e server runs on the real clock, so
 * the periods are those before 2026-11: payroll 2026-H1, hukou 2026-Q3), then a Xifeng caseworker enters a
 * two-member household, reads the result with its evidence and discrepancies, and recomputes it on the
 * original batches.
 */

/** Two accepted cases of this household (every query serves one: 无委托、不核对), opened in beforeAll. */
let CASE = '';
let CASE_2 = '';
const A = 0; // 本人: six months of pay
const B = 1; // 配偶: one month of pay under another name (NAME_MISMATCH)
const H1 = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];

/** antd puts a field's data-testid on the <input> itself or on the wrapper around it, depending on the component. */
function input(scope: Page | Locator, testId: string): Locator {
  return scope.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

/** The same ID with a wrong check character. */
function withWrongCheckChar(id: string): string {
  const chars = '10X98765432';
  const last = id.charAt(17);
  return `${id.slice(0, 17)}${chars.charAt((chars.indexOf(last) + 1) % chars.length)}`;
}

describe('household verification (家庭核对) in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let firstId = 0;

  async function login(username: string): Promise<string> {
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

  async function upload(cookie: string, dataset: string, period: string, rows: Row[]): Promise<number> {
    const { payload, headers } = multipart(
      { dataset, period },
      { name: `${dataset}.csv`, content: csvBytes(rows) },
    );
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/batches',
      payload,
      headers: { ...headers, cookie, 'x-hedui-csrf': '1' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<{ status: string; batchId: number; errors: unknown[] }>();
    expect(result.status, JSON.stringify(result.errors.slice(0, 3))).toBe('committed');
    return result.batchId;
  }

  beforeAll(async () => {
    server = await startServer('sqlite');
    const members = [A, B].map((i) => ({
      idNumber: idNumber(i),
      name: personName(i),
      relation: i === A ? '本人' : '配偶',
    }));
    CASE = (await openCase(server.runtime.deps, members)).number;
    CASE_2 = (await openCase(server.runtime.deps, members)).number;
    const police = await login('dept_public_security');
    await upload(police, 'hukou', '2026-Q3', [hukouRow(A), hukouRow(B)]);
    const finance = await login('dept_finance');
    await upload(finance, 'payroll', '2026-H1', [
      ...H1.map((month) => payrollRow(A, month, { 应发工资: '5000.00', 实发工资: '4200.00' })),
      payrollRow(B, '2026-03', { 姓名: '王五', 应发工资: '1200.50', 实发工资: '1000.00' }),
    ]);

    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    await loginAs(page, server.baseUrl, 'xifeng_staff');
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('enters a two-member household, shows the server’s refusal of a bad ID number, then runs it', async () => {
    await expect(page.getByTestId('menu-assessments').textContent()).resolves.toContain('家庭核对');
    await page.getByTestId('menu-assessments').click();
    await page.getByTestId('assessments-page').waitFor();
    await page.getByTestId('assessment-new').click();
    await page.getByTestId('assessment-form-page').waitFor();

    // The region starts as the caseworker's own district, the as-of date as today.
    await expect
      .poll(() => page.getByTestId('region-select').textContent(), { timeout: 10_000 })
      .toContain('西峰区');
    await expect(input(page, 'assessment-as-of').inputValue()).resolves.toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await page.getByTestId('assessment-case-ref').fill(CASE);
    await page.getByTestId('member-0-id').fill(withWrongCheckChar(idNumber(A)));
    await page.getByTestId('member-0-name').fill(personName(A));
    await expect(page.getByTestId('member-0-relation').inputValue()).resolves.toBe('本人');
    await page.getByTestId('member-0-income-wages').fill('10000');
    await page.getByTestId('member-add').click();
    await page.getByTestId('member-1-id').fill(idNumber(B));
    await page.getByTestId('member-1-name').fill(personName(B));
    await page.getByTestId('member-1-relation').fill('配偶');
    await page.getByTestId('assets-deposits').fill('0');

    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/assessments') && r.request().method() === 'POST'),
      page.getByTestId('assessment-submit').click(),
    ]);
    expect(refused.status()).toBe(400);
    await expect
      .poll(() => page.getByTestId('assessment-form-errors').textContent(), { timeout: 10_000 })
      .toContain('身份证号无效');
    // The message is also shown next to the field.
    await expect
      .poll(() => page.getByTestId('member-0').textContent(), { timeout: 10_000 })
      .toContain('身份证号无效');

    await page.getByTestId('member-0-id').fill(idNumber(A));
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/assessments') && r.request().method() === 'POST'),
      page.getByTestId('assessment-submit').click(),
    ]);
    expect(created.status(), await created.text()).toBe(200);
    const body = (await created.json()) as {
      assessment: { id: number; result: { members: { memberId: string; declaredIncome?: unknown }[] } };
    };
    firstId = body.assessment.id;
    await page.waitForURL(`**/assessments/${firstId}`);
    await page.getByTestId('assessment-result').waitFor({ timeout: 15_000 });
  });

  it('shows the result: notice, wages in 元, a month’s evidence, a serious discrepancy and the name flag', async () => {
    await expect(page.getByTestId('assessment-notice').textContent()).resolves.toContain('只核对、不认定');
    await expect(page.getByTestId('assessment-case-ref').textContent()).resolves.toBe(CASE);
    await expect(page.getByTestId('assessment-policy').textContent()).resolves.toBe('default-v1');

    // 6 × 5 000.00 + 1 200.50 = 31 200.50 元 for the household; 30 000.00 元 for the first member.
    await expect(page.getByTestId('summary-income-wages').textContent()).resolves.toBe('31,200.50 元');
    await expect(page.getByTestId('member-m1-income-wages').textContent()).resolves.toBe('30,000.00 元');
    await expect(page.getByTestId('member-m1-masked-id').textContent()).resolves.not.toContain(idNumber(A));

    const march = page.getByTestId('month-m1-2026-03');
    await march.locator('.ant-table-row-expand-icon').click();
    const evidence = page.getByTestId('evidence-m1-2026-03');
    await evidence.waitFor();
    const text = await evidence.textContent();
    expect(text).toContain('财政供养人员');
    expect(text).toContain('5,000.00 元');
    expect(text).toContain('计入');

    // Declared 10 000.00 元 of wages against 30 000.00 元 found: beyond five times the tolerance.
    const serious = page.locator('[data-testid^="discrepancy-severity-"][data-severity="serious"]');
    expect(await serious.count()).toBeGreaterThan(0);
    await expect(serious.first().textContent()).resolves.toBe('重大');
    await expect(serious.first().getAttribute('class')).resolves.toContain('ant-tag-red');

    await expect(page.getByTestId('name-mismatches').textContent()).resolves.toContain('王五');
    await expect(page.getByTestId('assessment-sources').textContent()).resolves.toContain('户籍人口');

    // No text on the page states a decision about the family.
    const all = (await page.getByTestId('assessment-result').textContent()) ?? '';
    for (const word of ['符合', '不符合', '建议给予']) expect(all).not.toContain(word);
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/assessment-result.png`, fullPage: true });
  });

  it('recomputes on the original batches and shows no change', async () => {
    await page.getByTestId('rerun-recorded').click();
    await page.waitForURL(
      (url) => /\/assessments\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${firstId}`),
    );
    const comparison = page.getByTestId('assessment-comparison');
    await expect.poll(() => comparison.textContent(), { timeout: 15_000 }).toContain('按原批次重新计算');
    await comparison.getByTestId('comparison-no-change').waitFor();
    await expect(comparison.textContent()).resolves.toContain(`#${firstId}`);
    await expect(page.getByTestId('summary-income-wages').textContent()).resolves.toBe('31,200.50 元');
  });

  it('re-verifies with the latest data and names what the newer batch changed', async () => {
    // The tax office reports more wages for the first member than the payroll did (6 × 6 000.00 元).
    const tax = await login('dept_taxation');
    const taxBatch = await upload(tax, 'tax_income', '2026-H1', [
      {
        身份证号: idNumber(A),
        姓名: personName(A),
        所得项目: '工资薪金',
        所属期起: '2026-01',
        所属期止: '2026-06',
        收入额: '36000.00',
        已缴税额: '600.00',
      },
    ]);
    const before = page.url();
    await page.getByTestId('rerun-standing').click();
    await page.waitForURL((url) => url.href !== before && /\/assessments\/\d+$/.test(url.pathname));
    const comparison = page.getByTestId('assessment-comparison');
    await expect.poll(() => comparison.textContent(), { timeout: 15_000 }).toContain('按最新数据重新核对');
    await expect(comparison.getByTestId('comparison-batches-added').textContent()).resolves.toBe(
      `#${taxBatch}`,
    );
    const changes = (await comparison.getByTestId('comparison-changes').textContent()) ?? '';
    expect(changes).toContain('工资性收入');
    expect(changes).toContain('30,000.00 元');
    expect(changes).toContain('36,000.00 元');
    await expect(page.getByTestId('member-m1-income-wages').textContent()).resolves.toBe('36,000.00 元');
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/assessment-rerun-standing.png`, fullPage: true });

    await page.getByTestId('menu-assessments').click();
    await page.getByTestId('assessments-page').waitFor();
    await expect
      .poll(() => page.locator('[data-testid^="assessment-link-"]').allTextContents(), { timeout: 10_000 })
      .toEqual([CASE, CASE, CASE]);
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOTS}/assessments-list.png`, fullPage: true });
  });

  it('fills the form from a household JSON file in the CLI format, amounts in fen shown in 元', async () => {
    await page.getByTestId('menu-assessments').click();
    await page.getByTestId('assessment-new').click();
    await page.getByTestId('assessment-form-page').waitFor();
    const household = {
      caseRef: CASE_2,
      regionCode: '621002',
      assistanceType: 'temporary_assistance',
      members: [
        {
          idNumber: idNumber(A),
          name: personName(A),
          relation: '本人',
          coResiding: true,
          exclusion: null,
          declaredIncome: { wages: 3_000_029 },
        },
        {
          idNumber: idNumber(B),
          name: personName(B),
          relation: '配偶',
          coResiding: false,
          exclusion: 'conscript',
        },
      ],
      declaredAssets: { depositsFen: 5, vehicles: { count: 1, identifiers: ['甘M12345'] } },
    };
    await page.getByTestId('assessment-import-file').setInputFiles({
      name: 'household.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(household)),
    });
    await expect.poll(() => page.getByTestId('assessment-case-ref').inputValue()).toBe(CASE_2);
    await expect(page.getByTestId('member-0-income-wages').inputValue()).resolves.toBe('30000.29');
    await expect(page.getByTestId('member-1-name').inputValue()).resolves.toBe(personName(B));
    await expect(page.getByTestId('member-1').textContent()).resolves.toContain('服义务兵役');
    await expect(page.getByTestId('assets-deposits').inputValue()).resolves.toBe('0.05');
    await expect(page.getByTestId('assets-vehicles-ids').textContent()).resolves.toContain('甘M12345');
    await expect(page.getByTestId('assessment-type').textContent()).resolves.toContain('临时救助');

    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/assessments') && r.request().method() === 'POST'),
      page.getByTestId('assessment-submit').click(),
    ]);
    expect(created.status(), await created.text()).toBe(200);
    // The amounts typed or imported in 元 go back to the server in exact fen.
    expect(created.request().postDataJSON()).toMatchObject({
      caseRef: CASE_2,
      assistanceType: 'temporary_assistance',
      members: [{ declaredIncome: { wages: 3_000_029 } }, { coResiding: false, exclusion: 'conscript' }],
      declaredAssets: { depositsFen: 5, vehicles: { count: 1, identifiers: ['甘M12345'] } },
    });
    await page.getByTestId('assessment-result').waitFor({ timeout: 15_000 });
    await page.getByTestId('member-tab-m2').click();
    await expect(page.getByTestId('member-m2-counted').textContent()).resolves.toContain('服义务兵役');
  });

  it('is neither in the menu nor open to a department officer', async () => {
    const other = await browser.newContext({ locale: 'zh-CN' });
    const officer = await other.newPage();
    await loginAs(officer, server.baseUrl, 'dept_finance');
    expect(await officer.getByTestId('menu-assessments').count()).toBe(0);
    await officer.goto(`${server.baseUrl}/assessments/${firstId}`);
    await officer.getByText('无权访问').first().waitFor({ timeout: 10_000 });
    expect(await officer.getByTestId('assessment-result').count()).toBe(0);
    await other.close();
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOverdueDeliveries } from '../src/app/delivery/check-overdue-deliveries.ts';
import { computeCheckChar } from '../src/domain/identity/id-number.ts';
import { type E2eServer, launchBrowser, loginAs, SCREENSHOTS, startServer } from './support/harness.ts';

const DOWNLOADS = 'test-results/downloads';
const HUKOU_HEADERS = [
  '身份证号',
  '姓名',
  '性别',
  '出生日期',
  '户号',
  '与户主关系',
  '户籍地址',
  '户籍状态',
  '状态变更日期',
];

interface Person {
  id: string;
  name: string;
  sex: '男' | '女';
  birth: string;
  household: string;
  relation: string;
}

/** A valid 18-digit ID for Xifeng district (621002) whose sex digit and birth date match the row. */
function idFor(birth: string, serial: number, sex: Person['sex']): string {
  const first17 = `621002${birth.replaceAll('-', '')}${String(serial).padStart(2, '0')}${sex === '男' ? 1 : 2}`;
  return `${first17}${computeCheckChar(first17)}`;
}

const PEOPLE: Person[] = (
  [
    { name: '张建国', sex: '男', birth: '1968-04-12', household: '620100001', relation: '户主' },
    { name: '李秀英', sex: '女', birth: '1970-09-03', household: '620100001', relation: '配偶' },
    { name: '张伟', sex: '男', birth: '1995-01-20', household: '620100001', relation: '子' },
    { name: '王芳', sex: '女', birth: '1988-11-30', household: '620100002', relation: '户主' },
    { name: '赵磊', sex: '男', birth: '1979-06-15', household: '620100003', relation: '户主' },
  ] satisfies Omit<Person, 'id'>[]
).map((person, index) => ({ ...person, id: idFor(person.birth, index + 11, person.sex) }));

function csv(rows: string[][]): Buffer {
  const lines = [HUKOU_HEADERS, ...rows].map((cells) => cells.join(','));
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

function row(person: Person, overrides: Partial<Record<'id' | 'sex' | 'household', string>> = {}): string[] {
  return [
    overrides.id ?? person.id,
    person.name,
    overrides.sex ?? person.sex,
    person.birth,
    overrides.household ?? person.household,
    person.relation,
    '甘肃省庆阳市西峰区南大街12号',
    '正常',
    '',
  ];
}

/** The same ID with a wrong check character. */
function withWrongCheckChar(id: string): string {
  const chars = '10X98765432';
  const last = id.charAt(17);
  return `${id.slice(0, 17)}${chars.charAt((chars.indexOf(last) + 1) % chars.length)}`;
}

/** The last quarter that has ended, in Beijing time: hukou is delivered quarterly. */
function lastQuarter(now = new Date()): string {
  const beijing = new Date(now.getTime() + 8 * 3600_000);
  const year = beijing.getUTCFullYear();
  const quarter = Math.floor(beijing.getUTCMonth() / 3) + 1;
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}

const PERIOD = lastQuarter();
// Spreadsheet rows (the header is row 1) of the three broken rows in the first upload.
const BAD_ID_ROW = 3;
const BAD_SEX_ROW = 4;
const MISSING_HOUSEHOLD_ROW = 5;

async function saveDownload(download: Download): Promise<string> {
  mkdirSync(DOWNLOADS, { recursive: true });
  const path = join(DOWNLOADS, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

async function uploadResult(
  page: Page,
  action: () => Promise<void>,
): Promise<{ status: string; batchId: number }> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/batches') && r.request().method() === 'POST'),
    action(),
  ]);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { status: string; batchId: number };
  return body;
}

/** Whether the delivery-status API (built alongside these screens) is on the server yet. */
async function deliveryApiPresent(page: Page, baseUrl: string): Promise<boolean> {
  const response = await page.request.get(`${baseUrl}/api/delivery/status`);
  return response.status() !== 404;
}

describe('department data: templates, uploads, error reports and batches in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let officer: BrowserContext;
  let page: Page;
  let rejectedId = 0;
  let committedId = 0;

  beforeAll(async () => {
    server = await startServer('sqlite');
    browser = await launchBrowser();
    officer = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    page = await officer.newPage();
    await loginAs(page, server.baseUrl, 'dept_public_security');
  });
  afterAll(async () => {
    await officer?.close();
    await browser?.close();
    await server?.close();
  });

  it('shows the public security officer the hukou dataset under 我的数据 and downloads its XLSX template', async () => {
    await expect(page.getByTestId('menu-my-data').textContent()).resolves.toContain('我的数据');
    await page.getByTestId('menu-my-data').click();
    const card = page.getByTestId('dataset-card-hukou');
    await card.waitFor({ timeout: 15_000 });
    await expect(card.textContent()).resolves.toContain('季报');
    if (await deliveryApiPresent(page, server.baseUrl)) {
      // Scoped to the department: public security delivers hukou and vehicle, not payroll.
      expect(await page.getByTestId('dataset-card-payroll').count()).toBe(0);
      expect(await page.getByTestId('dataset-card-vehicle').count()).toBe(1);
    }
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${SCREENSHOTS}/department-my-data.png`, fullPage: true });

    await page.getByTestId('template-hukou').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('template-xlsx-hukou').click(),
    ]);
    expect(download.suggestedFilename()).toBe('核对数据模板_hukou_户籍人口.xlsx');
    const path = await saveDownload(download);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 4).toString('binary')).toBe('PK\u0003\u0004');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const headers = workbook.worksheets[0]?.getRow(1).values;
    expect(Array.isArray(headers) ? headers.slice(1) : []).toEqual(
      expect.arrayContaining(['身份证号', '姓名', '性别', '户籍状态']),
    );
  });

  it('rejects a hukou file with errors and lists every error row', async () => {
    await page.getByTestId('upload-hukou').click();
    await page.waitForURL(/\/data\/upload\?dataset=hukou/);
    await page.getByTestId('upload-page').waitFor();
    await expect(page.getByTestId('upload-dataset').textContent()).resolves.toContain('户籍人口');
    await page.getByTestId('upload-period').fill(PERIOD);
    // Closes the suggestions (Escape would clear the search-type input).
    await page.locator('label[for="dataset"]').click();
    await expect(page.getByTestId('upload-period').inputValue()).resolves.toBe(PERIOD);

    const [first, second, third, fourth, fifth] = PEOPLE as [Person, Person, Person, Person, Person];
    const broken = csv([
      row(first),
      row(second, { id: withWrongCheckChar(second.id) }),
      row(third, { sex: '男性' }),
      row(fourth, { household: '' }),
      row(fifth),
    ]);
    await page
      .getByTestId('upload-file')
      .locator('input[type=file]')
      .setInputFiles({ name: 'hukou-broken.csv', mimeType: 'text/csv', buffer: broken });
    await page.getByText('hukou-broken.csv').waitFor();

    const result = await uploadResult(page, () => page.getByTestId('upload-submit').click());
    expect(result.status).toBe('rejected');
    rejectedId = result.batchId;

    const outcome = page.locator('[data-testid="upload-result"][data-status="rejected"]');
    await outcome.waitFor({ timeout: 15_000 });
    await expect(outcome.textContent()).resolves.toContain('未通过校验');
    const table = page.getByTestId('upload-errors');
    for (const [rowNumber, code] of [
      [BAD_ID_ROW, 'INVALID_ID_NUMBER'],
      [BAD_SEX_ROW, 'INVALID_ENUM'],
      [MISSING_HOUSEHOLD_ROW, 'MISSING_VALUE'],
    ] as const) {
      await expect(table.getByTestId(`row-error-${rowNumber}`).textContent()).resolves.toContain(code);
    }
    // Only the broken rows are listed.
    expect(await table.locator('[data-testid^="row-error-"]').count()).toBe(3);
    await page.screenshot({ path: `${SCREENSHOTS}/department-upload-rejected.png`, fullPage: true });
  });

  it('downloads the error report, an XLSX naming the broken rows', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-error-report').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^错误报告_hukou_.+\.xlsx$/);
    const path = await saveDownload(download);
    expect(readFileSync(path).subarray(0, 2).toString('binary')).toBe('PK');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const summary = workbook.getWorksheet('错误汇总');
    expect(summary).toBeDefined();
    const listed = new Map<number, string>();
    summary?.eachRow((sheetRow) => {
      const [rowNumber, column, code] = [1, 2, 3].map((index) => sheetRow.getCell(index).value);
      if (typeof rowNumber === 'number') listed.set(rowNumber, `${String(column)} ${String(code)}`);
    });
    expect([...listed.keys()].sort()).toEqual([BAD_ID_ROW, BAD_SEX_ROW, MISSING_HOUSEHOLD_ROW]);
    expect(listed.get(BAD_ID_ROW)).toContain('INVALID_ID_NUMBER');
    expect(listed.get(BAD_SEX_ROW)).toContain('性别');
    expect(listed.get(MISSING_HOUSEHOLD_ROW)).toContain('户号');

    // The data sheet mirrors the upload; the broken rows sit at their own row numbers.
    const data = workbook.getWorksheet('数据');
    expect(String(data?.getRow(BAD_SEX_ROW).getCell(3).value)).toBe('男性');
  });

  it('commits the corrected file with the right row count', async () => {
    const fixed = csv(PEOPLE.map((person) => row(person)));
    await page
      .getByTestId('upload-file')
      .locator('input[type=file]')
      .setInputFiles({ name: 'hukou-fixed.csv', mimeType: 'text/csv', buffer: fixed });
    await page.getByText('hukou-fixed.csv').waitFor();
    const result = await uploadResult(page, () => page.getByTestId('upload-submit').click());
    expect(result.status).toBe('committed');
    committedId = result.batchId;

    const outcome = page.locator('[data-testid="upload-result"][data-status="committed"]');
    await outcome.waitFor({ timeout: 15_000 });
    const text = await outcome.textContent();
    expect(text).toContain('已入库');
    expect(text).toContain(`读取 ${PEOPLE.length} 行，入库 ${PEOPLE.length} 行`);
    await page.screenshot({ path: `${SCREENSHOTS}/department-upload-committed.png`, fullPage: true });
  });

  it('lists both batches under 批次记录: the committed one as 已入库, the rejected one as 未通过', async () => {
    await page.getByTestId('menu-batches').click();
    await page.getByTestId(`batch-status-${committedId}`).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId(`batch-status-${committedId}`).textContent()).resolves.toBe('已入库');
    await expect(page.getByTestId(`batch-status-${rejectedId}`).textContent()).resolves.toBe('未通过');
    expect(await page.getByTestId(`batch-report-${rejectedId}`).count()).toBe(1);
    expect(await page.getByTestId(`batch-retract-${committedId}`).count()).toBe(1);

    await page.getByTestId(`batch-detail-${rejectedId}`).click();
    const drawer = page.getByTestId('batch-drawer');
    await drawer.getByTestId('batch-errors').waitFor({ timeout: 10_000 });
    expect(await drawer.locator('[data-testid^="row-error-"]').count()).toBe(3);
    await page.waitForTimeout(500); // the drawer's slide-in animation
    await page.screenshot({ path: `${SCREENSHOTS}/department-batches.png`, fullPage: true });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('shows the delivered period on 我的数据 once the batch is committed', async () => {
    await page.getByTestId('menu-my-data').click();
    await page.getByTestId('dataset-card-hukou').waitFor({ timeout: 15_000 });
    if (await deliveryApiPresent(page, server.baseUrl)) {
      await expect
        .poll(() => page.getByTestId('latest-period-hukou').textContent(), { timeout: 10_000 })
        .toBe(PERIOD);
    } else {
      await page.getByTestId('delivery-unavailable').waitFor();
    }
  });

  it('shows city agency staff the delivery status, the data quality and every department’s batches', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const staff = await context.newPage();
    await loginAs(staff, server.baseUrl, 'city_staff');
    const present = await deliveryApiPresent(staff, server.baseUrl);

    await staff.getByTestId('menu-data-status').click();
    if (present) {
      await staff.getByTestId('delivery-status').waitFor({ timeout: 15_000 });
      await expect
        .poll(() => staff.getByTestId('status-row-hukou').textContent(), { timeout: 10_000 })
        .toContain(PERIOD);
    } else {
      await staff.getByTestId('delivery-status-failed').waitFor({ timeout: 15_000 });
    }
    await staff.waitForLoadState('networkidle');
    await staff.screenshot({ path: `${SCREENSHOTS}/agency-delivery-status.png`, fullPage: true });

    await staff.getByTestId('menu-data-quality').click();
    if (present) {
      await staff.getByTestId('quality').waitFor({ timeout: 15_000 });
      await staff.getByTestId('quality-dept-public_security').waitFor({ timeout: 10_000 });
      await staff.getByTestId('quality-dept-public_security').click();
      await staff.getByTestId('quality-trend-chart').waitFor({ timeout: 15_000 });
    } else {
      await staff.getByTestId('quality-failed').waitFor({ timeout: 15_000 });
    }
    await staff.waitForLoadState('networkidle');
    await staff.screenshot({ path: `${SCREENSHOTS}/agency-data-quality.png`, fullPage: true });

    await staff.getByTestId('menu-batches').click();
    await staff.getByTestId(`batch-status-${committedId}`).waitFor({ timeout: 15_000 });
    await expect(staff.getByTestId(`batch-row-${committedId}`).textContent()).resolves.toContain('公安');
    // Agency staff read batches but neither retract them nor download department error reports.
    expect(await staff.getByTestId(`batch-retract-${committedId}`).count()).toBe(0);
    expect(await staff.getByTestId('menu-my-data').count()).toBe(0);
    await staff.screenshot({ path: `${SCREENSHOTS}/agency-batches.png`, fullPage: true });
    await context.close();
  });

  it('retracts the committed batch, but only with a reason', async () => {
    await page.getByTestId('menu-batches').click();
    await page.getByTestId(`batch-retract-${committedId}`).click();
    await page.getByTestId('retract-submit').click();
    await page.getByText('请填写撤回原因').waitFor({ timeout: 10_000 });
    await page.getByTestId('retract-reason').fill('户号字段导出口径有误，将按新口径重新报送');
    await page.getByTestId('retract-submit').click();
    await expect
      .poll(() => page.getByTestId(`batch-status-${committedId}`).textContent(), { timeout: 10_000 })
      .toBe('已撤回');
    expect(await page.getByTestId(`batch-retract-${committedId}`).count()).toBe(0);
  });

  it('shows overdue delivery notices under the bell and marks one as read', async () => {
    const check = await checkOverdueDeliveries(server.runtime.deps);
    expect(check.noticesCreated).toBeGreaterThan(0);
    const unread = async () => {
      const response = await page.request.get(`${server.baseUrl}/api/notices`);
      return ((await response.json()) as { unread: number }).unread;
    };
    const before = await unread();
    expect(before).toBeGreaterThan(0);

    await page.reload();
    await page.getByTestId('notice-bell').click();
    await expect
      .poll(() => page.getByTestId('notice-unread-count').textContent(), { timeout: 10_000 })
      .toBe(`${before} 条未读`);
    const first = page.locator('[data-testid^="notice-mark-read-"]').first();
    await page.waitForTimeout(300); // the popover's fade-in
    await page.screenshot({ path: `${SCREENSHOTS}/department-notices.png` });
    await first.click();
    await expect
      .poll(() => page.getByTestId('notice-unread-count').textContent(), { timeout: 10_000 })
      .toBe(`${before - 1} 条未读`);
    expect(await unread()).toBe(before - 1);
  });
});

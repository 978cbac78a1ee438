import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/app/actor.ts';
import { importBatch } from '../src/app/ingest/import-batch.ts';
import type { CaseRow } from '../src/app/ports.ts';
import { startRecheck } from '../src/app/recheck/run-recheck.ts';
import { importRoster } from '../src/app/roster/import-roster.ts';
import { shanghaiDateOf } from '../src/domain/shared/clock.ts';
import { actorOf, openCase } from '../test/support/cases.ts';
import {
  csvBytes,
  hukouRow,
  idNumber,
  personName,
  type Row,
  tempDir,
} from '../test/support/department-data.ts';
import { type E2eServer, launchBrowser, loginAs, SCREENSHOTS, startServer } from './support/harness.ts';

/**
 * 变化预警 in the browser (issue #6 items 3–4): a Xifeng roster of two families, department data for two months
 * and two monthly rechecks (the second by change: only the families a new batch touched are recomputed) are
 * seeded in-process through the use cases. Two cars appear in month 2: two alerts. In the browser the handler sees
 * them with their evidence, learns that dismissing one needs a reason and dismisses it with one; works the other
 * into a case: the family has no new case yet, so the requester is asked to entrust one (notice); once the
 * requester's new case is accepted, the handler links the alert to it and the queue shows it `已转入案件` with the
 * case number.
 */

const F1 = { key: 'E2E-F1', people: [0, 1] };
const F2 = { key: 'E2E-F2', people: [2] };
const relationOf = (i: number) => (i === 0 ? '本人' : '配偶');

function rosterRows() {
  return [F1, F2].flatMap((f) =>
    f.people.map((p, i) => ({
      familyKey: f.key,
      ...(i === 0
        ? {
            regionCode: '621002001',
            assistanceType: '最低生活保障',
            startDate: '2025-01-01',
            monthlyAmount: '650',
          }
        : {}),
      name: personName(p),
      idNumber: idNumber(p),
      relation: relationOf(i),
    })),
  );
}

function vehicleRow(p: number, plate: string, registered: string): Row {
  return {
    身份证号: idNumber(p),
    姓名: personName(p),
    号牌号码: plate,
    车辆类型: '小型轿车',
    使用性质: '非营运',
    初次登记日期: registered,
    车辆状态: '正常',
    残疾人专用车: '否',
  };
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The period (YYYY-Qn) of the quarter before the month's. */
function lastQuarter(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const q = Math.floor((m - 1) / 3) + 1;
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/** antd puts a Radio's test id on its hidden <input>: the label around it is what a person clicks. */
function radio(scope: Locator, testId: string): Locator {
  return scope.locator(`label:has([data-testid="${testId}"])`).first();
}

describe('a change alert worked into a case (变化预警转为案件) in the browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dir = tempDir('hedui-e2e-recheck-');
  const month2 = shanghaiDateOf(new Date()).slice(0, 7);
  const month1 = previousMonth(month2);
  const period = lastQuarter(month2);
  let firstCase: CaseRow;
  let loads = 0;

  async function load(dataset: string, rows: Row[]): Promise<number> {
    loads += 1;
    const fileName = `${dataset}-${loads}.csv`;
    const result = await importBatch(
      server.runtime.deps,
      { datasetCode: dataset, period, source: 'cli', fileName, path: dir.write(fileName, csvBytes(rows)) },
      SYSTEM_ACTOR,
    );
    expect(result.status, JSON.stringify(result.errors.slice(0, 3)) + JSON.stringify(result.fileErrors)).toBe(
      'committed',
    );
    return result.batchId as number;
  }

  function row(id: number): Locator {
    return page.locator(`[data-testid="recheck-alerts"] tr[data-row-key="${id}"]`);
  }

  async function filter(label: string): Promise<void> {
    await page.getByTestId('recheck-alert-state-filter').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label })
      .first()
      .click();
  }

  beforeAll(async () => {
    server = await startServer('sqlite');
    const deps = server.runtime.deps;
    // Each family entrusted once before (its authorization on file), as the requester's earlier case.
    firstCase = await openCase(
      deps,
      F1.people.map((p, i) => ({ idNumber: idNumber(p), name: personName(p), relation: relationOf(i) })),
    );
    await openCase(deps, [{ idNumber: idNumber(2), name: personName(2), relation: '本人' }]);
    const requester = await actorOf(deps, 'xifeng_requester');
    const reviewer = await actorOf(deps, 'xifeng_reviewer');
    const agencyId = reviewer.organisationId as number;

    // Month 1: the household register and no car; the roster; the baseline recheck.
    await load(
      'hukou',
      Array.from({ length: 3 }, (_, i) => hukouRow(i)),
    );
    await load('vehicle', [vehicleRow(30, '甘M77030', '2020-01-01')]);
    const roster = await importRoster(deps, { source: 'api', month: month1, rows: rosterRows() }, requester);
    expect(roster).toMatchObject({ status: 'committed', familyCount: 2, authorizationMissingCount: 0 });
    const first = await startRecheck(
      deps,
      { month: month1, scopeAgencyId: agencyId, mode: 'changed' },
      reviewer,
    );
    expect(first).toMatchObject({ state: 'done', counts: { doneCount: 2 }, alertsByKind: {} });

    // Month 2: a new vehicle snapshot with a car of each family (one planted change each): both families marked.
    await load('vehicle', [
      vehicleRow(30, '甘M77030', '2020-01-01'),
      vehicleRow(1, '甘M88001', `${month1}-15`),
      vehicleRow(2, '甘M88002', `${month1}-16`),
    ]);
    const second = await startRecheck(
      deps,
      { month: month2, scopeAgencyId: agencyId, mode: 'changed' },
      reviewer,
    );
    expect(second).toMatchObject({
      state: 'done',
      mode: 'changed',
      counts: { doneCount: 2, carriedCount: 0 },
      alertsByKind: { NEW_VEHICLE: 2 },
    });

    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    dir.remove();
  });

  it('works one alert into the family’s new case and dismisses the other with a reason', async () => {
    const deps = server.runtime.deps;
    const { items } = await deps.store.rechecks.listAlerts({ regionScope: null, offset: 0, limit: 10 });
    const alertOf = (key: string) => items.find((a) => a.familyKey === key);
    const f1 = alertOf(F1.key);
    const f2 = alertOf(F2.key);
    expect(f1?.kind).toBe('NEW_VEHICLE');
    expect(f2?.kind).toBe('NEW_VEHICLE');
    const f1Id = f1?.id as number;
    const f2Id = f2?.id as number;

    await loginAs(page, server.baseUrl, 'xifeng_staff');
    await page.goto(`${server.baseUrl}/recheck-alerts`);
    await page.getByTestId('recheck-alerts-page').waitFor();
    // The queue: both alerts, each with its evidence (the source batch and its data-as-of date).
    await row(f1Id).waitFor();
    await expect.poll(() => row(f1Id).textContent()).toContain('新增车辆');
    expect(await row(f1Id).textContent()).toContain('vehicle 批次');
    expect(await row(f1Id).textContent()).toContain(F1.key);
    expect(await row(f2Id).textContent()).toContain(F2.key);

    // Dismissing needs a reason.
    await page.getByTestId(`recheck-alert-work-${f2Id}`).click();
    // The modal's root carries the test id but has no box of its own: the dialog is its `.ant-modal`.
    const dialog = page.locator('[data-testid="recheck-alert-dialog"] .ant-modal');
    await dialog.waitFor();
    await radio(dialog, 'recheck-alert-action-dismiss').click();
    await page.getByTestId('recheck-alert-submit').click();
    await expect
      .poll(() => dialog.locator('.ant-form-item-explain-error').allTextContents())
      .toContain('排除预警必须填写理由');
    expect((await deps.store.rechecks.getAlert(f2Id))?.state).toBe('open');
    await dialog.getByTestId('recheck-alert-reason').fill('该车辆为亲属代为登记，已另行核实');
    await page.getByTestId('recheck-alert-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await deps.store.rechecks.getAlert(f2Id))?.state).toBe('dismissed');
    await row(f2Id).waitFor({ state: 'detached' });

    // 转为案件: the family's earlier case is listed; no new one yet, so the requester is asked to entrust one.
    await page.getByTestId(`recheck-alert-work-${f1Id}`).click();
    await dialog.waitFor();
    await radio(dialog, 'recheck-alert-action-open_case').click();
    await radio(dialog, `recheck-alert-case-${firstCase.number}`).waitFor();
    expect(await dialog.textContent()).toContain(firstCase.number);
    await radio(dialog, 'recheck-alert-entrust').click();
    await page.getByTestId('recheck-alert-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(async () => (await deps.store.rechecks.getAlert(f1Id))?.state)
      .toBe('awaiting_entrustment');
    const requester = await actorOf(deps, 'xifeng_requester');
    const notices = await deps.store.notices.list(requester.organisationId as number, {
      unreadOnly: false,
      offset: 0,
      limit: 20,
    });
    const notice = notices.items.find((n) => n.kind === 'recheck_entrustment');
    expect(notice?.title).toContain(F1.key);
    expect(notice?.body).toContain('新增车辆');

    // The requester entrusts the family again and the agency accepts it; the handler links the alert to it.
    const fresh = await openCase(
      deps,
      F1.people.map((p, i) => ({ idNumber: idNumber(p), name: personName(p), relation: relationOf(i) })),
    );
    await filter('待委托核对');
    await row(f1Id).waitFor();
    await page.getByTestId(`recheck-alert-work-${f1Id}`).click();
    await dialog.waitFor();
    await radio(dialog, 'recheck-alert-action-open_case').click();
    await radio(dialog, `recheck-alert-case-${fresh.number}`).click();
    await page.getByTestId('recheck-alert-submit').click();
    await dialog.waitFor({ state: 'hidden' });

    await filter('已转入案件');
    await row(f1Id).waitFor();
    await expect.poll(() => row(f1Id).textContent()).toContain(fresh.number);
    expect(await row(f1Id).textContent()).toContain('已转入案件');
    expect((await deps.store.rechecks.getAlert(f1Id))?.caseId).toBe(fresh.id);
    await page.keyboard.press('Escape');
    await page.screenshot({ path: `${SCREENSHOTS}/recheck-alert-case.png`, fullPage: true });

    const worked = await deps.store.audit.list({ action: 'RECHECK_ALERT_WORKED', offset: 0, limit: 10 });
    expect(worked.items.map((e) => [e.objectId, e.details.state, e.caseId]).sort()).toEqual(
      [
        [String(f1Id), 'awaiting_entrustment', `RECHECK-${f1?.runId}`],
        [String(f1Id), 'case_opened', fresh.number],
        [String(f2Id), 'dismissed', `RECHECK-${f2?.runId}`],
      ].sort(),
    );
  });
});

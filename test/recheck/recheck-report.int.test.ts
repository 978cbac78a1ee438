import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/app/ports.ts';
import { startRecheck } from '../../src/app/recheck/run-recheck.ts';
import { importRoster } from '../../src/app/roster/import-roster.ts';
import { maskIdNumber } from '../../src/domain/identity/id-number.ts';
import { CHANGE_KIND_LABELS, type ChangeKind } from '../../src/domain/recheck/changes.ts';
import { RECHECK_REPORT_STATEMENT } from '../../src/domain/recheck/report.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName, tempDir } from '../support/department-data.ts';
import { exportAs } from '../support/exports.ts';
import {
  batchLoader,
  loadMonthOneData,
  loadMonthTwoData,
  openFamilyCases,
  PLANTED,
  RECHECK_FAMILIES,
  rosterRows,
} from '../support/recheck.ts';

/**
 * The monthly recheck report per requester (复核情况报告, issue #6 item 3) over the two-month fixture of
 * test/support/recheck.ts: the PDF lists exactly the families with changes, each change in Chinese with its
 * evidence, masked ID numbers only, the skipped family and the statement; the XLSX rows are the alerts; the
 * requester downloads its own, nobody else's; issuing twice answers the same document; its code verifies.
 */

function pdfText(bytes: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes })
    .toString('utf8')
    .replace(/\s+/g, '');
}

async function sheetRows(bytes: Buffer, name: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    rows.push(
      (row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))),
    );
  });
  // Every sheet of an export opens with its watermark note (issue #8 item 4): the table starts below it.
  expect(rows[0]?.[0]).toMatch(/^核对专用 · 导出编号 \d+ · /);
  return rows.slice(1);
}

interface RunReports {
  run: { id: number; month: string; state: string };
  requesters: {
    requesterOrganisationId: number;
    familyCount: number;
    doneCount: number;
    skippedCount: number;
    changedCount: number;
    report: { id: number; number: string; issuedOn: string } | null;
  }[];
}

describeEachDatabase('monthly recheck report', (dialect) => {
  const t = useTestApp(dialect);
  const dir = tempDir('hedui-recheck-report-');
  const { load, batchIds } = batchLoader(t, dir);
  let requester: Actor;
  let requesterId: number;
  let month1: number;
  let month2: number;
  let reviewer: string;
  let staff: string;
  let requesterCookie: string;
  let pdf: Buffer;
  let number: string;

  const reportsUrl = (runId: number) => `/api/rechecks/${runId}/reports`;
  const downloadUrl = (runId: number, format: 'pdf' | 'xlsx', org = requesterId) =>
    `/api/rechecks/${runId}/reports/${org}/download?format=${format}`;
  // The XLSX lists families' members: it leaves only as an approved export (issue #8 item 4).
  const xlsxExport = (runId: number, username: string, cookie: string) =>
    exportAs(t, username, { kind: 'recheck_report_xlsx', runId, requesterId }, { cookie });

  beforeAll(async () => {
    requester = await actorOf(t.deps, 'xifeng_requester');
    requesterId = requester.organisationId as number;
    const reviewerActor = await actorOf(t.deps, 'xifeng_reviewer');
    const agencyId = reviewerActor.organisationId as number;
    await openFamilyCases(t);
    await loadMonthOneData(load);
    await importRoster(
      t.deps,
      { source: 'api', month: '2025-09', rows: rosterRows(RECHECK_FAMILIES) },
      requester,
    );
    month1 = (await startRecheck(t.deps, { month: '2025-09', scopeAgencyId: agencyId }, reviewerActor)).runId;
    t.clock.set('2025-10-03T02:00:00.000Z');
    await loadMonthTwoData(load);
    await importRoster(
      t.deps,
      { source: 'api', month: '2025-10', rows: rosterRows(RECHECK_FAMILIES) },
      requester,
    );
    const second = await startRecheck(t.deps, { month: '2025-10', scopeAgencyId: agencyId }, reviewerActor);
    expect(second.counts).toMatchObject({ doneCount: 10, skippedCount: 1, changedCount: PLANTED.length });
    month2 = second.runId;
    reviewer = await t.login('xifeng_reviewer');
    staff = await t.login('xifeng_staff');
    requesterCookie = await t.login('xifeng_requester');
  });

  it('lists each requester of a run with its counts, no report yet; the requester has nothing to download yet', async () => {
    const res = await t.call('GET', reportsUrl(month2), { cookie: staff });
    expect(res.statusCode, res.body).toBe(200);
    const { run, requesters } = res.json<RunReports>();
    expect(run).toMatchObject({ id: month2, month: '2025-10', state: 'done' });
    expect(requesters).toEqual([
      expect.objectContaining({
        requesterOrganisationId: requesterId,
        familyCount: 11,
        doneCount: 10,
        skippedCount: 1,
        changedCount: PLANTED.length,
        report: null,
      }),
    ]);
    expectError(
      await t.call('GET', downloadUrl(month2, 'pdf'), { cookie: requesterCookie }),
      404,
      'NOT_FOUND',
    );
    expectError(await xlsxExport(month2, 'xifeng_requester', requesterCookie), 404, 'NOT_FOUND');
    expectError(await t.call('GET', downloadUrl(month2, 'pdf'), { cookie: staff }), 404, 'NOT_FOUND');
  });

  it('issues the PDF once: a reviewer only, numbered per agency and year, audited; a second issue answers the same', async () => {
    expectError(
      await t.call('POST', `${reportsUrl(month2)}/${requesterId}/issue`, { cookie: staff }),
      403,
      'PERMISSION_DENIED',
    );
    const res = await t.call('POST', `${reportsUrl(month2)}/${requesterId}/issue`, { cookie: reviewer });
    expect(res.statusCode, res.body).toBe(200);
    const issued = res.json<{
      report: { id: number; number: string; issuedOn: string };
      alreadyIssued: boolean;
    }>();
    expect(issued.alreadyIssued).toBe(false);
    expect(issued.report.number).toMatch(/^西峰核查〔2025〕\d+号$/);
    expect(issued.report.issuedOn).toBe('2025-10-03');
    number = issued.report.number;

    const again = await t.call('POST', `${reportsUrl(month2)}/${requesterId}/issue`, { cookie: reviewer });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ alreadyIssued: true, report: { id: issued.report.id, number } });
    const rows = await sql<{ n: number }>`select count(*) as n from recheck_report`.execute(t.database.db);
    expect(Number(rows.rows[0]?.n)).toBe(1);

    const audits = await t.audit('RECHECK_REPORT_ISSUED');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      objectType: 'recheck_report',
      objectId: String(issued.report.id),
      caseId: `RECHECK-${month2}`,
    });
    expect(audits[0]?.details).toMatchObject({ runId: month2, number, changed: PLANTED.length, skipped: 1 });

    const listed = (await t.call('GET', reportsUrl(month2), { cookie: staff })).json<RunReports>();
    expect(listed.requesters[0]?.report).toMatchObject({ number });
  });

  it('the PDF lists exactly the changed families with their changes and evidence, masked IDs, the skipped family and the statement', async () => {
    const res = await t.call('GET', downloadUrl(month2, 'pdf'), { cookie: staff });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    pdf = res.rawPayload;
    const stored = await t.deps.store.recheckReports.get(month2, requesterId);
    expect(createHash('sm3').update(pdf).digest('hex')).toBe(stored?.sm3);
    const text = pdfText(pdf);
    expect(text).toContain('复核情况报告');
    expect(text).toContain(number);
    expect(text).toContain('2025年10月');
    expect(text).toContain('有变化8户');
    expect(text).toContain('已复核10户');
    expect(text).toContain('沿用上次结果0户');
    expect(text).toContain('未复核1户（授权书未在案1户，核对未完成0户）');
    for (const [familyKey, kind] of PLANTED) {
      expect(text).toContain(familyKey);
      expect(text).toContain(CHANGE_KIND_LABELS[kind as ChangeKind]);
    }
    // Unchanged families are counted, not listed; the skipped one is listed with its reason.
    expect(text).not.toContain('F09-SAME');
    expect(text).not.toContain('F10-SAME');
    expect(text).toContain('F11-NOAUTH');
    expect(text).toContain('授权书未在案');
    // Evidence: dataset, batch and data-as-of, before → after, amounts in 元.
    expect(text).toContain('甘M20001');
    expect(text).toContain(`机动车登记（公安）批次${batchIds.vehicle}数据截至2025-10-03`);
    expect(text).toContain(`批次${batchIds.tax_income}`);
    expect(text).toContain('8000.00元');
    expect(text).toContain('迁出');
    expect(text).toContain('2025-09-10');
    // The applicants by name with masked ID numbers; no ID number in clear.
    for (const family of RECHECK_FAMILIES.filter((f) => f.key !== 'F09-SAME' && f.key !== 'F10-SAME')) {
      const applicant = family.people[0] as number;
      expect(text).toContain(personName(applicant));
      expect(text).toContain(maskIdNumber(idNumber(applicant)));
    }
    for (let p = 0; p < 16; p++) expect(text).not.toContain(idNumber(p));
    expect(text).toContain(RECHECK_REPORT_STATEMENT.replace(/\s+/g, ''));
    expect(text).toContain('只核对、不认定');
  });

  it('the XLSX has one row per alert with the same evidence, the skipped family and the explanation', async () => {
    const alerts = await t.call('GET', `/api/recheck-alerts?runId=${month2}&pageSize=200`, { cookie: staff });
    const items = alerts
      .json<{
        items: { familyKey: string; kind: string; kindLabel: string; requesterOrganisationId: number }[];
      }>()
      .items.filter((a) => a.requesterOrganisationId === requesterId);
    expect(items).toHaveLength(PLANTED.length);

    const res = await xlsxExport(month2, 'xifeng_staff', staff);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const [header, ...rows] = await sheetRows(res.rawPayload, '变化家庭');
    expect(header?.slice(0, 5)).toEqual([
      '序号',
      '家庭编号',
      '申请人',
      '申请人身份证号码（脱敏）',
      '变化类型',
    ]);
    expect(rows.map((r) => [r[1], r[4]]).sort()).toEqual(items.map((a) => [a.familyKey, a.kindLabel]).sort());
    const vehicle = rows.find((r) => r[1] === 'F01-VEHICLE') as string[];
    expect(vehicle[3]).toBe(maskIdNumber(idNumber(0)));
    expect(vehicle.slice(7)).toEqual([
      '无',
      '甘M20001',
      '机动车登记（公安）',
      String(batchIds.vehicle),
      '2025-10-03',
    ]);
    const income = rows.find((r) => r[1] === 'F04-INCOME') as string[];
    expect(income[8]).toContain('8000.00 元');

    const skipped = await sheetRows(res.rawPayload, '未复核家庭');
    expect(skipped.slice(1).map((r) => [r[1], r[3]])).toEqual([['F11-NOAUTH', maskIdNumber(idNumber(15))]]);
    const about = Object.fromEntries((await sheetRows(res.rawPayload, '说明')).map((r) => [r[0], r[1]]));
    expect(about).toMatchObject({
      文书编号: number,
      复核月份: '2025-10',
      '有变化（户）': '8',
      说明: RECHECK_REPORT_STATEMENT,
    });

    const everyCell = [...(await sheetRows(res.rawPayload, '变化家庭')), ...skipped].flat();
    for (let p = 0; p < 16; p++) expect(everyCell).not.toContain(idNumber(p));
  });

  it('the requester downloads its own report, audited; another requester or county is refused', async () => {
    const own = await t.call('GET', downloadUrl(month2, 'pdf'), { cookie: requesterCookie });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.rawPayload.equals(pdf)).toBe(true);
    const xlsx = await xlsxExport(month2, 'xifeng_requester', requesterCookie);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const downloads = (await t.audit('RECHECK_REPORT_DOWNLOADED')).filter(
      (e) => e.actorUserId === requester.userId,
    );
    expect(downloads.map((e) => e.details.format).sort()).toEqual(['pdf', 'xlsx']);
    expect(downloads.every((e) => e.caseId === `RECHECK-${month2}`)).toBe(true);

    const mine = await t.call('GET', '/api/recheck-reports', { cookie: requesterCookie });
    expect(mine.json<{ items: { number: string; month: string }[] }>().items).toEqual([
      expect.objectContaining({ number, month: '2025-10', runId: month2 }),
    ]);

    const township = await t.login('xifeng_township');
    expectError(await t.call('GET', downloadUrl(month2, 'pdf'), { cookie: township }), 404, 'OUT_OF_SCOPE');
    expect((await t.call('GET', '/api/recheck-reports', { cookie: township })).json()).toMatchObject({
      items: [],
      total: 0,
    });
    const otherCounty = await t.login('qingcheng_requester');
    expectError(await xlsxExport(month2, 'qingcheng_requester', otherCounty), 404, 'OUT_OF_SCOPE');
    const otherStaff = await t.login('qingcheng_staff');
    expectError(await t.call('GET', downloadUrl(month2, 'pdf'), { cookie: otherStaff }), 404, 'OUT_OF_SCOPE');
    expectError(await t.call('GET', reportsUrl(month2), { cookie: otherStaff }), 404, 'OUT_OF_SCOPE');
    expect((await t.call('GET', '/api/recheck-reports', { cookie: otherStaff })).json()).toMatchObject({
      total: 0,
    });
    const otherReviewer = await t.login('qingcheng_reviewer');
    expectError(
      await t.call('POST', `${reportsUrl(month2)}/${requesterId}/issue`, { cookie: otherReviewer }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(
      await t.call('GET', reportsUrl(month2), { cookie: requesterCookie }),
      403,
      'PERMISSION_DENIED',
    );
    // Only the staff member and the requester downloaded anything.
    const staffId = await t.userId('xifeng_staff');
    expect(new Set((await t.audit('RECHECK_REPORT_DOWNLOADED')).map((e) => e.actorUserId))).toEqual(
      new Set([staffId, requester.userId]),
    );
  });

  it('verifies on the public page; month 1 gets the next number and reports no change', async () => {
    const stored = await t.deps.store.recheckReports.get(month2, requesterId);
    const verified = await t.call('GET', `/api/public/documents/verify?code=${stored?.shortCode}`);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ valid: true, documentNumber: number, issuedOn: '2025-10-03' });
    expect(pdfText(pdf)).toContain(stored?.shortCode as string);

    // The XLSX is there for the agency before the PDF is issued, without a number.
    const before = await xlsxExport(month1, 'xifeng_staff', staff);
    expect(before.statusCode, before.body).toBe(200);
    expect(await sheetRows(before.rawPayload, '变化家庭')).toHaveLength(1);
    const about = Object.fromEntries((await sheetRows(before.rawPayload, '说明')).map((r) => [r[0], r[1]]));
    expect(about).toMatchObject({ 文书编号: '尚未出具 PDF 报告', 复核月份: '2025-09', '有变化（户）': '0' });

    const first = await t.call('POST', `${reportsUrl(month1)}/${requesterId}/issue`, { cookie: reviewer });
    expect(first.statusCode, first.body).toBe(200);
    const sequence = (n: string) => Number(/〕(\d+)号$/.exec(n)?.[1]);
    const firstNumber = first.json<{ report: { number: string } }>().report.number;
    expect(sequence(firstNumber)).toBe(sequence(number) + 1);
    const text = pdfText(
      (await t.call('GET', downloadUrl(month1, 'pdf'), { cookie: requesterCookie })).rawPayload,
    );
    expect(text).toContain('2025年9月');
    expect(text).toContain('本月复核未发现变化');
    expect(text).toContain('有变化0户');
    for (const [familyKey] of PLANTED) expect(text).not.toContain(familyKey);
    expect(text).toContain('F11-NOAUTH');
  });

  it('refuses to issue for a run not done, and for an organisation that is no requester of the run', async () => {
    const reviewerActor = await actorOf(t.deps, 'xifeng_reviewer');
    // A new run of the month that stops on a failure after one family: failed, resumable, not done.
    await expect(
      startRecheck(
        t.deps,
        { month: '2025-10', scopeAgencyId: reviewerActor.organisationId as number },
        reviewerActor,
        {
          afterFamily: () => {
            throw new Error('disk full');
          },
        },
      ),
    ).rejects.toThrow('disk full');
    const failed = await t.deps.store.rechecks.latestRun('2025-10', reviewerActor.organisationId as number);
    expect(failed).toMatchObject({ state: 'failed' });
    const refused = expectError(
      await t.call('POST', `${reportsUrl(failed?.id as number)}/${requesterId}/issue`, { cookie: reviewer }),
      400,
      'VALIDATION_FAILED',
    );
    expect(refused.details).toMatchObject({ code: 'RECHECK_NOT_DONE' });
    expectError(await xlsxExport(failed?.id as number, 'xifeng_staff', staff), 400, 'VALIDATION_FAILED');
    const township = await actorOf(t.deps, 'xifeng_township');
    expectError(
      await t.call('POST', `${reportsUrl(month2)}/${township.organisationId}/issue`, { cookie: reviewer }),
      404,
      'OUT_OF_SCOPE',
    );
    expect((await t.audit('RECHECK_REPORT_ISSUED')).map((e) => e.details.runId).sort()).toEqual(
      [month1, month2].sort(),
    );
  });
});

import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { traceExport } from '../../src/app/exports/trace-export.ts';
import { readWatermark } from '../../src/documents/export-watermark.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName } from '../support/department-data.ts';
import { type ReadEntry, readZip } from '../support/zip.ts';

/**
 * Bulk exports (issue #8 item 4): a file of many persons' data leaves only after another agency reviewer approved
 * the request, once, to the requester, within 24 hours; each step is audited with who, where from and which case;
 * each file carries a visible watermark (user, time, case/run) and a recoverable one read back to its request.
 */

const MEMBERS = [40, 41].map((i) => ({
  idNumber: idNumber(i),
  name: personName(i),
  relation: i === 40 ? '本人' : '配偶',
}));
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) hedui-test';

interface ExportView {
  id: number;
  state: string;
  expiresAt: string | null;
}

describeEachDatabase('bulk exports with approval and watermark', (dialect) => {
  const t = useTestApp(dialect);
  const cookies: Record<string, string> = {};
  const as = (user: string) => cookies[user] as string;

  beforeAll(async () => {
    for (const user of [
      'xifeng_staff',
      'xifeng_reviewer',
      'qingcheng_reviewer',
      'qingcheng_staff',
      'city_reviewer',
    ])
      cookies[user] = await t.login(user);
  });

  const request = async (user: string, target: unknown, reason = '核对工作需要，报送信用信息系统') =>
    t.call('POST', '/api/exports', {
      cookie: as(user),
      body: { target, reason },
      headers: { 'user-agent': BROWSER },
    });
  const created = async (user: string, target: unknown) => {
    const res = await request(user, target);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ExportView>();
  };
  const approve = (user: string, id: number) =>
    t.call('POST', `/api/exports/${id}/approve`, { cookie: as(user), body: {} });
  const download = (user: string, id: number) =>
    t.call('GET', `/api/exports/${id}/download`, { cookie: as(user), headers: { 'user-agent': BROWSER } });

  it('hands a case archive out only after another reviewer approved, once, to the requester, all audited', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const req = await created('xifeng_staff', { kind: 'case_archive', caseId: kase.id });
    expect(req.state).toBe('pending');

    const early = expectError(await download('xifeng_staff', req.id), 403, 'PERMISSION_DENIED');
    expect(early.details).toMatchObject({ code: 'EXPORT_NOT_APPROVED' });
    // Staff cannot approve; another county's reviewer does not see it.
    expectError(await approve('xifeng_staff', req.id), 403, 'PERMISSION_DENIED');
    expectError(await approve('qingcheng_reviewer', req.id), 404, 'OUT_OF_SCOPE');

    const approved = await approve('xifeng_reviewer', req.id);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<ExportView>()).toMatchObject({
      state: 'approved',
      expiresAt: '2025-09-27T02:00:00.000Z',
    });
    expectError(await approve('city_reviewer', req.id), 409, 'CONFLICT');

    // Only the requester downloads, and only once.
    expectError(await download('xifeng_reviewer', req.id), 404, 'OUT_OF_SCOPE');
    const res = await download('xifeng_staff', req.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['x-hedui-export-id']).toBe(String(req.id));
    const again = expectError(await download('xifeng_staff', req.id), 409, 'CONFLICT');
    expect(again.details).toMatchObject({ code: 'EXPORT_ALREADY_DOWNLOADED' });

    for (const action of ['EXPORT_REQUESTED', 'EXPORT_APPROVED', 'EXPORT_DOWNLOADED'] as const) {
      const [entry] = (await t.audit(action)).filter(
        (e) => e.objectId === String(req.id) && e.outcome === 'success',
      );
      expect(entry, action).toMatchObject({ caseId: kase.number, objectType: 'export_request' });
      expect(entry?.ip).toBeTruthy();
    }
    const [downloaded] = (await t.audit('EXPORT_DOWNLOADED')).filter((e) => e.outcome === 'success');
    expect(downloaded).toMatchObject({ actorUserId: await t.userId('xifeng_staff'), userAgent: BROWSER });
    // The archive's own export entry (which case, who) stands beside it.
    const [archived] = await t.audit('CASE_ARCHIVE_EXPORTED');
    expect(archived).toMatchObject({ caseId: kase.number, outcome: 'success' });
    const refused = (await t.audit('EXPORT_DOWNLOADED')).filter((e) => e.outcome === 'denied');
    expect(refused.length).toBeGreaterThanOrEqual(3);

    // The visible watermark (ZIP comment: user, time, case) and the recoverable one, traced to the request.
    const comment = zipComment(res.rawPayload);
    expect(comment).toContain(`导出编号 ${req.id}`);
    expect(comment).toContain(kase.number);
    expect(comment).toContain('2025/9/26');
    const entries: ReadEntry[] = readZip(res.rawPayload);
    expect(entries.map((e) => e.name)).toContain('manifest.json');
    const traced = await traceExport(t.deps, res.rawPayload, SYSTEM_ACTOR, readWatermark);
    expect(traced).toMatchObject({ found: true, genuine: true, exportId: req.id });
  });

  it('keeps four eyes: a reviewer cannot approve their own request', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const req = await created('xifeng_reviewer', { kind: 'case_archive', caseId: kase.id });
    const self = expectError(await approve('xifeng_reviewer', req.id), 403, 'PERMISSION_DENIED');
    expect(self.details).toMatchObject({ code: 'EXPORT_FOUR_EYES' });
    const [denied] = (await t.audit('EXPORT_APPROVED')).filter((e) => e.objectId === String(req.id));
    expect(denied?.outcome).toBe('denied');
    // The requester's own queue never offers it; another reviewer's does.
    const own = (await t.call('GET', '/api/exports', { cookie: as('xifeng_reviewer') })).json<{
      toDecide: ExportView[];
      mine: ExportView[];
    }>();
    expect(own.toDecide.map((r) => r.id)).not.toContain(req.id);
    expect(own.mine.map((r) => r.id)).toContain(req.id);
    const city = (await t.call('GET', '/api/exports', { cookie: as('city_reviewer') })).json<{
      toDecide: ExportView[];
    }>();
    expect(city.toDecide.map((r) => r.id)).toContain(req.id);
  });

  it('refuses with a reason, and a refused or expired export never downloads', async () => {
    const target = { kind: 'dishonesty_records', format: 'csv' };
    const refusedReq = await created('xifeng_staff', target);
    expectError(
      await t.call('POST', `/api/exports/${refusedReq.id}/refuse`, {
        cookie: as('xifeng_reviewer'),
        body: { note: ' ' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const refused = await t.call('POST', `/api/exports/${refusedReq.id}/refuse`, {
      cookie: as('xifeng_reviewer'),
      body: { note: '用途不明确' },
    });
    expect(refused.json<ExportView>().state).toBe('refused');
    expect(
      expectError(await download('xifeng_staff', refusedReq.id), 403, 'PERMISSION_DENIED').details,
    ).toMatchObject({
      code: 'EXPORT_REFUSED',
    });
    expect((await t.audit('EXPORT_REFUSED'))[0]).toMatchObject({
      objectId: String(refusedReq.id),
      outcome: 'success',
    });

    const late = await created('xifeng_staff', target);
    expect((await approve('xifeng_reviewer', late.id)).statusCode).toBe(200);
    // A day and an hour later (sessions last 12 hours: sign in again at that time, and again after).
    const now = t.deps.clock.now();
    t.clock.set(new Date(now.getTime() + 25 * 3_600_000).toISOString());
    try {
      const later = await t.login('xifeng_staff');
      const res = await t.call('GET', `/api/exports/${late.id}/download`, { cookie: later });
      const expired = expectError(res, 409, 'CONFLICT');
      expect(expired.details).toMatchObject({ code: 'EXPORT_EXPIRED' });
    } finally {
      t.clock.set(now.toISOString());
      for (const user of Object.keys(cookies)) cookies[user] = await t.login(user);
    }
  });

  it('refuses what a role may not export, a vague reason, and another county’s case', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    expectError(
      await request('xifeng_staff', { kind: 'case_archive', caseId: kase.id }, '需要'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await request('qingcheng_staff', { kind: 'case_archive', caseId: kase.id }),
      404,
      'OUT_OF_SCOPE',
    );
    const requester = await t.login('xifeng_requester');
    const res = await t.call('POST', '/api/exports', {
      cookie: requester,
      body: { target: { kind: 'dishonesty_records', format: 'csv' }, reason: '想看看失信名单' },
    });
    expectError(res, 403, 'PERMISSION_DENIED');
  });

  it('has closed the direct download routes', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    expect(
      (await t.call('GET', `/api/cases/${kase.id}/archive`, { cookie: as('xifeng_staff') })).statusCode,
    ).toBe(404);
    // `export` is now read as a record id: refused as one, never a file.
    const dishonesty = await t.call('GET', '/api/dishonesty-records/export?format=csv', {
      cookie: as('xifeng_staff'),
    });
    expect([400, 404]).toContain(dishonesty.statusCode);
    expect(String(dishonesty.headers['content-type'])).not.toContain('text/csv');
    expect(
      (await t.call('GET', '/api/offline-exchanges/1/download', { cookie: as('xifeng_staff') })).statusCode,
    ).toBe(404);
    const xlsx = expectError(
      await t.call('GET', '/api/rechecks/1/reports/1/download?format=xlsx', { cookie: as('xifeng_staff') }),
      403,
      'PERMISSION_DENIED',
    );
    expect(xlsx.details).toMatchObject({ code: 'EXPORT_APPROVAL_REQUIRED' });
  });

  describe('watermarks', () => {
    const approvedDownload = async (target: unknown) => {
      const req = await created('xifeng_staff', target);
      expect((await approve('xifeng_reviewer', req.id)).statusCode).toBe(200);
      const res = await download('xifeng_staff', req.id);
      expect(res.statusCode, res.body).toBe(200);
      return { id: req.id, bytes: res.rawPayload };
    };

    it('marks a CSV with a first comment line naming user and time, and a zero-width mark traced back', async () => {
      const { id, bytes } = await approvedDownload({ kind: 'dishonesty_records', format: 'csv' });
      const [first, header] = bytes
        .toString('utf8')
        .replace(/^\ufeff/, '')
        .split('\r\n');
      expect(first).toMatch(new RegExp(`^# 水印：核对专用 · 导出编号 ${id} · 西峰区核对员`));
      expect(first).toContain('2025/9/26');
      expect(first).toMatch(/\u2060[\u200b\u200c]+\u2060$/);
      expect(header).toMatch(/^format_version,/);
      const traced = await traceExport(t.deps, bytes, SYSTEM_ACTOR, readWatermark);
      expect(traced).toMatchObject({ found: true, genuine: true, exportId: id });
      // A forged mark (another fingerprint) is told apart; a file without one is reported so.
      const forged = Buffer.from(
        bytes.toString('utf8').replace(/\u2060[\u200b\u200c]+\u2060/, '') +
          `\nHEDUI-EXPORT:${id}:AAAAAAAAAAAAAAAAAAAAAA`,
      );
      expect(await traceExport(t.deps, forged, SYSTEM_ACTOR, readWatermark)).toMatchObject({
        found: true,
        genuine: false,
      });
      expect(
        await traceExport(t.deps, Buffer.from('a,b\r\n1,2\r\n'), SYSTEM_ACTOR, readWatermark),
      ).toMatchObject({
        found: false,
      });
      expect((await t.audit('EXPORT_TRACED')).length).toBeGreaterThanOrEqual(3);
    });

    it('marks the JSON export with a watermark member', async () => {
      const { id, bytes } = await approvedDownload({ kind: 'dishonesty_records', format: 'json' });
      const json = JSON.parse(bytes.toString('utf8')) as {
        watermark: { text: string; mark: string };
        rows: unknown[];
      };
      expect(json.watermark.text).toContain(`导出编号 ${id}`);
      expect(await readWatermark(bytes)).toMatchObject({ exportId: id });
    });

    it('marks an XLSX in header, footer, properties and a very hidden sheet (a reply form keeps its rows); a re-saved copy is still traced', async () => {
      const kase = await openCase(t.deps, MEMBERS);
      const created = await t.call('POST', '/api/offline-exchanges', {
        cookie: as('xifeng_staff'),
        body: {
          departmentCode: 'finance',
          dataset: 'payroll',
          persons: MEMBERS.map((m) => ({ caseRef: kase.number, idNumber: m.idNumber, name: m.name })),
        },
      });
      expect(created.statusCode, created.body).toBe(200);
      const exchangeId = created.json<{ exchange: { id: number } }>().exchange.id;
      const { id, bytes } = await approvedDownload({ kind: 'offline_exchange', exchangeId });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      const visible = workbook.worksheets.filter((s) => s.state === 'visible');
      expect(visible.length).toBeGreaterThan(0);
      for (const sheet of visible) {
        expect(sheet.headerFooter.oddHeader).toContain(`导出编号 ${id}`);
        expect(sheet.headerFooter.oddFooter).toContain('西峰区核对员');
      }
      expect(workbook.description).toContain(`HEDUI-EXPORT:${id}:`);
      expect(workbook.getWorksheet('_hedui_export')?.state).toBe('veryHidden');
      expect(zipComment(bytes)).toContain(`导出编号 ${id}`);
      // Saved again by a spreadsheet program: the ZIP comment is gone, the mark is not.
      const resaved = Buffer.from(await workbook.xlsx.writeBuffer());
      expect(zipComment(resaved)).toBe('');
      const traced = await traceExport(t.deps, resaved, SYSTEM_ACTOR, readWatermark);
      expect(traced).toMatchObject({ found: true, genuine: true, exportId: id });
    });
  });
});

function zipComment(zip: Buffer): string {
  for (let i = zip.length - 22; i >= 0; i--)
    if (zip.readUInt32LE(i) === 0x06054b50)
      return zip.subarray(i + 22, i + 22 + zip.readUInt16LE(i + 20)).toString('utf8');
  return '';
}

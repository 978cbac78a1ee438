import { execFileSync } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { expectError, useTestApp } from '../support/app.ts';
import { openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName } from '../support/department-data.ts';

/**
 * Force majeure (Q§17 ¶2): the handler reports it, a different reviewer approves the 不可抗力告知书, and only the
 * requester chooses — more time (the due date and the 20-working-day ceiling move by those working days, with a
 * 延期告知书 naming the request) or termination (终止核对通知书; the case is closed and no query can run for it).
 * The clock is Friday 26 September 2025, before the National Day holiday; the report is due 13 October.
 */

interface CaseView {
  id: number;
  number: string;
  state: string;
  reportDue: string | null;
  ceilingDate: string | null;
  forceMajeureWorkdays: number;
  pendingRequest: string | null;
  documents: { id: number; kind: string; number: string }[];
  events: { step: string; details: Record<string, unknown> }[];
}

const MEMBERS = [30, 31].map((i) => ({
  idNumber: idNumber(i),
  name: personName(i),
  relation: i === 30 ? '本人' : '配偶',
}));

function pdfText(bytes: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes })
    .toString('utf8')
    .replace(/\s+/g, '');
}

describeEachDatabase(
  'force majeure: notice, then extension or termination as the requester asks',
  (dialect) => {
    const t = useTestApp(dialect);
    let handler: string;
    let reviewer: string;
    let requester: string;

    const post = (cookie: string, path: string, body: unknown = {}) => t.call('POST', path, { cookie, body });
    const ok = async (cookie: string, path: string, body: unknown = {}) => {
      const res = await post(cookie, path, body);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ case: CaseView }>().case;
    };
    const refusal = (res: Awaited<ReturnType<typeof post>>) =>
      (res.json<{ error: { details: { code?: string } } }>().error.details ?? {}).code;
    const documentText = async (path: string, id: number | undefined) =>
      pdfText((await t.call('GET', `${path}/documents/${id}`, { cookie: requester })).rawPayload);

    /** A case whose force-majeure notice went out: the requester now has to choose. */
    const noticed = async () => {
      const kase = await openCase(t.deps, MEMBERS);
      const path = `/api/cases/${kase.id}`;
      expect(refusal(await post(reviewer, `${path}/force-majeure`, { event: '暴雨' }))).toBe('NOT_HANDLER');
      expectError(await post(handler, `${path}/force-majeure`, { event: ' ' }), 400, 'VALIDATION_FAILED');
      const reported = await ok(handler, `${path}/force-majeure`, {
        event: '特大暴雨致县数据中心停电，数据交换中断',
      });
      expect(reported.pendingRequest).toBe('force_majeure');
      // Nothing else may be asked for while it is pending; the handler never approves their own report.
      expect(refusal(await post(handler, `${path}/extension`, { workdays: 2, reason: '其他' }))).toBe(
        'REQUEST_PENDING',
      );
      expect(refusal(await post(handler, `${path}/force-majeure/decision`, { approve: true }))).toBe(
        'SELF_APPROVAL',
      );
      // The requester cannot choose before the notice went out.
      expect(
        refusal(
          await post(requester, `${path}/force-majeure/answer`, { choice: 'terminate', reason: '终止' }),
        ),
      ).toBe('NO_PENDING_REQUEST');
      const approved = await ok(reviewer, `${path}/force-majeure/decision`, { approve: true });
      expect(approved.pendingRequest).toBe('force_majeure_choice');
      const notice = approved.documents.find((d) => d.kind === 'force-majeure-notice');
      expect(notice?.number).toMatch(/^西峰核告〔2025〕\d+号$/);
      const text = await documentText(path, notice?.id);
      for (const expected of [
        '居民家庭经济状况核对不可抗力告知书',
        kase.number,
        personName(30),
        '特大暴雨致县数据中心停电',
        '2025年10月13日',
        '第十七条第二款',
        '延长核对时间或者终止核对',
      ])
        expect(text).toContain(expected);
      return { kase, path, notice };
    };

    beforeAll(async () => {
      handler = await t.login('xifeng_staff');
      reviewer = await t.login('xifeng_reviewer');
      requester = await t.login('xifeng_requester');
    });

    it('extends by the working days the requester asks for, moving the due date and the ceiling', async () => {
      const { path } = await noticed();
      // Only the requester chooses (the agency is refused by the route), and within 1–20 working days.
      expectError(
        await post(handler, `${path}/force-majeure/answer`, { choice: 'terminate', reason: '终止' }),
        403,
        'PERMISSION_DENIED',
      );
      const tooMany = expectError(
        await post(requester, `${path}/force-majeure/answer`, {
          choice: 'extend',
          workdays: 21,
          reason: '延长',
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(tooMany.details).toMatchObject({ code: 'EXTENSION_OUT_OF_RANGE' });

      const extended = await ok(requester, `${path}/force-majeure/answer`, {
        choice: 'extend',
        workdays: 10,
        reason: '请延长核对时间 10 个工作日',
      });
      // 13 October + 10 working days = 27 October; the ceiling 30 October + 10 working days = 13 November.
      expect(extended).toMatchObject({
        state: 'verifying',
        pendingRequest: null,
        reportDue: '2025-10-27',
        ceilingDate: '2025-11-13',
        forceMajeureWorkdays: 10,
      });
      const notice = extended.documents.find((d) => d.kind === 'extension-notice');
      // Issued by the agency holding the case, although the requester's step produced it.
      expect(notice?.number).toMatch(/^西峰核延〔2025〕\d+号$/);
      const text = await documentText(path, notice?.id);
      for (const expected of [
        '第十七条第二款',
        '10个工作日',
        '2025年10月13日',
        '2025年10月27日',
        '不可抗力情况',
      ])
        expect(text).toContain(expected);

      // An ordinary extension afterwards counts against the moved ceiling: 7 + 5 + 5 = 17 ≤ 20, 4 more is not.
      await ok(handler, `${path}/extension`, { workdays: 5, reason: '等待离线交换答复' });
      expect((await ok(reviewer, `${path}/extension/decision`, { approve: true })).reportDue).toBe(
        '2025-11-03',
      );
      await ok(handler, `${path}/extension`, { workdays: 5, reason: '仍在等待答复' });
      await ok(reviewer, `${path}/extension/decision`, { approve: true });
      const beyond = expectError(
        await post(handler, `${path}/extension`, { workdays: 4, reason: '再次延期' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(beyond.details).toMatchObject({ code: 'EXTENSION_BEYOND_CEILING' });
      expect(JSON.stringify(beyond)).toContain('2025-11-13');
      const [audited] = await t.audit('CASE_FORCE_MAJEURE_EXTENDED');
      expect(audited).toMatchObject({ actorUserId: await t.userId('xifeng_requester') });
    });

    it('terminates at the requester’s request with a written notice, and nothing can be queried for it after', async () => {
      const { kase, path, notice } = await noticed();
      const terminated = await ok(requester, `${path}/force-majeure/answer`, {
        choice: 'terminate',
        reason: '灾后将重新委托，请终止本次核对',
      });
      expect(terminated).toMatchObject({ state: 'terminated', pendingRequest: null });
      const termination = terminated.documents.find((d) => d.kind === 'termination-notice');
      expect(termination?.number).toMatch(/^西峰核终〔2025〕\d+号$/);
      const text = await documentText(path, termination?.id);
      for (const expected of [
        '居民家庭经济状况核对终止通知书',
        kase.number,
        personName(30),
        notice?.number ?? '—',
        '灾后将重新委托，请终止本次核对',
        '不出具核对报告',
      ])
        expect(text).toContain(expected);
      expect(text).not.toContain(idNumber(30));
      expect(terminated.events.map((e) => e.step).slice(-1)).toEqual(['terminate']);

      // Closed: no data query can run for it any more (无委托、不核对).
      const res = await post(handler, '/api/assessments', {
        caseRef: kase.number,
        regionCode: '621002',
        assistanceType: 'subsistence_allowance',
        members: MEMBERS,
      });
      expect(res.statusCode).toBe(403);
      expect(refusal(await post(handler, `${path}/extension`, { workdays: 1, reason: '延期' }))).toBe(
        'WRONG_STATE',
      );
      const [audited] = await t.audit('CASE_TERMINATED');
      expect(audited).toMatchObject({ caseId: kase.number });
    });

    it('lets the reviewer refuse the notice in writing; the case goes on', async () => {
      const kase = await openCase(t.deps, MEMBERS);
      const path = `/api/cases/${kase.id}`;
      await ok(handler, `${path}/force-majeure`, { event: '网络中断' });
      expectError(
        await post(reviewer, `${path}/force-majeure/decision`, { approve: false }),
        400,
        'VALIDATION_FAILED',
      );
      const refused = await ok(reviewer, `${path}/force-majeure/decision`, {
        approve: false,
        reason: '网络已恢复，可按期完成',
      });
      expect(refused).toMatchObject({ state: 'verifying', pendingRequest: null, reportDue: '2025-10-13' });
      expect(refused.documents.some((d) => d.kind === 'force-majeure-notice')).toBe(false);
      // Without a notice the requester cannot end the case.
      expect(
        refusal(
          await post(requester, `${path}/force-majeure/answer`, { choice: 'terminate', reason: '终止' }),
        ),
      ).toBe('NO_PENDING_REQUEST');
    });
  },
);

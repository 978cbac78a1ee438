import { execFileSync } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { expectError, useTestApp } from '../support/app.ts';
import { openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName } from '../support/department-data.ts';

/**
 * Verification with two people (Q§15–20): the handler assesses and submits the report, a different reviewer
 * approves it (never one's own work) or sends it back; extensions of at most 5 working days within the
 * 20-working-day ceiling, each granted by the reviewer with a written notice; the family's appeal within 5
 * working days of the report. The clock starts on Friday 26 September 2025, before the National Day holiday.
 */

interface CaseView {
  id: number;
  number: string;
  state: string;
  reportDue: string | null;
  extensionWorkdays: number;
  pendingRequest: string | null;
  documents: { id: number; kind: string; number: string }[];
  events: { step: string; details: Record<string, unknown> }[];
}

const MEMBERS = [20, 21].map((i) => ({
  idNumber: idNumber(i),
  name: personName(i),
  relation: i === 20 ? '本人' : '配偶',
}));

function pdfText(bytes: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes })
    .toString('utf8')
    .replace(/\s+/g, '');
}

describeEachDatabase('case verification, extension and appeal', (dialect) => {
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
  const detailCode = (res: Awaited<ReturnType<typeof post>>) =>
    (res.json<{ error: { details: { code?: string } } }>().error.details ?? {}).code;
  const assess = async (caseNumber: string) => {
    const res = await post(handler, '/api/assessments', {
      caseRef: caseNumber,
      regionCode: '621002',
      assistanceType: 'subsistence_allowance',
      members: MEMBERS,
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const login = async () => {
    handler = await t.login('xifeng_staff');
    reviewer = await t.login('xifeng_reviewer');
    requester = await t.login('xifeng_requester');
  };

  beforeAll(login);

  it('has the handler submit and a different reviewer approve the report, which is issued as a PDF', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const path = `/api/cases/${kase.id}`;
    expectError(await post(handler, `${path}/report/submit`), 400, 'VALIDATION_FAILED');
    await assess(kase.number);
    expect(detailCode(await post(reviewer, `${path}/report/submit`))).toBe('NOT_HANDLER');
    expect((await ok(handler, `${path}/report/submit`, { remarks: '已核对全部数据源' })).state).toBe(
      'awaiting_approval',
    );

    // Never one's own work: the handler cannot approve, whatever their roles.
    const self = expectError(await post(handler, `${path}/report/approve`), 403, 'PERMISSION_DENIED');
    expect(self.details).toMatchObject({ code: 'SELF_APPROVAL' });
    expectError(await post(reviewer, `${path}/report/send-back`, { reasons: ' ' }), 400, 'VALIDATION_FAILED');
    expect((await ok(reviewer, `${path}/report/send-back`, { reasons: '请补充存款来源说明' })).state).toBe(
      'verifying',
    );
    await ok(handler, `${path}/report/submit`, { remarks: '已补充' });
    const reported = await ok(reviewer, `${path}/report/approve`);
    expect(reported.state).toBe('reported');

    const report = reported.documents.find((d) => d.kind === 'report');
    expect(report?.number).toMatch(/^西峰核报〔2025〕\d+号$/);
    const pdf = await t.call('GET', `${path}/documents/${report?.id}`, { cookie: requester });
    const text = pdfText(pdf.rawPayload);
    for (const expected of [
      kase.number,
      personName(20),
      personName(21),
      'default-v1',
      '不得用作其他用途',
      '不作是否给予救助的认定',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain(idNumber(20));
    const [approved] = await t.audit('CASE_REPORT_APPROVED');
    expect(approved).toMatchObject({ caseId: kase.number, actorUserId: await t.userId('xifeng_reviewer') });
  });

  it('grants extensions of at most 5 working days, by the reviewer, never past 20 working days from acceptance', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const path = `/api/cases/${kase.id}`;
    expect(kase.reportDue).toBe('2025-10-13');
    const tooLong = expectError(
      await post(handler, `${path}/extension`, { workdays: 6, reason: '数据量大' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(tooLong.details).toMatchObject({ code: 'EXTENSION_OUT_OF_RANGE' });
    expect(
      (await ok(handler, `${path}/extension`, { workdays: 5, reason: '等待离线交换答复' })).pendingRequest,
    ).toBe('extension');
    expect(detailCode(await post(handler, `${path}/extension/decision`, { approve: true }))).toBe(
      'SELF_APPROVAL',
    );
    const first = await ok(reviewer, `${path}/extension/decision`, { approve: true });
    // 13 October + 5 working days; the extension is not counted in the deadline.
    expect(first).toMatchObject({ reportDue: '2025-10-20', extensionWorkdays: 5, pendingRequest: null });
    const notice = first.documents.find((d) => d.kind === 'extension-notice');
    const pdf = await t.call('GET', `${path}/documents/${notice?.id}`, { cookie: requester });
    expect(pdfText(pdf.rawPayload)).toContain('2025年10月20日');

    await ok(handler, `${path}/extension`, { workdays: 5, reason: '仍在等待答复' });
    expect((await ok(reviewer, `${path}/extension/decision`, { approve: true })).reportDue).toBe(
      '2025-10-27',
    );
    // 7 + 5 + 5 = 17 working days: 4 more would pass the 20-day ceiling (30 October).
    const beyond = expectError(
      await post(handler, `${path}/extension`, { workdays: 4, reason: '再次延期' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(beyond.details).toMatchObject({ code: 'EXTENSION_BEYOND_CEILING' });
    expect(beyond.message).toContain('2025-10-30');
    await ok(handler, `${path}/extension`, { workdays: 3, reason: '最后一次' });
    const refused = await ok(reviewer, `${path}/extension/decision`, {
      approve: false,
      reason: '期限内可以完成',
    });
    expect(refused).toMatchObject({ reportDue: '2025-10-27', extensionWorkdays: 10, pendingRequest: null });
  });

  it('takes an appeal within 5 working days of the report and refuses a later one, showing the deadline', async () => {
    const timely = await openCase(t.deps, MEMBERS);
    const late = await openCase(t.deps, MEMBERS);
    for (const kase of [timely, late]) {
      await assess(kase.number);
      await ok(handler, `/api/cases/${kase.id}/report/submit`, { remarks: '' });
      await ok(reviewer, `/api/cases/${kase.id}/report/approve`);
    }
    // Reported on Friday 26 September: 28, 29, 30 September, 9 and 10 October.
    t.clock.set('2025-10-10T08:00:00.000Z');
    await login();
    const appealed = await ok(requester, `/api/cases/${timely.id}/appeal`, { reason: '存款系代他人保管' });
    expect(appealed.state).toBe('appealed');
    expect(appealed.events.at(-1)?.details).toMatchObject({ reviewDue: '2025-10-23' });

    t.clock.set('2025-10-11T02:00:00.000Z');
    await login();
    const tooLate = expectError(
      await post(requester, `/api/cases/${late.id}/appeal`, { reason: '不服' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(tooLate.details).toMatchObject({ code: 'APPEAL_TOO_LATE', appealDue: '2025-10-10' });
    expect(tooLate.message).toContain('2025-10-10');
    expect(
      detailCode(await post(handler, `/api/cases/${timely.id}/appeal`, { reason: 'x' })),
    ).toBeUndefined();
  });

  it("suspends a case on the reviewer's approval, with the notice recommending suspension — never a decision", async () => {
    await login();
    const kase = await openCase(t.deps, MEMBERS);
    const path = `/api/cases/${kase.id}`;
    expectError(
      await post(handler, `${path}/suspension`, { grounds: ['programme-rule'], reason: '按项目规定中止' }),
      400,
      'VALIDATION_FAILED',
    );
    await ok(handler, `${path}/suspension`, {
      grounds: ['concealment-or-false-materials'],
      reason: '申请人隐瞒了名下车辆',
    });
    expect(detailCode(await post(handler, `${path}/suspension/decision`, { approve: true }))).toBe(
      'SELF_APPROVAL',
    );
    const suspended = await ok(reviewer, `${path}/suspension/decision`, { approve: true });
    expect(suspended.state).toBe('suspended');
    const notice = suspended.documents.find((d) => d.kind === 'suspension-notice');
    const text = pdfText(
      (await t.call('GET', `${path}/documents/${notice?.id}`, { cookie: requester })).rawPayload,
    );
    expect(text).toContain('申请人隐瞒了名下车辆');
    expect(text).toContain('建议中止');
    expect(text).not.toMatch(/不予救助|不符合救助条件|取消救助/);
    // Concealment drafts a dishonesty record (第二十四条), to be approved apart — by someone else.
    const records = await t.call('GET', '/api/dishonesty-records', { cookie: reviewer });
    expect(
      records
        .json<{ items: { caseNumber: string | null; state: string }[] }>()
        .items.filter((r) => r.caseNumber === suspended.number)
        .map((r) => r.state),
    ).toEqual(['draft']);
    // A suspended case is closed to data queries.
    expect(
      detailCode(
        await post(handler, '/api/assessments', {
          caseRef: suspended.number,
          regionCode: '621002',
          assistanceType: 'subsistence_allowance',
          members: MEMBERS,
        }),
      ),
    ).toBe('WRONG_STATE');
  });

  it('reviews an appeal with a group without the original handler, issuing the new report and the review result', async () => {
    await login();
    const kase = await openCase(t.deps, MEMBERS);
    const path = `/api/cases/${kase.id}`;
    await assess(kase.number);
    await ok(handler, `${path}/report/submit`, { remarks: '' });
    const first = await ok(reviewer, `${path}/report/approve`);
    const firstReport = first.documents.find((d) => d.kind === 'report');
    await ok(requester, `${path}/appeal`, { reason: '车辆已于申请前转让' });

    const cityStaff = await t.userId('city_staff');
    const cityReviewer = await t.userId('city_reviewer');
    const original = expectError(
      await post(reviewer, `${path}/review/assign`, {
        handlerId: await t.userId('xifeng_staff'),
        reviewerId: cityReviewer,
      }),
      403,
      'PERMISSION_DENIED',
    );
    expect(original.details).toMatchObject({ code: 'ORIGINAL_HANDLER_IN_REVIEW' });
    expect(
      (await ok(reviewer, `${path}/review/assign`, { handlerId: cityStaff, reviewerId: cityReviewer })).state,
    ).toBe('reviewing');
    // The original handler is out of the work group now; the review handler queries.
    expect(
      detailCode(
        await post(handler, '/api/assessments', {
          caseRef: kase.number,
          regionCode: '621002',
          assistanceType: 'subsistence_allowance',
          members: MEMBERS,
        }),
      ),
    ).toBe('NOT_HANDLER');
    const reviewHandler = await t.login('city_staff');
    const reviewReviewer = await t.login('city_reviewer');
    const again = await post(reviewHandler, '/api/assessments', {
      caseRef: kase.number,
      regionCode: '621002',
      assistanceType: 'subsistence_allowance',
      members: MEMBERS,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect((await ok(reviewHandler, `${path}/report/submit`, { remarks: '复核' })).state).toBe(
      'review_awaiting_approval',
    );
    const reviewed = await ok(reviewReviewer, `${path}/report/approve`);
    expect(reviewed.state).toBe('reviewed');
    const result = reviewed.documents.find((d) => d.kind === 'review-result');
    const reports = reviewed.documents.filter((d) => d.kind === 'report');
    expect(reports).toHaveLength(2);
    const text = pdfText(
      (await t.call('GET', `${path}/documents/${result?.id}`, { cookie: requester })).rawPayload,
    );
    expect(text).toContain(firstReport?.number);
    expect(text).toContain(reports[1]?.number);
  });
});

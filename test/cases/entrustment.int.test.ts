import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, multipart, personName } from '../support/department-data.ts';

/**
 * Entrustment and acceptance (Q§14–16): a requester entrusts a household and files its papers; the agency
 * accepts only with every member's authorization and a work group of two different people, or returns the
 * request with reasons. Deadlines come from the working-day calendar: the test clock stands on Friday
 * 26 September 2025, just before the National Day holiday (1–8 October; Sunday 28 September and Saturday
 * 11 October are working days).
 */

interface CaseView {
  id: number;
  number: string;
  state: string;
  applicant: string;
  receivedOn: string;
  acceptanceDue: string;
  acceptedOn: string | null;
  reportDue: string | null;
  ceilingDate: string | null;
  calendarVersion: string;
  handlerId: number | null;
  reviewerId: number | null;
  members: { index: number; name: string; idNumberMasked: string }[];
  missingAuthorizations: number[];
  attachments: { kind: string; memberIndex: number | null; mediaType: string; sm3: string }[];
  events: { step: string; fromState: string | null; toState: string; details: Record<string, unknown> }[];
  documents: { id: number; kind: string; number: string; shortCode: string; issuedAt: string }[];
  deadlines: { kind: string; due: string; workdaysLeft: number | null }[];
}

const MEMBERS = [
  { idNumber: idNumber(10), name: personName(10), relation: '本人', coResiding: true, exclusion: null },
  { idNumber: idNumber(11), name: personName(11), relation: '配偶', coResiding: true, exclusion: null },
];

/** The text of a PDF as poppler's pdftotext reads it (installed by .ci/run). */
function pdfText(bytes: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes }).toString('utf8');
}

let serial = 0;
/** A distinct small PDF each time: its fingerprint identifies one signed authorization. */
function pdf(label = 'authorization'): Buffer {
  serial += 1;
  return Buffer.from(`%PDF-1.4\n% ${label} ${serial} ${Math.random()}\n%%EOF\n`);
}

describeEachDatabase('case entrustment and acceptance', (dialect) => {
  const t = useTestApp(dialect);
  let requester: string;
  let staff: string;
  let reviewer: string;
  let otherCounty: string;
  let staffId: number;
  let reviewerId: number;

  const submit = async () => {
    const res = await t.call('POST', '/api/cases', {
      cookie: requester,
      body: { assistanceType: 'subsistence_allowance', members: MEMBERS },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ case: CaseView }>().case;
  };
  const attach = (
    caseId: number,
    kind: string,
    memberIndex: number | null,
    content: Buffer,
    name = 'scan.pdf',
  ) => {
    const fields: Record<string, string> = { kind };
    if (memberIndex !== null) fields.memberIndex = String(memberIndex);
    const { payload, headers } = multipart(fields, { name, content });
    return t.call('POST', `/api/cases/${caseId}/attachments`, { cookie: requester, body: payload, headers });
  };
  const accept = (caseId: number, handler = staffId, review = reviewerId) =>
    t.call('POST', `/api/cases/${caseId}/accept`, {
      cookie: staff,
      body: { handlerId: handler, reviewerId: review },
    });

  beforeAll(async () => {
    requester = await t.login('xifeng_requester');
    staff = await t.login('xifeng_staff');
    reviewer = await t.login('xifeng_reviewer');
    otherCounty = await t.login('qingcheng_staff');
    staffId = await t.userId('xifeng_staff');
    reviewerId = await t.userId('xifeng_reviewer');
  });

  it('numbers a new case, receives it today and makes acceptance due 3 working days later, across the make-up Sunday', async () => {
    const kase = await submit();
    expect(kase).toMatchObject({
      number: expect.stringMatching(/^HD-621002-2025-\d{6}$/),
      state: 'submitted',
      receivedOn: '2025-09-26',
      // Sunday 28 September is a working day: 28 (1), 29 (2), 30 (3).
      acceptanceDue: '2025-09-30',
      missingAuthorizations: [0, 1],
    });
    expect(kase.calendarVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(kase.deadlines).toEqual([{ kind: 'acceptance', due: '2025-09-30', workdaysLeft: 3 }]);
    expect(kase.members.map((m) => m.idNumberMasked)).toEqual([
      expect.stringMatching(/^6210\*{10}\d{3}[\dX]$/),
      expect.stringMatching(/^6210\*{10}\d{3}[\dX]$/),
    ]);
    expect(JSON.stringify(kase)).not.toContain(MEMBERS[0]?.idNumber);
    const [audit] = await t.audit('CASE_SUBMITTED');
    expect(audit).toMatchObject({ caseId: kase.number, objectId: String(kase.id) });
  });

  it('refuses acceptance until every member has filed an authorization, then accepts with a work group of two', async () => {
    const kase = await submit();
    expect((await attach(kase.id, 'authorization', 0, pdf())).statusCode).toBe(200);
    const first = await accept(kase.id);
    const refused = expectError(first, 403, 'PERMISSION_DENIED');
    expect(refused.details).toMatchObject({ code: 'MISSING_AUTHORIZATION' });
    expect(refused.message).toContain('先授权、后核对');

    const second = await attach(kase.id, 'authorization', 1, pdf());
    expect(second.json<{ case: CaseView }>().case.missingAuthorizations).toEqual([]);
    const same = expectError(await accept(kase.id, reviewerId, reviewerId), 403, 'PERMISSION_DENIED');
    expect(same.details).toMatchObject({ code: 'SAME_HANDLER_AND_REVIEWER' });
    // The reviewer must hold the reviewer role.
    expectError(await accept(kase.id, reviewerId, staffId), 400, 'VALIDATION_FAILED');

    const res = await accept(kase.id);
    expect(res.statusCode, res.body).toBe(200);
    const accepted = res.json<{ case: CaseView }>().case;
    expect(accepted).toMatchObject({
      state: 'verifying',
      acceptedOn: '2025-09-26',
      handlerId: staffId,
      reviewerId,
      // 28, 29, 30 September, 9, 10, 11 (Saturday, make-up), 13 October.
      reportDue: '2025-10-13',
      ceilingDate: '2025-10-30',
    });
    expect(accepted.events.map((e) => [e.step, e.fromState, e.toState])).toEqual([
      ['submit', null, 'submitted'],
      ['accept', 'submitted', 'verifying'],
    ]);
    const [audit] = await t.audit('CASE_ACCEPTED');
    expect(audit).toMatchObject({ caseId: accepted.number, details: { handlerId: staffId, reviewerId } });

    // The receipt (受理回执): numbered, a PDF naming the case, the applicant, the dates and the work group.
    const [receipt] = accepted.documents;
    expect(receipt).toMatchObject({
      kind: 'receipt',
      number: expect.stringMatching(/^西峰核受〔2025〕\d+号$/),
    });
    const download = await t.call('GET', `/api/cases/${kase.id}/documents/${receipt?.id}`, {
      cookie: requester,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    const text = pdfText(download.rawPayload).replace(/\s+/g, '');
    for (const expected of [
      accepted.number,
      personName(10),
      '2025年9月26日',
      '2025年10月13日',
      receipt?.number ?? '?',
    ])
      expect(text).toContain(expected);
    expect(text).toContain(receipt?.shortCode);
    const [downloaded] = await t.audit('CASE_DOCUMENT_DOWNLOADED');
    expect(downloaded).toMatchObject({ caseId: accepted.number, objectId: String(receipt?.id) });

    // Anyone can check it is genuine with its code, and learns nothing else.
    const verify = async (code: string) =>
      (await t.call('GET', `/api/public/documents/verify?code=${encodeURIComponent(code)}`)).json<
        Record<string, unknown>
      >();
    expect(await verify(receipt?.shortCode ?? '')).toEqual({
      valid: true,
      documentNumber: receipt?.number,
      issuedOn: '2025-09-26',
      revoked: false,
    });
    expect(await verify('ABCDE-FGHJK')).toEqual({ valid: false });
    expect(await verify('not a code')).toEqual({ valid: false });
    expectError(await accept(kase.id), 403, 'PERMISSION_DENIED');
  });

  it('takes PDF and images by content only, at most 10 MB, and one authorization for one case only', async () => {
    const kase = await submit();
    expectError(
      await attach(kase.id, 'authorization', 0, Buffer.from('MZ not a pdf'), 'fake.pdf'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]);
    expectError(await attach(kase.id, 'pledge', null, big), 413, 'FILE_TOO_LARGE');
    expectError(await attach(kase.id, 'authorization', null, pdf()), 400, 'VALIDATION_FAILED');
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64),
    ]);
    const ok = await attach(kase.id, 'id_document', 0, png, 'id.png');
    expect(ok.json<{ case: CaseView }>().case.attachments).toEqual([
      expect.objectContaining({ kind: 'id_document', memberIndex: 0, mediaType: 'image/png' }),
    ]);

    const signed = pdf();
    expect((await attach(kase.id, 'authorization', 0, signed)).statusCode).toBe(200);
    const other = await submit();
    const reused = expectError(await attach(other.id, 'authorization', 0, signed), 409, 'CONFLICT');
    expect(reused.message).toContain('一事一授权');
    const refusals = await t.audit('CASE_ATTACHMENT_REFUSED');
    expect(refusals.map((e) => e.details.code)).toEqual(
      expect.arrayContaining(['UNSUPPORTED_MEDIA_TYPE', 'VALIDATION_FAILED', 'CONFLICT']),
    );
  });

  it('returns an incomplete request with reasons; the requester resubmits it and it is received anew', async () => {
    const kase = await submit();
    expectError(
      await t.call('POST', `/api/cases/${kase.id}/return`, { cookie: staff, body: { reasons: [' '] } }),
      400,
      'VALIDATION_FAILED',
    );
    const returned = await t.call('POST', `/api/cases/${kase.id}/return`, {
      cookie: staff,
      body: { reasons: ['缺少第 2 名成员的授权书'] },
    });
    const returnedCase = returned.json<{ case: CaseView }>().case;
    expect(returnedCase).toMatchObject({ state: 'returned', deadlines: [] });
    const [notice] = returnedCase.documents;
    expect(notice).toMatchObject({
      kind: 'return-notice',
      number: expect.stringMatching(/^西峰核退〔2025〕\d+号$/),
    });
    const pdf = await t.call('GET', `/api/cases/${kase.id}/documents/${notice?.id}`, { cookie: requester });
    expect(pdfText(pdf.rawPayload).replace(/\s+/g, '')).toContain('缺少第2名成员的授权书');
    t.clock.set('2025-09-30T02:00:00.000Z');
    requester = await t.login('xifeng_requester');
    staff = await t.login('xifeng_staff');
    const again = await t.call('POST', `/api/cases/${kase.id}/resubmit`, { cookie: requester });
    expect(again.statusCode, again.body).toBe(200);
    // Received Tuesday 30 September: the holiday runs to 8 October, so 9, 10 and Saturday 11 October.
    expect(again.json<{ case: CaseView }>().case).toMatchObject({
      state: 'submitted',
      receivedOn: '2025-09-30',
      acceptanceDue: '2025-10-11',
    });
    const events = again.json<{ case: CaseView }>().case.events;
    expect(events.find((e) => e.step === 'return')?.details).toEqual({
      reasons: ['缺少第 2 名成员的授权书'],
    });
  });

  it('shows a case only to its requester and the agency of its region', async () => {
    otherCounty = await t.login('qingcheng_staff');
    reviewer = await t.login('xifeng_reviewer');
    const kase = await submit();
    expectError(await t.call('GET', `/api/cases/${kase.id}`, { cookie: otherCounty }), 404, 'OUT_OF_SCOPE');
    const township = await t.login('xifeng_township');
    expectError(await t.call('GET', `/api/cases/${kase.id}`, { cookie: township }), 404, 'OUT_OF_SCOPE');
    const police = await t.login('dept_public_security');
    expectError(await t.call('GET', `/api/cases/${kase.id}`, { cookie: police }), 403, 'PERMISSION_DENIED');
    const list = await t.call('GET', '/api/cases?state=submitted', { cookie: reviewer });
    const body = list.json<{ items: CaseView[]; total: number }>();
    expect(body.items.some((c) => c.id === kase.id)).toBe(true);
    expect(body.items.every((c) => /^.\*+$/.test(c.applicant))).toBe(true);
    const theirs = await t.call('GET', '/api/cases', { cookie: otherCounty });
    expect(theirs.json<{ total: number }>().total).toBe(0);
    const [viewed] = await t.audit('CASE_VIEWED');
    expect(viewed?.caseId).toMatch(/^HD-621002-2025-/);
  });

  it('offers as work group the agency users whose agency covers the case, and tells who may review', async () => {
    const kase = await submit();
    staff = await t.login('xifeng_staff');
    const res = await t.call('GET', `/api/cases/${kase.id}/work-group-candidates`, { cookie: staff });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: { id: number; canReview: boolean }[] }>().items;
    expect(items).toContainEqual(expect.objectContaining({ id: staffId, canReview: false }));
    expect(items).toContainEqual(expect.objectContaining({ id: reviewerId, canReview: true }));
    // The city agency covers the county; the other county's agency does not.
    expect(items).toContainEqual(
      expect.objectContaining({ id: await t.userId('city_reviewer'), canReview: true }),
    );
    expect(items.map((i) => i.id)).not.toContain(await t.userId('qingcheng_staff'));
    expectError(
      await t.call('GET', `/api/cases/${kase.id}/work-group-candidates`, { cookie: requester }),
      403,
      'PERMISSION_DENIED',
    );
  });

  describe('a requester acting on a case', () => {
    it('cannot accept it, and the agency cannot file papers for it', async () => {
      const kase = await submit();
      expectError(
        await t.call('POST', `/api/cases/${kase.id}/accept`, {
          cookie: requester,
          body: { handlerId: staffId, reviewerId },
        }),
        403,
        'PERMISSION_DENIED',
      );
      const { payload, headers } = multipart({ kind: 'pledge' }, { name: 'p.pdf', content: pdf() });
      expectError(
        await t.call('POST', `/api/cases/${kase.id}/attachments`, { cookie: staff, body: payload, headers }),
        403,
        'PERMISSION_DENIED',
      );
    });
  });
});

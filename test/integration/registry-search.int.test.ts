import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/ingest/api-keys.ts';
import type { ImportResult } from '../../src/app/ingest/import-batch.ts';
import type { CaseRow } from '../../src/app/ports.ts';
import type { ApiScope } from '../../src/domain/access/scopes.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import {
  csvBytes,
  hukouRow,
  idNumber,
  multipart,
  payrollRow,
  personName,
  type Row,
} from '../support/department-data.ts';

/**
 * DCI registry search (issue #9 item 6): a requester finds the verification result of a case it entrusted, by
 * the member's ID number (UIN) or by the case number, only with the case named in `authorize.ref` and the
 * searched person's authorization named in `consent.ref`, and only once a report is in force. Every search and
 * every record handed out is audited with its case; one refused request leaves the others answered (`part`).
 */

const [A, B, C, D] = [9101, 9102, 9103, 9104];
const H1 = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
const member = (i: number, relation: string) => ({ idNumber: idNumber(i), name: personName(i), relation });
const DONE = [member(A, '本人'), member(B, '配偶')];

interface SearchItem {
  reference_id: string;
  status: string;
  status_reason_code?: string;
  status_reason_message?: string;
  data?: { reg_type: string; reg_record_type: string; reg_records: Record<string, unknown>[] };
  pagination?: { total_count: number };
}
interface OnSearch {
  header: {
    action: string;
    status: string;
    total_count: number;
    completed_count: number;
    receiver_id: string;
  };
  message: { transaction_id: string; correlation_id: string; search_response: SearchItem[] };
}

function envelope(requests: unknown[]) {
  return {
    header: {
      version: '1.0.0',
      message_id: `msg-${Math.random().toString(36).slice(2)}`,
      message_ts: '2025-09-26T10:00:00+08:00',
      action: 'search',
      sender_id: 'assistance.example.cn',
      receiver_id: 'hedui',
      total_count: requests.length,
      is_msg_encrypted: false,
    },
    message: { transaction_id: 'txn-0001', search_request: requests },
  };
}

function request(
  referenceId: string,
  query: { type: string; value: string },
  refs: { authorize?: string; consent?: string },
) {
  return {
    reference_id: referenceId,
    timestamp: '2025-09-26T10:00:00+08:00',
    search_criteria: {
      version: '1.0.0',
      reg_type: 'ns:org:RegistryType:Social',
      query_type: 'idtype-value',
      query,
      ...(refs.consent === undefined ? {} : { consent: { '@type': 'Consent', ref: refs.consent } }),
      ...(refs.authorize === undefined ? {} : { authorize: { '@type': 'Authorize', ref: refs.authorize } }),
    },
    locale: 'zh',
  };
}

describeEachDatabase('DCI registry search of verification results', (dialect) => {
  // The clock moves years ahead in the last test: no password expiry in between.
  const t = useTestApp(dialect, { env: { HEDUI_PASSWORD_MAX_AGE_DAYS: '0' } });
  let requester: string;
  let done: CaseRow;
  let pending: CaseRow;
  let foreign: CaseRow;
  const authorization = async (kase: CaseRow, memberIndex: number) => {
    const found = (await t.deps.store.cases.attachments(kase.id)).find(
      (a) => a.kind === 'authorization' && a.memberIndex === memberIndex,
    );
    if (!found) throw new Error('no authorization on file');
    return found.sm3;
  };
  const search = async (requests: unknown[], cookie = requester) => {
    const res = await t.call('POST', '/api/v1/registry/sync/search', { cookie, body: envelope(requests) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<OnSearch>();
  };
  const upload = async (cookie: string, dataset: string, period: string, rows: Row[]) => {
    const { payload, headers } = multipart(
      { dataset, period },
      { name: `${dataset}.csv`, content: csvBytes(rows) },
    );
    const res = await t.call('POST', '/api/batches', { cookie, body: payload, headers });
    expect(res.json<ImportResult>().status, res.body).toBe('committed');
  };
  const report = async (kase: CaseRow, members: unknown[], staff: string, reviewer: string) => {
    const assessed = await t.call('POST', '/api/assessments', {
      cookie: staff,
      body: { caseRef: kase.number, regionCode: '621002', assistanceType: 'subsistence_allowance', members },
    });
    expect(assessed.statusCode, assessed.body).toBe(200);
    const submitted = await t.call('POST', `/api/cases/${kase.id}/report/submit`, {
      cookie: staff,
      body: {},
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await t.call('POST', `/api/cases/${kase.id}/report/approve`, {
      cookie: reviewer,
      body: {},
    });
    expect(approved.statusCode, approved.body).toBe(200);
  };

  beforeAll(async () => {
    const police = await t.login('dept_public_security');
    await upload(police, 'hukou', '2025-Q3', [hukouRow(A), hukouRow(B), hukouRow(C), hukouRow(D)]);
    const finance = await t.login('dept_finance');
    await upload(
      finance,
      'payroll',
      '2025-H1',
      H1.map((month) => payrollRow(A, month, { 应发工资: '5000.00', 实发工资: '4200.00' })),
    );
    const bank = await t.login('dept_banking');
    await upload(bank, 'deposit', '2025-Q3', [
      {
        身份证号: idNumber(B),
        姓名: personName(B),
        金融机构: '庆阳农商银行',
        账号: '6230000000001',
        资产类型: '活期存款',
        余额: '12000.50',
        截至日期: '2025-09-20',
      },
    ]);
    requester = await t.login('xifeng_requester');
    const staff = await t.login('xifeng_staff');
    const reviewer = await t.login('xifeng_reviewer');
    done = await openCase(t.deps, DONE);
    await report(done, DONE, staff, reviewer);
    pending = await openCase(t.deps, [member(C, '本人')]);
    // Entrusted by the township's government, another requester organisation of the same county, and reported.
    foreign = await openCase(t.deps, [member(D, '本人')], { requester: 'xifeng_township' });
    await report(foreign, [member(D, '本人')], staff, reviewer);
  });

  it('finds a reported case by a member ID number with the figures of its report, the ID masked', async () => {
    const answer = await search([
      request(
        'ref-uin',
        { type: 'UIN', value: idNumber(B) },
        {
          authorize: done.number,
          consent: await authorization(done, 1),
        },
      ),
    ]);
    expect(answer.header).toMatchObject({
      action: 'on-search',
      status: 'succ',
      total_count: 1,
      completed_count: 1,
      receiver_id: 'assistance.example.cn',
    });
    expect(answer.message.transaction_id).toBe('txn-0001');
    const [item] = answer.message.search_response;
    expect(item).toMatchObject({ reference_id: 'ref-uin', status: 'succ', pagination: { total_count: 1 } });
    expect(item?.data).toMatchObject({
      reg_type: 'ns:org:RegistryType:Social',
      reg_record_type: 'hedui:VerificationResult',
    });
    const record = item?.data?.reg_records[0] as { verification_result: { conclusion: string } };
    const reportDoc = (await t.deps.store.cases.documents(done.id)).find((d) => d.kind === 'report');
    expect(record).toMatchObject({
      case_number: done.number,
      case_state: 'reported',
      case_state_label: '已出具报告',
      member_identifier: [
        {
          identifier_type: 'UIN',
          identifier_value: `${idNumber(B).slice(0, 4)}**********${idNumber(B).slice(-4)}`,
        },
      ],
      relationship: '配偶',
      counted_in_household: true,
      member_income_fen: { wages: 0 },
      verification_result: {
        report_number: reportDoc?.number,
        report_date: '2025-09-26',
        member_count: 2,
        counted_member_count: 2,
        // Six months of 5 000.00 gross wages (A), 12 000.50 on deposit (B): integer fen as the report states them.
        household_income_fen: { wages: 3_000_000 },
        household_total_income_fen: 3_000_000,
        assets: { deposits_fen: 1_200_050, vehicles: 0 },
        discrepancy_count: 0,
      },
    });
    expect(record.verification_result.conclusion).toContain('家庭收入合计 30000.00 元');
    expect(record.verification_result.conclusion).toContain('不作是否给予救助的认定');
    // The report's figures only: no department record, and the full ID number nowhere in the answer.
    expect(JSON.stringify(answer)).not.toContain(idNumber(B));
    expect(JSON.stringify(answer)).not.toContain('庆阳农商银行');

    const [searched] = await t.audit('REGISTRY_SEARCHED');
    expect(searched).toMatchObject({
      caseId: done.number,
      outcome: 'success',
      actorUserId: await t.userId('xifeng_requester'),
      details: { referenceId: 'ref-uin', queryType: 'UIN', status: 'succ', transactionId: 'txn-0001' },
    });
    const [returned] = await t.audit('REGISTRY_RECORD_RETURNED');
    expect(returned).toMatchObject({
      caseId: done.number,
      objectId: String(reportDoc?.id),
      details: { referenceId: 'ref-uin', reportNumber: reportDoc?.number },
    });
  });

  it('finds the same result by case number, for the applicant with the applicant’s authorization', async () => {
    const answer = await search([
      request(
        'ref-case',
        { type: 'CASE_NUMBER', value: done.number },
        {
          authorize: done.number,
          consent: await authorization(done, 0),
        },
      ),
    ]);
    expect(answer.message.search_response[0]?.data?.reg_records[0]).toMatchObject({
      case_number: done.number,
      relationship: '本人',
      member_income_fen: { wages: 3_000_000 },
      verification_result: { household_total_income_fen: 3_000_000, assets: { deposits_fen: 1_200_050 } },
    });
  });

  it('refuses, with its reason, another organisation’s case, wrong or missing references and a case without a report', async () => {
    const before = (await t.audit('REGISTRY_SEARCHED')).length;
    const doneConsent = await authorization(done, 1);
    const cases: [string, unknown, string, CaseRow | null][] = [
      [
        'foreign',
        request(
          'r1',
          { type: 'UIN', value: idNumber(D) },
          { authorize: foreign.number, consent: await authorization(foreign, 0) },
        ),
        'rjct.authorize.invalid',
        foreign,
      ],
      [
        'no-authorize',
        request('r2', { type: 'UIN', value: idNumber(B) }, { consent: doneConsent }),
        'rjct.authorize.missing',
        null,
      ],
      [
        'wrong-authorize',
        request(
          'r3',
          { type: 'UIN', value: idNumber(B) },
          { authorize: '西峰核〔2099〕9999号', consent: doneConsent },
        ),
        'rjct.authorize.invalid',
        null,
      ],
      [
        'no-consent',
        request('r4', { type: 'UIN', value: idNumber(B) }, { authorize: done.number }),
        'rjct.consent.missing',
        null,
      ],
      // The applicant's authorization does not stand for the spouse.
      [
        'wrong-consent',
        request(
          'r5',
          { type: 'UIN', value: idNumber(B) },
          { authorize: done.number, consent: await authorization(done, 0) },
        ),
        'rjct.consent.invalid',
        done,
      ],
      [
        'no-report',
        request(
          'r6',
          { type: 'UIN', value: idNumber(C) },
          { authorize: pending.number, consent: await authorization(pending, 0) },
        ),
        'rjct.report.not_in_force',
        pending,
      ],
      [
        'not-member',
        request('r7', { type: 'UIN', value: idNumber(C) }, { authorize: done.number, consent: doneConsent }),
        'rjct.query.not_in_case',
        done,
      ],
      [
        'bad-id',
        request(
          'r8',
          { type: 'UIN', value: '62100219800101' },
          { authorize: done.number, consent: doneConsent },
        ),
        'rjct.query.value.invalid',
        null,
      ],
    ];
    for (const [label, item, reason, kase] of cases) {
      const answer = await search([item]);
      const [response] = answer.message.search_response;
      expect({
        label,
        status: answer.header.status,
        item: response?.status,
        reason: response?.status_reason_code,
      }).toEqual({
        label,
        status: 'rjct',
        item: 'rjct',
        reason,
      });
      expect(response?.status_reason_message).toMatch(/[\u4e00-\u9fa5]/);
      expect(response?.data).toBeUndefined();
      const [entry] = await t.audit('REGISTRY_SEARCHED');
      expect({
        label,
        outcome: entry?.outcome,
        caseId: entry?.caseId,
        reason: entry?.details.reasonCode,
      }).toEqual({
        label,
        outcome: 'denied',
        caseId: kase?.number ?? null,
        reason,
      });
    }
    expect((await t.audit('REGISTRY_SEARCHED')).length).toBe(before + cases.length);
    // The other organisation's case is told apart from a missing one only in the audit, never in the answer.
    const [foreignAnswer, missingAnswer] = [cases[0], cases[2]];
    expect(foreignAnswer?.[2]).toBe(missingAnswer?.[2]);
  });

  it('answers each request of a batch on its own: one refused of three makes the envelope "part"', async () => {
    const returnedBefore = (await t.audit('REGISTRY_RECORD_RETURNED')).length;
    const answer = await search([
      request(
        'b1',
        { type: 'UIN', value: idNumber(A) },
        { authorize: done.number, consent: await authorization(done, 0) },
      ),
      request(
        'b2',
        { type: 'UIN', value: idNumber(C) },
        { authorize: pending.number, consent: await authorization(pending, 0) },
      ),
      request(
        'b3',
        { type: 'UIN', value: idNumber(B) },
        { authorize: done.number, consent: await authorization(done, 1) },
      ),
    ]);
    expect(answer.header).toMatchObject({ status: 'part', total_count: 3, completed_count: 2 });
    expect(
      answer.message.search_response.map((r) => [r.reference_id, r.status, r.status_reason_code ?? null]),
    ).toEqual([
      ['b1', 'succ', null],
      ['b2', 'rjct', 'rjct.report.not_in_force'],
      ['b3', 'succ', null],
    ]);
    expect((await t.audit('REGISTRY_RECORD_RETURNED')).length).toBe(returnedBefore + 2);
  });

  it('refuses a repeated reference id within one envelope and a malformed item without refusing the rest', async () => {
    const consent = await authorization(done, 0);
    const item = request('dup', { type: 'UIN', value: idNumber(A) }, { authorize: done.number, consent });
    const answer = await search([item, item, { reference_id: 'x', search_criteria: 'nonsense' }]);
    expect(answer.header.status).toBe('part');
    expect(answer.message.search_response.map((r) => r.status_reason_code ?? r.status)).toEqual([
      'succ',
      'rjct.reference_id.duplicate',
      'rjct.search_criteria.invalid',
    ]);
  });

  it('answers a requester machine client whose key carries registry:search, and refuses a key without it', async () => {
    const admin = await actorOf(t.deps, 'admin');
    const key = async (scopes: ApiScope[]) =>
      (
        await createApiKey(
          t.deps,
          { organisationId: done.requesterOrganisationId, name: scopes.join(','), scopes },
          admin,
        )
      ).key;
    const body = envelope([
      request(
        'k1',
        { type: 'CASE_NUMBER', value: done.number },
        {
          authorize: done.number,
          consent: await authorization(done, 0),
        },
      ),
    ]);
    const url = '/api/v1/registry/sync/search';
    const ok = await t.call('POST', url, {
      body,
      headers: { authorization: `Bearer ${await key(['registry:search'])}` },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<OnSearch>().message.search_response[0]).toMatchObject({
      reference_id: 'k1',
      status: 'succ',
    });
    const [searched] = await t.audit('REGISTRY_SEARCHED');
    expect(searched).toMatchObject({ caseId: done.number, actorUserId: null, outcome: 'success' });
    expect(searched?.actorName).toContain('API密钥');

    const refused = await t.call('POST', url, {
      body,
      headers: { authorization: `Bearer ${await key(['entrustments:read'])}` },
    });
    expect(expectError(refused, 403, 'SCOPE_REQUIRED').details).toMatchObject({ scope: 'registry:search' });
  });

  it('answers a malformed envelope with 400 and a Chinese message under a stable code', async () => {
    const url = '/api/v1/registry/sync/search';
    const body = envelope([request('m1', { type: 'UIN', value: idNumber(A) }, {})]);
    const noHeader = await t.call('POST', url, { cookie: requester, body: { message: body.message } });
    expect(expectError(noHeader, 400, 'VALIDATION_FAILED').message).toMatch(/[\u4e00-\u9fa5]/);
    const wrongAction = await t.call('POST', url, {
      cookie: requester,
      body: { ...body, header: { ...body.header, action: 'subscribe' } },
    });
    expectError(wrongAction, 400, 'VALIDATION_FAILED');
    const miscounted = await t.call('POST', url, {
      cookie: requester,
      body: { ...body, header: { ...body.header, total_count: 2 } },
    });
    const error = expectError(miscounted, 400, 'VALIDATION_FAILED');
    expect(error.message).toContain('total_count');
    expect(error.details).toMatchObject({ code: 'TOTAL_COUNT_MISMATCH' });
  });

  it('is closed to agency staff and to callers without a session or key', async () => {
    const staff = await t.login('xifeng_staff');
    const body = envelope([]);
    expectError(
      await t.call('POST', '/api/v1/registry/sync/search', { cookie: staff, body }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(await t.call('POST', '/api/v1/registry/sync/search', { body }), 401, 'UNAUTHENTICATED');
  });

  it("stops answering once the report is no longer in force (closed past the case files' retention)", async () => {
    const consent = await authorization(done, 0);
    const item = request('late', { type: 'UIN', value: idNumber(A) }, { authorize: done.number, consent });
    // Not appealed: closed when the appeal period ended (10 October 2025); case files are kept 1825 days after (9 October 2030).
    t.clock.set('2030-09-01T02:00:00.000Z');
    const inForce = await search([item], await t.login('xifeng_requester'));
    expect(inForce.message.search_response[0]?.status).toBe('succ');
    t.clock.set('2030-11-01T02:00:00.000Z');
    const expired = await search([item], await t.login('xifeng_requester'));
    expect(expired.message.search_response[0]?.status_reason_code).toBe('rjct.report.not_in_force');
  });
});

describeEachDatabase('DCI registry search under the rate limits', (dialect) => {
  const t = useTestApp(dialect, { appOptions: { rateLimit: { perIp: 0, perAccount: 3, login: 0 } } });

  it('refuses a requester past its per-account limit with 429 and Retry-After', async () => {
    const cookie = await t.login('xifeng_requester');
    const body = envelope([request('rl', { type: 'CASE_NUMBER', value: 'HD-0000' }, {})]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await t.call('POST', '/api/v1/registry/sync/search', { cookie, body })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await t.call('POST', '/api/v1/registry/sync/search', { cookie, body });
    expectError(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

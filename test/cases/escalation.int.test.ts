import { beforeAll, expect, it } from 'vitest';
import { expectError, useTestApp } from '../support/app.ts';
import { openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName } from '../support/department-data.ts';

/**
 * Sub-requests to the city agency (庆阳细则第六条; issue #5 item 7): the county handler names what it cannot verify,
 * the county reviewer — never the proposer — approves, the city agency (the county agency's parent) answers each
 * item with its source, and the findings come back into the case for its work group. Other counties and the
 * requester never see a sub-request; the items and findings are encrypted at rest. The clock stands on Friday
 * 26 September 2025: the report of a case accepted that day is due on 13 October (after National Day).
 */

interface Finding {
  finding: string;
  amountFen: number | null;
  sourceDepartment: string;
  sourceDataset: string;
  dataAsOf: string;
}

interface Escalation {
  id: number;
  caseNumber: string;
  state: string;
  targetOrganisationName: string;
  requestingOrganisationName: string;
  due: string;
  calendarVersion: string;
  workdaysLeft: number | null;
  reason: string;
  items: {
    index: number;
    memberIndex: number;
    name: string;
    idNumber: string | null;
    idNumberMasked: string;
    dataItem: string;
    finding: Finding | null;
  }[];
}

interface CaseView {
  id: number;
  number: string;
  reportDue: string | null;
  deadlines: { kind: string; due: string; workdaysLeft: number | null }[];
  events: { step: string; fromState: string | null; toState: string; details: Record<string, unknown> }[];
  escalations: Escalation[];
}

const MEMBERS = [30, 31].map((i) => ({
  idNumber: idNumber(i),
  name: personName(i),
  relation: i === 30 ? '本人' : '配偶',
}));

const PROPOSAL = {
  reason: '申请人曾在兰州市工作，外地不动产和社保数据本级无法核对',
  items: [
    { memberIndex: 0, dataItem: '外地不动产' },
    { memberIndex: 1, dataItem: '跨区域社保' },
  ],
};

const FINDINGS = [
  {
    itemIndex: 0,
    finding: '兰州市城关区登记住宅一套，面积八十九平方米',
    amountFen: 45_000_000,
    sourceDepartment: '兰州市自然资源局',
    sourceDataset: '不动产登记信息',
    dataAsOf: '2025-09-20',
  },
  {
    itemIndex: 1,
    finding: '兰州市无养老保险缴费记录',
    amountFen: null,
    sourceDepartment: '兰州市人力资源和社会保障局',
    sourceDataset: '社会保险参保缴费信息',
    dataAsOf: '2025-08-31',
  },
];

describeEachDatabase('sub-requests to the city agency', (dialect) => {
  const t = useTestApp(dialect);
  let handler: string;
  let reviewer: string;
  let requester: string;
  let city: string;
  let cityReviewer: string;
  let otherCounty: string;
  let otherCountyReviewer: string;

  const post = (cookie: string, path: string, body: unknown = {}) => t.call('POST', path, { cookie, body });
  const get = (cookie: string, path: string) => t.call('GET', path, { cookie });
  const detailCode = (res: Awaited<ReturnType<typeof post>>) =>
    res.json<{ error: { details: { code?: string } | null } }>().error.details?.code;
  const viewCase = async (cookie: string, id: number) => {
    const res = await get(cookie, `/api/cases/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ case: CaseView }>().case;
  };
  const propose = async (caseId: number) => {
    const res = await post(handler, `/api/cases/${caseId}/escalations`, PROPOSAL);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ id: number; state: string }>();
  };
  const queue = async (cookie: string) => {
    const res = await get(cookie, '/api/escalations');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Escalation[]; total: number }>();
  };

  beforeAll(async () => {
    handler = await t.login('xifeng_staff');
    reviewer = await t.login('xifeng_reviewer');
    requester = await t.login('xifeng_requester');
    city = await t.login('city_staff');
    cityReviewer = await t.login('city_reviewer');
    otherCounty = await t.login('qingcheng_staff');
    otherCountyReviewer = await t.login('qingcheng_reviewer');
  });

  it('goes from the county handler, approved by a different reviewer, to the city agency and back with provenance', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const path = `/api/cases/${kase.id}/escalations`;

    // Only the handler proposes, with a reason and members of the case.
    expect(detailCode(await post(reviewer, path, PROPOSAL))).toBe('NOT_HANDLER');
    expectError(await post(handler, path, { ...PROPOSAL, reason: ' ' }), 400, 'VALIDATION_FAILED');
    expectError(
      await post(handler, path, { ...PROPOSAL, items: [{ memberIndex: 5, dataItem: '外地车辆' }] }),
      400,
      'VALIDATION_FAILED',
    );
    const proposed = await propose(kase.id);
    expect(proposed.state).toBe('proposed');

    // Pending: its due date is the case's report due date, shown among the case's deadlines.
    const pending = await viewCase(handler, kase.id);
    expect(pending.escalations).toHaveLength(1);
    expect(pending.escalations[0]).toMatchObject({
      state: 'proposed',
      due: kase.reportDue,
      calendarVersion: kase.calendarVersion,
      targetOrganisationName: expect.stringContaining('庆阳市居民家庭经济状况核对中心'),
      requestingOrganisationName: expect.stringContaining('西峰区居民家庭经济状况核对中心'),
    });
    expect(pending.deadlines).toContainEqual({ kind: 'escalation', due: '2025-10-13', workdaysLeft: 7 });
    // Not yet approved: the city does not see it.
    expect((await queue(city)).items.map((e) => e.id)).not.toContain(proposed.id);
    expectError(await get(city, `/api/escalations/${proposed.id}`), 404, 'OUT_OF_SCOPE');

    // Four eyes: the proposer never approves their own proposal, with workflow.ts's code.
    const self = expectError(await post(handler, `${path}/${proposed.id}/approve`), 403, 'PERMISSION_DENIED');
    expect(self.details).toMatchObject({ code: 'SELF_APPROVAL' });
    expect(self.message).toContain('专人专岗');
    const approved = await post(reviewer, `${path}/${proposed.id}/approve`);
    expect(approved.json()).toEqual({ id: proposed.id, state: 'approved' });
    expect(detailCode(await post(reviewer, `${path}/${proposed.id}/approve`))).toBe('WRONG_STATE');

    // The city's queue: only the items and members named, masked.
    const listed = (await queue(city)).items.find((e) => e.id === proposed.id);
    expect(listed).toMatchObject({ state: 'approved', caseNumber: kase.number, reason: PROPOSAL.reason });
    expect(listed?.items.map((i) => [i.memberIndex, i.dataItem, i.idNumber])).toEqual([
      [0, '外地不动产', null],
      [1, '跨区域社保', null],
    ]);
    expect(listed?.items[0]?.idNumberMasked).toBe(
      `${MEMBERS[0]?.idNumber.slice(0, 4)}**********${MEMBERS[0]?.idNumber.slice(-4)}`,
    );
    const queueBody = (await get(city, '/api/escalations')).body;
    for (const member of MEMBERS) {
      expect(queueBody).not.toContain(member.idNumber);
      expect(queueBody).not.toContain(member.name);
    }
    expect((await queue(cityReviewer)).items.map((e) => e.id)).toContain(proposed.id);

    // The detail view spells the members out and is audited with the case.
    const detail = await get(city, `/api/escalations/${proposed.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const shown = detail.json<{ escalation: Escalation }>().escalation;
    expect(shown.items.map((i) => [i.name, i.idNumber])).toEqual(MEMBERS.map((m) => [m.name, m.idNumber]));
    const [viewed] = await t.audit('CASE_ESCALATION_VIEWED');
    expect(viewed).toMatchObject({
      caseId: kase.number,
      actorUserId: await t.userId('city_staff'),
      objectId: String(proposed.id),
    });

    // The county cannot answer its own sub-request; the answer covers every item with its source.
    const own = expectError(
      await post(handler, `/api/escalations/${proposed.id}/answer`, { findings: FINDINGS }),
      403,
      'PERMISSION_DENIED',
    );
    expect(own.details).toMatchObject({ code: 'NOT_TARGET_AGENCY' });
    expect(
      detailCode(await post(reviewer, `/api/escalations/${proposed.id}/answer`, { findings: FINDINGS })),
    ).toBe('NOT_TARGET_AGENCY');
    expectError(
      await post(city, `/api/escalations/${proposed.id}/answer`, { findings: FINDINGS.slice(0, 1) }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await post(city, `/api/escalations/${proposed.id}/answer`, {
        findings: [FINDINGS[0], { ...FINDINGS[1], sourceDepartment: ' ' }],
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await post(city, `/api/escalations/${proposed.id}/answer`, {
        findings: [FINDINGS[0], { ...FINDINGS[1], dataAsOf: '2025-12-31' }],
      }),
      400,
      'VALIDATION_FAILED',
    );
    const answer = await post(city, `/api/escalations/${proposed.id}/answer`, { findings: FINDINGS });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json<{ escalation: Escalation }>().escalation.state).toBe('answered');
    expect(
      detailCode(await post(cityReviewer, `/api/escalations/${proposed.id}/answer`, { findings: FINDINGS })),
    ).toBe('WRONG_STATE');

    // The findings in the county's case, with their provenance; the deadline is no longer pending.
    const answered = await viewCase(handler, kase.id);
    const [escalation] = answered.escalations;
    expect(escalation?.state).toBe('answered');
    expect(escalation?.items.map((i) => i.finding)).toEqual(
      FINDINGS.map(({ itemIndex: _, ...finding }) => finding),
    );
    expect(escalation?.items.map((i) => i.idNumber)).toEqual([null, null]);
    expect(answered.deadlines.map((d) => d.kind)).not.toContain('escalation');
    expect(answered.events.filter((e) => e.step.endsWith('escalation') || e.step === 'escalate')).toEqual([
      expect.objectContaining({ step: 'escalate', fromState: 'verifying', toState: 'verifying' }),
      expect.objectContaining({ step: 'approve_escalation', toState: 'verifying' }),
      expect.objectContaining({ step: 'answer_escalation', toState: 'verifying' }),
    ]);
    expect((await viewCase(reviewer, kase.id)).escalations[0]?.items[0]?.finding?.sourceDataset).toBe(
      '不动产登记信息',
    );

    // The handler and the reviewer are told, each in person.
    for (const username of ['xifeng_staff', 'xifeng_reviewer']) {
      const user = await t.deps.store.users.get(await t.userId(username));
      const notices = await t.deps.store.notices.list(user?.organisationId ?? -1, {
        unreadOnly: false,
        offset: 0,
        limit: 50,
        userId: user?.id ?? null,
      });
      expect(notices.items.map((n) => n.dedupeKey)).toContain(
        `case-escalation-answered:${proposed.id}:${user?.id}`,
      );
    }

    // Every step audited with the case.
    for (const [action, actor] of [
      ['CASE_ESCALATION_PROPOSED', 'xifeng_staff'],
      ['CASE_ESCALATION_DECIDED', 'xifeng_reviewer'],
      ['CASE_ESCALATION_ANSWERED', 'city_staff'],
    ] as const) {
      const entries = (await t.audit(action)).filter((e) => e.objectId === String(proposed.id));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ caseId: kase.number, actorUserId: await t.userId(actor) });
    }

    // Encrypted at rest: neither the items nor the findings can be read in the row.
    const raw = await t.database.db
      .selectFrom('caseEscalation')
      .select(['itemsEnc', 'findingsEnc'])
      .where('id', '=', proposed.id)
      .executeTakeFirstOrThrow();
    const stored = `${raw.itemsEnc} ${raw.findingsEnc}`;
    for (const secret of [
      FINDINGS[0]?.finding,
      FINDINGS[0]?.sourceDepartment,
      '外地不动产',
      MEMBERS[0]?.idNumber,
      MEMBERS[0]?.name,
    ])
      expect(stored).not.toContain(secret);
    expect(raw.findingsEnc).not.toBeNull();
    // Key rotation covers both columns.
    for (const column of ['caseEscalation.itemsEnc', 'caseEscalation.findingsEnc'])
      expect((await t.deps.store.ciphertexts.page(column, 0, 1000)).map((r) => r.id)).toContain(proposed.id);
  });

  it('is never shown to the requester, another county or the city before it is addressed to it', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const { id } = await propose(kase.id);
    await post(reviewer, `/api/cases/${kase.id}/escalations/${id}/approve`);

    // The requester sees the case, not the sub-request's content, and has no queue.
    const seen = await get(requester, `/api/cases/${kase.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json<{ case: CaseView }>().case.escalations).toEqual([]);
    expect(seen.json<{ case: CaseView }>().case.deadlines.map((d) => d.kind)).not.toContain('escalation');
    expect(seen.body).not.toContain('外地不动产');
    expect(seen.body).not.toContain(PROPOSAL.reason);
    expectError(await get(requester, '/api/escalations'), 403, 'PERMISSION_DENIED');
    expectError(await get(requester, `/api/escalations/${id}`), 403, 'PERMISSION_DENIED');
    expectError(
      await post(requester, `/api/escalations/${id}/answer`, { findings: FINDINGS }),
      403,
      'PERMISSION_DENIED',
    );

    // Another county: out of scope everywhere.
    expect((await queue(otherCounty)).items.map((e) => e.id)).not.toContain(id);
    expectError(await get(otherCounty, `/api/escalations/${id}`), 404, 'OUT_OF_SCOPE');
    expectError(
      await post(otherCounty, `/api/escalations/${id}/answer`, { findings: FINDINGS }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(
      await post(otherCountyReviewer, `/api/cases/${kase.id}/escalations/${id}/reject`, {
        reason: '不同意提请',
      }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(await post(otherCounty, `/api/cases/${kase.id}/escalations`, PROPOSAL), 404, 'OUT_OF_SCOPE');
    // The county's own staff answer nothing in the queue: it is addressed to the city.
    expect((await queue(handler)).items.map((e) => e.id)).not.toContain(id);
  });

  it('keeps a refused proposal in the county, with the written reason', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const { id } = await propose(kase.id);
    const path = `/api/cases/${kase.id}/escalations/${id}`;
    expect(detailCode(await post(city, `${path}/reject`, { reason: '不同意' }))).toBe('NOT_REVIEWER');
    expectError(await post(reviewer, `${path}/reject`, { reason: ' ' }), 400, 'VALIDATION_FAILED');
    expect((await post(reviewer, `${path}/reject`, { reason: '本级可通过离线交换核对' })).json()).toEqual({
      id,
      state: 'rejected',
    });
    const view = await viewCase(handler, kase.id);
    expect(view.escalations[0]).toMatchObject({
      state: 'rejected',
      decisionReason: '本级可通过离线交换核对',
    });
    expect(view.deadlines.map((d) => d.kind)).not.toContain('escalation');
    expect(view.events.at(-1)).toMatchObject({
      step: 'reject_escalation',
      details: { escalationId: id, approved: false },
    });
    expectError(await get(city, `/api/escalations/${id}`), 404, 'OUT_OF_SCOPE');
    expect((await queue(city)).items.map((e) => e.id)).not.toContain(id);
    const [decided] = await t.audit('CASE_ESCALATION_DECIDED');
    expect(decided).toMatchObject({ caseId: kase.number, details: { approved: false, escalationId: id } });
  });

  it('refuses a proposal once the case is reported (WRONG_STATE)', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const assessed = await post(handler, '/api/assessments', {
      caseRef: kase.number,
      regionCode: '621002',
      assistanceType: 'subsistence_allowance',
      members: MEMBERS,
    });
    expect(assessed.statusCode, assessed.body).toBe(200);
    expect((await post(handler, `/api/cases/${kase.id}/report/submit`, { remarks: '' })).statusCode).toBe(
      200,
    );
    expect((await post(reviewer, `/api/cases/${kase.id}/report/approve`)).statusCode).toBe(200);
    const refused = expectError(
      await post(handler, `/api/cases/${kase.id}/escalations`, PROPOSAL),
      403,
      'PERMISSION_DENIED',
    );
    expect(refused.details).toMatchObject({ code: 'WRONG_STATE' });
    expect(refused.message).toContain('已出具报告');
  });
});

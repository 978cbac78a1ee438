import { execFileSync } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { draftFromSuspension, draftIfConcealment } from '../../src/app/dishonesty/draft-dishonesty.ts';
import { ARTICLE_24 } from '../../src/domain/dishonesty/records.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName } from '../support/department-data.ts';
import { exportAs } from '../support/exports.ts';

/**
 * Dishonesty records (庆阳细则第二十四条): a case suspended for concealment yields a draft; a reviewer other than the
 * drafter approves it and the family is notified in writing; the export for credit systems carries approved, not
 * revoked records with the full ID number, every export audited with its case; a record revoked on appeal stays,
 * revoked, out of the export. Other counties see nothing; the persons and facts are encrypted at rest.
 */

interface Subject {
  name: string;
  idNumberMasked: string;
  relation: string;
}
interface RecordView {
  id: number;
  number: string;
  state: string;
  sourceKind: string;
  caseId: number | null;
  caseNumber: string | null;
  subjects: Subject[];
  concealed: string;
  evidence: string[];
  legalBasis: string;
  draftedByName: string | null;
  approvedOn: string | null;
  revocationReason: string | null;
  notice: { id: number; number: string; shortCode: string } | null;
}

function pdfText(bytes: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes })
    .toString('utf8')
    .replace(/\s+/g, '');
}

const members = (first: number) =>
  [first, first + 1, first + 2].map((i, n) => ({
    idNumber: idNumber(i),
    name: personName(i),
    relation: ['本人', '配偶', '子女'][n] as string,
  }));

describeEachDatabase('dishonesty records', (dialect) => {
  const t = useTestApp(dialect);
  const cookies: Record<string, string> = {};
  const as = (user: string) => cookies[user] as string;

  beforeAll(async () => {
    for (const user of [
      'xifeng_staff',
      'xifeng_reviewer',
      'xifeng_requester',
      'city_reviewer',
      'qingcheng_staff',
      'qingcheng_reviewer',
    ])
      cookies[user] = await t.login(user);
  });

  const post = (user: string, path: string, body: unknown = {}) =>
    t.call('POST', path, { cookie: as(user), body });
  const get = (user: string, path: string) => t.call('GET', path, { cookie: as(user) });
  const record = async (res: Awaited<ReturnType<typeof post>>) => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ record: RecordView }>().record;
  };
  const detailCode = (res: Awaited<ReturnType<typeof post>>) =>
    res.json<{ error: { details?: { code?: string } } }>().error.details?.code;

  /** The handler proposes, the reviewer approves: the case is suspended with its notice. */
  const suspend = async (first: number, grounds: string[], reason: string) => {
    const kase = await openCase(t.deps, members(first));
    const path = `/api/cases/${kase.id}`;
    expect((await post('xifeng_staff', `${path}/suspension`, { grounds, reason })).statusCode).toBe(200);
    const decided = await post('xifeng_reviewer', `${path}/suspension/decision`, { approve: true });
    expect(decided.statusCode, decided.body).toBe(200);
    const suspended = await t.deps.store.cases.get(kase.id);
    expect(suspended?.state).toBe('suspended');
    return suspended!;
  };

  const exportCsv = async (user: string) => {
    const res = await exportAs(t, user, { kind: 'dishonesty_records', format: 'csv' }, { cookie: as(user) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    return res.rawPayload;
  };
  const exportJson = async (user: string) => {
    const res = await exportAs(t, user, { kind: 'dishonesty_records', format: 'json' }, { cookie: as(user) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      format: string;
      version: string;
      exportId: string;
      fields: string[];
      rows: Record<string, string>[];
    }>();
  };

  it('drafts from a suspension for concealment, approved by another reviewer, notified, exported, revoked on appeal', async () => {
    const kase = await suspend(60, ['concealment-or-false-materials'], '申请人隐瞒了名下两辆小型汽车');
    const reviewer = await actorOf(t.deps, 'xifeng_reviewer');
    // What the suspension approval does (in its transaction, as the approving reviewer); twice gives one record.
    const draft = await t.deps.store.transaction((tx) =>
      draftFromSuspension(tx, t.deps, kase, reviewer, { concealed: '申请人隐瞒了名下两辆小型汽车' }),
    );
    const again = await t.deps.store.transaction((tx) =>
      draftIfConcealment(tx, t.deps, kase, reviewer, {
        kind: 'suspension',
        requestedBy: reviewer.userId ?? -1,
        requestedByName: null,
        requestedAt: '2025-09-26T02:00:00.000Z',
        reason: '重复调用',
        grounds: ['concealment-or-false-materials'],
      }),
    );
    expect(again?.id).toBe(draft.id);
    expect(draft).toMatchObject({ state: 'draft', sourceKind: 'suspension', sourceCaseId: kase.id });
    expect(draft.number).toMatch(/^西峰核失〔2025〕\d+号$/);
    const [drafted] = (await t.audit('DISHONESTY_RECORD_DRAFTED')).filter(
      (e) => e.objectId === String(draft.id),
    );
    expect(drafted).toMatchObject({ caseId: kase.number, actorUserId: await t.userId('xifeng_reviewer') });
    // A second, manual draft for the same case is refused while this one stands.
    const twice = expectError(
      await post('xifeng_staff', `/api/cases/${kase.id}/dishonesty-records`, { concealed: '隐瞒车辆' }),
      409,
      'CONFLICT',
    );
    expect(twice.details).toMatchObject({ code: 'DISHONESTY_RECORD_EXISTS' });

    const path = `/api/dishonesty-records/${draft.id}`;
    const seen = await record(await get('xifeng_staff', path));
    expect(seen.subjects).toEqual([
      { name: personName(60), idNumberMasked: expect.stringMatching(/^6210\*+/), relation: '本人' },
    ]);
    expect(seen.legalBasis).toContain(ARTICLE_24);
    expect(seen.legalBasis).toContain('第十八条第一项');
    // The suspension notice is the evidence of a draft made on the suspension.
    expect(seen.evidence).toEqual([expect.stringMatching(/^中止通知书 西峰核止〔2025〕\d+号$/)]);
    expect(seen.concealed).toBe('申请人隐瞒了名下两辆小型汽车');

    // Four eyes: the drafter cannot approve; staff without the reviewer role are refused at the door.
    const self = expectError(await post('xifeng_reviewer', `${path}/approve`), 403, 'PERMISSION_DENIED');
    expect(self).toMatchObject({
      message: '不能审批本人经办或申请的事项（专人专岗）',
      details: { code: 'SELF_APPROVAL' },
    });
    expectError(await post('xifeng_staff', `${path}/approve`), 403, 'PERMISSION_DENIED');
    expectError(await post('xifeng_requester', `${path}/approve`), 403, 'PERMISSION_DENIED');
    // Another county's reviewer does not even see it.
    expectError(await post('qingcheng_reviewer', `${path}/approve`), 404, 'OUT_OF_SCOPE');

    const approved = await record(await post('city_reviewer', `${path}/approve`));
    expect(approved).toMatchObject({ state: 'approved', approvedOn: '2025-09-26' });
    expect(approved.notice?.number).toMatch(/^西峰核信〔2025〕\d+号$/);
    const [approval] = (await t.audit('DISHONESTY_RECORD_APPROVED')).filter(
      (e) => e.objectId === String(draft.id),
    );
    expect(approval).toMatchObject({ caseId: kase.number, actorUserId: await t.userId('city_reviewer') });
    expectError(await post('city_reviewer', `${path}/approve`), 403, 'PERMISSION_DENIED');

    // The written notice, through the requester: names, facts, legal basis, number, the right to appeal.
    const requesterView = await record(await get('xifeng_requester', path));
    expect(requesterView.notice?.id).toBe(approved.notice?.id);
    const pdf = await t.call('GET', `/api/cases/${kase.id}/documents/${approved.notice?.id}`, {
      cookie: as('xifeng_requester'),
    });
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    for (const expected of [
      '失信信息告知书',
      personName(60),
      draft.number,
      approved.notice?.number as string,
      kase.number,
      '申请人隐瞒了名下两辆小型汽车',
      '庆阳市居民家庭经济状况核对实施细则',
      '第二十四条',
      '信用信息系统',
      '提出申诉',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain(idNumber(60));
    const verified = await t.call('GET', `/api/public/documents/verify?code=${approved.notice?.shortCode}`);
    expect(verified.json()).toMatchObject({ valid: true, documentNumber: approved.notice?.number });

    // The export: the full ID number (credit systems key on it), UTF-8 with BOM, every record audited with its case.
    const csv = await exportCsv('xifeng_staff');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // The first line is the export's watermark comment (issue #8 item 4), then the header.
    const [watermark, ...lines] = csv.toString('utf8').slice(1).split('\r\n');
    expect(watermark).toMatch(/^# 水印：核对专用 · 导出编号 \d+ · /);
    expect(lines[0]).toBe(
      'format_version,record_number,subject_name,subject_id_number,subject_relation,region_code,agency_name,source_kind,case_number,facts,evidence,legal_basis,approved_on,notice_number',
    );
    const line = lines.find((l) => l.includes(draft.number));
    expect(line).toContain(idNumber(60));
    expect(line).toContain(personName(60));
    expect(line).toContain('2025-09-26');
    expect(csv.toString('utf8')).not.toContain(idNumber(61));
    const [exported] = (await t.audit('DISHONESTY_RECORD_EXPORTED')).filter(
      (e) => e.objectId === String(draft.id),
    );
    expect(exported).toMatchObject({
      caseId: kase.number,
      actorUserId: await t.userId('xifeng_staff'),
      details: { format: 'csv', number: draft.number },
    });
    const json = await exportJson('city_reviewer');
    expect(json).toMatchObject({ format: 'hedui-dishonesty-records', version: '1' });
    expect(json.rows.find((r) => r.record_number === draft.number)).toMatchObject({
      subject_id_number: idNumber(60),
      subject_name: personName(60),
      source_kind: 'suspension',
      case_number: kase.number,
      notice_number: approved.notice?.number,
    });
    const [summary] = await t.audit('DISHONESTY_RECORDS_EXPORTED');
    expect(summary).toMatchObject({ objectId: json.exportId, details: { format: 'json' } });
    expect(summary?.details.records).toContain(draft.number);
    // Another county neither exports nor reads it.
    expect((await exportJson('qingcheng_staff')).rows.map((r) => r.record_number)).not.toContain(
      draft.number,
    );
    expectError(await get('qingcheng_staff', path), 404, 'OUT_OF_SCOPE');
    const theirs = await get('qingcheng_staff', '/api/dishonesty-records');
    expect(theirs.json<{ items: { id: number }[] }>().items.map((i) => i.id)).not.toContain(draft.id);
    // Requesters read their cases' records, never write.
    expectError(
      await post('xifeng_requester', `${path}/revoke`, { reason: '申诉成立' }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(
      await exportAs(t, 'xifeng_requester', { kind: 'dishonesty_records' }),
      403,
      'PERMISSION_DENIED',
    );

    // On appeal: revoked with reasons, kept, out of the export; its notice now checks as revoked.
    expectError(await post('xifeng_reviewer', `${path}/revoke`, { reason: ' ' }), 400, 'VALIDATION_FAILED');
    const revoked = await record(
      await post('xifeng_reviewer', `${path}/revoke`, { reason: '申诉复核：车辆已于申请前转让，撤销记录' }),
    );
    expect(revoked).toMatchObject({
      state: 'revoked',
      revocationReason: '申诉复核：车辆已于申请前转让，撤销记录',
    });
    const [revocation] = (await t.audit('DISHONESTY_RECORD_REVOKED')).filter(
      (e) => e.objectId === String(draft.id),
    );
    expect(revocation).toMatchObject({ caseId: kase.number, actorUserId: await t.userId('xifeng_reviewer') });
    expect((await exportCsv('xifeng_staff')).toString('utf8')).not.toContain(draft.number);
    const listed = await get('xifeng_staff', '/api/dishonesty-records?state=revoked');
    expect(listed.json<{ items: { id: number; state: string }[] }>().items).toContainEqual(
      expect.objectContaining({ id: draft.id, state: 'revoked' }),
    );
    expect(
      (await t.call('GET', `/api/public/documents/verify?code=${approved.notice?.shortCode}`)).json(),
    ).toMatchObject({ valid: false, revoked: true });
    expectError(
      await post('city_reviewer', `${path}/revoke`, { reason: '再次撤销' }),
      403,
      'PERMISSION_DENIED',
    );

    // Detail reads are audited with the case.
    const views = (await t.audit('DISHONESTY_RECORD_VIEWED')).filter((e) => e.objectId === String(draft.id));
    expect(views.length).toBeGreaterThan(0);
    expect(views.every((e) => e.caseId === kase.number)).toBe(true);

    // Encrypted at rest: neither the persons nor the facts can be read in the row; key rotation covers both.
    const raw = await t.database.db
      .selectFrom('dishonestyRecord')
      .select(['subjectsEnc', 'factsEnc'])
      .where('id', '=', draft.id)
      .executeTakeFirstOrThrow();
    const stored = `${raw.subjectsEnc} ${raw.factsEnc}`;
    for (const secret of [idNumber(60), personName(60), '两辆小型汽车']) expect(stored).not.toContain(secret);
    for (const column of ['dishonestyRecord.subjectsEnc', 'dishonestyRecord.factsEnc'])
      expect((await t.deps.store.ciphertexts.page(column, 0, 1000)).map((r) => r.id)).toContain(draft.id);
    const keys = await t.database.db
      .selectFrom('dishonestySubject')
      .select('personKey')
      .where('recordId', '=', draft.id)
      .execute();
    expect(keys.map((k) => k.personKey)).toEqual([t.deps.crypto.blindIndex(idNumber(60))]);
  });

  it('lets agency staff draft by hand from a suspended case, masked in lists, rejected or approved by a reviewer', async () => {
    const open = await openCase(t.deps, members(70));
    expectError(
      await post('xifeng_staff', `/api/cases/${open.id}/dishonesty-records`, { concealed: '隐瞒存款' }),
      403,
      'PERMISSION_DENIED',
    );
    const kase = await suspend(70, ['refusal-to-cooperate'], '拒不提供银行流水');
    // The suspension hook drafts nothing for a refusal to cooperate, and one for concealment.
    const reviewer = await actorOf(t.deps, 'xifeng_reviewer');
    const pending = {
      kind: 'suspension' as const,
      requestedBy: await t.userId('xifeng_staff'),
      requestedByName: null,
      requestedAt: '2025-09-26T02:00:00.000Z',
      reason: '拒不提供银行流水',
    };
    expect(
      await t.deps.store.transaction((tx) =>
        draftIfConcealment(tx, t.deps, kase, reviewer, { ...pending, grounds: ['refusal-to-cooperate'] }),
      ),
    ).toBeNull();
    expect(await t.deps.store.dishonesty.activeForCase(kase.id)).toBeUndefined();
    const draftPath = `/api/cases/${kase.id}/dishonesty-records`;
    expectError(
      await post('xifeng_requester', draftPath, { concealed: '隐瞒存款' }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(await post('qingcheng_staff', draftPath, { concealed: '隐瞒存款' }), 404, 'OUT_OF_SCOPE');
    expectError(await post('xifeng_staff', draftPath, { concealed: ' ' }), 400, 'VALIDATION_FAILED');
    expectError(
      await post('xifeng_staff', draftPath, { concealed: '隐瞒存款', memberIndexes: [5] }),
      400,
      'VALIDATION_FAILED',
    );
    const first = await record(
      await post('xifeng_staff', draftPath, { concealed: '隐瞒银行存款 12 万元', memberIndexes: [0, 1] }),
    );
    expect(first).toMatchObject({ state: 'draft', sourceKind: 'manual', caseId: kase.id });
    expect(first.legalBasis).not.toContain('第十八条');
    expectError(
      await post('xifeng_reviewer', `/api/dishonesty-records/${first.id}/reject`, { reason: '' }),
      400,
      'VALIDATION_FAILED',
    );
    const rejected = await record(
      await post('xifeng_reviewer', `/api/dishonesty-records/${first.id}/reject`, { reason: '证据不足' }),
    );
    expect(rejected.state).toBe('rejected');
    const [rejection] = (await t.audit('DISHONESTY_RECORD_REJECTED')).filter(
      (e) => e.objectId === String(first.id),
    );
    expect(rejection).toMatchObject({ caseId: kase.number, details: { reason: '证据不足' } });

    // A rejected draft does not block a better-founded one; a cell that looks like a formula is neutralised.
    const second = await record(
      await post('xifeng_staff', draftPath, {
        concealed: '=隐瞒银行存款 12 万元',
        evidence: ['+人民银行存款数据'],
        memberIndexes: [0, 1],
      }),
    );
    const list = await get('xifeng_staff', `/api/dishonesty-records?caseId=${kase.id}`);
    const items = list.json<{ items: { id: number; state: string; subjects: Subject[] }[] }>().items;
    expect(items.map((i) => [i.id, i.state])).toEqual([
      [second.id, 'draft'],
      [first.id, 'rejected'],
    ]);
    const masked = items[0]?.subjects ?? [];
    expect(masked.map((s) => s.name)).toEqual(
      [personName(70), personName(71)].map((n) => `${[...n][0]}${'*'.repeat([...n].length - 1)}`),
    );
    expect(list.body).not.toContain(idNumber(70));
    expect(list.body).not.toContain(personName(70));

    // The requester lists its own cases' records; another county's staff list none of them.
    const mine = await get('xifeng_requester', '/api/dishonesty-records');
    expect(mine.json<{ items: { id: number }[] }>().items.map((i) => i.id)).toContain(second.id);

    // A lookup by ID number finds the record through the blind index, and is audited.
    const found = await get('xifeng_reviewer', `/api/dishonesty-records?idNumber=${idNumber(71)}`);
    expect(found.json<{ items: { id: number }[] }>().items.map((i) => i.id)).toEqual([second.id, first.id]);
    const [lookup] = await t.audit('DISHONESTY_RECORD_VIEWED');
    expect(lookup).toMatchObject({ objectType: 'dishonesty_search', details: { byIdNumber: true } });
    expectError(
      await get('xifeng_requester', `/api/dishonesty-records?idNumber=${idNumber(71)}`),
      403,
      'PERMISSION_DENIED',
    );

    // Drafted by staff: the case's reviewer may approve it.
    const approved = await record(
      await post('xifeng_reviewer', `/api/dishonesty-records/${second.id}/approve`),
    );
    expect(approved.state).toBe('approved');
    const csv = (await exportCsv('xifeng_reviewer')).toString('utf8');
    const rows = csv.split('\r\n').filter((l) => l.includes(second.number));
    expect(rows).toHaveLength(2);
    expect(rows.join('\n')).toContain(idNumber(70));
    expect(rows.join('\n')).toContain(idNumber(71));
    expect(rows[0]).toContain(",'=隐瞒银行存款 12 万元,");
    expect(rows[0]).toContain("'+人民银行存款数据");
    expect(
      detailCode(
        await post('xifeng_reviewer', `/api/dishonesty-records/${second.id}/reject`, { reason: '撤回' }),
      ),
    ).toBe('WRONG_STATE');
  });
});

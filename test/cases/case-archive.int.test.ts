import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { addAttachment } from '../../src/app/cases/attachments.ts';
import { submitCase } from '../../src/app/cases/submit-case.ts';
import { withZipComment } from '../../src/documents/export-watermark.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf, authorizationPdf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName } from '../support/department-data.ts';
import { exportAs } from '../support/exports.ts';
import { type ReadEntry, readZip } from '../support/zip.ts';

/**
 * The case archive (Q§21, issue #5 item 12): a case's whole life — every step with its remarks and reasons,
 * every document and paper, its assessment results and a readable summary — exported as one ZIP whose
 * manifest fingerprints every entry; exported only by the case's work group, the agency's reviewers and the
 * requester, audited; a stored file altered since it was filed stops the export. And the workflow never
 * deletes: after a case's whole life every step, paper and document is still there.
 */

const MEMBERS = [30, 31].map((i) => ({
  idNumber: idNumber(i),
  name: personName(i),
  relation: i === 30 ? '本人' : '配偶',
}));

interface CaseView {
  id: number;
  number: string;
  state: string;
  calendarVersion: string;
  documents: { id: number; kind: string; number: string }[];
  attachments: { id: number }[];
}

interface Manifest {
  format: string;
  case: { number: string; agency: string; requester: string; assistanceTypeLabel: string; state: string };
  dates: Record<string, string | number | null>;
  workGroups: { kind: string; handler: { name: string }; reviewer: { name: string } }[];
  exported: { at: string; by: { name: string } };
  documents: { path: string; number: string; sm3: string }[];
  attachments: { path: string; kind: string; sm3: string }[];
  assessments: string[];
  entries: { path: string; bytes: number; sm3: string }[];
}

interface History {
  caseNumber: string;
  events: {
    sequence: number;
    step: string;
    stepLabel: string;
    actorName: string;
    details: Record<string, unknown>;
  }[];
}

const sm3 = (bytes: Uint8Array) => createHash('sm3').update(bytes).digest('hex');

function pdfText(bytes: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes })
    .toString('utf8')
    .replace(/\s+/g, '');
}

function entry(entries: readonly ReadEntry[], name: string): Buffer {
  const found = entries.find((e) => e.name === name);
  if (!found) throw new Error(`no ${name} in the archive: ${entries.map((e) => e.name).join(', ')}`);
  return found.data;
}

const parse = <T>(bytes: Buffer): T => JSON.parse(bytes.toString('utf8')) as T;

describeEachDatabase('case archive export', (dialect) => {
  const t = useTestApp(dialect);
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    for (const user of [
      'xifeng_staff',
      'xifeng_reviewer',
      'xifeng_requester',
      'xifeng_township',
      'city_staff',
      'city_reviewer',
      'qingcheng_staff',
      'qingcheng_reviewer',
      'admin',
      'auditor',
    ])
      cookies[user] = await t.login(user);
  });

  const as = (user: string) => cookies[user] as string;
  const ok = async (user: string, path: string, body: unknown = {}) => {
    const res = await t.call('POST', path, { cookie: as(user), body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ case: CaseView }>().case;
  };
  const view = async (id: number) =>
    (await t.call('GET', `/api/cases/${id}`, { cookie: as('xifeng_staff') })).json<{ case: CaseView }>().case;
  const assess = async (user: string, caseNumber: string) => {
    const res = await t.call('POST', '/api/assessments', {
      cookie: as(user),
      body: {
        caseRef: caseNumber,
        regionCode: '621002',
        assistanceType: 'subsistence_allowance',
        members: MEMBERS,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  // A case archive leaves only through an approved export request (issue #8 item 4; test/security/exports.int.test.ts).
  const archive = (user: string, id: number) =>
    exportAs(t, user, { kind: 'case_archive', caseId: id }, { cookie: as(user) });

  /**
   * A case's whole life through the API: entrusted with one authorization missing, returned, completed and
   * resubmitted, accepted, assessed, its report sent back once and approved, appealed, reviewed by the city's
   * group and approved again. Returns the steps taken and every document and paper id seen along the way.
   */
  async function wholeLife() {
    const requester = await actorOf(t.deps, 'xifeng_requester');
    const steps: string[] = [];
    const seenDocuments = new Set<number>();
    const seenAttachments = new Set<number>();
    const note = (kase: CaseView) => {
      for (const d of kase.documents) seenDocuments.add(d.id);
      for (const a of kase.attachments) seenAttachments.add(a.id);
      return kase;
    };
    const created = await submitCase(
      t.deps,
      { assistanceType: 'subsistence_allowance', members: MEMBERS.map((m) => ({ ...m, coResiding: true })) },
      requester,
    );
    steps.push('submit');
    const file = (kind: 'authorization' | 'pledge', memberIndex: number | null) =>
      addAttachment(
        t.deps,
        created.id,
        { kind, memberIndex, fileName: `${kind}-${memberIndex ?? 0}.pdf`, bytes: authorizationPdf() },
        requester,
      );
    await file('authorization', 0);
    const path = `/api/cases/${created.id}`;
    note(await ok('xifeng_staff', `${path}/return`, { reasons: ['缺少第 2 名成员的授权书'] }));
    steps.push('return');
    await file('authorization', 1);
    await file('pledge', null);
    note(await ok('xifeng_requester', `${path}/resubmit`));
    steps.push('resubmit');
    note(
      await ok('xifeng_staff', `${path}/accept`, {
        handlerId: await t.userId('xifeng_staff'),
        reviewerId: await t.userId('xifeng_reviewer'),
      }),
    );
    steps.push('accept');
    await assess('xifeng_staff', created.number);
    note(await ok('xifeng_staff', `${path}/report/submit`, { remarks: '已核对全部数据源' }));
    note(await ok('xifeng_reviewer', `${path}/report/send-back`, { reasons: '请补充存款来源说明' }));
    note(await ok('xifeng_staff', `${path}/report/submit`, { remarks: '已补充存款来源说明' }));
    note(await ok('xifeng_reviewer', `${path}/report/approve`));
    steps.push('submit_report', 'send_back', 'submit_report', 'approve_report');
    note(await ok('xifeng_requester', `${path}/appeal`, { reason: '存款系代他人保管' }));
    note(
      await ok('xifeng_reviewer', `${path}/review/assign`, {
        handlerId: await t.userId('city_staff'),
        reviewerId: await t.userId('city_reviewer'),
      }),
    );
    steps.push('appeal', 'assign_review');
    await assess('city_staff', created.number);
    note(await ok('city_staff', `${path}/report/submit`, { remarks: '复核完毕' }));
    const reviewed = note(await ok('city_reviewer', `${path}/report/approve`));
    steps.push('submit_report', 'approve_report');
    expect(reviewed.state).toBe('reviewed');
    return { kase: reviewed, steps, seenDocuments, seenAttachments };
  }

  it('exports the whole life of a case as one ZIP whose manifest fingerprints every entry', async () => {
    const { kase, steps } = await wholeLife();
    const res = await archive('xifeng_staff', kase.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['cache-control']).toBe('no-store');
    const disposition = String(res.headers['content-disposition']);
    const name = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? '';
    expect(decodeURIComponent(name)).toBe(`案件档案-${kase.number}.zip`);

    const entries = readZip(res.rawPayload);
    expect(entries.slice(0, 3).map((e) => e.name)).toEqual(['manifest.json', 'history.json', '案件档案.pdf']);
    const manifest = parse<Manifest>(entry(entries, 'manifest.json'));
    // The manifest lists every other entry, each with its SM3.
    expect(manifest.entries.map((e) => e.path).sort()).toEqual(
      entries
        .map((e) => e.name)
        .filter((n) => n !== 'manifest.json')
        .sort(),
    );
    for (const listed of manifest.entries) {
      const data = entry(entries, listed.path);
      expect({ path: listed.path, sm3: sm3(data), bytes: data.length }).toEqual(listed);
    }
    expect(manifest.case).toMatchObject({
      number: kase.number,
      agency: expect.stringMatching(/^西峰区居民家庭经济状况核对中心/),
      requester: expect.stringMatching(/^西峰区民政局社会救助股/),
      assistanceTypeLabel: '最低生活保障',
      state: 'reviewed',
    });
    expect(manifest.dates).toMatchObject({ calendarVersion: kase.calendarVersion, receivedOn: '2025-09-26' });
    expect(manifest.dates.reportDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(manifest.workGroups.map((g) => [g.kind, g.handler.name, g.reviewer.name])).toEqual([
      ['verification', '西峰区核对员（演示）', '西峰区审核员（演示）'],
      ['review', '市级核对员（演示）', '市级审核员（演示）'],
    ]);
    expect(manifest.exported).toMatchObject({
      at: '2025-09-26T02:00:00.000Z',
      by: { name: '西峰区核对员（演示）' },
    });

    // Every step, in order, with its remarks and reasons.
    const history = parse<History>(entry(entries, 'history.json'));
    expect(history.events.map((e) => e.step)).toEqual(steps);
    expect(history.events.map((e) => e.sequence)).toEqual(steps.map((_, i) => i + 1));
    const stored = await t.deps.store.cases.events(kase.id);
    expect(history.events).toHaveLength(stored.length);
    expect(history.events[1]?.details).toMatchObject({ reasons: ['缺少第 2 名成员的授权书'] });
    expect(history.events[5]).toMatchObject({
      step: 'send_back',
      actorName: '西峰区审核员（演示）',
      details: { reasons: '请补充存款来源说明' },
    });

    // Every issued document, byte for byte as issued; every paper as filed.
    const documents = await t.deps.store.cases.documents(kase.id);
    expect(documents.map((d) => d.kind)).toEqual(
      expect.arrayContaining(['receipt', 'return-notice', 'report', 'review-result']),
    );
    expect(manifest.documents).toHaveLength(documents.length);
    for (const document of documents) {
      const listed = manifest.documents.find((d) => d.number === document.number);
      const pdf = entry(entries, listed?.path ?? '');
      expect(sm3(pdf)).toBe(document.sm3);
      expect(pdfText(pdf)).toContain(document.number);
    }
    const attachments = await t.deps.store.cases.attachments(kase.id);
    expect(manifest.attachments.map((a) => a.kind).sort()).toEqual([
      'authorization',
      'authorization',
      'pledge',
    ]);
    for (const [index, attachment] of attachments.entries())
      expect(sm3(entry(entries, manifest.attachments[index]?.path ?? ''))).toBe(attachment.sm3);

    // Both assessments of the case, decrypted.
    expect(manifest.assessments).toHaveLength(2);
    const assessment = parse<{ caseRef: string; result: { notice: string } }>(
      entry(entries, manifest.assessments[0] ?? ''),
    );
    expect(assessment.caseRef).toBe(kase.number);
    expect(assessment.result.notice).toContain('不作是否给予救助的认定');

    // The summary people read: the case and its history as a table.
    const summary = pdfText(entry(entries, '案件档案.pdf'));
    for (const expected of [
      kase.number,
      '西峰区居民家庭经济状况核对中心',
      '提交委托',
      '退回补正',
      '重新提交',
      '受理',
      '提交报告',
      '退回修改',
      '审核通过报告',
      '申诉',
      '指定复核组',
      '请补充存款来源说明',
      '存款系代他人保管',
      `共${steps.length}步`,
    ])
      expect(summary).toContain(expected);

    const [audited] = await t.audit('CASE_ARCHIVE_EXPORTED');
    expect(audited).toMatchObject({
      caseId: kase.number,
      outcome: 'success',
      actorUserId: await t.userId('xifeng_staff'),
      details: {
        // The archive as made; the download adds the export's watermark as the ZIP comment.
        sm3: sm3(withZipComment(res.rawPayload, '')),
        events: steps.length,
        documents: documents.length,
        assessments: 2,
      },
    });
  });

  it('gives the same bytes for the same case, exporter and instant', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const first = await archive('xifeng_reviewer', kase.id);
    const second = await archive('xifeng_reviewer', kase.id);
    expect(first.statusCode, first.body).toBe(200);
    // Every entry is the same; only the ZIP comment (the export's watermark, naming its own export) differs.
    const [a, b] = [readZip(first.rawPayload), readZip(second.rawPayload)];
    expect(a.map((e) => [e.name, e.data.toString('base64')])).toEqual(
      b.map((e) => [e.name, e.data.toString('base64')]),
    );
    for (const e of readZip(first.rawPayload))
      expect({ time: e.dosTime, date: e.dosDate }).toEqual({ time: 0, date: 0x21 });
  });

  it('lets the work group, the agency reviewers and the requester export, and nobody else', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const statuses: Record<string, number> = {};
    let requesterArchive: LightMyRequestResponse | undefined;
    for (const user of Object.keys(cookies)) {
      const res = await archive(user, kase.id);
      statuses[user] = res.statusCode;
      if (user === 'xifeng_requester') requesterArchive = res;
    }
    expect(statuses).toEqual({
      xifeng_staff: 200,
      xifeng_reviewer: 200,
      xifeng_requester: 200,
      // Another requester organisation, another county's agency: the case does not exist for them.
      xifeng_township: 404,
      qingcheng_staff: 404,
      qingcheng_reviewer: 404,
      // The city agency sees the case; its reviewer may export, its staff outside the work group may not.
      city_reviewer: 200,
      city_staff: 403,
      admin: 403,
      auditor: 403,
    });
    expectError(await archive('qingcheng_staff', kase.id), 404, 'OUT_OF_SCOPE');
    expectError(await archive('city_staff', kase.id), 403, 'PERMISSION_DENIED');
    const denied = (await t.audit('CASE_ARCHIVE_EXPORTED')).filter(
      (e) => e.caseId === kase.number && e.outcome === 'denied',
    );
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(denied[0]?.actorUserId).toBe(await t.userId('city_staff'));

    // The requester gets the case's papers and documents, not the agency's working papers.
    const names = readZip(requesterArchive?.rawPayload ?? Buffer.alloc(0)).map((e) => e.name);
    expect(names).toContain('history.json');
    expect(names.filter((n) => n.startsWith('documents/'))).toHaveLength(1);
    expect(names.some((n) => n.startsWith('assessments/'))).toBe(false);
  });

  it('refuses to export a case whose stored document was altered, and audits the failure', async () => {
    const kase = await openCase(t.deps, MEMBERS);
    const [receipt] = await t.deps.store.cases.documents(kase.id);
    if (!receipt) throw new Error('the accepted case has no receipt');
    const path = join(t.config.filesDir, 'documents', receipt.storedFile);
    const original = await t.deps.files.get('documents', receipt.storedFile);
    writeFileSync(path, Buffer.concat([original, Buffer.from('\n% altered\n')]));
    const error = expectError(await archive('xifeng_staff', kase.id), 500, 'INTERNAL_ERROR');
    expect(error.message).toContain(receipt.number);
    expect(error.message).toContain('篡改');
    expect(error.details).toMatchObject({
      code: 'STORED_FILE_ALTERED',
      category: 'documents',
      id: receipt.id,
    });
    const [failure] = (await t.audit('CASE_ARCHIVE_EXPORTED')).filter((e) => e.caseId === kase.number);
    expect(failure).toMatchObject({ outcome: 'failure', details: { code: 'STORED_FILE_ALTERED' } });
    // Put back as issued, the archive exports again.
    writeFileSync(path, original);
    expect((await archive('xifeng_staff', kase.id)).statusCode).toBe(200);
  });

  it('never deletes: after a whole life every step, paper and document of the case is still stored', async () => {
    const { kase, steps, seenDocuments, seenAttachments } = await wholeLife();
    const { db } = t.database;
    const count = async (table: 'caseEvent' | 'caseAttachment' | 'caseDocument') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('caseId', '=', kase.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('caseEvent')).toBe(steps.length);
    expect(await count('caseAttachment')).toBe(3);
    expect(seenAttachments.size).toBe(3);
    const documents = await db
      .selectFrom('caseDocument')
      .select('id')
      .where('caseId', '=', kase.id)
      .execute();
    expect(await count('caseDocument')).toBe(seenDocuments.size);
    expect(new Set(documents.map((d) => d.id))).toEqual(seenDocuments);
    // Receipt, return notice, two reports and the review result: nothing issued along the way went missing.
    expect(seenDocuments.size).toBeGreaterThanOrEqual(5);
    const final = await view(kase.id);
    expect(final.documents.map((d) => d.id).sort()).toEqual([...seenDocuments].sort());
  });
});

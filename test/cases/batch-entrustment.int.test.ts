import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { type BatchResult, submitCaseBatch } from '../../src/app/cases/submit-case-batch.ts';
import type { Deps, Store } from '../../src/app/ports.ts';
import { writeZip } from '../../src/documents/zip-writer.ts';
import { openCaseBundle } from '../../src/ingest/case-bundle.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf, authorizationPdf } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, multipart, personName } from '../support/department-data.ts';

/**
 * Batch entrustment (issue #5): requester staff download the template, fill one row per member and upload it —
 * alone or zipped with the members' authorizations. Every problem is listed by row and nothing is stored while
 * there is one; otherwise every family becomes a submitted case exactly as a single submission makes it. The
 * test clock stands on Friday 26 September 2025 (acceptance due Tuesday 30th, the make-up Sunday counted).
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface CaseView {
  id: number;
  number: string;
  state: string;
  receivedOn: string;
  acceptanceDue: string;
  assistanceType: string;
  members: { index: number; name: string; relation: string; coResiding: boolean; exclusion: string | null }[];
  missingAuthorizations: number[];
  attachments: { kind: string; memberIndex: number | null; fileName: string; sm3: string }[];
  events: { step: string; toState: string }[];
  declaredAssets: Record<string, unknown> | null;
}

type Row = Record<string, string | number>;

/** A member row; `person` picks a distinct ID number and name. */
function member(family: string, person: number, relation: string, extra: Row = {}): Row {
  return {
    家庭序号: family,
    成员姓名: personName(person),
    公民身份号码: idNumber(person),
    与申请人关系: relation,
    ...extra,
  };
}

describeEachDatabase('batch entrustment', (dialect) => {
  const t = useTestApp(dialect);
  let requester: string;
  let staff: string;
  let staffId: number;
  let reviewerId: number;
  let template: Buffer;
  let person = 500;

  /** The downloaded template with these rows filled in through exceljs, as a user's spreadsheet program would. */
  const filled = async (rows: Row[]): Promise<Buffer> => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('委托名单');
    if (!sheet) throw new Error('no data sheet');
    const headers = (sheet.getRow(1).values as unknown[]).map((v) => (typeof v === 'string' ? v : ''));
    rows.forEach((values, i) => {
      for (const [header, value] of Object.entries(values)) {
        const column = headers.indexOf(header);
        if (column < 1) throw new Error(`no column ${header}`);
        sheet.getCell(i + 2, column).value = value;
      }
    });
    return Buffer.from(await workbook.xlsx.writeBuffer());
  };
  const upload = async (content: Buffer, name: string, dryRun = false, cookie = requester) => {
    const { payload, headers } = multipart({ dryRun: dryRun ? 'true' : 'false' }, { name, content });
    return t.call('POST', '/api/cases/batch', { cookie, body: payload, headers });
  };
  const result = async (res: Awaited<ReturnType<typeof upload>>): Promise<BatchResult> => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<BatchResult>();
  };
  const caseCount = async () =>
    (await t.deps.store.cases.list({ regionScope: null, offset: 0, limit: 1 })).total;
  const view = async (id: number): Promise<CaseView> => {
    const res = await t.call('GET', `/api/cases/${id}`, { cookie: requester });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ case: CaseView }>().case;
  };
  const next = () => {
    person += 1;
    return person;
  };

  beforeAll(async () => {
    requester = await t.login('xifeng_requester');
    staff = await t.login('xifeng_staff');
    staffId = await t.userId('xifeng_staff');
    reviewerId = await t.userId('xifeng_reviewer');
    const res = await t.call('GET', '/api/cases/batch-template', { cookie: requester });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('批量委托模板.xlsx');
    template = res.rawPayload;
  });

  it('offers a template whose first sheet has the columns and whose second explains them', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['委托名单', '填写说明']);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no data sheet');
    const headers = (sheet.getRow(1).values as unknown[]).filter(Boolean);
    expect(headers.slice(0, 8)).toEqual([
      '家庭序号',
      '救助类型',
      '户主/申请人姓名',
      '成员姓名',
      '公民身份号码',
      '与申请人关系',
      '是否共同生活',
      '排除原因/不计入说明',
    ]);
    expect(headers).toContain('授权书文件');
    const notes: string[] = [];
    workbook.worksheets[1]?.eachRow((row) => {
      notes.push(String(row.getCell(1).value ?? ''));
    });
    expect(notes.some((text) => text.includes('一事一授权'))).toBe(true);
    expect(notes).toContain('公民身份号码');
  });

  it('creates one submitted case per family from a zipped template, numbered in sequence, papers attached, ready to accept', async () => {
    const [a, b, c, d, e, f] = [next(), next(), next(), next(), next(), next()];
    const rows: Row[] = [
      member('1', a, '本人', {
        救助类型: '最低生活保障',
        '户主/申请人姓名': personName(a),
        授权书文件: `授权书/${a}.pdf`,
      }),
      member('1', b, '配偶', {
        '申报工资性收入（元）': '12,000.50',
        授权书文件: `${b}.pdf`,
        身份证件文件: `id-${b}.jpg`,
      }),
      member('2', c, '本人', {
        救助类型: '医疗救助',
        授权书文件: `${c}.pdf`,
        诚信承诺书文件: 'pledge-2.png',
        '申报存款及金融资产（元）': '3000',
        '申报不动产（处）': 1,
      }),
      // Rows of a family need not be adjacent, and its applicant need not come first.
      member('3', d, '子', { 是否共同生活: '否', '排除原因/不计入说明': '服刑' }),
      member('3', e, '本人', { 救助类型: '临时救助' }),
      member('1', f, '女', { 授权书文件: `${f}.pdf` }),
    ];
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const papers = {
      a: authorizationPdf(),
      b: authorizationPdf(),
      c: authorizationPdf(),
      f: authorizationPdf(),
    };
    const zip = writeZip([
      { name: '九月委托/委托名单.xlsx', data: await filled(rows) },
      { name: `授权书/${a}.pdf`, data: papers.a },
      { name: `授权书/${b}.pdf`, data: papers.b },
      { name: `其他/${c}.pdf`, data: papers.c },
      { name: `${f}.pdf`, data: papers.f },
      { name: `id-${b}.jpg`, data: jpeg },
      { name: 'pledge-2.png', data: png },
      { name: '__MACOSX/._pledge-2.png', data: Buffer.from('junk') },
    ]);
    const before = await caseCount();

    const dry = await result(await upload(zip, '九月委托.zip', true));
    expect(dry).toMatchObject({ status: 'valid', dryRun: true, families: 3, members: 6, attachments: 6 });
    expect(dry.problems).toEqual([]);
    expect(dry.cases).toEqual([]);
    expect(await caseCount()).toBe(before);
    expect((await t.audit('CASE_BATCH_CHECKED'))[0]).toMatchObject({
      outcome: 'success',
      objectId: dry.batchRef,
      details: { families: 3, members: 6, problems: 0 },
    });

    const done = await result(await upload(zip, '九月委托.zip'));
    expect(done).toMatchObject({ status: 'created', dryRun: false, families: 3, members: 6, attachments: 6 });
    expect(await caseCount()).toBe(before + 3);
    expect(done.cases.map((x) => [x.family, x.firstRow, x.memberCount, x.attachments])).toEqual([
      ['1', 2, 3, 4],
      ['2', 4, 1, 2],
      ['3', 5, 2, 0],
    ]);
    const sequence = done.cases.map((x) => Number(x.number.slice(-6)));
    expect(done.cases.every((x) => /^HD-621002-2025-\d{6}$/.test(x.number))).toBe(true);
    expect(sequence).toEqual([sequence[0], (sequence[0] ?? 0) + 1, (sequence[0] ?? 0) + 2]);
    expect(done.cases[0]?.applicant).toMatch(/^.\*+$/);

    const [first, second, third] = await Promise.all(done.cases.map((x) => view(x.id)));
    expect(first).toMatchObject({
      state: 'submitted',
      receivedOn: '2025-09-26',
      acceptanceDue: '2025-09-30',
      assistanceType: 'subsistence_allowance',
      missingAuthorizations: [],
    });
    expect(first?.members.map((m) => [m.name, m.relation])).toEqual([
      [personName(a), '本人'],
      [personName(b), '配偶'],
      [personName(f), '女'],
    ]);
    expect(first?.attachments.map((x) => [x.kind, x.memberIndex, x.fileName])).toEqual([
      ['authorization', 0, `${a}.pdf`],
      ['authorization', 1, `${b}.pdf`],
      ['authorization', 2, `${f}.pdf`],
      ['id_document', 1, `id-${b}.jpg`],
    ]);
    expect(first?.events.map((x) => [x.step, x.toState])).toEqual([['submit', 'submitted']]);
    expect(second?.attachments.map((x) => x.kind)).toEqual(['authorization', 'pledge']);
    expect(second?.declaredAssets).toEqual({ depositsFen: 300000, realEstate: { count: 1 } });
    expect(third?.members.map((m) => [m.relation, m.coResiding, m.exclusion])).toEqual([
      ['本人', true, null],
      ['子', false, 'prison'],
    ]);
    expect(third?.missingAuthorizations).toEqual([0, 1]);

    const submitted = (await t.audit('CASE_SUBMITTED')).slice(0, 3).map((x) => x.caseId);
    expect(submitted.sort()).toEqual(done.cases.map((x) => x.number).sort());
    expect((await t.audit('CASE_BATCH_SUBMITTED'))[0]).toMatchObject({
      outcome: 'success',
      objectId: done.batchRef,
      details: { cases: done.cases.map((x) => x.number), families: 3, members: 6, attachments: 6 },
    });
    expect((await t.audit('CASE_ATTACHMENT_ADDED')).slice(0, 6).every((x) => x.details?.sm3)).toBe(true);

    const accepted = await t.call('POST', `/api/cases/${first?.id}/accept`, {
      cookie: staff,
      body: { handlerId: staffId, reviewerId },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<{ case: CaseView }>().case.state).toBe('verifying');
  });

  it('takes the XLSX alone when it names no papers: authorizations follow on the case page', async () => {
    const a = next();
    const done = await result(
      await upload(
        await filled([member('A', a, '本人', { 救助类型: 'temporary_assistance' })]),
        'intake.xlsx',
      ),
    );
    expect(done.status).toBe('created');
    const kase = await view(done.cases[0]?.id ?? 0);
    expect(kase).toMatchObject({
      assistanceType: 'temporary_assistance',
      missingAuthorizations: [0],
      attachments: [],
    });
  });

  it('lists every problem with its row and stores nothing', async () => {
    const [a, b, c] = [next(), next(), next()];
    const rows: Row[] = [
      member('1', a, '本人', { 救助类型: '低保' }),
      member('1', a, '配偶'),
      member('2', b, '配偶', { 救助类型: '医疗救助' }),
      member('3', c, '本人', { 救助类型: '医疗救助', 公民身份号码: '621002198001010000' }),
      member('4', b, '本人', { 救助类型: '医疗救助', 授权书文件: 'x.pdf' }),
      member('5', next(), '本人', { 救助类型: '医疗救助' }),
    ];
    const before = await caseCount();
    const rejected = await result(await upload(await filled(rows), 'wrong.xlsx'));
    expect(rejected.status).toBe('rejected');
    expect(rejected.cases).toEqual([]);
    expect(rejected.problems.map((p) => [p.row, p.code])).toEqual([
      [2, 'UNKNOWN_ASSISTANCE_TYPE'],
      [2, 'MISSING_VALUE'],
      [3, 'DUPLICATE_MEMBER'],
      [4, 'MISSING_APPLICANT'],
      [5, 'INVALID_ID_NUMBER'],
      [6, 'MEMBER_IN_TWO_FAMILIES'],
      [6, 'ATTACHMENT_MISSING'],
    ]);
    expect(rejected.problems[6]?.column).toBe('授权书文件');
    expect(await caseCount()).toBe(before);
    const [audit] = await t.audit('CASE_BATCH_REFUSED');
    expect(audit).toMatchObject({
      outcome: 'failure',
      objectId: rejected.batchRef,
      details: { problems: 7 },
    });
    // The audit keeps codes, not the messages with names and ID numbers.
    expect(JSON.stringify(audit)).not.toContain(idNumber(a));
  });

  it('refuses an authorization already on file for another case, one used twice, and a scan that is no PDF or image (一事一授权)', async () => {
    const used = authorizationPdf();
    const a = next();
    await result(
      await upload(
        writeZip([
          {
            name: 'b.xlsx',
            data: await filled([member('1', a, '本人', { 救助类型: '医疗救助', 授权书文件: 'used.pdf' })]),
          },
          { name: 'used.pdf', data: used },
        ]),
        'first.zip',
      ),
    );
    const [b, c, d] = [next(), next(), next()];
    const twice = authorizationPdf();
    const before = await caseCount();
    const rejected = await result(
      await upload(
        writeZip([
          {
            name: 'b.xlsx',
            data: await filled([
              member('1', b, '本人', { 救助类型: '医疗救助', 授权书文件: 'used.pdf' }),
              member('2', c, '本人', { 救助类型: '医疗救助', 授权书文件: 'twice.pdf' }),
              member('2', d, '配偶', { 授权书文件: 'twice.pdf', 身份证件文件: 'note.pdf' }),
            ]),
          },
          { name: 'used.pdf', data: used },
          { name: 'twice.pdf', data: twice },
          { name: 'note.pdf', data: Buffer.from('not really a pdf') },
        ]),
        'second.zip',
      ),
    );
    expect(rejected.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, '授权书文件', 'AUTHORIZATION_ON_FILE'],
      [4, '授权书文件', 'AUTHORIZATION_REPEATED'],
      [4, '身份证件文件', 'ATTACHMENT_WRONG_TYPE'],
    ]);
    expect(rejected.problems[0]?.message).toContain('一事一授权');
    expect(await caseCount()).toBe(before);
    expect(
      await t.deps.store.cases.authorizationCase(createHash('sm3').update(twice).digest('hex')),
    ).toBeUndefined();
  });

  it('refuses a zip that lacks a named file, and a zip without a workbook', async () => {
    const a = next();
    const missing = await result(
      await upload(
        writeZip([
          {
            name: 'b.xlsx',
            data: await filled([
              member('1', a, '本人', { 救助类型: '医疗救助', 授权书文件: '张三授权书.pdf' }),
            ]),
          },
          { name: '李四授权书.pdf', data: authorizationPdf() },
        ]),
        'missing.zip',
      ),
    );
    expect(missing.status).toBe('rejected');
    expect(missing.problems).toEqual([
      {
        row: 2,
        column: '授权书文件',
        code: 'ATTACHMENT_MISSING',
        message: '压缩包中找不到授权书文件“张三授权书.pdf”',
      },
    ]);
    const empty = await result(
      await upload(writeZip([{ name: 'a.pdf', data: authorizationPdf() }]), 'papers.zip'),
    );
    expect(empty.problems.map((p) => [p.row, p.code])).toEqual([[null, 'ZIP_NO_WORKBOOK']]);
    const text = await result(await upload(Buffer.from('%PDF-1.4\n'), 'scan.pdf'));
    expect(text.problems.map((p) => p.code)).toEqual(['NOT_A_WORKBOOK']);
  });

  it('leaves no case and no paper when it fails half-way', async () => {
    const [a, b] = [next(), next()];
    const paper = authorizationPdf();
    const dir = await mkdtemp(join(tmpdir(), 'hedui-batch-'));
    try {
      const path = join(dir, 'upload.zip');
      await writeFile(
        path,
        writeZip([
          {
            name: 'b.xlsx',
            data: await filled([
              member('1', a, '本人', { 救助类型: '医疗救助', 授权书文件: 'a.pdf' }),
              member('2', b, '本人', { 救助类型: '医疗救助' }),
            ]),
          },
          { name: 'a.pdf', data: paper },
        ]),
      );
      const bundle = await openCaseBundle(path, dir);
      // The second case cannot be stored: the whole batch must roll back, the first case and its paper too.
      let created = 0;
      const store: Store = {
        ...t.deps.store,
        transaction: (fn) =>
          t.deps.store.transaction((tx) =>
            fn({
              ...tx,
              cases: {
                ...tx.cases,
                create: async (row) => {
                  created += 1;
                  if (created === 2) throw new Error('disk full');
                  return tx.cases.create(row);
                },
              },
            }),
          ),
      };
      const deps: Deps = { ...t.deps, store };
      const before = await caseCount();
      const batches = (await t.audit('CASE_BATCH_SUBMITTED')).length;
      const actor = await actorOf(t.deps, 'xifeng_requester');
      await expect(submitCaseBatch(deps, bundle.upload, { dryRun: false }, actor)).rejects.toThrow(
        'disk full',
      );
      await bundle.close();
      expect(created).toBe(2);
      expect(await caseCount()).toBe(before);
      const sm3 = createHash('sm3').update(paper).digest('hex');
      expect(await t.deps.store.cases.authorizationCase(sm3)).toBeUndefined();
      expect(await t.audit('CASE_BATCH_SUBMITTED')).toHaveLength(batches);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is for requester staff only', async () => {
    expectError(
      await t.call('GET', '/api/cases/batch-template', { cookie: staff }),
      403,
      'PERMISSION_DENIED',
    );
    const a = next();
    const content = await filled([member('1', a, '本人', { 救助类型: '医疗救助' })]);
    const before = await caseCount();
    expectError(await upload(content, 'x.xlsx', false, staff), 403, 'PERMISSION_DENIED');
    expect(await caseCount()).toBe(before);
  });
});

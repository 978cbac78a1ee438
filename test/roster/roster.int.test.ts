import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROSTER_FIELDS, ROSTER_HEADERS } from '../../src/domain/roster/roster.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, multipart, personName } from '../support/department-data.ts';

/**
 * The recipient roster (issue #6 item 1): a requester imports its recipients month by month, from a
 * spreadsheet or as JSON; a second import of a month supersedes the first (kept); a month is compared with the
 * previous one; a family's authorization is on file when an accepted case lists every member; agency users
 * read the rosters of their region only.
 */

interface ImportResult {
  status: 'committed' | 'rejected';
  versionId: number | null;
  month: string;
  familyCount: number;
  memberCount: number;
  authorizationMissingCount: number;
  supersededVersionId: number | null;
  problems: { row: number; column: string; code: string; message: string }[];
}

interface Version {
  id: number;
  month: string;
  source: string;
  familyCount: number;
  memberCount: number;
  superseded: boolean;
  supersededBy: number | null;
  authorizationMissingCount: number;
}

interface Family {
  familyKey: string;
  regionCode: string;
  assistanceType: string;
  startDate: string;
  monthlyAmountFen: number;
  members: { name: string; idNumberMasked: string; relation: string }[];
  authorizationOnFile: boolean;
  authorizationCaseId: number | null;
}

type Row = Partial<Record<(typeof ROSTER_FIELDS)[number], string>>;

/** Person n of family `key`; n is also the index of the synthetic ID number and name. */
function member(key: string, n: number, relation: string, family: Row = {}): Row {
  // The family's values are given on the applicant's row; other rows leave them empty unless told.
  const values: Row =
    relation === '本人'
      ? {
          regionCode: '621002001',
          assistanceType: '最低生活保障',
          startDate: '2025-03-01',
          monthlyAmount: '650.00',
        }
      : {};
  return { familyKey: key, ...values, name: personName(n), idNumber: idNumber(n), relation, ...family };
}

function csv(rows: readonly Row[]): Buffer {
  const header = ROSTER_FIELDS.map((f) => ROSTER_HEADERS[f]).join(',');
  const lines = rows.map((r) => ROSTER_FIELDS.map((f) => r[f] ?? '').join(','));
  return Buffer.from(`${[header, ...lines].join('\r\n')}\r\n`, 'utf8');
}

const AUGUST: Row[] = [
  member('XF-001', 401, '本人'),
  member('XF-001', 402, '配偶', { regionCode: '621002001', assistanceType: '最低生活保障' }),
  member('XF-002', 403, '本人', { monthlyAmount: '420.5', assistanceType: '特困人员救助供养' }),
  member('XF-003', 404, '本人', { regionCode: '621002002', monthlyAmount: '300' }),
];

describeEachDatabase('recipient roster', (dialect) => {
  const t = useTestApp(dialect);
  let requester: string;
  let staff: string;
  let otherStaff: string;
  let otherRequester: string;

  beforeAll(async () => {
    requester = await t.login('xifeng_requester');
    staff = await t.login('xifeng_staff');
    otherStaff = await t.login('qingcheng_staff');
    otherRequester = await t.login('qingcheng_requester');
  });

  const upload = async (month: string, rows: readonly Row[], cookie = requester) => {
    const { payload, headers } = multipart({ month }, { name: 'roster.csv', content: csv(rows) });
    const res = await t.call('POST', '/api/roster/uploads', { cookie, body: payload, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ImportResult>();
  };
  const versions = async (cookie: string, query = '') => {
    const res = await t.call('GET', `/api/roster/versions${query}`, { cookie });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Version[]; total: number }>();
  };
  const show = async (id: number, cookie = requester) => {
    const res = await t.call('GET', `/api/roster/versions/${id}?pageSize=100`, { cookie });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ version: Version; families: Family[]; familyTotal: number }>();
  };
  const countRows = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]
        ?.n,
    );

  let august: number;

  it('imports a spreadsheet roster: families, members encrypted, blind indexes, audited', async () => {
    const result = await upload('2025-08', AUGUST);
    expect(result).toMatchObject({
      status: 'committed',
      month: '2025-08',
      familyCount: 3,
      memberCount: 4,
      supersededVersionId: null,
      problems: [],
    });
    august = result.versionId as number;
    const { version, families, familyTotal } = await show(august);
    expect(version).toMatchObject({ month: '2025-08', source: 'upload', superseded: false });
    expect(familyTotal).toBe(3);
    expect(
      families.map((f) => [f.familyKey, f.regionCode, f.assistanceType, f.startDate, f.monthlyAmountFen]),
    ).toEqual([
      ['XF-001', '621002001', 'subsistence_allowance', '2025-03-01', 65_000],
      ['XF-002', '621002001', 'extreme_poverty', '2025-03-01', 42_050],
      ['XF-003', '621002002', 'subsistence_allowance', '2025-03-01', 30_000],
    ]);
    const first = families[0] as Family;
    expect(first.members.map((m) => m.relation)).toEqual(['本人', '配偶']);
    expect(first.members[0]?.name).toBe(`${personName(401).slice(0, 1)}**`);
    expect(first.members[0]?.idNumberMasked).toBe(
      `${idNumber(401).slice(0, 4)}**********${idNumber(401).slice(-4)}`,
    );

    // At rest: no ID number or name in clear; one blind index per member, as the records' person keys.
    const stored = await sql<{
      membersEnc: string;
    }>`select members_enc from roster_family where family_key = 'XF-001'`.execute(t.database.db);
    const ciphertext = stored.rows[0]?.membersEnc as string;
    expect(ciphertext).not.toContain(idNumber(401).slice(6, 14));
    expect(ciphertext).not.toContain(personName(401));
    expect(JSON.parse(t.deps.crypto.decrypt(ciphertext))).toEqual([
      { idNumber: idNumber(401), name: personName(401), relation: '本人' },
      { idNumber: idNumber(402), name: personName(402), relation: '配偶' },
    ]);
    const keys = await sql<{
      personKey: string;
    }>`select person_key from roster_member where version_id = ${august} order by id`.execute(t.database.db);
    expect(keys.rows.map((r) => r.personKey)).toEqual(
      [401, 402, 403, 404].map((n) => t.deps.crypto.blindIndex(idNumber(n))),
    );

    const [imported] = await t.audit('ROSTER_IMPORTED');
    expect(imported).toMatchObject({ objectType: 'roster', objectId: String(august), outcome: 'success' });
    expect(imported?.details).toMatchObject({ month: '2025-08', families: 3, members: 4 });
    const [viewed] = await t.audit('ROSTER_VIEWED');
    expect(viewed).toMatchObject({ objectId: String(august) });
  });

  it('supersedes the month on a second import and keeps the first version', async () => {
    const corrected = AUGUST.map((r) => (r.familyKey === 'XF-003' ? { ...r, monthlyAmount: '320' } : r));
    const result = await upload('2025-08', corrected);
    expect(result.status).toBe('committed');
    expect(result.supersededVersionId).toBe(august);
    const standing = await versions(requester, '?month=2025-08');
    expect(standing.items.map((v) => v.id)).toEqual([result.versionId]);
    const all = await versions(requester, '?month=2025-08&includeSuperseded=true');
    expect(all.items.map((v) => [v.id, v.superseded, v.supersededBy])).toEqual([
      [result.versionId, false, null],
      [august, true, result.versionId],
    ]);
    // The old version still reads as it was.
    const old = await show(august);
    expect(old.families.find((f) => f.familyKey === 'XF-003')?.monthlyAmountFen).toBe(30_000);
    expect(old.version.superseded).toBe(true);
    august = result.versionId as number;
  });

  it('keeps months apart and compares a month with the previous one', async () => {
    const september = [
      member('XF-001', 401, '本人', { monthlyAmount: '700' }),
      member('XF-001', 402, '配偶'),
      member('XF-003', 404, '本人', { regionCode: '621002002', monthlyAmount: '320' }),
      member('XF-004', 405, '本人', { startDate: '2025-09-15' }),
    ];
    const result = await upload('2025-09', september);
    expect(result).toMatchObject({ status: 'committed', supersededVersionId: null, familyCount: 3 });
    const months = await versions(requester);
    expect(months.items.map((v) => v.month)).toEqual(['2025-09', '2025-08']);

    const res = await t.call('GET', `/api/roster/versions/${result.versionId}/diff`, { cookie: requester });
    expect(res.statusCode, res.body).toBe(200);
    const { previous, diff } = res.json<{
      previous: Version;
      diff: {
        added: { familyKey: string }[];
        removed: { familyKey: string }[];
        amountChanged: { familyKey: string; fromFen: number; toFen: number }[];
        unchanged: number;
      };
    }>();
    expect(previous.id).toBe(august);
    expect(diff.added.map((f) => f.familyKey)).toEqual(['XF-004']);
    expect(diff.removed.map((f) => f.familyKey)).toEqual(['XF-002']);
    expect(diff.amountChanged).toEqual([{ familyKey: 'XF-001', fromFen: 65_000, toFen: 70_000 }]);
    expect(diff.unchanged).toBe(1);
    const [audited] = await t.audit('ROSTER_DIFF_VIEWED');
    expect(audited?.details).toMatchObject({
      month: '2025-09',
      previousVersionId: august,
      added: 1,
      removed: 1,
    });
  });

  it('lists every problem with its row and stores nothing', async () => {
    const before = {
      versions: await countRows('roster_version'),
      families: await countRows('roster_family'),
      members: await countRows('roster_member'),
    };
    const result = await upload('2025-10', [
      member('XF-101', 411, '本人', { idNumber: '621002198001010010' }),
      member('XF-102', 412, '配偶'),
      member('XF-103', 413, '本人', { monthlyAmount: '12.345' }),
      member('XF-104', 414, '本人', { startDate: '2025-11-01' }),
      member('XF-105', 415, '本人', { assistanceType: '低收入' }),
      member('XF-105', 415, '子女'),
      member('XF-106', 415, '本人'),
      member('XF-107', 416, '本人', { regionCode: '621021001' }),
    ]);
    expect(result.status).toBe('rejected');
    expect(result.versionId).toBeNull();
    expect(result.problems.map((p) => [p.row, p.code])).toEqual([
      [2, 'INVALID_ID_NUMBER'],
      [3, 'MISSING_APPLICANT'],
      [4, 'INVALID_AMOUNT'],
      [5, 'START_AFTER_MONTH'],
      [6, 'UNKNOWN_ASSISTANCE_TYPE'],
      [7, 'DUPLICATE_MEMBER'],
      [8, 'MEMBER_IN_TWO_FAMILIES'],
      [9, 'UNKNOWN_REGION'],
    ]);
    expect(result.problems[0]).toMatchObject({ column: '身份证号' });
    expect(result.problems[0]?.message).toMatch(/^第 2 行身份证号无效/);
    expect({
      versions: await countRows('roster_version'),
      families: await countRows('roster_family'),
      members: await countRows('roster_member'),
    }).toEqual(before);
    const [rejected] = await t.audit('ROSTER_REJECTED');
    expect(rejected).toMatchObject({ outcome: 'failure' });
    expect(rejected?.details).toMatchObject({ month: '2025-10', problemCount: 8 });
  });

  it('refuses a file with a missing column and one that is not a table', async () => {
    const noId = Buffer.from('家庭编号,姓名\r\nA,张三\r\n');
    const { payload, headers } = multipart({ month: '2025-10' }, { name: 'r.csv', content: noId });
    const res = await t.call('POST', '/api/roster/uploads', { cookie: requester, body: payload, headers });
    const body = res.json<ImportResult>();
    expect(body.status).toBe('rejected');
    expect(body.problems.map((p) => p.code)).toEqual(Array(6).fill('MISSING_COLUMN'));
    const image = multipart(
      { month: '2025-10' },
      { name: 'r.xlsx', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    );
    const bad = await t.call('POST', '/api/roster/uploads', {
      cookie: requester,
      ...{ body: image.payload, headers: image.headers },
    });
    expect(bad.json<ImportResult>()).toMatchObject({
      status: 'rejected',
      problems: [{ row: 0, code: 'NOT_A_SPREADSHEET' }],
    });
  });

  it('computes the authorization on file from an accepted case listing every member', async () => {
    const kase = await openCase(t.deps, [
      { idNumber: idNumber(421), name: personName(421), relation: '本人' },
      { idNumber: idNumber(422), name: personName(422), relation: '配偶' },
      { idNumber: idNumber(423), name: personName(423), relation: '子女' },
    ]);
    const result = await upload('2025-11', [
      member('XF-201', 421, '本人'),
      member('XF-201', 422, '配偶'),
      // Only part of this family is in the case: not on file.
      member('XF-202', 423, '本人'),
      member('XF-202', 424, '子女'),
      member('XF-203', 425, '本人'),
    ]);
    expect(result).toMatchObject({ status: 'committed', authorizationMissingCount: 2 });
    const { families } = await show(result.versionId as number);
    expect(families.map((f) => [f.familyKey, f.authorizationOnFile, f.authorizationCaseId])).toEqual([
      ['XF-201', true, kase.id],
      ['XF-202', false, null],
      ['XF-203', false, null],
    ]);
    const missing = await t.call('GET', `/api/roster/versions/${result.versionId}?missingOnly=true`, {
      cookie: requester,
    });
    expect(missing.json<{ families: Family[] }>().families.map((f) => f.familyKey)).toEqual([
      'XF-202',
      'XF-203',
    ]);

    // Naming the authorization by its fingerprint: it must be one of this requester's accepted cases.
    const filed = (await t.deps.store.cases.attachments(kase.id)).find((a) => a.kind === 'authorization');
    const named = await upload('2025-11', [
      member('XF-201', 421, '本人', { authorizationSm3: filed?.sm3 as string }),
      member('XF-201', 422, '配偶'),
    ]);
    expect(named).toMatchObject({ status: 'committed', authorizationMissingCount: 0 });
    expect((await show(named.versionId as number)).families[0]).toMatchObject({
      authorizationOnFile: true,
      authorizationCaseId: kase.id,
    });
    const unknown = await upload('2025-11', [
      member('XF-201', 421, '本人', { authorizationSm3: 'ab'.repeat(32) }),
    ]);
    expect(unknown.problems.map((p) => [p.row, p.code])).toEqual([[2, 'UNKNOWN_AUTHORIZATION']]);
    const other = await t.call('POST', '/api/roster/versions', {
      cookie: otherRequester,
      body: {
        month: '2025-11',
        rows: [
          member('QC-1', 426, '本人', { regionCode: '621021001', authorizationSm3: filed?.sm3 as string }),
        ],
      },
    });
    expect(other.json<ImportResult>().problems.map((p) => p.code)).toEqual(['UNKNOWN_AUTHORIZATION']);
  });

  it('reads an XLSX roster with date and number cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名册');
    sheet.addRow(ROSTER_FIELDS.map((f) => ROSTER_HEADERS[f]));
    sheet.addRow([
      'XF-401',
      '621002003',
      '临时救助',
      new Date(Date.UTC(2025, 6, 15)),
      1234.5,
      personName(441),
      idNumber(441),
      '本人',
    ]);
    sheet.addRow(['XF-401', null, null, null, null, personName(442), idNumber(442), '子女']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const { payload, headers } = multipart({ month: '2026-01' }, { name: 'roster.xlsx', content });
    const res = await t.call('POST', '/api/roster/uploads', { cookie: requester, body: payload, headers });
    const result = res.json<ImportResult>();
    expect(result, res.body).toMatchObject({ status: 'committed', familyCount: 1, memberCount: 2 });
    const { families } = await show(result.versionId as number);
    expect(
      families.map((f) => [
        f.regionCode,
        f.assistanceType,
        f.startDate,
        f.monthlyAmountFen,
        f.members.length,
      ]),
    ).toEqual([['621002003', 'temporary_assistance', '2025-07-15', 123_450, 2]]);
  });

  it('accepts the roster pushed as JSON, with the same checks', async () => {
    const rows = [member('XF-301', 431, '本人', { monthlyAmount: '512.3' }), member('XF-301', 432, '子女')];
    const res = await t.call('POST', '/api/roster/versions', {
      cookie: requester,
      body: { month: '2025-12', rows },
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<ImportResult>();
    expect(result).toMatchObject({ status: 'committed', familyCount: 1, memberCount: 2 });
    const { version, families } = await show(result.versionId as number);
    expect(version.source).toBe('api');
    expect(families[0]?.monthlyAmountFen).toBe(51_230);

    const wrong = await t.call('POST', '/api/roster/versions', {
      cookie: requester,
      body: { month: '2025-12', rows: [{ ...rows[0], idNumber: '123' }] },
    });
    expect(wrong.json<ImportResult>()).toMatchObject({
      status: 'rejected',
      problems: [{ row: 2, code: 'INVALID_ID_NUMBER' }],
    });
    expectError(
      await t.call('POST', '/api/roster/versions', { cookie: requester, body: { month: '2025-13', rows } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  describe('access', () => {
    it('lets the agency of the region read, and no one from another county', async () => {
      const mine = await versions(requester);
      const id = mine.items[0]?.id as number;
      expect((await show(id, staff)).version.id).toBe(id);
      expect((await versions(staff)).total).toBe(mine.total);

      for (const cookie of [otherStaff, otherRequester]) {
        expectError(await t.call('GET', `/api/roster/versions/${id}`, { cookie }), 404, 'OUT_OF_SCOPE');
        expectError(await t.call('GET', `/api/roster/versions/${id}/diff`, { cookie }), 404, 'OUT_OF_SCOPE');
        expect((await versions(cookie)).total).toBe(0);
      }
    });

    it('lets only requester staff import, and refuses other roles', async () => {
      const { payload, headers } = multipart({ month: '2025-08' }, { name: 'r.csv', content: csv(AUGUST) });
      expectError(
        await t.call('POST', '/api/roster/uploads', { cookie: staff, body: payload, headers }),
        403,
        'PERMISSION_DENIED',
      );
      for (const username of ['admin', 'auditor', 'dept_public_security']) {
        const cookie = await t.login(username);
        expectError(await t.call('GET', '/api/roster/versions', { cookie }), 403, 'PERMISSION_DENIED');
      }
      expectError(await t.call('GET', '/api/roster/versions'), 401, 'UNAUTHENTICATED');
    });

    it('serves the template to requester staff', async () => {
      const res = await t.call('GET', '/api/roster/template', { cookie: requester });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    });
  });
});

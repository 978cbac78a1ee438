import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/app/ingest/import-batch.ts';
import type { ImportUnidentifiedResult } from '../../src/app/ingest/import-unidentified.ts';
import { importRoster } from '../../src/app/roster/import-roster.ts';
import { computeCheckChar } from '../../src/domain/identity/id-number.ts';
import { BIRTH_KEY_PURPOSE } from '../../src/domain/matching/birth-date.ts';
import { useTestApp } from '../support/app.ts';
import { actorOf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import {
  birthDateOf,
  csvBytes,
  hukouRow,
  idNumber,
  multipart,
  payrollRow,
  personName,
  type Row,
} from '../support/department-data.ts';

/**
 * 「待认定记录」补充报送 (issue #7) on both databases: rows whose ID number is missing or mistyped, uploaded beside the
 * department's main batch, linked at import by a nearby valid number of the register or left to the assessment's
 * name + birth-date matching, and picked up by an assessment. The test clock stands at 2025-09-26 (Shanghai).
 */

const A = 0;
const B = 1;
const C = 2;
/** Born on a day of their own (A, B and C share 1980-01-01). */
const D = 3;
const D_ID = idNumber(D, { birth: '19700505' });

/** A's number with a wrong check character: one substituted digit. */
function mistyped(index: number): string {
  const id = idNumber(index);
  const wrong = [...'10X98765432'].find((c) => c !== id.slice(17)) as string;
  return `${id.slice(0, 17)}${wrong === computeCheckChar(id.slice(0, 17)) ? '0' : wrong}`;
}

function depositRow(overrides: Row): Row {
  return {
    身份证号: '',
    姓名: '',
    金融机构: '庆阳农商银行',
    账号: '',
    资产类型: '活期存款',
    余额: '100.00',
    截至日期: '2025-09-20',
    ...overrides,
  };
}

const DEPOSIT_HEADERS = ['身份证号', '姓名', '出生日期', '金融机构', '账号', '资产类型', '余额', '截至日期'];

interface BatchView {
  id: number;
  kind: string;
  status: string;
  supersededBy: number | null;
  nearbyIdRows: number | null;
  nameBirthRows: number | null;
}

describeEachDatabase('unidentified rows (待认定记录)', (dialect) => {
  const t = useTestApp(dialect);
  let bank: string;
  let staff: string;
  let caseRef = '';
  const batches: Record<string, number> = {};

  /** Each account once: the engine counts an account's balance once, whichever batches it appears in. */
  const post = async (url: string, cookie: string, dataset: string, period: string, bytes: Buffer) => {
    const { payload, headers } = multipart({ dataset, period }, { name: `${dataset}.csv`, content: bytes });
    const res = await t.call('POST', url, { cookie, body: payload, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  const upload = async (cookie: string, dataset: string, period: string, rows: Row[]) =>
    (await post('/api/batches', cookie, dataset, period, csvBytes(rows))).json<ImportResult>();
  const uploadUnidentified = async (
    dataset: string,
    period: string,
    rows: Row[],
    options: { cookie?: string; headers?: string[] } = {},
  ) =>
    (
      await post(
        '/api/batches/unidentified',
        options.cookie ?? bank,
        dataset,
        period,
        csvBytes(rows, options.headers ? { headers: options.headers } : {}),
      )
    ).json<ImportUnidentifiedResult>();
  const batch = async (id: number) => {
    const res = await t.call('GET', `/api/batches/${id}`, { cookie: bank });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ batch: BatchView }>().batch;
  };
  const depositsFen = async () => {
    const res = await t.call('POST', '/api/assessments', {
      cookie: staff,
      body: {
        caseRef,
        regionCode: '621002',
        assistanceType: 'subsistence_allowance',
        members: [A, B].map((i, n) => ({
          idNumber: idNumber(i),
          name: personName(i),
          relation: n === 0 ? '本人' : '配偶',
          coResiding: true,
          exclusion: null,
        })),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json<{
      assessment: {
        batchIds: number[];
        result: {
          assessment: { household: { assets: { deposits: { totalFen: number } } } };
          links: { recordId: number; memberId: string; basis: string }[];
        };
      };
    }>().assessment;
    return { fen: view.result.assessment.household.assets.deposits.totalFen, view };
  };

  beforeAll(async () => {
    bank = await t.login('dept_banking');
    staff = await t.login('xifeng_staff');
    const police = await t.login('dept_public_security');
    const hukou = await upload(police, 'hukou', '2025-Q3', [
      hukouRow(A),
      hukouRow(B),
      hukouRow(C),
      hukouRow(D, { 身份证号: D_ID, 出生日期: birthDateOf(D_ID) }),
    ]);
    expect(hukou.status).toBe('committed');
    const members = [A, B].map((i) => ({ idNumber: idNumber(i), name: personName(i), relation: '本人' }));
    caseRef = (await openCase(t.deps, members)).number;
    const main = await upload(bank, 'deposit', '2025-Q3', [
      depositRow({ 身份证号: idNumber(B), 姓名: personName(B), 余额: '1000.00' }),
    ]);
    expect(main.status).toBe('committed');
    batches.main = main.batchId as number;
  });

  describe('an upload beside the main batch', () => {
    let result: ImportUnidentifiedResult;
    beforeAll(async () => {
      result = await uploadUnidentified(
        'deposit',
        '2025-Q3',
        [
          // A's number mistyped, A's name: linked at import through the one nearby number of the register.
          depositRow({ 身份证号: mistyped(A), 姓名: personName(A), 余额: '20.00' }),
          // The same mistyped number under another name: no nearby link; left to name + birth date.
          depositRow({ 身份证号: mistyped(A), 姓名: '欧阳无名', 账号: '6230009', 余额: '4000.00' }),
          // No number: B's name and birth date.
          depositRow({
            姓名: personName(B),
            出生日期: birthDateOf(idNumber(B)),
            账号: '6230003',
            余额: '300.00',
          }),
        ],
        { headers: DEPOSIT_HEADERS },
      );
      batches.first = result.batchId as number;
    });

    it('commits the rows and counts how each was linked', () => {
      expect(result).toMatchObject({
        status: 'committed',
        kind: 'unidentified',
        rows: 3,
        stored: 3,
        nearbyIdRows: 1,
        nameBirthRows: 2,
      });
    });

    it('stores the nearby link with the person key, the number as written encrypted, and the others by birth date', async () => {
      const records = await t.deps.store.batches.records(batches.first as number, 0, 10);
      const [linked, other, noId] = records;
      const { crypto } = t.deps;
      expect(linked?.personKey).toBe(crypto.blindIndex(idNumber(A)));
      expect(crypto.decrypt(linked?.idEnc as string)).toBe(mistyped(A));
      expect(JSON.parse(linked?.values as string)).toMatchObject({ idLink: 'nearby_id' });
      expect(other?.personKey).toBeNull();
      expect(other?.birthKey).toBe(crypto.blindIndex(birthDateOf(idNumber(A)), BIRTH_KEY_PURPOSE));
      expect(noId).toMatchObject({ personKey: null, idEnc: null });
      expect(noId?.birthKey).toBe(crypto.blindIndex(birthDateOf(idNumber(B)), BIRTH_KEY_PURPOSE));
      expect(JSON.parse(noId?.values as string)).toMatchObject({ birthDate: birthDateOf(idNumber(B)) });
    });

    it('leaves the main batch of the period standing and shows the kind and counts on the batch', async () => {
      expect(await batch(batches.main as number)).toMatchObject({ kind: 'main', status: 'committed' });
      expect(await batch(batches.first as number)).toMatchObject({
        kind: 'unidentified',
        status: 'committed',
        nearbyIdRows: 1,
        nameBirthRows: 2,
      });
      const entries = await t.audit('BATCH_COMMITTED');
      const entry = entries.find((e) => e.objectId === String(batches.first));
      expect(entry?.details).toMatchObject({
        kind: 'unidentified',
        nearbyIdRows: 1,
        nameBirthRows: 2,
        supersedes: null,
      });
    });

    it('is picked up by an assessment: the nearby link by ID, the row without one by name and birth date', async () => {
      const { fen, view } = await depositsFen();
      // B's 1 000.00 (main) + A's 20.00 (nearby number) + B's 300.00 (name + birth date); not the 4 000.00 of
      // another name.
      expect(fen).toBe(132_000);
      expect(view.batchIds).toEqual(expect.arrayContaining([batches.main, batches.first]));
      const records = await t.deps.store.batches.records(batches.first as number, 0, 10);
      const basis = new Map(view.result.links.map((l) => [l.recordId, l.basis]));
      expect(basis.get(records[0]?.id as number)).toBe('id');
      expect(basis.get(records[2]?.id as number)).not.toBe('id');
      expect(basis.has(records[1]?.id as number)).toBe(false);
    });

    it('recognises the same file again as a duplicate', async () => {
      const again = await uploadUnidentified(
        'deposit',
        '2025-Q3',
        [
          depositRow({ 身份证号: mistyped(A), 姓名: personName(A), 余额: '20.00' }),
          depositRow({ 身份证号: mistyped(A), 姓名: '欧阳无名', 账号: '6230009', 余额: '4000.00' }),
          depositRow({
            姓名: personName(B),
            出生日期: birthDateOf(idNumber(B)),
            账号: '6230003',
            余额: '300.00',
          }),
        ],
        { headers: DEPOSIT_HEADERS },
      );
      expect(again).toMatchObject({ status: 'duplicate', batchId: batches.first, nearbyIdRows: 1 });
    });
  });

  describe('supersession', () => {
    it('a newer unidentified batch supersedes the older one only; a newer main batch supersedes the main one only', async () => {
      const second = await uploadUnidentified('deposit', '2025-Q3', [
        depositRow({ 身份证号: mistyped(A), 姓名: personName(A), 余额: '50.00' }),
      ]);
      expect(second).toMatchObject({ status: 'committed', nearbyIdRows: 1, nameBirthRows: 0 });
      batches.second = second.batchId as number;
      expect(await batch(batches.first as number)).toMatchObject({
        status: 'superseded',
        supersededBy: batches.second,
      });
      expect(await batch(batches.main as number)).toMatchObject({ status: 'committed' });

      const main = await upload(bank, 'deposit', '2025-Q3', [
        depositRow({ 身份证号: idNumber(B), 姓名: personName(B), 余额: '2000.00' }),
      ]);
      expect(main.status).toBe('committed');
      expect(await batch(batches.main as number)).toMatchObject({
        status: 'superseded',
        supersededBy: main.batchId,
      });
      expect(await batch(batches.second as number)).toMatchObject({
        status: 'committed',
        kind: 'unidentified',
      });
      // B's 2 000.00 (the new main batch) + A's 50.00 (the newer unidentified rows).
      expect((await depositsFen()).fen).toBe(205_000);
    });

    it('refuses a periodic period overlapping another unidentified batch, not one overlapping the main batch', async () => {
      const finance = await t.login('dept_finance');
      const row = (month: string) => ({ ...payrollRow(A, month), 身份证号: mistyped(A) });
      expect((await upload(finance, 'payroll', '2025-H1', [payrollRow(A, '2025-01')])).status).toBe(
        'committed',
      );
      const quarter = await uploadUnidentified('payroll', '2025-H1', [row('2025-02')], { cookie: finance });
      expect(quarter).toMatchObject({ status: 'committed', nearbyIdRows: 1 });
      const overlapping = await uploadUnidentified('payroll', '2025', [row('2025-06')], { cookie: finance });
      expect(overlapping.status).toBe('rejected');
      expect(overlapping.fileErrors.map((e) => e.code)).toEqual(['PERIOD_OVERLAP']);
    });
  });

  describe('all or nothing', () => {
    it('rejects the whole file for any other error, listing each, and stores nothing', async () => {
      const before = await t.deps.store.batches.list({ dataset: 'deposit', offset: 0, limit: 100 });
      const result = await uploadUnidentified(
        'deposit',
        '2025-Q3',
        [
          depositRow({ 身份证号: mistyped(A), 姓名: personName(A) }),
          depositRow({ 身份证号: mistyped(C), 姓名: personName(C), 资产类型: '黄金' }),
          depositRow({ 姓名: personName(B), 出生日期: '' }),
          depositRow({ 身份证号: idNumber(C), 姓名: personName(C) }),
        ],
        { headers: DEPOSIT_HEADERS },
      );
      expect(result.status).toBe('rejected');
      expect(result.errors.map((e) => [e.row, e.code])).toEqual([
        [3, 'INVALID_ENUM'],
        [4, 'MISSING_BIRTH_DATE'],
        [5, 'VALID_ID_NUMBER'],
      ]);
      const after = await t.deps.store.batches.list({ dataset: 'deposit', offset: 0, limit: 100 });
      expect(after.total).toBe(before.total + 1);
      const rejected = await batch(result.batchId as number);
      expect(rejected).toMatchObject({ status: 'rejected', kind: 'unidentified' });
      expect(await t.deps.store.batches.countRecords(result.batchId as number)).toBe(0);
      expect(await batch(batches.second as number)).toMatchObject({ status: 'committed' });
    });

    it('refuses unidentified rows of the hukou register', async () => {
      const police = await t.login('dept_public_security');
      const result = await uploadUnidentified(
        'hukou',
        '2025-Q3',
        [{ ...hukouRow(C), 身份证号: mistyped(C) }],
        { cookie: police },
      );
      expect(result.status).toBe('rejected');
      expect(result.fileErrors.map((e) => e.code)).toEqual(['UNIDENTIFIED_NOT_ACCEPTED']);
    });
  });

  describe('change-driven rechecks', () => {
    it('marks the families of a person linked by a nearby number and of those born on the day of a row left to name + birth date', async () => {
      const requester = await actorOf(t.deps, 'xifeng_requester');
      const family = (key: string, index: number, id: string) => ({
        familyKey: key,
        regionCode: '621002001',
        assistanceType: '最低生活保障',
        startDate: '2025-01-01',
        monthlyAmount: '650',
        name: personName(index),
        idNumber: id,
        relation: '本人',
      });
      const roster = await importRoster(
        t.deps,
        {
          source: 'api',
          month: '2025-09',
          rows: [family('F-A', A, idNumber(A)), family('F-B', B, idNumber(B)), family('F-D', D, D_ID)],
        },
        requester,
      );
      expect(roster.status).toBe('committed');
      const vehicle = (overrides: Row): Row => ({
        身份证号: '',
        姓名: '',
        出生日期: '',
        号牌号码: '甘M55555',
        使用性质: '非营运',
        初次登记日期: '2020-01-01',
        车辆状态: '正常',
        ...overrides,
      });
      const police = await t.login('dept_public_security');
      const result = await uploadUnidentified(
        'vehicle',
        '2025-Q2',
        [
          vehicle({ 身份证号: mistyped(A), 姓名: personName(A) }),
          vehicle({ 姓名: personName(D), 出生日期: birthDateOf(D_ID), 号牌号码: '甘M66666' }),
        ],
        { cookie: police },
      );
      expect(result).toMatchObject({ status: 'committed', nearbyIdRows: 1, nameBirthRows: 1 });
      const marks = await t.database.db
        .selectFrom('recheckMark')
        .select('familyKey')
        .where('batchId', '=', result.batchId as number)
        .orderBy('familyKey')
        .execute();
      expect(marks.map((m) => m.familyKey)).toEqual(['F-A', 'F-D']);
    });
  });

  describe('template and push', () => {
    it('downloads the unidentified template with 身份证号 optional and 出生日期 after 姓名', async () => {
      const res = await t.call('GET', '/api/datasets/deposit/template?format=csv&kind=unidentified', {
        cookie: bank,
      });
      expect(res.statusCode).toBe(200);
      expect(res.body.replace('\uFEFF', '').trim()).toBe(DEPOSIT_HEADERS.join(','));
    });

    it('takes pushed rows keyed by the column code names', async () => {
      const res = await t.call('POST', '/api/v1/datasets/vehicle/unidentified-batches?period=2025-Q3', {
        cookie: await t.login('dept_public_security'),
        body: [
          {
            name: personName(A),
            birthDate: birthDateOf(idNumber(A)),
            plateNumber: '甘M99999',
            useCharacter: '非营运',
            firstRegistrationDate: '2020-01-01',
            vehicleStatus: '正常',
          },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<ImportUnidentifiedResult>()).toMatchObject({
        status: 'committed',
        kind: 'unidentified',
        nameBirthRows: 1,
      });
    });
  });
});

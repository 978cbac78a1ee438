import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import type { AnswerExchangeResult } from '../../src/app/exchange/answer-offline-exchange.ts';
import type { StoredRecord } from '../../src/app/ports.ts';
import { BINDING_SHEET } from '../../src/documents/offline-exchange.ts';
import { REPLY_SHEET } from '../../src/domain/exchange/offline-exchange.ts';
import { BIRTH_KEY_PURPOSE } from '../../src/domain/matching/birth-date.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { birthDateOf, idNumber, multipart, personName } from '../support/department-data.ts';
import { exportAs } from '../support/exports.ts';

interface ExchangeView {
  id: number;
  reference: string;
  departmentCode: string;
  dataset: string;
  status: string;
  personCount: number;
  caseRefs: string[];
  answerBatchId: number | null;
}

/** Persons 1 and 2 belong to case A, 3 and 4 to case B: accepted cases opened in beforeAll. */
const PERSONS = [0, 1, 2, 3].map((i) => ({
  caseRef: '',
  idNumber: idNumber(i),
  name: personName(i),
}));
/** Someone the finance department found without an ID number, for person 3 (序号 3). */
const NO_ID_BIRTH = '1979-05-04';

describeEachDatabase('offline exchange', (dialect) => {
  const t = useTestApp(dialect);
  let staff: string;
  let finance: string;
  let police: string;
  let otherCounty: string;

  let CASE_A = '';
  let CASE_B = '';
  /** Persons 1 and 2 again, in a case the exchange did not serve. */
  let CASE_C = '';

  beforeAll(async () => {
    const member = (i: number) => ({
      idNumber: idNumber(i),
      name: personName(i),
      relation: i % 2 ? '配偶' : '本人',
    });
    CASE_A = (await openCase(t.deps, [member(0), member(1)])).number;
    CASE_B = (await openCase(t.deps, [member(2), member(3)])).number;
    CASE_C = (await openCase(t.deps, [member(0), member(1)])).number;
    for (const [i, person] of PERSONS.entries()) person.caseRef = i < 2 ? CASE_A : CASE_B;
    staff = await t.login('xifeng_staff');
    finance = await t.login('dept_finance');
    police = await t.login('dept_public_security');
    otherCounty = await t.login('qingcheng_staff');
  });

  const create = async (persons = PERSONS, dataset = 'payroll', departmentCode = 'finance') => {
    const res = await t.call('POST', '/api/offline-exchanges', {
      cookie: staff,
      body: { departmentCode, dataset, persons },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ exchange: ExchangeView }>().exchange;
  };

  // The list carries full ID numbers: it leaves only as an approved export (issue #8 item 4).
  const download = async (
    id: number,
    cookie = staff,
    username = 'xifeng_staff',
  ): Promise<ExcelJS.Workbook> => {
    const res = await exportAs(t, username, { kind: 'offline_exchange', exchangeId: id }, { cookie });
    expect(res.statusCode, res.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return workbook;
  };

  const answer = async (
    id: number,
    workbook: ExcelJS.Workbook,
    cookie = staff,
  ): Promise<LightMyRequestResponse> => {
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const { payload, headers } = multipart({}, { name: 'reply.xlsx', content });
    return t.call('POST', `/api/offline-exchanges/${id}/answer`, { cookie, body: payload, headers });
  };

  /** Findings for persons 1 and 2 (two months for person 1), a record without ID for person 3, person 4 empty. */
  const fill = (workbook: ExcelJS.Workbook, grossPayOfFirst = '6820.00') => {
    const sheet = workbook.getWorksheet(REPLY_SHEET) as ExcelJS.Worksheet;
    const set = (row: number, values: (string | null)[]) =>
      values.forEach((v, i) => {
        sheet.getCell(row, i + 1).value = v;
      });
    // 序号 案件编号 身份证号 姓名 出生日期 工作单位 所属月份 应发工资 实发工资
    set(2, [
      '1',
      PERSONS[0]?.caseRef ?? '',
      PERSONS[0]?.idNumber ?? '',
      PERSONS[0]?.name ?? '',
      null,
      '西峰区第一小学',
      '2025-08',
      grossPayOfFirst,
      '5312.45',
    ]);
    set(3, [
      '2',
      PERSONS[1]?.caseRef ?? '',
      PERSONS[1]?.idNumber ?? '',
      PERSONS[1]?.name ?? '',
      null,
      '西峰区第二小学',
      '2025-08',
      '5000',
      '4000',
    ]);
    set(6, [
      '1',
      PERSONS[0]?.caseRef ?? '',
      PERSONS[0]?.idNumber ?? '',
      PERSONS[0]?.name ?? '',
      null,
      '西峰区第一小学',
      '2025-07',
      '6820',
      '5312.45',
    ]);
    set(7, ['3', null, null, '孙瑶', NO_ID_BIRTH, '环县医院', '2025-06', '4100', '3500']);
    return workbook;
  };

  it('round-trips: export, download, answer; findings stored with their case, key and provenance', async () => {
    const exchange = await create();
    expect(exchange).toMatchObject({
      reference: expect.stringMatching(/^LX-20250926-\d{6}$/),
      status: 'exported',
      personCount: 4,
      caseRefs: [CASE_A, CASE_B],
    });
    const [exported] = await t.audit('OFFLINE_EXCHANGE_EXPORTED');
    expect(exported?.details).toMatchObject({ reference: exchange.reference, caseRefs: exchange.caseRefs });

    const detail = await t.call('GET', `/api/offline-exchanges/${exchange.id}`, { cookie: staff });
    const persons = detail.json<{ persons: { idNumber: string; name: string }[] }>().persons;
    expect(persons[0]?.idNumber).toMatch(/^6210\*+\d{3}[\dX]$/);
    // A list of many persons: names masked too (issue #8 item 4).
    expect(persons[0]?.name).toBe(`${[...personName(0)][0]}${'*'.repeat([...personName(0)].length - 1)}`);

    const workbook = await download(exchange.id);
    const [downloaded] = await t.audit('OFFLINE_EXCHANGE_DOWNLOADED');
    expect(downloaded?.details).toMatchObject({ reference: exchange.reference, caseRefs: exchange.caseRefs });
    const res = await answer(exchange.id, fill(workbook));
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<AnswerExchangeResult>();
    expect(result).toMatchObject({
      status: 'answered',
      rows: 6,
      stored: 4,
      personsWithRecords: 3,
      personsWithoutRecords: 1,
      errors: [],
      fileErrors: [],
    });

    const batch = await t.deps.store.batches.get(result.batchId as number);
    expect(batch).toMatchObject({
      source: 'offline',
      exchangeId: exchange.id,
      dataset: 'payroll',
      departmentCode: 'finance',
      status: 'committed',
      period: '2025-09',
      dataAsOf: '2025-09-26',
      rowsStored: 4,
    });
    const records: StoredRecord[] = await t.deps.store.batches.records(batch?.id as number, 0, 100);
    const { crypto } = t.deps;
    const summary = records.map((r) => ({
      rowNumber: r.rowNumber,
      caseRef: r.caseRef,
      personKey: r.personKey,
      birthKey: r.birthKey,
      name: r.nameEnc === null ? null : crypto.decrypt(r.nameEnc),
      month: r.month,
      values: JSON.parse(r.values),
    }));
    expect(summary).toEqual([
      {
        rowNumber: 2,
        caseRef: CASE_A,
        personKey: crypto.blindIndex(idNumber(0)),
        birthKey: null,
        name: personName(0),
        month: '2025-08',
        values: { employer: '西峰区第一小学', month: '2025-08', grossPay: 682000, netPay: 531245 },
      },
      {
        rowNumber: 3,
        caseRef: CASE_A,
        personKey: crypto.blindIndex(idNumber(1)),
        birthKey: null,
        name: personName(1),
        month: '2025-08',
        values: { employer: '西峰区第二小学', month: '2025-08', grossPay: 500000, netPay: 400000 },
      },
      {
        rowNumber: 6,
        caseRef: CASE_A,
        personKey: crypto.blindIndex(idNumber(0)),
        birthKey: null,
        name: personName(0),
        month: '2025-07',
        values: { employer: '西峰区第一小学', month: '2025-07', grossPay: 682000, netPay: 531245 },
      },
      {
        rowNumber: 7,
        caseRef: CASE_B,
        personKey: null,
        birthKey: crypto.blindIndex(NO_ID_BIRTH, BIRTH_KEY_PURPOSE),
        name: '孙瑶',
        month: '2025-06',
        values: {
          employer: '环县医院',
          month: '2025-06',
          grossPay: 410000,
          netPay: 350000,
          birthDate: NO_ID_BIRTH,
        },
      },
    ]);
    expect(records[0]?.idEnc && crypto.decrypt(records[0].idEnc)).toBe(idNumber(0));
    expect(records[3]?.idEnc).toBeNull();

    const after = await t.deps.store.offlineExchanges.get(exchange.id);
    expect(after).toMatchObject({
      status: 'answered',
      answerBatchId: batch?.id,
      answeredAt: expect.any(String),
    });
    const [answered] = await t.audit('OFFLINE_EXCHANGE_ANSWERED');
    expect(answered).toMatchObject({
      objectId: String(exchange.id),
      details: { reference: exchange.reference, batchId: batch?.id, stored: 4, caseRefs: exchange.caseRefs },
    });
    // Not a delivery: the department's regular batches of the period neither see nor supersede it.
    expect(await t.deps.store.batches.current('payroll', '2025-09')).toBeUndefined();
    expect(await t.deps.store.batches.committedOverlapping('payroll', '2025-07', '2025-12')).toEqual([]);

    // A second answer is refused and audited.
    const again = await answer(exchange.id, fill(await download(exchange.id)));
    expectError(again, 409, 'EXCHANGE_ALREADY_ANSWERED');
    const [refused] = await t.audit('OFFLINE_EXCHANGE_REJECTED');
    expect(refused?.details).toMatchObject({
      reference: exchange.reference,
      fileErrors: ['EXCHANGE_ALREADY_ANSWERED'],
    });
  });

  it("feeds the findings into the assessment of their case only, as the department's source", async () => {
    // The round trip above answered case A for persons 1 and 2 (two months of pay for person 1).
    const assess = async (caseRef: string) => {
      const res = await t.call('POST', '/api/assessments', {
        cookie: staff,
        body: {
          caseRef,
          regionCode: '621002',
          assistanceType: 'subsistence_allowance',
          members: [0, 1].map((i) => ({
            idNumber: idNumber(i),
            name: personName(i),
            relation: i === 0 ? '本人' : '配偶',
          })),
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{
        assessment: {
          result: {
            assessment: {
              members: {
                income: {
                  categories: {
                    wages: {
                      totalFen: number;
                      months: { month: string; evidence: { batchId: number; departmentCode: string }[] }[];
                    };
                  };
                };
              }[];
            };
            sources: { batches: { id: number; source: string; departmentCode: string }[] };
          };
        };
      }>().assessment.result;
    };
    const own = await assess(CASE_A);
    const wages = own.assessment.members[0]?.income.categories.wages;
    expect(wages?.totalFen).toBe(1_364_000);
    const august = wages?.months.find((m) => m.month === '2025-08')?.evidence[0];
    expect(august?.departmentCode).toBe('finance');
    expect(own.sources.batches.find((b) => b.id === august?.batchId)).toMatchObject({ source: 'offline' });
    const other = await assess(CASE_C);
    expect(other.assessment.members[0]?.income.categories.wages.totalFen).toBe(0);
  });

  it('exports only members of accepted cases the caller works on (无委托、不核对), storing nothing otherwise', async () => {
    const exportOf = async (
      persons: { caseRef: string; idNumber: string; name: string }[],
      cookie = staff,
    ) => {
      const res = await t.call('POST', '/api/offline-exchanges', {
        cookie,
        body: { departmentCode: 'finance', dataset: 'payroll', persons },
      });
      return [res.statusCode, res.json<{ error?: { details?: { code?: string } } }>().error?.details?.code];
    };
    const before = await t.deps.store.offlineExchanges.list({ regionScope: null, offset: 0, limit: 1 });
    const stranger = { caseRef: CASE_A, idNumber: idNumber(30), name: personName(30) };
    expect(await exportOf([stranger])).toEqual([403, 'MEMBER_NOT_IN_CASE']);
    expect(await exportOf([{ ...stranger, caseRef: 'HD-621002-2025-999999' }])).toEqual([403, 'NO_CASE']);
    expect(await exportOf(PERSONS.slice(0, 1), await t.login('city_staff'))).toEqual([403, 'NOT_HANDLER']);
    const after = await t.deps.store.offlineExchanges.list({ regionScope: null, offset: 0, limit: 1 });
    expect(after.total).toBe(before.total);
  });

  it('counts a reply in which the department found nothing as answered with no records', async () => {
    const exchange = await create(PERSONS.slice(0, 2));
    const res = await answer(exchange.id, await download(exchange.id));
    expect(res.json<AnswerExchangeResult>()).toMatchObject({
      status: 'answered',
      stored: 0,
      personsWithRecords: 0,
      personsWithoutRecords: 2,
    });
  });

  it('refuses a file whose reference or fingerprint was changed, storing nothing', async () => {
    const exchange = await create();
    const other = await create(PERSONS.slice(1));
    const batchesBefore = (await t.deps.store.batches.list({ offset: 0, limit: 1 })).total;

    const foreign = fill(await download(other.id));
    const r1 = (await answer(exchange.id, foreign)).json<AnswerExchangeResult>();
    expect(r1).toMatchObject({ status: 'rejected', batchId: null, stored: 0 });
    expect(r1.fileErrors.map((e) => e.code)).toEqual(['EXCHANGE_MISMATCH']);

    const tampered = fill(await download(exchange.id));
    const binding = tampered.getWorksheet(BINDING_SHEET) as ExcelJS.Worksheet;
    binding.getCell('B2').value = 'forged-fingerprint';
    const r2 = (await answer(exchange.id, tampered)).json<AnswerExchangeResult>();
    expect(r2.fileErrors.map((e) => e.code)).toEqual(['FINGERPRINT_MISMATCH']);

    const copied = new ExcelJS.Workbook();
    const sheet = copied.addWorksheet(REPLY_SHEET);
    sheet.addRow([
      '序号',
      '案件编号',
      '身份证号',
      '姓名',
      '出生日期',
      '工作单位',
      '所属月份',
      '应发工资',
      '实发工资',
    ]);
    const r3 = (await answer(exchange.id, copied)).json<AnswerExchangeResult>();
    expect(r3.fileErrors.map((e) => e.code)).toEqual(['NOT_AN_EXCHANGE_REPLY']);

    expect((await t.deps.store.batches.list({ offset: 0, limit: 1 })).total).toBe(batchesBefore);
    expect((await t.deps.store.offlineExchanges.get(exchange.id))?.status).toBe('exported');
    const refusals = await t.audit('OFFLINE_EXCHANGE_REJECTED');
    expect(refusals.slice(0, 3).map((e) => e.details.fileErrors)).toEqual([
      ['NOT_AN_EXCHANGE_REPLY'],
      ['FINGERPRINT_MISMATCH'],
      ['EXCHANGE_MISMATCH'],
    ]);
  });

  it('rejects the whole reply for one bad amount, listing every error', async () => {
    const exchange = await create();
    const workbook = fill(await download(exchange.id), '12.345');
    const sheet = workbook.getWorksheet(REPLY_SHEET) as ExcelJS.Worksheet;
    sheet.getCell(8, 1).value = '9';
    sheet.getCell(8, 6).value = '外单位';
    const res = await answer(exchange.id, workbook);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<AnswerExchangeResult>();
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '应发工资', 'INVALID_AMOUNT'],
      [8, '序号', 'UNKNOWN_PERSON'],
    ]);
    expect(result.errors[0]?.message).toMatch(/应发工资/);
    const after = await t.deps.store.offlineExchanges.get(exchange.id);
    expect(after).toMatchObject({ status: 'exported', answerBatchId: null });
    const [refused] = await t.audit('OFFLINE_EXCHANGE_REJECTED');
    expect(refused?.details).toMatchObject({ reference: exchange.reference, errorCount: 2 });
  });

  it('lets the department addressed see and answer, and hides the exchange from others', async () => {
    const exchange = await create();
    const list = await t.call('GET', '/api/offline-exchanges', { cookie: finance });
    expect(list.json<{ items: ExchangeView[] }>().items.map((e) => e.id)).toContain(exchange.id);
    const policeList = await t.call('GET', '/api/offline-exchanges', { cookie: police });
    expect(policeList.json<{ items: ExchangeView[] }>().items).toEqual([]);

    expectError(
      await t.call('GET', `/api/offline-exchanges/${exchange.id}`, { cookie: police }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(
      await exportAs(
        t,
        'qingcheng_staff',
        { kind: 'offline_exchange', exchangeId: exchange.id },
        { cookie: otherCounty },
      ),
      404,
      'OUT_OF_SCOPE',
    );
    const workbook = fill(await download(exchange.id));
    expectError(await answer(exchange.id, workbook, police), 404, 'OUT_OF_SCOPE');
    expectError(await answer(exchange.id, workbook, otherCounty), 404, 'OUT_OF_SCOPE');
    expect((await t.deps.store.offlineExchanges.get(exchange.id))?.status).toBe('exported');

    const res = await answer(
      exchange.id,
      fill(await download(exchange.id, finance, 'dept_finance')),
      finance,
    );
    expect(res.json<AnswerExchangeResult>()).toMatchObject({ status: 'answered', stored: 4 });
  });

  it('refuses an export with invalid persons, listing every problem and storing nothing', async () => {
    const before = (await t.deps.store.offlineExchanges.list({ regionScope: null, offset: 0, limit: 1 }))
      .total;
    const res = await t.call('POST', '/api/offline-exchanges', {
      cookie: staff,
      body: {
        departmentCode: 'finance',
        dataset: 'payroll',
        persons: [
          { caseRef: 'HD-1', idNumber: '621002198001010000', name: '赵' },
          { caseRef: '', idNumber: idNumber(5), name: '' },
        ],
      },
    });
    const error = expectError(res, 400, 'VALIDATION_FAILED');
    expect(
      (error.details as { errors: { row: number; code: string }[] }).errors.map((e) => [e.row, e.code]),
    ).toEqual([
      [1, 'INVALID_ID_NUMBER'],
      [2, 'MISSING_VALUE'],
      [2, 'MISSING_VALUE'],
    ]);
    expect((await t.deps.store.offlineExchanges.list({ regionScope: null, offset: 0, limit: 1 })).total).toBe(
      before,
    );
    const wrong = await t.call('POST', '/api/offline-exchanges', {
      cookie: staff,
      body: { departmentCode: 'public_security', dataset: 'payroll', persons: PERSONS },
    });
    expectError(wrong, 400, 'VALIDATION_FAILED');
    expectError(
      await t.call('POST', '/api/offline-exchanges', {
        cookie: finance,
        body: { departmentCode: 'finance', dataset: 'payroll', persons: PERSONS },
      }),
      403,
      'PERMISSION_DENIED',
    );
  });

  it('pre-fills the birth date from the ID number', async () => {
    const exchange = await create(PERSONS.slice(0, 1), 'hukou', 'public_security');
    const sheet = (await download(exchange.id)).getWorksheet(REPLY_SHEET) as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers.filter((h) => h === '出生日期')).toHaveLength(1);
    expect(sheet.getCell(2, headers.indexOf('出生日期') + 1).value).toBe(birthDateOf(idNumber(0)));
  });
});

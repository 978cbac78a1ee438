import { describe, expect, it } from 'vitest';
import { findDataset } from '../catalog/datasets.ts';
import type { DatasetDef, RawCell } from '../catalog/types.ts';
import { computeCheckChar } from '../identity/id-number.ts';
import {
  canonicalPersons,
  checkExchangePersons,
  checkReply,
  type ExchangePerson,
  exchangeReference,
  replyDataset,
} from './offline-exchange.ts';

const TODAY = '2025-09-26';
const id = (birth: string, seq: string) => {
  const first17 = `621002${birth}${seq}`;
  return `${first17}${computeCheckChar(first17)}`;
};
const A = id('19800101', '011');
const B = id('19750203', '022');
const payroll = findDataset('payroll') as DatasetDef;
const hukou = findDataset('hukou') as DatasetDef;
const persons: ExchangePerson[] = [
  { seq: 1, caseRef: 'HD-1', idNumber: A, name: '赵婉瑾' },
  { seq: 2, caseRef: 'HD-2', idNumber: B, name: '钱琨珂' },
];
const HEADERS = [
  '序号',
  '案件编号',
  '身份证号',
  '姓名',
  '出生日期',
  '工作单位',
  '所属月份',
  '应发工资',
  '实发工资',
];
const binding = { reference: 'LX-20250926-000001', fingerprint: 'fp', dataset: 'payroll' };

function reply(rows: RawCell[][], over: Partial<Parameters<typeof checkReply>[0]> = {}) {
  return checkReply({
    dataset: payroll,
    persons,
    reference: 'LX-20250926-000001',
    fingerprint: 'fp',
    binding,
    headers: HEADERS,
    rows: rows.map((cells, i) => ({ rowNumber: i + 2, cells })),
    today: TODAY,
    ...over,
  });
}

describe(checkExchangePersons.name, () => {
  it('normalises valid persons and numbers them from 1', () => {
    const r = checkExchangePersons([{ caseRef: ' HD-1 ', idNumber: A.toLowerCase(), name: '赵婉瑾' }], TODAY);
    expect(r).toEqual({ ok: true, persons: [{ seq: 1, caseRef: 'HD-1', idNumber: A, name: '赵婉瑾' }] });
  });

  it('lists every problem with its row, field and code', () => {
    const r = checkExchangePersons(
      [
        { caseRef: '', idNumber: '123', name: '' },
        { caseRef: 'HD-1', idNumber: A, name: '赵婉瑾' },
        { caseRef: 'HD-1', idNumber: A, name: '赵婉瑾' },
      ],
      TODAY,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([
      [1, 'caseRef', 'MISSING_VALUE'],
      [1, 'name', 'MISSING_VALUE'],
      [1, 'idNumber', 'INVALID_ID_NUMBER'],
      [3, 'idNumber', 'DUPLICATE_PERSON'],
    ]);
    expect(r.errors.every((e) => !e.message.includes(A))).toBe(true);
  });
});

describe(exchangeReference.name, () => {
  it('joins the date and the padded id', () => {
    expect(exchangeReference('2025-09-26', 12)).toBe('LX-20250926-000012');
  });
});

describe(canonicalPersons.name, () => {
  it('changes when any person changes', () => {
    const other = [{ ...persons[0], name: '赵婉' } as ExchangePerson, persons[1] as ExchangePerson];
    expect(canonicalPersons(persons)).not.toBe(canonicalPersons(other));
  });
});

describe(replyDataset.name, () => {
  it('puts the exchange columns first and adds 出生日期 only where the dataset lacks it', () => {
    expect(replyDataset(payroll).columns.map((c) => c.header)).toEqual(HEADERS);
    const h = replyDataset(hukou).columns.map((c) => c.header);
    expect(h.slice(0, 4)).toEqual(['序号', '案件编号', '身份证号', '姓名']);
    expect(h.filter((x) => x === '出生日期')).toHaveLength(1);
  });
});

describe(checkReply.name, () => {
  it('keeps findings, skips persons left empty, and accepts a record without an ID', () => {
    const r = reply([
      ['1', 'HD-1', A, '赵婉瑾', '1980-01-01', '一小', '2025-08', '5000', '4000'],
      ['1', 'HD-1', A, '赵婉瑾', '1980-01-01', '一小', '2025-07', '5000', '4000'],
      ['2', 'HD-2', B, '钱琨珂', '1975-02-03', null, null, null, null],
      [2, null, null, '钱琨', '1975-02-03', '二小', '2025-08', '3000.5', '2000'],
    ]);
    expect(r.errors).toEqual([]);
    expect(r.fileErrors).toEqual([]);
    expect(r.rowsRead).toBe(4);
    expect(r.findings.map((f) => [f.rowNumber, f.person.seq, f.withId])).toEqual([
      [2, 1, true],
      [3, 1, true],
      [5, 2, false],
    ]);
    expect(r.findings[0]?.values).toEqual({
      idNumber: A,
      name: '赵婉瑾',
      employer: '一小',
      month: '2025-08',
      grossPay: 500000,
      netPay: 400000,
    });
    expect(r.findings[2]?.values).toMatchObject({ idNumber: null, name: '钱琨', birthDate: '1975-02-03' });
  });

  it('reports rows about nobody exported, another person, another case, or without a birth date', () => {
    const r = reply([
      ['9', 'HD-1', A, '赵婉瑾', null, '一小', '2025-08', '1', '1'],
      ['1', 'HD-1', B, '钱琨珂', null, '一小', '2025-08', '1', '1'],
      ['2', 'HD-9', B, '钱琨珂', null, null, null, null, null],
      ['2', 'HD-2', null, '钱琨', null, '二小', '2025-08', '1', '1'],
    ]);
    expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '序号', 'UNKNOWN_PERSON'],
      [3, '身份证号', 'PERSON_MISMATCH'],
      [4, '案件编号', 'CASE_REF_MISMATCH'],
      [5, '出生日期', 'MISSING_BIRTH_DATE'],
    ]);
    expect(r.findings).toEqual([]);
  });

  it('applies the catalog rules to findings', () => {
    const r = reply([['1', 'HD-1', A, '赵婉瑾', null, '一小', '2025-08', '12.345', null]]);
    expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '应发工资', 'INVALID_AMOUNT'],
      [2, '实发工资', 'MISSING_VALUE'],
    ]);
  });

  it('refuses a file without binding, of another exchange, or with another fingerprint', () => {
    expect(reply([], { binding: null }).fileErrors.map((e) => e.code)).toEqual(['NOT_AN_EXCHANGE_REPLY']);
    expect(reply([], { binding: { ...binding, reference: 'LX-x' } }).fileErrors.map((e) => e.code)).toEqual([
      'EXCHANGE_MISMATCH',
    ]);
    expect(
      reply([], { binding: { ...binding, fingerprint: 'other' } }).fileErrors.map((e) => e.code),
    ).toEqual(['FINGERPRINT_MISMATCH']);
  });

  it('refuses changed headers', () => {
    const r = reply([], { headers: [...HEADERS.filter((h) => h !== '应发工资'), '备注'] });
    expect(r.fileErrors.map((e) => e.code).sort()).toEqual(['MISSING_COLUMN', 'UNKNOWN_COLUMN']);
  });
});

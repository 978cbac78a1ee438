import { describe, expect, it } from 'vitest';
import type { ChangeEvidence } from './changes.ts';
import { describeChange, fenToYuan, sourcesText } from './report.ts';
import type { SourceRef } from './summary.ts';

const source = (dataset: string, departmentCode: string, batchId: number): SourceRef => ({
  dataset,
  batchId,
  departmentCode,
  dataAsOf: '2025-10-03',
  rowNumber: 2,
  recordId: 1,
});

const base = {
  memberId: 'm2',
  relation: '配偶',
  message: '说明',
  previousAsOfDate: '2025-09-26',
  asOfDate: '2025-10-03',
};

describe('the wording of a recheck change', () => {
  it('prints fen as 元 without a float', () => {
    expect(fenToYuan(800_000)).toBe('8000.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(-123_456)).toBe('-1234.56');
    expect(() => fenToYuan(1.5)).toThrow(RangeError);
  });

  it('words asset changes with identifiers before and after, and the dataset with its department', () => {
    const text = describeChange({
      ...base,
      kind: 'NEW_VEHICLE',
      sources: [source('vehicle', 'public_security', 4)],
      before: ['甘M10012'],
      after: ['甘M10012', '甘M20001'],
    });
    expect(text).toMatchObject({
      kindLabel: '新增车辆',
      member: '成员（配偶）',
      before: '甘M10012',
      after: '甘M10012、甘M20001',
      sources: [{ dataset: '机动车登记（公安）', batchId: '4', dataAsOf: '2025-10-03' }],
    });
    expect(sourcesText(text.sources)).toBe('机动车登记（公安） 批次 4 数据截至 2025-10-03');
  });

  it('words an income rise per category in 元 with the rise and the tolerance, for the family', () => {
    const evidence: ChangeEvidence = {
      ...base,
      memberId: null,
      relation: null,
      kind: 'INCOME_RISE',
      sources: [source('tax_income', 'taxation', 7)],
      before: {},
      after: {},
      rises: [{ category: 'wages', beforeFen: 0, afterFen: 800_000, riseFen: 800_000, toleranceFen: 50_000 }],
    };
    expect(describeChange(evidence)).toMatchObject({
      kindLabel: '收入增加超过容差',
      member: '家庭',
      before: '工资性收入 0.00 元',
      after: '工资性收入 8000.00 元（增加 8000.00 元，容差 500.00 元）',
    });
  });

  it('words civil-status and payroll changes', () => {
    const of = (kind: ChangeEvidence['kind'], before: unknown, after: unknown) =>
      describeChange({ ...base, kind, sources: [], before, after });
    expect(of('MEMBER_DECEASED', null, { date: '2025-09-10' })).toMatchObject({
      before: '无死亡记录',
      after: '死亡（2025-09-10）',
    });
    expect(of('MEMBER_MOVED_OUT', '正常', '迁出')).toMatchObject({ before: '正常', after: '迁出' });
    expect(
      of('NEW_MARRIAGE', { status: 'unknown', date: null }, { status: 'married', date: '2025-09-12' }),
    ).toMatchObject({ before: '无登记', after: '已婚（2025-09-12）' });
    expect(of('MEMBER_ON_PAYROLL', null, { months: ['2025-08', '2025-09'] })).toMatchObject({
      before: '无财政供养记录',
      after: '财政供养人员（2025-08、2025-09）',
    });
    expect(sourcesText([])).toBe('—');
  });
});

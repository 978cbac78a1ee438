import { describe, expect, it } from 'vitest';
import { parseHouseholdRequest } from '../assessment/household-request.ts';
import type { RawCell } from '../catalog/types.ts';
import { computeCheckChar } from '../identity/id-number.ts';
import {
  BATCH_COLUMNS,
  type BatchSheetRow,
  capProblems,
  householdProblemsOf,
  MAX_BATCH_PROBLEMS,
  mapBatchHeaders,
  parseBatchSheet,
} from './batch-entrustment.ts';

const TODAY = '2025-09-26';

function id(serial: number): string {
  const first17 = `62100219800101${String(serial).padStart(3, '0')}`;
  return `${first17}${computeCheckChar(first17)}`;
}

const HEADERS = BATCH_COLUMNS.map((c) => c.header);
const INDEX = (() => {
  const mapped = mapBatchHeaders(HEADERS);
  if (!mapped.ok) throw new Error('template headers do not map');
  return mapped.index;
})();

/** A row by header, the rest empty. */
function row(rowNumber: number, values: Record<string, RawCell>): BatchSheetRow {
  return { rowNumber, cells: HEADERS.map((h) => values[h] ?? null) };
}

function member(rowNumber: number, family: string, serial: number, extra: Record<string, RawCell> = {}) {
  return row(rowNumber, {
    家庭序号: family,
    成员姓名: `成员${serial}`,
    公民身份号码: id(serial),
    与申请人关系: '配偶',
    ...extra,
  });
}

describe(mapBatchHeaders.name, () => {
  it('maps the template headers in any order and names missing, unknown and duplicate columns', () => {
    const shuffled = [...HEADERS].reverse();
    const mapped = mapBatchHeaders(shuffled);
    expect(mapped.ok && mapped.index.get('family')).toBe(shuffled.indexOf('家庭序号'));

    const broken = mapBatchHeaders(['家庭序号', '成员姓名', '成员姓名', '备注']);
    expect(broken.ok).toBe(false);
    if (broken.ok) return;
    expect(broken.problems.map((p) => [p.code, p.column])).toEqual([
      ['DUPLICATE_COLUMN', '成员姓名'],
      ['UNKNOWN_COLUMN', '备注'],
      ['MISSING_COLUMN', '救助类型'],
      ['MISSING_COLUMN', '公民身份号码'],
      ['MISSING_COLUMN', '与申请人关系'],
    ]);
  });
});

describe(parseBatchSheet.name, () => {
  it('reads each family as the body of a single submission, the applicant first, amounts in fen', () => {
    const parsed = parseBatchSheet(
      INDEX,
      [
        member(2, '1', 1, { '申报工资性收入（元）': '1,234.50' }),
        member(3, '1', 2, {
          与申请人关系: '本人',
          救助类型: '最低生活保障',
          '户主/申请人姓名': '成员2',
          '申报存款及金融资产（元）': 5000,
          '申报不动产（处）': '1',
          授权书文件: 'a/授权书2.pdf',
        }),
        member(4, '2', 3, {
          与申请人关系: '本人',
          救助类型: 'medical_assistance',
          是否共同生活: '否',
          排除原因: '',
        }),
        member(5, '1', 4, { 是否共同生活: '否', '排除原因/不计入说明': '服刑' }),
      ],
      TODAY,
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.families.map((f) => [f.key, f.firstRow, f.memberRows])).toEqual([
      ['1', 2, [3, 2, 5]],
      ['2', 4, [4]],
    ]);
    const [first, second] = parsed.families;
    expect(first?.input).toEqual({
      assistanceType: 'subsistence_allowance',
      members: [
        { idNumber: id(2), name: '成员2', relation: '本人', coResiding: true, exclusion: null },
        {
          idNumber: id(1),
          name: '成员1',
          relation: '配偶',
          coResiding: true,
          exclusion: null,
          declaredIncome: { wages: 123450 },
        },
        { idNumber: id(4), name: '成员4', relation: '配偶', coResiding: false, exclusion: 'prison' },
      ],
      declaredAssets: { depositsFen: 500000, realEstate: { count: 1 } },
    });
    expect(first?.authorizations.map((a) => a?.name ?? null)).toEqual(['a/授权书2.pdf', null, null]);
    expect(second?.input.assistanceType).toBe('medical_assistance');
    // What a single submission checks passes for both.
    for (const family of parsed.families)
      expect(
        parseHouseholdRequest({ caseRef: 'PENDING', regionCode: '621002', ...family.input }, TODAY).ok,
      ).toBe(true);
  });

  it('lists every problem with its row and column; families whose rows cannot be read are not assembled', () => {
    const parsed = parseBatchSheet(
      INDEX,
      [
        member(2, '1', 1, { 与申请人关系: '本人', 救助类型: '低保' }),
        member(3, '1', 1),
        member(4, '2', 5, { 救助类型: '医疗救助' }),
        member(5, '3', 6, { 与申请人关系: '本人', 救助类型: '医疗救助', 公民身份号码: '621002198001010000' }),
        member(6, '4', 7, { 与申请人关系: '本人', 救助类型: '临时救助', '户主/申请人姓名': '别人' }),
        member(7, '5', 5, { 与申请人关系: '本人', 救助类型: '临时救助' }),
        member(8, '6', 8, { 与申请人关系: '本人', 救助类型: '临时救助', 公民身份号码: 621002198001010000 }),
        member(9, '6', 9, { 救助类型: '医疗救助', 是否共同生活: '也许', '申报其他收入（元）': '-5' }),
        member(10, '', 10, { 成员姓名: '' }),
      ],
      TODAY,
    );
    // Family 4 names another applicant and family 5 shares a member with family 2: both can be read, but the
    // problems keep the whole batch from being stored.
    expect(parsed.families.map((f) => f.key)).toEqual(['4', '5']);
    expect(parsed.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, '救助类型', 'UNKNOWN_ASSISTANCE_TYPE'],
      [2, '救助类型', 'MISSING_VALUE'],
      [3, '公民身份号码', 'DUPLICATE_MEMBER'],
      [4, '与申请人关系', 'MISSING_APPLICANT'],
      [5, '公民身份号码', 'INVALID_ID_NUMBER'],
      [6, '户主/申请人姓名', 'APPLICANT_NAME_MISMATCH'],
      [7, '公民身份号码', 'MEMBER_IN_TWO_FAMILIES'],
      [8, '公民身份号码', 'INVALID_ID_NUMBER'],
      [9, '救助类型', 'CONFLICTING_FAMILY_VALUE'],
      [9, '是否共同生活', 'INVALID_FIELD'],
      [9, '申报其他收入（元）', 'INVALID_FIELD'],
      [10, '家庭序号', 'MISSING_VALUE'],
      [10, '成员姓名', 'MISSING_VALUE'],
    ]);
    expect(parsed.problems.every((p) => /[\u4e00-\u9fa5]/.test(p.message))).toBe(true);
  });

  it('still reports the files named by rows of a family that cannot be assembled', () => {
    const parsed = parseBatchSheet(INDEX, [member(2, '1', 1, { 授权书文件: 'x.pdf' })], TODAY);
    expect(parsed.problems.map((p) => p.code)).toEqual(['MISSING_VALUE', 'MISSING_APPLICANT']);
    expect(parsed.unplacedFiles).toEqual([
      { ref: { name: 'x.pdf', row: 2, column: '授权书文件' }, kind: 'authorization' },
    ]);
  });

  it('answers NO_ROWS for a sheet without members', () => {
    expect(parseBatchSheet(INDEX, [], TODAY).problems.map((p) => p.code)).toEqual(['NO_ROWS']);
  });
});

describe(householdProblemsOf.name, () => {
  it('places the single-submission problems on the member rows and columns', () => {
    const [family] = parseBatchSheet(
      INDEX,
      [member(2, '7', 1, { 与申请人关系: '本人', 救助类型: '临时救助' }), member(3, '7', 2)],
      TODAY,
    ).families;
    if (!family) throw new Error('no family');
    const placed = householdProblemsOf(family, [
      { code: 'INVALID_FIELD', path: 'members.1.name', message: '姓名过长' },
      { code: 'INVALID_FIELD', path: 'members.0.declaredIncome.wages', message: '金额必须是整数' },
      { code: 'INVALID_FIELD', path: 'members', message: '家庭成员不超过 30 人' },
      { code: 'FUTURE_DATE', path: 'declaredAssets.depositsFen', message: '金额不能为负数' },
    ]);
    expect(placed.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, '成员姓名', 'INVALID_FIELD'],
      [2, '申报工资性收入（元）', 'INVALID_FIELD'],
      [2, null, 'INVALID_FIELD'],
      [2, '申报存款及金融资产（元）', 'INVALID_FIELD'],
    ]);
    expect(placed[0]?.message).toBe('家庭“7”：姓名过长');
  });
});

describe(capProblems.name, () => {
  it('keeps the first problems and says how many there were', () => {
    const many = Array.from({ length: MAX_BATCH_PROBLEMS + 5 }, (_, i) => ({
      row: i + 2,
      column: null,
      code: 'MISSING_VALUE' as const,
      message: '缺',
    }));
    const capped = capProblems(many);
    expect(capped).toHaveLength(MAX_BATCH_PROBLEMS + 1);
    expect(capped.at(-1)).toMatchObject({ code: 'TOO_MANY_PROBLEMS', row: null });
    expect(capped.at(-1)?.message).toContain(String(MAX_BATCH_PROBLEMS + 5));
  });
});

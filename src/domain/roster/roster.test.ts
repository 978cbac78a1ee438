import { describe, expect, it } from 'vitest';
import { computeCheckChar } from '../identity/id-number.ts';
import { lastDayOfMonth } from '../shared/clock.ts';
import {
  diffRosters,
  mapRosterHeaders,
  parseRoster,
  parseRosterDate,
  parseYuan,
  ROSTER_HEADERS,
  type RosterRowInput,
} from './roster.ts';

function id(n: number): string {
  const first17 = `62100219800101${String(n).padStart(3, '0')}`;
  return `${first17}${computeCheckChar(first17)}`;
}

const context = {
  month: '2025-09',
  today: '2025-09-26',
  isRegionInScope: (code: string) => code === '621002001' || code === '621002002',
};

function row(rowNumber: number, cells: RosterRowInput['cells']): RosterRowInput {
  return {
    rowNumber,
    cells: {
      familyKey: 'F1',
      regionCode: '621002001',
      assistanceType: '最低生活保障',
      startDate: '2025-01-01',
      monthlyAmount: '650.5',
      name: '张三',
      idNumber: id(1),
      relation: '本人',
      ...cells,
    },
  };
}

describe(parseRoster.name, () => {
  it('groups rows into families, applicant first, with the amount in fen', () => {
    const result = parseRoster(
      [
        row(2, { relation: '配偶', name: '李四', idNumber: id(2), monthlyAmount: '', startDate: '' }),
        row(3, {}),
        row(4, {
          familyKey: 'F2',
          idNumber: id(3),
          regionCode: '621002002',
          assistanceType: '特困',
          monthlyAmount: 1200,
        }),
      ],
      context,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.memberCount).toBe(3);
    expect(result.families).toEqual([
      {
        familyKey: 'F1',
        regionCode: '621002001',
        assistanceType: 'subsistence_allowance',
        startDate: '2025-01-01',
        monthlyAmountFen: 65_050,
        members: [
          { idNumber: id(1), name: '张三', relation: '本人' },
          { idNumber: id(2), name: '李四', relation: '配偶' },
        ],
        authorizationSm3: null,
        row: 2,
      },
      {
        familyKey: 'F2',
        regionCode: '621002002',
        assistanceType: 'extreme_poverty',
        startDate: '2025-01-01',
        monthlyAmountFen: 120_000,
        members: [{ idNumber: id(3), name: '张三', relation: '本人' }],
        authorizationSm3: null,
        row: 4,
      },
    ]);
  });

  it('lists every problem with its row and column and keeps nothing', () => {
    const result = parseRoster(
      [
        row(2, { idNumber: '621002198001010010' }),
        row(3, { familyKey: 'F2', idNumber: id(5), relation: '配偶' }),
        row(4, { familyKey: 'F3', idNumber: id(6), monthlyAmount: '12.345' }),
        row(5, { familyKey: 'F4', idNumber: id(7), startDate: '2025-10-01' }),
        row(6, { familyKey: 'F5', idNumber: id(8), assistanceType: '低收入' }),
        row(7, { familyKey: 'F6', idNumber: id(9), regionCode: '620102001' }),
        row(8, { familyKey: 'F6', idNumber: id(9), relation: '子女', regionCode: '' }),
        row(9, { familyKey: 'F7', idNumber: id(9), relation: '子女' }),
        row(10, { familyKey: 'F8', idNumber: id(10), name: '' }),
        row(11, { familyKey: 'F9', idNumber: id(11), startDate: '2025-02-30' }),
      ],
      context,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.problems.map((p) => [p.row, p.column, p.code]);
    expect(found).toEqual([
      [2, ROSTER_HEADERS.idNumber, 'INVALID_ID_NUMBER'],
      [3, ROSTER_HEADERS.relation, 'MISSING_APPLICANT'],
      [4, ROSTER_HEADERS.monthlyAmount, 'INVALID_AMOUNT'],
      [5, ROSTER_HEADERS.startDate, 'START_AFTER_MONTH'],
      [6, ROSTER_HEADERS.assistanceType, 'UNKNOWN_ASSISTANCE_TYPE'],
      [7, ROSTER_HEADERS.regionCode, 'UNKNOWN_REGION'],
      [8, ROSTER_HEADERS.idNumber, 'DUPLICATE_MEMBER'],
      [9, ROSTER_HEADERS.idNumber, 'MEMBER_IN_TWO_FAMILIES'],
      [9, ROSTER_HEADERS.relation, 'MISSING_APPLICANT'],
      [10, ROSTER_HEADERS.name, 'MISSING_VALUE'],
      [11, ROSTER_HEADERS.startDate, 'INVALID_DATE'],
    ]);
    for (const p of result.problems) expect(p.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(result.problems[0]?.message).toContain('第 2 行');
  });

  it('refuses family values that differ from the applicant row, and two applicants', () => {
    const result = parseRoster(
      [row(2, {}), row(3, { idNumber: id(2), monthlyAmount: '700' }), row(4, { idNumber: id(3) })],
      context,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.row, p.code])).toEqual([
      [3, 'TWO_APPLICANTS'],
      [3, 'FAMILY_VALUES_DIFFER'],
    ]);
  });

  it('asks for the family values on the applicant row only', () => {
    const result = parseRoster(
      [
        row(2, { monthlyAmount: '', regionCode: '' }),
        row(3, { idNumber: id(2), relation: '子女', monthlyAmount: '' }),
      ],
      context,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, ROSTER_HEADERS.regionCode, 'MISSING_VALUE'],
      [2, ROSTER_HEADERS.monthlyAmount, 'MISSING_VALUE'],
    ]);
  });

  it('answers missing columns, an empty roster and a bad month before looking at rows', () => {
    expect(parseRoster([row(2, {})], { ...context, month: '2025-13' })).toMatchObject({
      ok: false,
      problems: [{ code: 'INVALID_MONTH' }],
    });
    expect(parseRoster([], context)).toMatchObject({ ok: false, problems: [{ code: 'EMPTY_ROSTER' }] });
    expect(parseRoster([row(2, {})], context, ['idNumber'])).toMatchObject({
      ok: false,
      problems: [{ row: 1, column: '身份证号', code: 'MISSING_COLUMN' }],
    });
  });
});

describe(mapRosterHeaders.name, () => {
  it('recognises the template headers and the field names, and names the missing ones', () => {
    const { columns, missing } = mapRosterHeaders(['家庭编号', 'idNumber', ' 姓名 ', '其他']);
    expect([...columns.entries()]).toEqual([
      [0, 'familyKey'],
      [1, 'idNumber'],
      [2, 'name'],
    ]);
    expect(missing).toEqual(['regionCode', 'assistanceType', 'startDate', 'monthlyAmount', 'relation']);
  });
});

describe(parseYuan.name, () => {
  it('converts 元 to fen exactly and refuses anything else', () => {
    expect(parseYuan('650')).toBe(65_000);
    expect(parseYuan('1,234.5元')).toBe(123_450);
    expect(parseYuan('￥0.07')).toBe(7);
    expect(parseYuan(0.1 + 0.2)).toBeNull();
    expect(parseYuan(980.25)).toBe(98_025);
    for (const bad of ['-5', '1.234', 'abc', '', null]) expect(parseYuan(bad)).toBeNull();
  });
});

describe(parseRosterDate.name, () => {
  it('reads the usual ways of writing a date and XLSX date cells', () => {
    expect(parseRosterDate('2025/1/5')).toBe('2025-01-05');
    expect(parseRosterDate('2025年1月5日')).toBe('2025-01-05');
    expect(parseRosterDate(new Date(Date.UTC(2025, 0, 5)))).toBe('2025-01-05');
    expect(parseRosterDate('2025-02-29')).toBeNull();
  });

  it('knows the last day of a month', () => {
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2025-12')).toBe('2025-12-31');
  });
});

describe(diffRosters.name, () => {
  it('finds the families added, removed and with a changed amount', () => {
    const f = (familyKey: string, monthlyAmountFen: number) => ({
      familyKey,
      regionCode: '621002001',
      assistanceType: 'subsistence_allowance',
      monthlyAmountFen,
      memberCount: 1,
    });
    const diff = diffRosters(
      [f('A', 100), f('B', 200), f('C', 300)],
      [f('B', 200), f('C', 350), f('D', 400)],
    );
    expect(diff.added.map((x) => x.familyKey)).toEqual(['D']);
    expect(diff.removed.map((x) => x.familyKey)).toEqual(['A']);
    expect(diff.amountChanged).toEqual([{ familyKey: 'C', fromFen: 300, toFen: 350 }]);
    expect(diff.unchanged).toBe(1);
  });
});

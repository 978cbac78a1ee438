import { describe, expect, it } from 'vitest';
import { computeCheckChar } from '../identity/id-number.ts';
import { parseHouseholdRequest } from './household-request.ts';

function id(first17: string): string {
  return `${first17}${computeCheckChar(first17)}`;
}

const applicant = id('62100219800501001');
const spouse = id('62100219820910002');

function request(overrides: Record<string, unknown> = {}) {
  return {
    caseRef: 'HD-2025-000001',
    regionCode: '621002',
    assistanceType: 'subsistence_allowance',
    members: [
      { idNumber: applicant, name: '王建军', relation: '本人', declaredIncome: { wages: 1_200_000 } },
      {
        idNumber: spouse.toLowerCase(),
        name: '李秀英',
        relation: '配偶',
        coResiding: false,
        exclusion: 'prison',
      },
    ],
    ...overrides,
  };
}

describe('parseHouseholdRequest', () => {
  it('resolves members (positions as ids, 18-digit numbers, birth date and sex) and the declaration', () => {
    const parsed = parseHouseholdRequest(request({ declaredAssets: { depositsFen: 50_000 } }), '2025-09-26');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.request).toMatchObject({
      asOfDate: '2025-09-26',
      windowEndMonth: '2025-08',
      declaration: {
        members: [{ memberId: 'm1', income: { wages: 1_200_000 } }],
        assets: { depositsFen: 50_000 },
      },
    });
    expect(
      parsed.request.members.map((m) => [m.memberId, m.birthDate, m.sex, m.coResiding, m.exclusion]),
    ).toEqual([
      ['m1', '1980-05-01', 'M', true, null],
      ['m2', '1982-09-10', 'F', false, 'prison'],
    ]);
    expect(parsed.request.members[1]?.idNumber).toBe(spouse);
  });

  it('takes the as-of date and window end month given, and refuses a future date or a window after it', () => {
    const given = parseHouseholdRequest(
      request({ asOfDate: '2025-03-31', windowEndMonth: '2025-03' }),
      '2025-09-26',
    );
    expect(given.ok && [given.request.asOfDate, given.request.windowEndMonth]).toEqual([
      '2025-03-31',
      '2025-03',
    ]);
    const bad = parseHouseholdRequest(
      request({ asOfDate: '2025-10-01', windowEndMonth: '2025-11' }),
      '2025-09-26',
    );
    expect(bad.ok ? [] : bad.problems.map((p) => [p.code, p.path])).toEqual([
      ['FUTURE_DATE', 'asOfDate'],
      ['WINDOW_AFTER_AS_OF', 'windowEndMonth'],
    ]);
  });

  it('lists every invalid or repeated ID number with the member it belongs to', () => {
    const parsed = parseHouseholdRequest(
      request({
        members: [
          { idNumber: '621002198005010019', name: '甲', relation: '本人' },
          { idNumber: spouse, name: '乙', relation: '配偶' },
          { idNumber: ` ${spouse} `, name: '丙', relation: '子' },
        ],
      }),
      '2025-09-26',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.code, p.path])).toEqual([
      ['INVALID_ID_NUMBER', 'members.0.idNumber'],
      ['DUPLICATE_MEMBER', 'members.2.idNumber'],
    ]);
    expect(parsed.problems[1]?.message).toContain('第 3 名成员与第 2 名成员');
  });

  it('answers shape errors in Chinese with their path: amounts in whole fen, known exclusions, a case reference', () => {
    const parsed = parseHouseholdRequest(
      request({
        caseRef: ' ',
        members: [
          {
            idNumber: applicant,
            name: '王建军',
            relation: '本人',
            exclusion: 'holiday',
            declaredIncome: { wages: 12.5 },
          },
        ],
        declaredAssets: { depositsFen: -1 },
      }),
      '2025-09-26',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    // The first problem of each field.
    const byPath = Object.fromEntries([...parsed.problems].reverse().map((p) => [p.path, p.message]));
    expect(byPath).toMatchObject({
      caseRef: '请填写案件编号',
      'members.0.exclusion': '不计入共同生活的原因无效',
      'members.0.declaredIncome.wages': '金额必须是以“分”为单位的整数',
      'declaredAssets.depositsFen': '金额不能为负数',
    });
    expect(parsed.problems.every((p) => p.code === 'INVALID_FIELD')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { type MemberPerson, matchHouseholdRecords } from './household.ts';

const wang: MemberPerson = {
  memberId: 'm1',
  personKey: 'k-wang',
  name: '王建军',
  birthDate: '1980-05-01',
  sex: 'M',
  regionCode: '621002',
};
const li: MemberPerson = {
  memberId: 'm2',
  personKey: 'k-li',
  name: '李秀英',
  birthDate: '1982-09-10',
  sex: 'F',
  regionCode: '621002',
};

function run(overrides: Partial<Parameters<typeof matchHouseholdRecords>[0]> = {}) {
  return matchHouseholdRecords({
    members: [wang, li],
    withId: [],
    withoutId: [],
    namesakes: [],
    decisions: [],
    ...overrides,
  });
}

describe('matchHouseholdRecords', () => {
  it('links records by ID number and flags a different name with both names', () => {
    const result = run({
      withId: [
        { recordId: 1, personKey: 'k-wang', name: '王建軍' },
        { recordId: 2, personKey: 'k-li', name: '张三' },
        { recordId: 3, personKey: 'k-other', name: '王建军' },
      ],
    });
    expect(
      result.links.map((link) => [link.recordId, link.memberId, link.basis, link.flag?.code ?? null]),
    ).toEqual([
      [1, 'm1', 'id', null],
      [2, 'm2', 'id', 'NAME_MISMATCH'],
    ]);
    expect(result.links[1]?.flag).toMatchObject({ recordName: '张三', personName: '李秀英' });
  });

  it('links a record without an ID on the same name and birth date when nobody else shares both', () => {
    const result = run({ withoutId: [{ recordId: 10, name: '王 建军', birthDate: '1980-05-01' }] });
    expect(result.links).toEqual([
      { recordId: 10, memberId: 'm1', basis: 'name_and_birth_date', flag: null },
    ]);
    expect(result.possible).toEqual([]);
  });

  it('never links on a homophone alone: it is a possible match for a person to decide', () => {
    const result = run({ withoutId: [{ recordId: 11, name: '王建君', birthDate: '1980-05-01' }] });
    expect(result.links).toEqual([]);
    expect(result.possible).toHaveLength(1);
    expect(result.possible[0]).toMatchObject({ recordId: 11, memberId: 'm1', status: 'pending' });
    expect(result.possible[0]?.reasons.join('')).toContain('读音');
  });

  it('keeps a namesake born the same day from being linked automatically', () => {
    const namesake = { ...wang, personKey: 'k-namesake', regionCode: '620102' };
    const result = run({
      withoutId: [{ recordId: 12, name: '王建军', birthDate: '1980-05-01' }],
      namesakes: [namesake, wang],
    });
    expect(result.links).toEqual([]);
    expect(result.possible.map((p) => [p.recordId, p.memberId, p.status])).toEqual([[12, 'm1', 'pending']]);
  });

  it('applies decisions: a confirmed possible match becomes a link, a rejected one stays listed as rejected', () => {
    const withoutId = [
      { recordId: 11, name: '王建君', birthDate: '1980-05-01' },
      { recordId: 13, name: '李秀影', birthDate: '1982-09-10' },
    ];
    const result = run({
      withoutId,
      decisions: [
        { recordId: 11, personKey: 'k-wang', decision: 'confirmed' },
        { recordId: 13, personKey: 'k-li', decision: 'rejected' },
      ],
    });
    expect(result.links).toEqual([{ recordId: 11, memberId: 'm1', basis: 'confirmed', flag: null }]);
    expect(result.possible.map((p) => [p.recordId, p.memberId, p.status])).toEqual([[13, 'm2', 'rejected']]);
  });

  it('ignores records without an ID whose birth date matches nobody, and different names', () => {
    const result = run({
      withoutId: [
        { recordId: 20, name: '王建军', birthDate: '1990-01-01' },
        { recordId: 21, name: '赵四', birthDate: '1980-05-01' },
      ],
    });
    expect(result).toEqual({ links: [], possible: [] });
  });
});

import { describe, expect, it } from 'vitest';
import {
  type AssessCivilStatusInput,
  assessCivilStatus,
  type CivilStatusContradiction,
  type CivilStatusMember,
  type ContradictionCode,
  normalizeRelation,
} from './civil-status.ts';
import { provenanceOf } from './record-values.ts';
import { death, disability, hukou, marriage, member, payroll, record } from './records.fixture.ts';
import type { AssessmentRecord, Member } from './types.ts';

const AS_OF = '2025-06-30';
const NUMBER = '620100345';

function person(memberId: string, overrides: Partial<Member> = {}): CivilStatusMember {
  return { ...member(memberId, overrides), personKey: `key-${memberId}` };
}

const key = (memberId: string) => `key-${memberId}`;

function assess(
  members: CivilStatusMember[],
  records: Record<string, AssessmentRecord[]>,
  asOfDate = AS_OF,
): ReturnType<typeof assessCivilStatus> {
  const input: AssessCivilStatusInput = {
    members,
    recordsByMember: new Map(Object.entries(records)),
    asOfDate,
  };
  return assessCivilStatus(input);
}

function codes(contradictions: readonly CivilStatusContradiction[], memberId?: string): ContradictionCode[] {
  return contradictions
    .filter((found) => memberId === undefined || found.memberId === memberId)
    .map((found) => found.code);
}

function only(contradictions: readonly CivilStatusContradiction[], code: ContradictionCode) {
  const found = contradictions.filter((candidate) => candidate.code === code);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** A head and a declared spouse, married to each other, on one hukou: no contradiction at all. */
function couple(headRecords: AssessmentRecord[] = [], spouseRecords: AssessmentRecord[] = []) {
  return {
    members: [person('head'), person('spouse', { relation: '配偶' })],
    records: {
      head: [hukou(NUMBER, '户主'), ...headRecords],
      spouse: [hukou(NUMBER, '配偶'), ...spouseRecords],
    },
  };
}

describe('civil-status facts', () => {
  it('states hukou, marriage, death and disability facts with the provenance of the row used', () => {
    const older = hukou('620100111', '户主', '正常', null, { dataAsOf: '2024-12-31' });
    const newer = hukou(NUMBER, '户主', '正常', null, { dataAsOf: '2025-03-31' });
    const wedding = marriage('结婚', '2010-05-20', key('spouse'));
    const oldCard = disability('视力', '二级', 'A', { dataAsOf: '2024-12-31' });
    const card = disability('肢体', '四级', 'B', { dataAsOf: '2025-03-31' });
    const result = assess([person('head'), person('spouse', { relation: '配偶' })], {
      head: [newer, older, wedding, card, oldCard],
      spouse: [hukou(NUMBER, '配偶'), marriage('结婚', '2010-05-20', key('head'))],
    });
    const [head] = result.members;
    expect(head!.hukou).toEqual({
      householdNumber: NUMBER,
      relationToHead: '户主',
      address: '甘肃省庆阳市西峰区南大街12号',
      status: '正常',
      statusChangeDate: null,
      provenance: provenanceOf(newer),
    });
    expect(head!.marital).toEqual({
      status: 'married',
      registrationType: '结婚',
      registrationDate: '2010-05-20',
      partnerInHousehold: true,
      partnerMemberId: 'spouse',
      provenance: provenanceOf(wedding),
    });
    expect(head!.deaths).toEqual([]);
    expect(head!.disability).toEqual({
      certificateNumber: 'B',
      category: '肢体',
      grade: '四级',
      issueDate: '2018-07-10',
      provenance: provenanceOf(card),
    });
    expect(head!.unreadableRecords).toEqual([]);
    expect(result.asOfDate).toBe(AS_OF);
    expect(result.contradictions).toEqual([]);
  });

  it('takes the larger record id when two hukou rows share a data-as-of date', () => {
    const first = hukou('620100111');
    const second = hukou(NUMBER);
    const result = assess([person('head')], { head: [second, first] });
    expect(result.members[0]!.hukou!.provenance.recordId).toBe(second.recordId);
  });

  it('derives the marital status from the newest registration on or before the as-of date', () => {
    const divorce = marriage('离婚', '2020-03-01', 'key-ex');
    const result = assess([person('head')], {
      head: [
        hukou(NUMBER),
        marriage('结婚', '2026-01-01', 'key-new'),
        divorce,
        marriage('结婚', '2010-05-20', 'key-ex'),
      ],
    });
    expect(result.members[0]!.marital).toEqual({
      status: 'divorced',
      registrationType: '离婚',
      registrationDate: '2020-03-01',
      partnerInHousehold: false,
      partnerMemberId: null,
      provenance: provenanceOf(divorce),
    });
  });

  it('counts a registration dated on the as-of date, and breaks a same-day tie by the newer batch', () => {
    const wedding = marriage('结婚', AS_OF, 'key-x', { dataAsOf: '2025-07-31' });
    const divorce = marriage('离婚', AS_OF, 'key-x', { dataAsOf: '2025-06-30' });
    const result = assess([person('son', { relation: '子' })], { son: [wedding, divorce] });
    expect(result.members[0]!.marital.status).toBe('married');
    expect(result.members[0]!.marital.provenance).toEqual(provenanceOf(wedding));
  });

  it('reports an unknown marital status when the sources hold no registration', () => {
    const result = assess([person('head')], { head: [hukou(NUMBER)] });
    expect(result.members[0]!.marital).toEqual({
      status: 'unknown',
      registrationType: null,
      registrationDate: null,
      partnerInHousehold: null,
      partnerMemberId: null,
      provenance: null,
    });
  });

  it('cannot say whether the partner is in the household when the registration names no partner ID', () => {
    const result = assess([person('head')], { head: [hukou(NUMBER), marriage('结婚', '2010-05-20', null)] });
    expect(result.members[0]!.marital.partnerInHousehold).toBeNull();
    expect(result.contradictions).toEqual([]);
  });

  it('lists every death record, earliest first', () => {
    const hospital = death('2025-03-02', '医疗机构');
    const cremation = death('2025-03-05', '火化');
    const result = assess([person('head')], { head: [hukou(NUMBER), cremation, hospital] });
    expect(result.members[0]!.deaths).toEqual([
      { deathDate: '2025-03-02', source: '医疗机构', provenance: provenanceOf(hospital) },
      { deathDate: '2025-03-05', source: '火化', provenance: provenanceOf(cremation) },
    ]);
  });

  it('sets aside unreadable rows and falls back to the newest readable one', () => {
    const readable = hukou(NUMBER, '户主', '正常', null, { dataAsOf: '2024-12-31' });
    const noNumber = hukou('  ', '户主', '正常', null, { dataAsOf: '2025-03-31' });
    const badStatus = hukou(NUMBER, '户主', '失踪', null, { dataAsOf: '2025-03-31' });
    const badDate = hukou(NUMBER, '户主', '迁出', '2025/01/01', { dataAsOf: '2025-03-31' });
    const badMarriage = marriage('复婚', '2020-01-01', 'key-x');
    const badDeath = death('not a date');
    const result = assess([person('head')], {
      head: [readable, noNumber, badStatus, badDate, badMarriage, badDeath],
    });
    const [head] = result.members;
    expect(head!.hukou!.provenance).toEqual(provenanceOf(readable));
    expect(head!.marital.status).toBe('unknown');
    expect(head!.deaths).toEqual([]);
    expect(head!.unreadableRecords).toEqual([
      { ...provenanceOf(noNumber), reason: 'unreadable_value', detail: 'householdNumber' },
      { ...provenanceOf(badStatus), reason: 'unreadable_value', detail: 'hukouStatus' },
      { ...provenanceOf(badDate), reason: 'unreadable_value', detail: 'statusChangeDate' },
      { ...provenanceOf(badMarriage), reason: 'unreadable_value', detail: 'registrationType' },
      { ...provenanceOf(badDeath), reason: 'unreadable_value', detail: 'deathDate' },
    ]);
    expect(result.contradictions).toEqual([]);
  });

  it('ignores datasets other than hukou, marriage, death and disability', () => {
    const result = assess([person('head')], {
      head: [hukou(NUMBER), payroll('2025-01', 500_000), record('vehicle', { plateNumber: '甘M1' })],
    });
    expect(result.members[0]!.unreadableRecords).toEqual([]);
    expect(result.contradictions).toEqual([]);
  });
});

describe('MEMBER_DECEASED', () => {
  it('is serious on a death record, with the record as evidence', () => {
    const cremation = death('2025-03-05', '火化');
    const { members, records } = couple([], [cremation]);
    const result = assess(members, records);
    const found = only(result.contradictions, 'MEMBER_DECEASED');
    expect(found).toMatchObject({
      memberId: 'spouse',
      severity: 'serious',
      evidenceRecordIds: [cremation.recordId],
    });
    expect(found.message).toBe('spouse在数据源中登记为已死亡：死亡殡葬信息记载2025-03-05死亡（火化）');
  });

  it('is serious on hukou status 死亡, and one contradiction gathers every source', () => {
    const registered = hukou(NUMBER, '配偶', '死亡', '2025-03-10');
    const cremation = death('2025-03-05');
    const result = assess([person('head'), person('spouse', { relation: '配偶' })], {
      head: [hukou(NUMBER)],
      spouse: [registered, cremation],
    });
    const found = only(result.contradictions, 'MEMBER_DECEASED');
    expect(found.severity).toBe('serious');
    expect(found.evidenceRecordIds).toEqual([cremation.recordId, registered.recordId]);
    expect(found.message).toContain('户籍状态为死亡（2025-03-10）');
  });

  it('is serious on hukou status 死亡 without a date', () => {
    const result = assess([person('head')], { head: [hukou(NUMBER, '户主', '死亡')] });
    expect(only(result.contradictions, 'MEMBER_DECEASED').severity).toBe('serious');
  });

  it('is a warning when every date lies after the as-of date', () => {
    const result = assess([person('head')], { head: [hukou(NUMBER), death('2025-07-02')] });
    const found = only(result.contradictions, 'MEMBER_DECEASED');
    expect(found.severity).toBe('warning');
    expect(found.message).toBe(
      'head在数据源中登记为已死亡：死亡殡葬信息记载2025-07-02死亡（火化），晚于核对基准日2025-06-30',
    );
  });

  it('stays serious when one of the dates is on or before the as-of date', () => {
    const result = assess([person('head')], {
      head: [hukou(NUMBER, '户主', '死亡', '2025-07-03'), death(AS_OF)],
    });
    expect(only(result.contradictions, 'MEMBER_DECEASED').severity).toBe('serious');
  });
});

describe('hukou status and presence', () => {
  it('flags 注销 as HUKOU_CANCELLED and 迁出 as HUKOU_MOVED_OUT, warnings', () => {
    const cancelled = hukou(NUMBER, '户主', '注销', '2024-11-02');
    const moved = hukou(NUMBER, '子', '迁出', null);
    const result = assess([person('head'), person('son', { relation: '子' })], {
      head: [cancelled],
      son: [moved],
    });
    expect(only(result.contradictions, 'HUKOU_CANCELLED')).toEqual({
      code: 'HUKOU_CANCELLED',
      memberId: 'head',
      severity: 'warning',
      message: 'head的户籍状态为注销（变更日期2024-11-02）',
      relatedMemberIds: [],
      evidenceRecordIds: [cancelled.recordId],
    });
    expect(only(result.contradictions, 'HUKOU_MOVED_OUT')).toMatchObject({
      memberId: 'son',
      severity: 'warning',
      message: 'son的户籍状态为迁出',
      evidenceRecordIds: [moved.recordId],
    });
  });

  it('reads the status from the newest hukou row only', () => {
    const result = assess([person('head')], {
      head: [
        hukou(NUMBER, '户主', '迁出', '2024-01-01', { dataAsOf: '2024-03-31' }),
        hukou(NUMBER, '户主', '正常', null, { dataAsOf: '2025-03-31' }),
      ],
    });
    expect(result.contradictions).toEqual([]);
  });

  it('notes NO_HUKOU_RECORD as info for every member without a hukou row, co-residing or not', () => {
    const result = assess([person('head'), person('daughter', { relation: '女', coResiding: false })], {
      head: [disability()],
    });
    expect(result.contradictions).toEqual([
      {
        code: 'NO_HUKOU_RECORD',
        memberId: 'head',
        severity: 'info',
        message: '未找到head的户籍登记记录',
        relatedMemberIds: [],
        evidenceRecordIds: [],
      },
      expect.objectContaining({ code: 'NO_HUKOU_RECORD', memberId: 'daughter', severity: 'info' }),
    ]);
  });

  it('does not count an unreadable hukou row as a hukou record', () => {
    const result = assess([person('head')], { head: [hukou('')] });
    expect(codes(result.contradictions)).toEqual(['NO_HUKOU_RECORD']);
  });
});

describe('HOUSEHOLD_NUMBER_DIFFERS', () => {
  it('lists which co-residing members carry which number, as household-level info', () => {
    const headRow = hukou(NUMBER);
    const spouseRow = hukou('620100999', '户主');
    const sonRow = hukou(NUMBER, '子');
    const result = assess(
      [
        person('head'),
        person('spouse', { relation: '配偶', name: '李秀兰' }),
        person('son', { relation: '子' }),
      ],
      { head: [headRow], spouse: [spouseRow], son: [sonRow] },
    );
    const found = only(result.contradictions, 'HOUSEHOLD_NUMBER_DIFFERS');
    expect(found).toEqual({
      code: 'HOUSEHOLD_NUMBER_DIFFERS',
      memberId: 'household',
      severity: 'info',
      message: '共同生活的成员户籍户号不一致：620100345（head、son）；620100999（李秀兰）',
      relatedMemberIds: ['head', 'son', 'spouse'],
      evidenceRecordIds: [headRow.recordId, sonRow.recordId, spouseRow.recordId],
      householdNumbers: [
        { householdNumber: NUMBER, memberIds: ['head', 'son'] },
        { householdNumber: '620100999', memberIds: ['spouse'] },
      ],
    });
    expect(result.contradictions.at(-1)).toBe(found);
  });

  it('leaves out members not co-residing, excluded members and members without a hukou row', () => {
    const result = assess(
      [
        person('head'),
        person('daughter', { relation: '女', coResiding: false }),
        person('son', { relation: '子', exclusion: 'conscript' }),
        person('father', { relation: '父亲' }),
      ],
      {
        head: [hukou(NUMBER)],
        daughter: [hukou('620100777', '女')],
        son: [hukou('620100888', '子')],
      },
    );
    expect(codes(result.contradictions)).toEqual(['NO_HUKOU_RECORD']);
  });

  it('compares numbers after NFKC and without whitespace', () => {
    const result = assess([person('head'), person('son', { relation: '子' })], {
      head: [hukou(NUMBER)],
      son: [hukou('６２０１００ ３４５', '子')],
    });
    expect(result.contradictions).toEqual([]);
  });
});

describe('SPOUSE_NOT_DECLARED', () => {
  it('is a warning when a member is married to someone who is not a member', () => {
    const wedding = marriage('结婚', '2022-10-01', 'key-outsider');
    const result = assess([person('head'), person('son', { relation: '子' })], {
      head: [hukou(NUMBER)],
      son: [hukou(NUMBER, '子'), wedding],
    });
    expect(only(result.contradictions, 'SPOUSE_NOT_DECLARED')).toEqual({
      code: 'SPOUSE_NOT_DECLARED',
      memberId: 'son',
      severity: 'warning',
      message: 'son最近一次婚姻登记为2022-10-01结婚，对方不是本户申报的成员',
      relatedMemberIds: [],
      evidenceRecordIds: [wedding.recordId],
    });
  });

  it('applies to a head who declares no spouse', () => {
    const result = assess([person('head')], {
      head: [hukou(NUMBER), marriage('结婚', '2010-05-20', 'key-x')],
    });
    expect(codes(result.contradictions)).toEqual(['SPOUSE_NOT_DECLARED']);
  });

  it('is silent when the partner is a member, whatever their relation', () => {
    const result = assess(
      [person('head'), person('son', { relation: '子' }), person('wife', { relation: '儿媳' })],
      {
        head: [hukou(NUMBER)],
        son: [hukou(NUMBER, '子'), marriage('结婚', '2022-10-01', key('wife'))],
        wife: [hukou(NUMBER, '儿媳'), marriage('结婚', '2022-10-01', key('son'))],
      },
    );
    expect(result.contradictions).toEqual([]);
    expect(result.members[1]!.marital).toMatchObject({ partnerInHousehold: true, partnerMemberId: 'wife' });
  });

  it('is silent on a divorce of a member outside the declared couple', () => {
    const result = assess([person('head'), person('son', { relation: '子' })], {
      head: [hukou(NUMBER)],
      son: [hukou(NUMBER, '子'), marriage('离婚', '2023-01-01', 'key-x')],
    });
    expect(result.contradictions).toEqual([]);
  });

  it('ignores a marriage registered after the as-of date', () => {
    const result = assess([person('head')], {
      head: [hukou(NUMBER), marriage('结婚', '2025-07-01', 'key-x')],
    });
    expect(result.contradictions).toEqual([]);
  });
});

describe('DECLARED_SPOUSE_DIVORCED', () => {
  it('flags both members of the declared couple when their newest registration is a divorce', () => {
    const headDivorce = marriage('离婚', '2024-04-01', key('spouse'));
    const spouseDivorce = marriage('离婚', '2024-04-01', key('head'));
    const { members, records } = couple(
      [marriage('结婚', '2010-05-20', key('spouse')), headDivorce],
      [marriage('结婚', '2010-05-20', key('head')), spouseDivorce],
    );
    const result = assess(members, records);
    expect(result.contradictions).toEqual([
      {
        code: 'DECLARED_SPOUSE_DIVORCED',
        memberId: 'head',
        severity: 'warning',
        message: 'head申报有配偶spouse，但最近一次婚姻登记为2024-04-01离婚，对方为申报的配偶spouse',
        relatedMemberIds: ['spouse'],
        evidenceRecordIds: [headDivorce.recordId],
      },
      {
        code: 'DECLARED_SPOUSE_DIVORCED',
        memberId: 'spouse',
        severity: 'warning',
        message: 'spouse申报为配偶，但最近一次婚姻登记为2024-04-01离婚，对方为申报的配偶head',
        relatedMemberIds: ['head'],
        evidenceRecordIds: [spouseDivorce.recordId],
      },
    ]);
  });

  it('says so when the divorce was from someone else, or names no partner', () => {
    const { members, records } = couple(
      [marriage('离婚', '2008-01-01', 'key-ex')],
      [marriage('离婚', '2008-01-01', null)],
    );
    const result = assess(members, records);
    expect(result.contradictions.map((found) => found.message)).toEqual([
      'head申报有配偶spouse，但最近一次婚姻登记为2008-01-01离婚，对方不是申报的配偶',
      'spouse申报为配偶，但最近一次婚姻登记为2008-01-01离婚',
    ]);
  });

  it('applies to a member declared 配偶 (or a synonym) even without a single head', () => {
    const result = assess([person('wife', { relation: '妻子' })], {
      wife: [hukou(NUMBER, '妻'), marriage('离婚', '2024-04-01', 'key-x')],
    });
    expect(only(result.contradictions, 'DECLARED_SPOUSE_DIVORCED').relatedMemberIds).toEqual([]);
  });

  it('is silent when a divorce was followed by a marriage to the declared spouse', () => {
    const { members, records } = couple(
      [marriage('离婚', '2008-01-01', 'key-ex'), marriage('结婚', '2010-05-20', key('spouse'))],
      [marriage('结婚', '2010-05-20', key('head'))],
    );
    expect(assess(members, records).contradictions).toEqual([]);
  });

  it('does not apply to a head who declares no spouse', () => {
    const result = assess([person('head')], {
      head: [hukou(NUMBER), marriage('离婚', '2024-04-01', 'key-x')],
    });
    expect(result.contradictions).toEqual([]);
  });
});

describe('SPOUSE_IS_OTHER_PERSON', () => {
  it('flags a head married to someone outside the household while a spouse is declared', () => {
    const wedding = marriage('结婚', '2015-08-08', 'key-outsider');
    const { members, records } = couple([wedding]);
    const result = assess(members, records);
    expect(result.contradictions).toEqual([
      {
        code: 'SPOUSE_IS_OTHER_PERSON',
        memberId: 'head',
        severity: 'warning',
        message: 'head最近一次婚姻登记为2015-08-08结婚，对方不是本户申报的成员；申报的配偶为spouse',
        relatedMemberIds: ['spouse'],
        evidenceRecordIds: [wedding.recordId],
      },
    ]);
  });

  it('flags a head married to another member than the declared spouse, naming both', () => {
    const result = assess(
      [person('head'), person('spouse', { relation: '配偶' }), person('sister', { relation: '姐妹' })],
      {
        head: [hukou(NUMBER), marriage('结婚', '2015-08-08', key('sister'))],
        spouse: [hukou(NUMBER, '配偶')],
        sister: [hukou(NUMBER, '姐妹')],
      },
    );
    const found = only(result.contradictions, 'SPOUSE_IS_OTHER_PERSON');
    expect(found.relatedMemberIds).toEqual(['spouse', 'sister']);
    expect(found.message).toBe(
      'head最近一次婚姻登记为2015-08-08结婚，对方为本户成员sister（申报关系：姐妹）；申报的配偶为spouse',
    );
    expect(codes(result.contradictions)).toEqual(['SPOUSE_IS_OTHER_PERSON']);
  });

  it('flags the declared spouse married to someone other than the head', () => {
    const { members, records } = couple([], [marriage('结婚', '2015-08-08', 'key-outsider')]);
    const found = only(assess(members, records).contradictions, 'SPOUSE_IS_OTHER_PERSON');
    expect(found).toMatchObject({ memberId: 'spouse', relatedMemberIds: ['head'] });
    expect(found.message).toBe(
      'spouse最近一次婚姻登记为2015-08-08结婚，对方不是本户申报的成员；申报其为户主head的配偶',
    );
  });

  it('falls back to SPOUSE_NOT_DECLARED when there is no single head to pair the spouse with', () => {
    const result = assess([person('a'), person('b'), person('spouse', { relation: '配偶' })], {
      a: [hukou(NUMBER)],
      b: [hukou(NUMBER)],
      spouse: [hukou(NUMBER, '配偶'), marriage('结婚', '2015-08-08', 'key-outsider')],
    });
    expect(codes(result.contradictions)).toEqual(['SPOUSE_NOT_DECLARED']);
  });

  it('accepts a head with two declared spouses married to either', () => {
    const result = assess(
      [person('head'), person('s1', { relation: '配偶' }), person('s2', { relation: '爱人' })],
      {
        head: [hukou(NUMBER), marriage('结婚', '2015-08-08', key('s2'))],
        s1: [hukou(NUMBER, '配偶')],
        s2: [hukou(NUMBER, '配偶')],
      },
    );
    expect(result.contradictions).toEqual([]);
  });
});

describe('RELATION_DIFFERS', () => {
  it('is info when the hukou relation to the head disagrees with the declared relation', () => {
    const row = hukou(NUMBER, '长女');
    const result = assess([person('head'), person('son', { relation: '子' })], {
      head: [hukou(NUMBER)],
      son: [row],
    });
    expect(result.contradictions).toEqual([
      {
        code: 'RELATION_DIFFERS',
        memberId: 'son',
        severity: 'info',
        message: 'son申报的关系为“子”，户籍登记的与户主关系为“长女”',
        relatedMemberIds: [],
        evidenceRecordIds: [row.recordId],
      },
    ]);
  });

  it('compares normalised text and stays silent when either side is missing', () => {
    const result = assess(
      [
        person('head', { relation: '本人' }),
        person('wife', { relation: '妻子' }),
        person('son', { relation: ' 儿子 ' }),
        person('other', { relation: '' }),
      ],
      {
        head: [hukou(NUMBER, '户主')],
        wife: [hukou(NUMBER, '配偶')],
        son: [hukou(NUMBER, '次子')],
        other: [hukou(NUMBER, '外孙')],
      },
    );
    expect(result.contradictions).toEqual([]);
    const missing = assess([person('head'), person('son', { relation: '子' })], {
      head: [hukou(NUMBER)],
      son: [hukou(NUMBER, null)],
    });
    expect(missing.contradictions).toEqual([]);
  });

  it('normalises the synonyms in use and nothing more', () => {
    expect(normalizeRelation('本人')).toBe('户主');
    expect(normalizeRelation(' 丈 夫 ')).toBe('配偶');
    expect(normalizeRelation('长子')).toBe('子');
    expect(normalizeRelation('独女')).toBe('女');
    expect(normalizeRelation('女儿')).toBe('女');
    expect(normalizeRelation('养子')).toBe('养子');
    expect(normalizeRelation('孙子')).toBe('孙子');
  });
});

describe('assessCivilStatus', () => {
  it('orders contradictions by member, then the household', () => {
    const result = assess(
      [person('head'), person('son', { relation: '子' }), person('daughter', { relation: '女' })],
      {
        head: [hukou(NUMBER), death('2025-01-01')],
        son: [hukou('620100999', '孙子')],
      },
    );
    expect(result.contradictions.map((found) => [found.memberId, found.code])).toEqual([
      ['head', 'MEMBER_DECEASED'],
      ['son', 'RELATION_DIFFERS'],
      ['daughter', 'NO_HUKOU_RECORD'],
      ['household', 'HOUSEHOLD_NUMBER_DIFFERS'],
    ]);
  });

  it('states facts and contradictions only, never a decision', () => {
    const { members, records } = couple([death('2025-01-01'), marriage('结婚', '2015-08-08', 'key-x')]);
    const text = JSON.stringify(assess(members, records));
    expect(text).not.toMatch(/eligib|grant|refus|approve|reject|准予|不予|同意|拒绝|资格|救助金/i);
  });

  it('rejects input no rule can work with', () => {
    expect(() => assess([person('head')], {}, '2025-02-30')).toThrow(RangeError);
    expect(() => assess([person('head'), person('head')], {})).toThrow(/listed twice/);
    expect(() => assess([person('household')], {})).toThrow(/reserved/);
    expect(() => assess([person('head')], { son: [] })).toThrow(/not a member/);
    expect(() => assess([person('a'), { ...person('b'), personKey: key('a') }], {})).toThrow(/same person/);
  });
});

import { describe, expect, it } from 'vitest';
import { type MatchDecision, matchWithoutId, type PersonForMatching, scoreCandidate } from './score.ts';

type Person = PersonForMatching & { ref: string };

function person(
  ref: string,
  name: string,
  birthDate: string,
  sex: 'M' | 'F' = 'M',
  regionCode = '620102',
): Person {
  return { ref, name, birthDate, sex, regionCode };
}

function decisionOf(recordName: string, recordBirth: string | null, personName: string, personBirth: string) {
  return scoreCandidate(
    { name: recordName, birthDate: recordBirth },
    { name: personName, birthDate: personBirth },
  ).decision;
}

describe(scoreCandidate.name, () => {
  it('links an exact name with the same birth date', () => {
    const result = scoreCandidate(
      { name: '张三', birthDate: '1985-03-07' },
      { name: '张三', birthDate: '1985-03-07', sex: 'M', regionCode: '620102' },
    );
    expect(result.decision).toBe('link');
    expect(result.reasons).toContain('出生日期一致（1985-03-07）');
  });

  it.each([
    ['張三', '张三'],
    ['劉德華', '刘德华'],
    ['陳麗', '陈丽'],
    ['张 三', '张三'],
    ['张\u3000三', '张三'],
    ['阿卜杜•热合曼', '阿卜杜·热合曼'],
  ])('links the variant %j of %s with the same birth date', (recordName, personName) => {
    expect(decisionOf(recordName, '1985-03-07', personName, '1985-03-07')).toBe('link');
  });

  it.each([
    ['张伟', '张玮'],
    ['李丽', '李莉'],
    ['王静', '王婧'],
    ['單偉', '善伟'],
  ])('never links the homophone %s of %s, even with the same birth date', (recordName, personName) => {
    const result = scoreCandidate(
      { name: recordName, birthDate: '1985-03-07', sex: 'M', regionCode: '620102' },
      { name: personName, birthDate: '1985-03-07', sex: 'M', regionCode: '620102' },
    );
    expect(result.decision).toBe('possible');
    expect(result.reasons.join()).toContain('需人工确认');
  });

  it('does not even propose a homophone with a different birth date', () => {
    expect(decisionOf('张伟', '1985-03-07', '张玮', '1990-11-21')).toBe('none');
  });

  it('does not propose a homophone whose birth date has a typo', () => {
    expect(decisionOf('张伟', '1985-03-01', '张玮', '1985-03-07')).toBe('none');
  });

  it.each([
    ['1985-03-01', 'one mistyped digit'],
    ['1995-03-07', 'one mistyped digit in the year'],
    ['1985-07-03', 'day and month swapped'],
    ['1958-03-07', 'adjacent digits swapped'],
  ])('proposes the same name with birth date %s (%s) as possible', (recordBirth) => {
    const result = scoreCandidate(
      { name: '张三', birthDate: recordBirth },
      { name: '张三', birthDate: '1985-03-07' },
    );
    expect(result.decision).toBe('possible');
    expect(result.reasons.join()).toContain('出生日期疑似录入错误');
  });

  it('does not match the same name with an unrelated birth date', () => {
    expect(decisionOf('张三', '1990-11-21', '张三', '1985-03-07')).toBe('none');
  });

  it('does not match the same name without a birth date', () => {
    expect(decisionOf('张三', null, '张三', '1985-03-07')).toBe('none');
  });

  it('does not match a name with one different-sounding character', () => {
    expect(decisionOf('张伟', '1985-03-07', '张强', '1985-03-07')).toBe('none');
  });

  it('does not match empty or garbage names', () => {
    expect(decisionOf('', '1985-03-07', '', '1985-03-07')).toBe('none');
    expect(decisionOf('???', '1985-03-07', '???', '1985-03-07')).toBe('none');
    expect(decisionOf('张三', 'garbage', '张三', '1985-03-07')).toBe('none');
  });

  it('lowers a link to possible when the sex differs', () => {
    const result = scoreCandidate(
      { name: '张三', birthDate: '1985-03-07', sex: 'F' },
      { name: '张三', birthDate: '1985-03-07', sex: 'M', regionCode: null },
    );
    expect(result.decision).toBe('possible');
    expect(result.reasons).toContain('性别不一致，匹配结论降低一级');
  });

  it('lowers a homophone to none when the sex differs', () => {
    const result = scoreCandidate(
      { name: '张伟', birthDate: '1985-03-07', sex: 'F' },
      { name: '张玮', birthDate: '1985-03-07', sex: 'M' },
    );
    expect(result.decision).toBe('none');
  });

  it('never raises a homophone to a link however well sex and region agree', () => {
    const result = scoreCandidate(
      { name: '张伟', birthDate: '1985-03-07', sex: 'M', regionCode: '620102' },
      { name: '张玮', birthDate: '1985-03-07', sex: 'M', regionCode: '620102' },
    );
    expect(result.decision).toBe('possible');
  });

  it('keeps a link when only the region differs but scores it lower', () => {
    const same = scoreCandidate(
      { name: '张三', birthDate: '1985-03-07', regionCode: '620102' },
      { name: '张三', birthDate: '1985-03-07', sex: 'M', regionCode: '620102' },
    );
    const elsewhere = scoreCandidate(
      { name: '张三', birthDate: '1985-03-07', regionCode: '620102' },
      { name: '张三', birthDate: '1985-03-07', sex: 'M', regionCode: '330106' },
    );
    expect(elsewhere.decision).toBe('link');
    expect(elsewhere.score).toBeLessThan(same.score);
  });

  it('scores within 0 to 100 and ranks exact above homophone above partial', () => {
    const score = (name: string) =>
      scoreCandidate({ name: '张伟', birthDate: '1985-03-07' }, { name, birthDate: '1985-03-07' }).score;
    expect(score('张伟')).toBeGreaterThan(score('张玮'));
    expect(score('张玮')).toBeGreaterThan(score('张强'));
    for (const name of ['张伟', '张玮', '张强', '']) {
      expect(score(name)).toBeGreaterThanOrEqual(0);
      expect(score(name)).toBeLessThanOrEqual(100);
    }
  });
});

describe(matchWithoutId.name, () => {
  const record = { name: '張偉', birthDate: '1985-03-07' };

  it('links the only person with the same normalised name and birth date', () => {
    const target = person('p1', '张伟', '1985-03-07');
    const result = matchWithoutId(record, [person('p0', '张伟', '1990-01-01'), target]);
    expect(result.linked).toBe(target);
    expect(result.link?.decision).toBe('link');
    expect(result.possible).toEqual([]);
  });

  it('lists namesakes with the same birth date as possible and links none of them', () => {
    const namesakes = [person('p1', '张伟', '1985-03-07'), person('p2', '張偉', '1985-03-07', 'F')];
    const result = matchWithoutId(record, namesakes);
    expect(result.linked).toBeNull();
    expect(result.link).toBeNull();
    expect(result.possible.map((candidate) => candidate.person.ref).sort()).toEqual(['p1', 'p2']);
    for (const candidate of result.possible) {
      expect(candidate.decision).toBe('possible');
      expect(candidate.reasons.join()).toContain('同名同生日');
    }
  });

  it('keeps namesakes ambiguous even when the record gives a sex that only one of them has', () => {
    const result = matchWithoutId({ ...record, sex: 'M' }, [
      person('p1', '张伟', '1985-03-07', 'M'),
      person('p2', '张伟', '1985-03-07', 'F'),
    ]);
    expect(result.linked).toBeNull();
    expect(result.possible[0]?.person.ref).toBe('p1');
  });

  it('counts the same candidate passed twice only once', () => {
    const target = person('p1', '张伟', '1985-03-07');
    expect(matchWithoutId(record, [target, target]).linked).toBe(target);
  });

  it('never links a homophone, even as the only candidate', () => {
    const result = matchWithoutId({ name: '张玮', birthDate: '1985-03-07' }, [
      person('p1', '张伟', '1985-03-07'),
    ]);
    expect(result.linked).toBeNull();
    expect(result.possible.map((candidate) => candidate.person.ref)).toEqual(['p1']);
  });

  it('links the exact name and still lists a homophone with the same birth date as possible', () => {
    const exact = person('p1', '张伟', '1985-03-07');
    const result = matchWithoutId({ name: '张伟', birthDate: '1985-03-07' }, [
      person('p2', '张玮', '1985-03-07'),
      exact,
    ]);
    expect(result.linked).toBe(exact);
    expect(result.possible.map((candidate) => candidate.person.ref)).toEqual(['p2']);
  });

  it('orders possible candidates best first', () => {
    const result = matchWithoutId({ name: '张伟', birthDate: '1985-03-07', sex: 'M', regionCode: '620102' }, [
      person('typo', '张伟', '1985-03-01', 'M', '620102'),
      person('homophone', '张玮', '1985-03-07', 'M', '330106'),
    ]);
    expect(result.linked).toBeNull();
    const decisions: MatchDecision[] = result.possible.map((candidate) => candidate.decision);
    expect(decisions).toEqual(['possible', 'possible']);
    const scores = result.possible.map((candidate) => candidate.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('returns nothing for no candidates or a garbage record', () => {
    expect(matchWithoutId(record, [])).toEqual({ linked: null, link: null, possible: [] });
    const garbage = matchWithoutId({ name: '', birthDate: null }, [person('p1', '张伟', '1985-03-07')]);
    expect(garbage).toEqual({ linked: null, link: null, possible: [] });
  });
});

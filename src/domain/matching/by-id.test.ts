import { describe, expect, it } from 'vitest';
import { linkById, matchingIdNumber, matchNearbyId, nearbyIdNumbers } from './by-id.ts';

const TODAY = { today: '2024-06-15' };
const ID = '11010519491231002X';

describe(linkById.name, () => {
  it('links an exactly matching name without a flag', () => {
    expect(linkById('张三', '张三')).toEqual({ linked: true, flag: null, nameMatch: 'exact' });
  });

  it.each([
    ['張三', '张三'],
    ['张 三', '张三'],
    ['张\u3000三', '张三'],
    ['阿卜杜•热合曼', '阿卜杜·热合曼'],
  ])('does not flag the variant %j of %s', (recordName, personName) => {
    expect(linkById(recordName, personName)).toEqual({ linked: true, flag: null, nameMatch: 'variant' });
  });

  it('links a homophone but flags it with both names', () => {
    expect(linkById('张玮', '张伟')).toMatchObject({
      linked: true,
      nameMatch: 'homophone',
      flag: { code: 'NAME_MISMATCH', recordName: '张玮', personName: '张伟', nameMatch: 'homophone' },
    });
  });

  it('links a different name but flags it with both names', () => {
    const result = linkById('李强', '张伟');
    expect(result.linked).toBe(true);
    expect(result.flag).toMatchObject({ code: 'NAME_MISMATCH', recordName: '李强', personName: '张伟' });
    expect(result.flag?.detail).toContain('身份证号码一致但姓名不一致');
  });

  it('does not flag a record that carries no name', () => {
    expect(linkById('', '张伟')).toEqual({ linked: true, flag: null, nameMatch: 'missing' });
    expect(linkById(null, '张伟')).toEqual({ linked: true, flag: null, nameMatch: 'missing' });
    expect(linkById(' \u3000', '张伟')).toEqual({ linked: true, flag: null, nameMatch: 'missing' });
  });

  it('flags a garbage name', () => {
    expect(linkById('???', '张伟').flag?.code).toBe('NAME_MISMATCH');
  });
});

describe(matchingIdNumber.name, () => {
  it('normalises spreadsheet damage and a lower-case x', () => {
    expect(matchingIdNumber("'１１０１０５１９４９１２３１００２x ", TODAY)).toBe(ID);
  });

  it('converts a legacy 15-digit number to 18 digits', () => {
    expect(matchingIdNumber('110105491231002', TODAY)).toBe(ID);
  });

  it('returns null for an invalid number', () => {
    expect(matchingIdNumber('110105194912310021', TODAY)).toBeNull();
    expect(matchingIdNumber('', TODAY)).toBeNull();
  });
});

describe(nearbyIdNumbers.name, () => {
  it('finds the intended number behind one mistyped digit', () => {
    const mistyped = `${ID.slice(0, 15)}7${ID.slice(16)}`;
    expect(matchingIdNumber(mistyped, TODAY)).toBeNull();
    expect(nearbyIdNumbers(mistyped, TODAY)).toContain(ID);
  });

  it('finds the intended number behind two swapped adjacent digits', () => {
    const swapped = `${ID.slice(0, 15)}${ID[16]}${ID[15]}${ID.slice(17)}`;
    expect(swapped).not.toBe(ID);
    expect(nearbyIdNumbers(swapped, TODAY)).toContain(ID);
  });

  it('finds the intended number behind a wrong check character', () => {
    expect(nearbyIdNumbers('110105194912310021', TODAY)).toContain(ID);
  });

  it('returns only valid numbers, a handful of them', () => {
    const nearby = nearbyIdNumbers('110105194912310021', TODAY);
    expect(nearby.length).toBeLessThan(40);
    for (const id of nearby) expect(matchingIdNumber(id, TODAY)).toBe(id);
  });

  it('returns nothing for input that is not an 18-character number', () => {
    expect(nearbyIdNumbers('', TODAY)).toEqual([]);
    expect(nearbyIdNumbers('abc', TODAY)).toEqual([]);
    expect(nearbyIdNumbers('110105491231002', TODAY)).toEqual([]);
  });
});

describe(matchNearbyId.name, () => {
  const zhang = { ref: 'p1', name: '张伟' };
  const li = { ref: 'p2', name: '李强' };

  it('links the only person under a nearby number with the same name', () => {
    expect(matchNearbyId('張偉', [li, zhang])).toEqual({ linked: zhang, possible: [] });
  });

  it('proposes a homophone under a nearby number without linking it', () => {
    const result = matchNearbyId('张玮', [zhang]);
    expect(result.linked).toBeNull();
    expect(result.possible.map((candidate) => candidate.person)).toEqual([zhang]);
  });

  it('links none of several same-named persons under nearby numbers', () => {
    const other = { ref: 'p3', name: '张伟' };
    const result = matchNearbyId('张伟', [zhang, other]);
    expect(result.linked).toBeNull();
    expect(result.possible).toHaveLength(2);
  });

  it('proposes nothing for a record without a name', () => {
    expect(matchNearbyId('', [zhang])).toEqual({ linked: null, possible: [] });
  });
});

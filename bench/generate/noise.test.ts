import { describe, expect, it } from 'vitest';
import { isValidCreditCode } from '../../src/domain/catalog/cells.ts';
import { computeCheckChar, normalizeIdNumber, parseIdNumber } from '../../src/domain/identity/id-number.ts';
import { creditCodeOf, plateOf, transportCode, unitNumberOf, vehicleCode } from './codes.ts';
import { GIVEN_CHARACTERS, HOMOPHONES, SURNAMES, TRADITIONAL, toTraditional } from './names.ts';
import {
  addApostrophe,
  addStraySpace,
  homophoneGiven,
  spacedName,
  substituteDigit,
  swapAdjacentDigits,
  toFullWidth,
  toLegacy15,
} from './noise.ts';
import { cumulative, hash4, pickIndex, Rng } from './random.ts';

const TODAY = '2025-06-30';

function validId(rng: Rng): string {
  const year = 1940 + rng.int(80);
  const month = String(1 + rng.int(12)).padStart(2, '0');
  const day = String(1 + rng.int(28)).padStart(2, '0');
  const body = `621002${year}${month}${day}${String(rng.int(1000)).padStart(3, '0')}`;
  return body + computeCheckChar(body);
}

describe('ID noise', () => {
  const rng = new Rng(42, 1);
  const ids = Array.from({ length: 2_000 }, () => validId(rng));

  it('keeps the number valid for full-width digits, spaces, apostrophes and the legacy form of 19xx births', () => {
    for (const id of ids) {
      expect(normalizeIdNumber(toFullWidth(id))).toBe(id);
      expect(normalizeIdNumber(addApostrophe(id))).toBe(id);
      expect(normalizeIdNumber(addStraySpace(id, rng))).toBe(id);
      if (id.slice(6, 8) !== '19') continue;
      const legacy = parseIdNumber(toLegacy15(id), { today: TODAY });
      expect(legacy.ok && legacy.legacy && legacy.id18).toBe(id);
    }
  });

  it('makes the check character fail for one substituted digit and for two swapped digits', () => {
    for (const id of ids) {
      const substituted = substituteDigit(id, rng);
      expect(substituted).not.toBe(id);
      expect(parseIdNumber(substituted, { today: TODAY }).ok).toBe(false);
      const swapped = swapAdjacentDigits(id, rng);
      expect(swapped).not.toBe(id);
      expect(parseIdNumber(swapped, { today: TODAY }).ok).toBe(false);
    }
  });
});

describe('name noise tables', () => {
  it('has a different homophone for every given-name character', () => {
    for (const character of GIVEN_CHARACTERS) {
      expect(HOMOPHONES[character], character).toBeDefined();
      expect(HOMOPHONES[character]).not.toBe(character);
    }
  });

  it('maps simplified characters to different traditional ones', () => {
    for (const [simplified, traditional] of Object.entries(TRADITIONAL)) {
      expect([...simplified]).toHaveLength(1);
      expect(traditional).not.toBe(simplified);
    }
    expect(toTraditional('陈伟')).toBe('陳偉');
  });

  it('changes one given-name character, never the surname', () => {
    const rng = new Rng(7);
    expect(homophoneGiven('伟', rng)).toBe('玮');
    const changed = homophoneGiven('丽华', rng) ?? '';
    expect(['莉华', '丽桦']).toContain(changed);
    expect(homophoneGiven('', rng)).toBeUndefined();
  });

  it('puts the stray space inside the name, where trimming cannot remove it', () => {
    const rng = new Rng(3);
    for (let k = 0; k < 50; k++) {
      const spaced = spacedName('欧阳', '明华', rng);
      expect(spaced.normalize('NFKC').replace(/\s/g, '')).toBe('欧阳明华');
      expect(spaced.trim()).toBe(spaced);
      expect(spaced).toMatch(/\s/);
    }
  });

  it('lists every surname once', () => {
    expect(new Set(SURNAMES).size).toBe(SURNAMES.length);
  });
});

describe('identifiers of things', () => {
  it('makes valid, distinct credit codes', () => {
    const codes = new Set<string>();
    for (let entity = 0; entity < 5_000; entity++) {
      const code = creditCodeOf(entity % 2 === 0 ? '92' : '91', '621002', entity * 4 + 3);
      expect(isValidCreditCode(code)).toBe(true);
      codes.add(code);
    }
    expect(codes.size).toBe(5_000);
  });

  it('makes distinct plates for family vehicles and transport permits', () => {
    const plates = new Set<string>();
    for (let family = 0; family < 3_000; family++) {
      for (let k = 0; k < 4; k++) plates.add(plateOf(vehicleCode(family, k)));
      plates.add(plateOf(transportCode(family)));
    }
    expect(plates.size).toBe(15_000);
    for (const plate of plates) expect(plate).toMatch(/^甘M[A-HJ-NP-Z][0-9A-HJ-NP-Z]{4}$/);
  });

  it('makes 28-character property unit numbers', () => {
    const unit = unitNumberOf('621002', 1_234_567, 99, 12, 345);
    expect(unit).toHaveLength(28);
    expect(unit).toMatch(/^621002012345GB\d{5}F\d{2}990001$/);
    const units = new Set(
      Array.from({ length: 10_000 }, (_, family) => unitNumberOf('621002', family, 0, 1, 1)),
    );
    expect(units.size).toBe(10_000);
  });
});

describe('randomness', () => {
  it('is a pure function of the seed and coordinates', () => {
    const a = new Rng(5, 1, 2, 3);
    const b = new Rng(5, 1, 2, 3);
    for (let k = 0; k < 100; k++) expect(a.next()).toBe(b.next());
    expect(hash4(1, 2, 3, 4)).toBe(hash4(1, 2, 3, 4));
    expect(hash4(1, 2, 3, 4)).not.toBe(hash4(1, 2, 4, 3));
  });

  it('draws weighted choices in proportion', () => {
    const cdf = cumulative([1, 3]);
    const rng = new Rng(11);
    let second = 0;
    for (let k = 0; k < 20_000; k++) second += pickIndex(cdf, rng.float());
    expect(second / 20_000).toBeCloseTo(0.75, 1);
  });
});

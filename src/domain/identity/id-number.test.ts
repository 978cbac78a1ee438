import { describe, expect, it } from 'vitest';
import {
  computeCheckChar,
  ID_ERROR_CODES,
  type IdErrorCode,
  maskIdNumber,
  normalizeIdNumber,
  parseIdNumber,
  todayInShanghai,
} from './id-number.ts';

const TODAY = '2024-06-15';

function errorCodeOf(input: string, today = TODAY): IdErrorCode | 'OK' {
  const result = parseIdNumber(input, { today });
  return result.ok ? 'OK' : result.code;
}

describe(parseIdNumber.name, () => {
  it("accepts the standard's first example as a woman born 1949-12-31 in Beijing Chaoyang", () => {
    expect(parseIdNumber('11010519491231002X', { today: TODAY })).toEqual({
      ok: true,
      input: '11010519491231002X',
      id18: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'F',
      regionCode: '110105',
      legacy: false,
      regionKnown: true,
    });
  });

  it("accepts the standard's second example, born on the earliest allowed date, as a man", () => {
    const result = parseIdNumber('440524188001010014', { today: TODAY });
    expect(result).toMatchObject({ ok: true, birthDate: '1880-01-01', sex: 'M', regionCode: '440524' });
  });

  it('flags a region code missing from GB/T 2260 but still accepts the number', () => {
    expect(parseIdNumber('440524188001010014', { today: TODAY })).toMatchObject({
      ok: true,
      regionKnown: false,
    });
    expect(parseIdNumber('999999199001011238', { today: TODAY })).toMatchObject({
      ok: true,
      regionKnown: false,
    });
  });

  it('treats a code retired from GB/T 2260 as a known region', () => {
    // 110103 崇文区 was merged into 东城区 in 2010; people registered there keep their numbers.
    const first17 = '11010319800101001';
    const result = parseIdNumber(`${first17}${computeCheckChar(first17)}`, { today: TODAY });
    expect(result).toMatchObject({ ok: true, regionCode: '110103', regionKnown: true });
  });

  it('converts a legacy 15-digit number by inserting 19 and computing the check character', () => {
    expect(parseIdNumber('621002850615002', { today: TODAY })).toEqual({
      ok: true,
      input: '621002850615002',
      id18: '621002198506150029',
      birthDate: '1985-06-15',
      sex: 'F',
      regionCode: '621002',
      legacy: true,
      regionKnown: true,
    });
    expect(parseIdNumber('110105491231002', { today: TODAY })).toMatchObject({ id18: '11010519491231002X' });
  });

  it('reads the sex from the 17th digit, odd meaning male', () => {
    expect(parseIdNumber('621022198506150016', { today: TODAY })).toMatchObject({ ok: true, sex: 'M' });
    expect(parseIdNumber('621002198506150029', { today: TODAY })).toMatchObject({ ok: true, sex: 'F' });
  });

  it('normalises full-width digits, spaces, zero-width characters, an apostrophe and a lower-case x', () => {
    const messy = [
      '１１０１０５１９４９１２３１００２Ｘ',
      ' 110105 19491231 002X\t',
      '110105\u300019491231002X',
      '\u200B110105\u200C19491231\u200D002X\uFEFF',
      "'11010519491231002X",
      '\u201911010519491231002X',
      '\u201811010519491231002X',
      '11010519491231002x',
    ];
    for (const input of messy) {
      expect(parseIdNumber(input, { today: TODAY })).toMatchObject({
        ok: true,
        input,
        id18: '11010519491231002X',
      });
    }
  });

  it('reports a digit string of the wrong length as BAD_LENGTH', () => {
    expect(errorCodeOf('')).toBe('BAD_LENGTH');
    expect(errorCodeOf('6210021990010112')).toBe('BAD_LENGTH');
    expect(errorCodeOf('62100219900101123')).toBe('BAD_LENGTH');
    expect(errorCodeOf('6210021990010112345')).toBe('BAD_LENGTH');
    expect(errorCodeOf('1101051949123102X')).toBe('BAD_LENGTH');
  });

  it('reports anything but digits and a trailing X as BAD_CHARACTER, before the length', () => {
    expect(errorCodeOf('1101051949123100XX')).toBe('BAD_CHARACTER');
    expect(errorCodeOf('X10105194912310021')).toBe('BAD_CHARACTER');
    expect(errorCodeOf('11010519491231OO2X')).toBe('BAD_CHARACTER');
    expect(errorCodeOf('110105-1949-1231-002X')).toBe('BAD_CHARACTER');
    expect(errorCodeOf('abc')).toBe('BAD_CHARACTER');
  });

  it('rejects a check character on a legacy 15-digit number', () => {
    expect(errorCodeOf('11010549123100X')).toBe('BAD_CHARACTER');
  });

  it('explains that Excel scientific notation has lost the digits', () => {
    for (const input of ['3.30106E+17', '3.30106e+17', '６.２１００２Ｅ＋１７']) {
      const result = parseIdNumber(input, { today: TODAY });
      expect(result).toMatchObject({ ok: false, code: 'BAD_CHARACTER' });
      expect(result.ok ? '' : result.message).toContain('科学计数法');
    }
  });

  it('rejects birth dates that are not on the calendar', () => {
    expect(errorCodeOf('621002199013011236')).toBe('BAD_BIRTH_DATE');
    expect(errorCodeOf('621002199001001233')).toBe('BAD_BIRTH_DATE');
    expect(errorCodeOf('621002199002291236')).toBe('BAD_BIRTH_DATE');
    expect(errorCodeOf('621002190002291235')).toBe('BAD_BIRTH_DATE');
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseIdNumber('621002200002291231', { today: TODAY })).toMatchObject({
      ok: true,
      birthDate: '2000-02-29',
    });
  });

  it('rejects a birth date after the injected today and accepts one on it', () => {
    expect(errorCodeOf('621002202406160018')).toBe('BAD_BIRTH_DATE');
    expect(errorCodeOf('621002202406150012')).toBe('OK');
    expect(errorCodeOf('621002202406150012', '2024-06-14')).toBe('BAD_BIRTH_DATE');
  });

  it('rejects a birth date before 1880-01-01', () => {
    expect(errorCodeOf('621002187912311234')).toBe('BAD_BIRTH_DATE');
  });

  it('rejects an impossible date inside a legacy 15-digit number', () => {
    expect(errorCodeOf('621002850230002')).toBe('BAD_BIRTH_DATE');
  });

  it('reports a wrong check character as BAD_CHECK_DIGIT, after the birth date is known to be good', () => {
    expect(errorCodeOf('110105194912310021')).toBe('BAD_CHECK_DIGIT');
    expect(errorCodeOf('621002199001011234')).toBe('BAD_CHECK_DIGIT');
    expect(errorCodeOf('621002199013011230')).toBe('BAD_BIRTH_DATE');
  });

  it('produces every listed error code, each with a Chinese message', () => {
    const samples: Record<IdErrorCode, string> = {
      BAD_LENGTH: '6210021990',
      BAD_CHARACTER: '62100219900101123A',
      BAD_BIRTH_DATE: '621002199002291236',
      BAD_CHECK_DIGIT: '110105194912310021',
    };
    expect(Object.keys(samples).sort()).toEqual([...ID_ERROR_CODES].sort());
    for (const [code, input] of Object.entries(samples)) {
      const result = parseIdNumber(input, { today: TODAY });
      expect(result).toMatchObject({ ok: false, input, code });
      expect(result.ok ? '' : result.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses a today that is not YYYY-MM-DD', () => {
    expect(() => parseIdNumber('11010519491231002X', { today: '2024/06/15' })).toThrow(RangeError);
  });
});

describe(todayInShanghai.name, () => {
  it('gives the date in China, which is already tomorrow late in the UTC evening', () => {
    expect(todayInShanghai(new Date('2024-03-01T15:59:59Z'))).toBe('2024-03-01');
    expect(todayInShanghai(new Date('2024-03-01T16:00:00Z'))).toBe('2024-03-02');
  });
});

describe(normalizeIdNumber.name, () => {
  it('keeps characters it cannot explain so that validation can report them', () => {
    expect(normalizeIdNumber(' ３.30106e+17 ')).toBe('3.30106e+17');
    expect(normalizeIdNumber("'1101 05x")).toBe('110105X');
  });
});

describe(computeCheckChar.name, () => {
  it("matches the standard's examples, including X for a remainder of 2", () => {
    expect(computeCheckChar('11010519491231002')).toBe('X');
    expect(computeCheckChar('44052418800101001')).toBe('4');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => computeCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => computeCheckChar('1101051949123100X')).toThrow(RangeError);
  });
});

describe(maskIdNumber.name, () => {
  it('shows only the first and last four characters', () => {
    expect(maskIdNumber('620102199001011234')).toBe('6201**********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('hides a value too short to leave anything visible safely', () => {
    expect(maskIdNumber('12345678')).toBe('********');
  });
});

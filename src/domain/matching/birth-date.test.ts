import { describe, expect, it } from 'vitest';
import { compareBirthDates, normalizeBirthDate } from './birth-date.ts';

describe(normalizeBirthDate.name, () => {
  it.each([
    ['1985-03-07', '1985-03-07'],
    ['1985-3-7', '1985-03-07'],
    ['1985/03/07', '1985-03-07'],
    ['1985.3.7', '1985-03-07'],
    ['19850307', '1985-03-07'],
    ['1985年3月7日', '1985-03-07'],
    ['１９８５－０３－０７', '1985-03-07'],
    [' 1985-03-07 ', '1985-03-07'],
  ])('reads %j as %s', (input, expected) => {
    expect(normalizeBirthDate(input)).toBe(expected);
  });

  it.each([null, undefined, '', '不详', '1985-02-30', '1985-13-01', '85-03-07', '1800-01-01'])(
    'returns null for %j',
    (input) => {
      expect(normalizeBirthDate(input)).toBeNull();
    },
  );
});

describe(compareBirthDates.name, () => {
  it('calls equal dates the same even when written differently', () => {
    expect(compareBirthDates('1985/3/7', '1985-03-07').kind).toBe('same');
  });

  it('recognises one mistyped digit', () => {
    expect(compareBirthDates('1985-03-01', '1985-03-07')).toMatchObject({
      kind: 'typo',
      pattern: 'one_digit',
    });
    expect(compareBirthDates('1995-03-07', '1985-03-07')).toMatchObject({
      kind: 'typo',
      pattern: 'one_digit',
    });
  });

  it('recognises day and month swapped', () => {
    expect(compareBirthDates('1985-07-03', '1985-03-07')).toMatchObject({
      kind: 'typo',
      pattern: 'day_month_swapped',
    });
  });

  it('recognises two adjacent digits swapped', () => {
    expect(compareBirthDates('1958-03-07', '1985-03-07')).toMatchObject({
      kind: 'typo',
      pattern: 'adjacent_digits_swapped',
    });
  });

  it('calls dates with two unrelated differences different', () => {
    expect(compareBirthDates('1985-04-08', '1985-03-07').kind).toBe('different');
    expect(compareBirthDates('1990-01-01', '1985-03-07').kind).toBe('different');
  });

  it('reports a missing or invalid date as missing', () => {
    expect(compareBirthDates(null, '1985-03-07').kind).toBe('missing');
    expect(compareBirthDates('1985-02-30', '1985-03-07').kind).toBe('missing');
  });
});

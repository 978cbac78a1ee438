import { describe, expect, it } from 'vitest';
import { assertDate, formatArea, formatDate, formatMonth, formatYuan } from './format.ts';

describe(formatYuan.name, () => {
  it('writes fen as yuan with two decimals and thousands separators', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(99)).toBe('0.99');
    expect(formatYuan(100)).toBe('1.00');
    expect(formatYuan(100_000)).toBe('1,000.00');
    expect(formatYuan(123_456_789)).toBe('1,234,567.89');
    expect(formatYuan(-5)).toBe('-0.05');
    expect(formatYuan(-4_321)).toBe('-43.21');
    expect(formatYuan(-123_456_789)).toBe('-1,234,567.89');
  });

  it('stays exact up to the largest safe integer', () => {
    expect(formatYuan(Number.MAX_SAFE_INTEGER)).toBe('90,071,992,547,409.91');
  });

  it('refuses amounts that are not whole fen', () => {
    expect(() => formatYuan(10.5)).toThrow(RangeError);
    expect(() => formatYuan(Number.NaN)).toThrow(RangeError);
  });

  it('writes areas in hundredths of m² the same way', () => {
    expect(formatArea(15_632)).toBe('156.32');
  });
});

describe(formatDate.name, () => {
  it('writes dates as official documents do', () => {
    expect(formatDate('2026-03-09')).toBe('2026年3月9日');
    expect(formatMonth('2025-11')).toBe('2025年11月');
  });

  it('refuses a day that does not exist', () => {
    expect(() => assertDate('2026-02-30', 'issuedOn')).toThrow(/issuedOn/);
    expect(() => assertDate('2026/03/09', 'issuedOn')).toThrow(/YYYY-MM-DD/);
  });
});

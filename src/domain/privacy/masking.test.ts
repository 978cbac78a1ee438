import { describe, expect, it } from 'vitest';
import { amountBucket, maskAddress, maskField, maskIdNumber, maskName } from './masking.ts';

describe(maskIdNumber.name, () => {
  it('keeps the first and last four characters of an 18-character number', () => {
    expect(maskIdNumber('620102199001011234')).toBe('6201**********1234');
    expect(maskIdNumber('62010219900101123X')).toBe('6201**********123X');
  });
  it('keeps four and four of a 15-digit number and hides a short string whole', () => {
    expect(maskIdNumber('620102900101123')).toBe('6201*******1123');
    expect(maskIdNumber('12345678')).toBe('********');
  });
});

describe(maskName.name, () => {
  it('keeps the surname and stars every other character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王建军')).toBe('王**');
  });
  it('keeps a compound surname whole', () => {
    expect(maskName('欧阳明华')).toBe('欧阳**');
    expect(maskName('司马光')).toBe('司马*');
  });
  it('does not take a two-character name for a compound surname', () => {
    expect(maskName('欧阳')).toBe('欧*');
  });
  it('hides a one-character name and leaves an empty one empty', () => {
    expect(maskName('李')).toBe('*');
    expect(maskName('')).toBe('');
  });
  it('counts characters, not UTF-16 units', () => {
    expect(maskName('𠮷田一')).toBe('𠮷**');
  });
});

describe(maskAddress.name, () => {
  it('cuts after the county', () => {
    expect(maskAddress('甘肃省庆阳市西峰区长庆大道12号3单元')).toBe('甘肃省庆阳市西峰区***');
    expect(maskAddress('甘肃省庆阳市庆城县驿马镇太乐村')).toBe('甘肃省庆阳市庆城县***');
  });
  it('handles a municipality, an autonomous region and an address starting at the county', () => {
    expect(maskAddress('北京市朝阳区建国路1号')).toBe('北京市朝阳区***');
    expect(maskAddress('内蒙古自治区呼和浩特市新城区xx街')).toBe('内蒙古自治区呼和浩特市新城区***');
    expect(maskAddress('西峰区长庆大道12号')).toBe('西峰区***');
    expect(maskAddress('临夏回族自治州积石山保安族东乡族撒拉族自治县某村')).toMatch(
      /^临夏回族自治州.+县\*\*\*$/,
    );
  });
  it('hides an address whose county cannot be told', () => {
    expect(maskAddress('长庆大道12号')).toBe('***');
    expect(maskAddress('')).toBe('');
  });
});

describe(amountBucket.name, () => {
  it('shows an amount as its bucket', () => {
    expect(amountBucket(0)).toBe('无');
    expect(amountBucket(99_999)).toBe('1千元以下');
    expect(amountBucket(3_456_789)).toBe('1万至5万元');
    expect(amountBucket(50_000_000)).toBe('50万元以上');
    expect(amountBucket(-5)).toBe('负数（欠款）');
  });
  it('refuses a float', () => {
    expect(() => amountBucket(1.5)).toThrow(RangeError);
  });
});

describe(maskField.name, () => {
  it('dispatches by kind and keeps null', () => {
    expect(maskField('idNumber', '620102199001011234')).toBe('6201**********1234');
    expect(maskField('name', '张三')).toBe('张*');
    expect(maskField('address', null)).toBeNull();
  });
});

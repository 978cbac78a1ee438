import { describe, expect, it } from 'vitest';
import {
  findRegion,
  isKnownRegionCode,
  isWithinRegion,
  listChildren,
  parentRegionCode,
  regionLevelOf,
  regionPath,
} from './regions.ts';

describe(findRegion.name, () => {
  it('finds current province, prefecture and county codes with their names and parents', () => {
    expect(findRegion('620000')).toEqual({
      code: '620000',
      name: '甘肃省',
      level: 'province',
      retired: false,
      lastRevision: null,
      parentCode: null,
    });
    expect(findRegion('621000')).toMatchObject({ name: '庆阳市', level: 'city', parentCode: '620000' });
    expect(findRegion('621002')).toMatchObject({ name: '西峰区', level: 'county', parentCode: '621000' });
    expect(findRegion('110101')).toMatchObject({ name: '东城区', level: 'county', retired: false });
  });

  it('keeps districts merged away in 2010 as retired, with the last revision that listed them', () => {
    expect(findRegion('110103')).toMatchObject({ name: '崇文区', retired: true, lastRevision: '200912' });
    expect(findRegion('110104')).toMatchObject({ name: '宣武区', retired: true, lastRevision: '200912' });
  });

  it('keeps Taiwan, Hong Kong and Macao current although statistical codes leave them out', () => {
    for (const code of ['710000', '810000', '820000']) {
      expect(findRegion(code)).toMatchObject({ level: 'province', retired: false });
    }
  });

  it('does not hold township codes or malformed codes', () => {
    expect(findRegion('621002001')).toBeUndefined();
    expect(findRegion('62100')).toBeUndefined();
  });
});

describe(isKnownRegionCode.name, () => {
  it('knows current and retired codes but not invented ones', () => {
    expect(isKnownRegionCode('621002')).toBe(true);
    expect(isKnownRegionCode('110104')).toBe(true);
    expect(isKnownRegionCode('999999')).toBe(false);
    expect(isKnownRegionCode('621002001')).toBe(false);
  });
});

describe(regionLevelOf.name, () => {
  it('reads the level from the shape of the code', () => {
    expect(regionLevelOf('620000')).toBe('province');
    expect(regionLevelOf('621000')).toBe('city');
    expect(regionLevelOf('621002')).toBe('county');
    expect(regionLevelOf('621002001')).toBe('township');
  });

  it('places townships of prefectures without counties, such as 东莞, directly below the city', () => {
    expect(regionLevelOf('441900003')).toBe('township');
    expect(parentRegionCode('441900003')).toBe('441900');
  });

  it('rejects codes that cannot exist', () => {
    for (const code of [
      '',
      '62',
      '6210',
      '62100',
      '6210021',
      '000000',
      '620001',
      '621002000',
      '620000001',
      'abcdef',
    ]) {
      expect(regionLevelOf(code)).toBeUndefined();
    }
  });
});

describe(parentRegionCode.name, () => {
  it('walks township to county to prefecture to province', () => {
    expect(parentRegionCode('621002001')).toBe('621002');
    expect(parentRegionCode('621002')).toBe('621000');
    expect(parentRegionCode('621000')).toBe('620000');
    expect(parentRegionCode('620000')).toBeNull();
  });

  it('puts districts of a municipality directly under the municipality, skipping 市辖区', () => {
    expect(parentRegionCode('110101')).toBe('110000');
    expect(parentRegionCode('110100')).toBe('110000');
    expect(parentRegionCode('500229')).toBe('500000');
  });

  it('puts province-administered county-level cities under the province', () => {
    expect(findRegion('429004')).toMatchObject({ name: '仙桃市', parentCode: '420000' });
  });

  it('has no parent for a malformed code', () => {
    expect(parentRegionCode('62100')).toBeNull();
  });
});

describe(isWithinRegion.name, () => {
  it('contains a code in itself and in every ancestor', () => {
    expect(isWithinRegion('621002001', '621002001')).toBe(true);
    expect(isWithinRegion('621002001', '621002')).toBe(true);
    expect(isWithinRegion('621002001', '621000')).toBe(true);
    expect(isWithinRegion('621002001', '620000')).toBe(true);
    expect(isWithinRegion('621002', '621002')).toBe(true);
  });

  it('keeps neighbouring and higher regions out', () => {
    expect(isWithinRegion('621002001', '621021')).toBe(false);
    expect(isWithinRegion('621002001', '621002002')).toBe(false);
    expect(isWithinRegion('621000', '621002')).toBe(false);
    expect(isWithinRegion('620000', '621000')).toBe(false);
    expect(isWithinRegion('621002001', '630000')).toBe(false);
  });

  it('places a township of a Beijing district inside Beijing', () => {
    expect(isWithinRegion('110101001', '110000')).toBe(true);
    expect(isWithinRegion('110101001', '110101')).toBe(true);
    expect(isWithinRegion('110101001', '120000')).toBe(false);
  });

  it('is false for malformed codes on either side', () => {
    expect(isWithinRegion('62100', '620000')).toBe(false);
    expect(isWithinRegion('621002', '62')).toBe(false);
    expect(isWithinRegion('', '')).toBe(false);
  });
});

describe(regionPath.name, () => {
  it('lists the known regions from the province down', () => {
    expect(regionPath('621002001').map((region) => region.name)).toEqual(['甘肃省', '庆阳市', '西峰区']);
    expect(regionPath('110101').map((region) => region.name)).toEqual(['北京市', '东城区']);
    expect(regionPath('620000').map((region) => region.code)).toEqual(['620000']);
  });

  it('is empty for a code the data does not know', () => {
    expect(regionPath('999999')).toEqual([]);
  });
});

describe(listChildren.name, () => {
  it('lists the current counties of a prefecture in code order', () => {
    const codes = listChildren('621000').map((region) => region.code);
    expect(codes[0]).toBe('621002');
    expect(codes).toContain('621022');
    expect([...codes].sort()).toEqual(codes);
  });

  it('lists a municipality’s districts directly, without the 市辖区 grouping', () => {
    const children = listChildren('110000');
    expect(children.map((region) => region.name)).toContain('东城区');
    expect(children.map((region) => region.code)).not.toContain('110100');
    expect(children.map((region) => region.code)).not.toContain('110103');
  });

  it('includes retired codes only when asked', () => {
    const codes = listChildren('110000', { includeRetired: true }).map((region) => region.code);
    expect(codes).toContain('110103');
    expect(codes).toContain('110104');
  });

  it('is empty below a county and for unknown codes', () => {
    expect(listChildren('621002')).toEqual([]);
    expect(listChildren('999999')).toEqual([]);
  });
});

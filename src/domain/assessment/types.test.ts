import { describe, expect, it } from 'vitest';
import { findColumn, findDataset } from '../catalog/datasets.ts';
import { ASSET_TYPES, DEFAULT_TOLERANCE_FEN, definePolicy, TAX_ITEM_CATEGORY, TAX_ITEMS } from './types.ts';

function enumValues(dataset: string, key: string): readonly string[] | undefined {
  const def = findDataset(dataset);
  return def === undefined ? undefined : findColumn(def, key)?.values;
}

describe('catalog values the assessment reads', () => {
  it('are the catalog’s 所得项目 and 资产类型, each tax item with a category', () => {
    expect(enumValues('tax_income', 'incomeItem')).toEqual([...TAX_ITEMS]);
    expect(enumValues('deposit', 'assetType')).toEqual([...ASSET_TYPES]);
    expect(Object.keys(TAX_ITEM_CATEGORY).sort()).toEqual([...TAX_ITEMS].sort());
  });
});

describe(definePolicy.name, () => {
  it('fills in a 12-month window, no exempt items and the default tolerances', () => {
    expect(definePolicy({ version: 'v1' })).toEqual({
      version: 'v1',
      windowMonths: 12,
      exemptSubsidyItems: [],
      toleranceFen: DEFAULT_TOLERANCE_FEN,
      seriousMultiple: 5,
    });
  });

  it('keeps given values, trimming and deduplicating exempt items', () => {
    const policy = definePolicy({
      version: ' v2 ',
      windowMonths: 6,
      exemptSubsidyItems: [' 耕地地力保护补贴', '耕地地力保护补贴', ''],
      toleranceFen: { wages: 0 },
      seriousMultiple: 3,
    });
    expect(policy).toMatchObject({
      version: 'v2',
      windowMonths: 6,
      exemptSubsidyItems: ['耕地地力保护补贴'],
      seriousMultiple: 3,
    });
    expect(policy.toleranceFen.wages).toBe(0);
    expect(policy.toleranceFen.deposits).toBe(DEFAULT_TOLERANCE_FEN.deposits);
  });

  it('refuses values no rule can work with', () => {
    expect(() => definePolicy({ version: '' })).toThrow(RangeError);
    expect(() => definePolicy({ version: 'v', windowMonths: 0 })).toThrow(RangeError);
    expect(() => definePolicy({ version: 'v', windowMonths: 1.5 })).toThrow(RangeError);
    expect(() => definePolicy({ version: 'v', toleranceFen: { wages: -1 } })).toThrow(RangeError);
    expect(() => definePolicy({ version: 'v', seriousMultiple: 0.5 })).toThrow(RangeError);
  });
});

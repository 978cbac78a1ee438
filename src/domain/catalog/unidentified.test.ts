import { describe, expect, it } from 'vitest';
import { computeCheckChar } from '../identity/id-number.ts';
import { findDataset } from './datasets.ts';
import { parsePeriod } from './period.ts';
import { checkHeaders, type RowContext } from './rows.ts';
import type { DatasetDef, RawCell } from './types.ts';
import {
  birthDateInIdNumber,
  checkAcceptsUnidentified,
  checkUnidentifiedRow,
  unidentifiedDataset,
  unidentifiedStorageDataset,
} from './unidentified.ts';

const TODAY = '2025-07-15';

function dataset(code: string): DatasetDef {
  const found = findDataset(code);
  if (!found) throw new Error(`no dataset ${code}`);
  return found;
}

const DEPOSIT = dataset('deposit');
const DEATH = dataset('death');
const CTX: RowContext = { today: TODAY, period: null };
const valid17 = '62100219850315123';
const VALID = `${valid17}${computeCheckChar(valid17)}`;
/** The valid number with its check character replaced: one substituted digit. */
const MISTYPED = `${valid17}${computeCheckChar(valid17) === '1' ? '2' : '1'}`;

/** Checks one deposit row written with these headers and cells. */
function check(row: Record<string, RawCell>, def: DatasetDef = DEPOSIT) {
  const template = unidentifiedDataset(def);
  const headers = Object.keys(row);
  const index = checkHeaders(template, headers);
  expect(index.errors).toEqual([]);
  return checkUnidentifiedRow(template, index.columnIndex, 2, Object.values(row), CTX);
}

const DEPOSIT_CELLS = {
  金融机构: '庆阳农商银行',
  账号: '',
  资产类型: '活期存款',
  余额: '1200.50',
  截至日期: '2025-06-30',
};

describe(unidentifiedDataset.name, () => {
  it('makes 身份证号 optional and adds 出生日期 after 姓名, keeping every other column as the catalog has it', () => {
    const template = unidentifiedDataset(DEPOSIT);
    expect(template.columns.map((c) => c.header)).toEqual([
      '身份证号',
      '姓名',
      '出生日期',
      ...DEPOSIT.columns.slice(2).map((c) => c.header),
    ]);
    expect(template.columns.find((c) => c.key === 'idNumber')?.required).toBe(false);
    expect(template.columns.slice(3)).toEqual(DEPOSIT.columns.slice(2));
  });

  it('accepts the header rows of a file without the 身份证号 column at all', () => {
    const headers = ['姓名', '出生日期', ...DEPOSIT.columns.slice(2).map((c) => c.header)];
    expect(checkHeaders(unidentifiedDataset(DEPOSIT), headers).errors).toEqual([]);
  });

  it('stores 出生日期 after the dataset columns, so a periodic record keeps the month of its own date', () => {
    expect(unidentifiedStorageDataset(DEATH).columns.at(-1)?.key).toBe('birthDate');
    expect(unidentifiedStorageDataset(DEATH).columns[2]?.key).toBe('deathDate');
  });
});

describe(checkAcceptsUnidentified.name, () => {
  it('refuses the hukou register, which every other record is matched against', () => {
    expect(checkAcceptsUnidentified(dataset('hukou'))?.code).toBe('UNIDENTIFIED_NOT_ACCEPTED');
    expect(checkAcceptsUnidentified(DEPOSIT)).toBeNull();
  });
});

describe(birthDateInIdNumber.name, () => {
  it('reads the birth date of an 18- or 15-digit number whose check failed, but not an impossible or future one', () => {
    expect(birthDateInIdNumber(MISTYPED, TODAY)).toBe('1985-03-15');
    expect(birthDateInIdNumber('621002850315123', TODAY)).toBe('1985-03-15');
    expect(birthDateInIdNumber('621002198502301234', TODAY)).toBeNull();
    expect(birthDateInIdNumber('621002209901011234', TODAY)).toBeNull();
    expect(birthDateInIdNumber('12345', TODAY)).toBeNull();
  });
});

describe(checkUnidentifiedRow.name, () => {
  it('takes a mistyped number with the birth date inside it and lists its valid neighbours', () => {
    const row = check({ 身份证号: MISTYPED, 姓名: '张伟', ...DEPOSIT_CELLS });
    expect(row.errors).toEqual([]);
    expect(row.written).toBe(MISTYPED);
    expect(row.values).toMatchObject({
      idNumber: null,
      name: '张伟',
      birthDate: '1985-03-15',
      balance: 120_050,
    });
    expect(row.nearby).toContain(VALID);
  });

  it('prefers a written 出生日期 over the one inside the number', () => {
    const row = check({ 身份证号: MISTYPED, 姓名: '张伟', 出生日期: '1985-03-16', ...DEPOSIT_CELLS });
    expect(row.values.birthDate).toBe('1985-03-16');
  });

  it('takes a row without a number when it has 出生日期', () => {
    const row = check({ 姓名: '张伟', 出生日期: '1985年3月15日', ...DEPOSIT_CELLS });
    expect(row.errors).toEqual([]);
    expect(row).toMatchObject({ written: null, nearby: [], values: { birthDate: '1985-03-15' } });
  });

  it('refuses a row with neither a number nor a birth date (MISSING_BIRTH_DATE)', () => {
    const row = check({ 身份证号: '', 姓名: '张伟', 出生日期: '', ...DEPOSIT_CELLS });
    expect(row.errors.map((e) => [e.column, e.code])).toEqual([['出生日期', 'MISSING_BIRTH_DATE']]);
    const garbled = check({ 身份证号: '不详', 姓名: '张伟', ...DEPOSIT_CELLS });
    expect(garbled.errors.map((e) => e.code)).toEqual(['MISSING_BIRTH_DATE']);
  });

  it('refuses a valid number: that row belongs in the main batch (VALID_ID_NUMBER)', () => {
    const row = check({ 身份证号: VALID, 姓名: '张伟', ...DEPOSIT_CELLS });
    expect(row.errors.map((e) => e.code)).toEqual(['VALID_ID_NUMBER']);
    expect(row.nearby).toEqual([]);
  });

  it('checks every other cell exactly as the main template does', () => {
    const row = check({ 身份证号: MISTYPED, 姓名: '12345', ...DEPOSIT_CELLS, 资产类型: '黄金', 余额: '-1' });
    expect(row.errors.map((e) => e.code).sort()).toEqual(['INVALID_ENUM', 'INVALID_NAME', 'NEGATIVE_AMOUNT']);
  });

  it('reports a bad 出生日期 as the date error it is, not as a missing birth date', () => {
    const row = check({ 姓名: '张伟', 出生日期: '2030-01-01', ...DEPOSIT_CELLS });
    expect(row.errors.map((e) => e.code)).toEqual(['FUTURE_DATE']);
  });

  it('keeps the month rule of a periodic dataset', () => {
    const period = parsePeriod('2025-06');
    if (!period.ok) throw new Error(period.message);
    const template = unidentifiedDataset(DEATH);
    const headers = ['姓名', '出生日期', '死亡日期', '来源'];
    const index = checkHeaders(template, headers);
    const row = checkUnidentifiedRow(
      template,
      index.columnIndex,
      2,
      ['张伟', '1940-01-01', '2025-06-03', '火化'],
      { today: TODAY, period: period.value },
    );
    expect(row.errors).toEqual([]);
    expect(row.values.deathDate).toBe('2025-06-03');
  });
});

import { describe, expect, it } from 'vitest';
import {
  type CellResult,
  creditCodeCheckChar,
  decimalTextToHundredths,
  excelSerialToDate,
  isValidCreditCode,
  numberToHundredths,
  parseCell,
} from './cells.ts';
import type { ColumnDef, ColumnType, RawCell } from './types.ts';

const TODAY = '2025-07-15';

function column(type: ColumnType, more: Partial<ColumnDef> = {}): ColumnDef {
  return { header: `测试${type}`, key: 'test', type, required: true, description: '', example: '', ...more };
}

function parse(type: ColumnType, raw: RawCell, more: Partial<ColumnDef> = {}): CellResult {
  return parseCell(column(type, more), raw, { today: TODAY });
}

function parsedValue(type: ColumnType, raw: RawCell, more: Partial<ColumnDef> = {}): unknown {
  const result = parse(type, raw, more);
  if (!result.ok) throw new Error(`expected ${String(raw)} to parse, got ${result.code}: ${result.message}`);
  return result.value;
}

function codeOf(type: ColumnType, raw: RawCell, more: Partial<ColumnDef> = {}): string {
  const result = parse(type, raw, more);
  return result.ok ? `OK ${String(result.value)}` : result.code;
}

describe('empty cells', () => {
  it.each([null, '', '   ', '\u3000', '\uFEFF', '\u200B '])(
    'reports %j in a required column as MISSING_VALUE',
    (raw) => {
      const result = parse('text', raw);
      expect(result).toEqual({ ok: false, code: 'MISSING_VALUE', message: '「测试text」为必填项，不能为空' });
    },
  );

  it('stores null for an empty optional cell without emptyMeans', () => {
    expect(parsedValue('amount', '  ', { required: false })).toBeNull();
    expect(parsedValue('date', null, { required: false })).toBeNull();
  });

  it('stores the parsed emptyMeans for an empty optional cell', () => {
    expect(parsedValue('bool', '', { required: false, emptyMeans: '否' })).toBe(false);
    expect(parsedValue('percent', null, { required: false, emptyMeans: '100' })).toBe(10_000);
  });
});

describe('id_number cells', () => {
  it('stores a valid 18-digit number as it is', () => {
    expect(parsedValue('id_number', '11010519491231002X')).toBe('11010519491231002X');
  });

  it('normalizes full-width digits, spaces, a leading apostrophe and a lower-case x', () => {
    expect(parsedValue('id_number', "'１１０１０５ 19491231002x ")).toBe('11010519491231002X');
  });

  it('upgrades a legacy 15-digit number to 18 digits', () => {
    expect(parsedValue('id_number', '110105491231002')).toBe('11010519491231002X');
  });

  it("rejects a wrong check digit with the id module's reason in the message", () => {
    const result = parse('id_number', '110105194912310021');
    expect(result).toMatchObject({ ok: false, code: 'INVALID_ID_NUMBER' });
    expect(result.ok ? '' : result.message).toBe(
      '「测试id_number」的值「110105194912310021」不是有效的身份证号码：身份证号码校验位不正确，请核对是否有数字录错',
    );
  });

  it('rejects a wrong length and an impossible birth date', () => {
    expect(codeOf('id_number', '1101051949123')).toBe('INVALID_ID_NUMBER');
    expect(codeOf('id_number', '110105194902300020')).toBe('INVALID_ID_NUMBER');
  });

  it('tells the clerk to format the column as text when Excel has turned the number into 3.30106E+17', () => {
    const result = parse('id_number', '3.30106E+17');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain('文本格式');
  });

  it('rejects a number cell and tells the clerk to format the column as text', () => {
    const result = parse('id_number', Number('330106199001011234'));
    expect(result).toMatchObject({ ok: false, code: 'INVALID_ID_NUMBER' });
    expect(result.ok ? '' : result.message).toContain('请把该列设为文本格式');
  });

  it('rejects a birth date after today', () => {
    expect(codeOf('id_number', '110105202601010011')).toBe('INVALID_ID_NUMBER');
  });
});

describe('name cells', () => {
  it('trims, applies NFKC and collapses inner whitespace', () => {
    expect(parsedValue('name', '  王　建军 ')).toBe('王 建军');
    expect(parsedValue('name', 'ＡＬＩＭＵ  Ｂ')).toBe('ALIMU B');
    expect(parsedValue('name', '阿依古丽·买买提')).toBe('阿依古丽·买买提');
  });

  it('accepts one to fifty characters and rejects fifty-one', () => {
    expect(parsedValue('name', '王')).toBe('王');
    expect(parsedValue('name', '王'.repeat(50))).toBe('王'.repeat(50));
    expect(codeOf('name', '王'.repeat(51))).toBe('INVALID_NAME');
  });

  it('rejects digits only, as text or as a number cell', () => {
    expect(codeOf('name', '12345')).toBe('INVALID_NAME');
    expect(codeOf('name', '１２３')).toBe('INVALID_NAME');
    expect(codeOf('name', 12345)).toBe('INVALID_NAME');
  });

  it('rejects a boolean or date cell', () => {
    expect(codeOf('name', true)).toBe('INVALID_NAME');
    expect(codeOf('name', new Date('2025-01-01T00:00:00Z'))).toBe('INVALID_NAME');
  });
});

describe('text cells', () => {
  it('trims and keeps up to 200 characters', () => {
    expect(parsedValue('text', '  甘M12345 ')).toBe('甘M12345');
    expect(parsedValue('text', '字'.repeat(200))).toBe('字'.repeat(200));
  });

  it('rejects 201 characters as TOO_LONG and truncates the value in the message', () => {
    const result = parse('text', '字'.repeat(201));
    expect(result).toMatchObject({ ok: false, code: 'TOO_LONG' });
    expect(result.ok ? '' : result.message).toBe(
      `「测试text」的值「${'字'.repeat(40)}…」超过200个字符：实际为201个字符`,
    );
  });

  it('turns number cells into their digits', () => {
    expect(parsedValue('text', 620100345)).toBe('620100345');
  });
});

describe('date cells', () => {
  it.each([
    ['2025-06-30', '2025-06-30'],
    ['2025/6/30', '2025-06-30'],
    ['2025/06/03', '2025-06-03'],
    ['2025.06.30', '2025-06-30'],
    ['20250630', '2025-06-30'],
    ['2025年6月30日', '2025-06-30'],
    ['２０２５年６月３０日', '2025-06-30'],
    [' 2024-02-29 ', '2024-02-29'],
  ])('reads %j as %s', (raw, expected) => {
    expect(parsedValue('date', raw)).toBe(expected);
  });

  it('reads Excel day numbers: 45839 is 2025-07-01 and 45838 is 2025-06-30', () => {
    expect(parsedValue('date', 45839)).toBe('2025-07-01');
    expect(parsedValue('date', 45838)).toBe('2025-06-30');
    expect(parsedValue('date', 45838.75)).toBe('2025-06-30');
  });

  it('reads a number cell of eight digits as a typed date', () => {
    expect(parsedValue('date', 20250630)).toBe('2025-06-30');
  });

  it('reads JS Date cells at UTC midnight and at Shanghai midnight as the same day', () => {
    expect(parsedValue('date', new Date('2025-07-01T00:00:00Z'))).toBe('2025-07-01');
    expect(parsedValue('date', new Date('2025-07-01T00:00:00+08:00'))).toBe('2025-07-01');
  });

  it.each([
    '2025-02-29',
    '2025-13-01',
    '2025-06-31',
    '2025-6',
    '30/06/2025',
    '2025-06/30',
    'abc',
    '1850-01-01',
  ])('rejects %j as INVALID_DATE', (raw) => {
    expect(codeOf('date', raw)).toBe('INVALID_DATE');
  });

  it('rejects booleans, invalid Date objects and day numbers beyond Excel', () => {
    expect(codeOf('date', true)).toBe('INVALID_DATE');
    expect(codeOf('date', new Date('nonsense'))).toBe('INVALID_DATE');
    expect(codeOf('date', 3_000_000)).toBe('INVALID_DATE');
    expect(codeOf('date', 0)).toBe('INVALID_DATE');
  });

  it('accepts today and rejects tomorrow as FUTURE_DATE naming today', () => {
    expect(parsedValue('date', TODAY)).toBe(TODAY);
    const result = parse('date', '2025-07-16');
    expect(result).toEqual({
      ok: false,
      code: 'FUTURE_DATE',
      message: '「测试date」的值「2025-07-16」晚于今天：今天是2025-07-15',
    });
  });

  it('accepts a future date in a column that allows it', () => {
    expect(parsedValue('date', '2027-03-14', { allowFuture: true })).toBe('2027-03-14');
  });
});

describe(excelSerialToDate.name, () => {
  it("counts from 1900-01-01 = 1 and skips Lotus's phantom 1900-02-29", () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(60)).toBeUndefined();
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(2958465)).toBe('9999-12-31');
  });
});

describe('month cells', () => {
  it.each([
    ['2025-06', '2025-06'],
    ['2025/6', '2025-06'],
    ['2025.6', '2025-06'],
    ['202506', '2025-06'],
    ['2025年6月', '2025-06'],
    ['2025年 12 月', '2025-12'],
    ['2025/6/1', '2025-06'],
  ])('reads %j as %s', (raw, expected) => {
    expect(parsedValue('month', raw)).toBe(expected);
  });

  it('reads Excel date cells, day numbers and six-digit numbers', () => {
    expect(parsedValue('month', new Date('2025-06-01T00:00:00Z'))).toBe('2025-06');
    expect(parsedValue('month', 45839)).toBe('2025-07');
    expect(parsedValue('month', 202506)).toBe('2025-06');
  });

  it.each(['2025-13', '2025-00', '2025', '25-06', '六月', '2025-06-31'])(
    'rejects %j as INVALID_MONTH',
    (raw) => {
      expect(codeOf('month', raw)).toBe('INVALID_MONTH');
    },
  );

  it('rejects a boolean cell', () => {
    expect(codeOf('month', false)).toBe('INVALID_MONTH');
  });
});

describe('amount cells', () => {
  it.each([
    ['1234.50', 123450],
    ['1,234.50', 123450],
    ['1,234,567.8', 123456780],
    ['¥1234.5', 123450],
    ['￥1234.5', 123450],
    ['1234.5元', 123450],
    ['¥1,234.50元', 123450],
    ['¥0.1', 10],
    ['0.01', 1],
    ['.5', 50],
    ['0', 0],
    ['１２３４．５', 123450],
    ['1234.5000', 123450],
    ['007', 700],
    ['-0', 0],
  ])('reads %j as %i fen', (raw, expected) => {
    expect(parsedValue('amount', raw)).toBe(expected);
  });

  it('reads number cells exactly, including float artefacts within 1e-9 of two decimals', () => {
    expect(parsedValue('amount', 1234.5)).toBe(123450);
    expect(parsedValue('amount', 0.1 + 0.2)).toBe(30);
    expect(parsedValue('amount', 1.1 * 3)).toBe(330);
    expect(parsedValue('amount', 123456789.12)).toBe(12345678912);
    expect(parsedValue('amount', 0)).toBe(0);
  });

  it.each(['1234.567', '1.005', '12,34', '1,2345.00', '1 2 3 a', 'abc', '1.2.3', '¥', '1e5', '$12'])(
    'rejects %j as INVALID_AMOUNT',
    (raw) => {
      expect(codeOf('amount', raw)).toBe('INVALID_AMOUNT');
    },
  );

  it('says two decimals at most when there are more', () => {
    const result = parse('amount', '1234.567');
    expect(result.ok ? '' : result.message).toContain('最多保留两位小数');
  });

  it('rejects number cells with more than two real decimals, infinities and booleans', () => {
    expect(codeOf('amount', 1234.567)).toBe('INVALID_AMOUNT');
    expect(codeOf('amount', 1.005)).toBe('INVALID_AMOUNT');
    expect(codeOf('amount', Number.POSITIVE_INFINITY)).toBe('INVALID_AMOUNT');
    expect(codeOf('amount', true)).toBe('INVALID_AMOUNT');
    expect(codeOf('amount', 1e20)).toBe('INVALID_AMOUNT');
  });

  it('rejects negative amounts as NEGATIVE_AMOUNT in every form', () => {
    expect(codeOf('amount', '-12.5')).toBe('NEGATIVE_AMOUNT');
    expect(codeOf('amount', '−12.5')).toBe('NEGATIVE_AMOUNT');
    expect(codeOf('amount', '-¥12.5')).toBe('NEGATIVE_AMOUNT');
    expect(codeOf('amount', '¥-12.5')).toBe('NEGATIVE_AMOUNT');
    expect(codeOf('amount', -12.5)).toBe('NEGATIVE_AMOUNT');
  });
});

describe(decimalTextToHundredths.name, () => {
  it('never goes through a float and refuses more than fifteen digits', () => {
    expect(decimalTextToHundredths('9999999999999.99')).toEqual({
      ok: true,
      negative: false,
      hundredths: 999999999999999,
    });
    expect(decimalTextToHundredths('99999999999999.99')).toEqual({ ok: false, reason: 'too_large' });
  });
});

describe(numberToHundredths.name, () => {
  it('rejects a value more than 1e-9 away from two decimals', () => {
    expect(numberToHundredths(0.123)).toEqual({ ok: false, reason: 'decimals' });
    expect(numberToHundredths(0.1 + 0.2)).toEqual({ ok: true, negative: false, hundredths: 30 });
  });
});

describe('area cells', () => {
  it.each([
    ['89.65', 8965],
    ['89.6', 8960],
    ['120', 12000],
    ['1,200.5', 120050],
    ['89.65平方米', 8965],
    ['89.65㎡', 8965],
    ['89.65m2', 8965],
  ])('reads %j as %i hundredths of a square metre', (raw, expected) => {
    expect(parsedValue('area', raw)).toBe(expected);
  });

  it('reads number cells', () => {
    expect(parsedValue('area', 89.65)).toBe(8965);
  });

  it.each(['0', '0.00', '-5', '89.655', 'abc', '八十'])('rejects %j as INVALID_NUMBER', (raw) => {
    expect(codeOf('area', raw)).toBe('INVALID_NUMBER');
  });
});

describe('percent cells', () => {
  it.each([
    ['50', 5000],
    ['50%', 5000],
    ['50％', 5000],
    ['33.33', 3333],
    ['0', 0],
    ['100', 10000],
    ['100.00%', 10000],
  ])('reads %j as %i hundredths of a percent', (raw, expected) => {
    expect(parsedValue('percent', raw)).toBe(expected);
  });

  it('reads number cells', () => {
    expect(parsedValue('percent', 12.5)).toBe(1250);
  });

  it.each(['100.01', '101%', '-1', '33.333', '五成', '%'])('rejects %j as INVALID_PERCENT', (raw) => {
    expect(codeOf('percent', raw)).toBe('INVALID_PERCENT');
  });
});

describe('enum cells', () => {
  const values = ['正常', '迁出', '死亡', '注销'];

  it('accepts exactly one of the values after trimming', () => {
    expect(parsedValue('enum', ' 迁出 ', { values })).toBe('迁出');
  });

  it('rejects anything else and lists the allowed values', () => {
    const result = parse('enum', '迁 出', { values });
    expect(result).toEqual({
      ok: false,
      code: 'INVALID_ENUM',
      message: '「测试enum」的值「迁 出」不是允许的取值：应为正常、迁出、死亡、注销之一',
    });
  });
});

describe('bool cells', () => {
  it.each([
    ['是', true],
    ['否', false],
    ['Y', true],
    ['y', true],
    ['N', false],
    ['1', true],
    ['0', false],
    ['true', true],
    ['TRUE', true],
    ['False', false],
    [' 是 ', true],
    [true, true],
    [false, false],
    [1, true],
    [0, false],
  ])('reads %j as %s', (raw, expected) => {
    expect(parsedValue('bool', raw)).toBe(expected);
  });

  it.each(['对', 'yes', '2', 2, '√'])('rejects %j as INVALID_BOOL', (raw) => {
    expect(codeOf('bool', raw)).toBe('INVALID_BOOL');
  });
});

describe('credit_code cells', () => {
  it('computes the GB 32100-2015 check character of 91350100M000100Y43', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
  });

  it('stores a valid code in upper case', () => {
    expect(parsedValue('credit_code', ' 91350100m000100y43 ')).toBe('91350100M000100Y43');
  });

  it.each([
    ['91350100M000100Y44', '校验码不正确'],
    ['91350100M000100Y4', '应为18位'],
    ['91350100M000100I43', '不允许的字符「I」'],
  ])('rejects %j because: %s', (raw, reason) => {
    const result = parse('credit_code', raw);
    expect(result).toMatchObject({ ok: false, code: 'INVALID_CREDIT_CODE' });
    expect(result.ok ? '' : result.message).toContain(reason);
  });

  it('rejects a number cell', () => {
    expect(codeOf('credit_code', 913501001234567)).toBe('INVALID_CREDIT_CODE');
  });
});

describe('stripFormulaGuard', () => {
  it('removes the apostrophe the platform puts before formula-like text, and nothing else', async () => {
    const { stripFormulaGuard } = await import('./cells.ts');
    expect(stripFormulaGuard("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(stripFormulaGuard("'-")).toBe('-');
    expect(stripFormulaGuard("'abc")).toBe("'abc");
    expect(stripFormulaGuard('=x')).toBe('=x');
  });
});

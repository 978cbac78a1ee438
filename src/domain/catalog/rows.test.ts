import { describe, expect, it } from 'vitest';
import { findDataset } from './datasets.ts';
import { parsePeriod } from './period.ts';
import { checkHeaders, isBlankRow, type RowContext, rowKey, validateRow } from './rows.ts';
import type { DatasetDef, ParsedPeriod, RawCell } from './types.ts';

const TODAY = '2025-07-15';

function dataset(code: string): DatasetDef {
  const found = findDataset(code);
  if (!found) throw new Error(`no dataset ${code}`);
  return found;
}

function period(label: string): ParsedPeriod {
  const result = parsePeriod(label);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const HUKOU = dataset('hukou');
const TAX = dataset('tax_income');
const HUKOU_HEADERS = HUKOU.columns.map((column) => column.header);

describe(checkHeaders.name, () => {
  it('maps every column to its position in the file when the headers are in template order', () => {
    expect(checkHeaders(HUKOU, HUKOU_HEADERS)).toEqual({
      columnIndex: [0, 1, 2, 3, 4, 5, 6, 7, 8],
      errors: [],
    });
  });

  it('accepts the headers in any order, trimmed and without a byte-order mark', () => {
    const headers = ['\uFEFF姓名 ', ' 身份证号', '户籍状态', '户号', '出生日期', '性别'];
    const result = checkHeaders(HUKOU, headers);
    expect(result.errors).toEqual([]);
    expect(result.columnIndex).toEqual([1, 0, 5, 4, 3, undefined, undefined, 2, undefined]);
  });

  it('lets optional columns be absent', () => {
    const required = HUKOU.columns.filter((column) => column.required).map((column) => column.header);
    expect(checkHeaders(HUKOU, required).errors).toEqual([]);
  });

  it('reports each missing required column', () => {
    const result = checkHeaders(HUKOU, ['姓名', '性别', '出生日期', '户号']);
    expect(result.errors).toEqual([
      { code: 'MISSING_COLUMN', message: '缺少必填列：「身份证号」' },
      { code: 'MISSING_COLUMN', message: '缺少必填列：「户籍状态」' },
    ]);
  });

  it('reports each unknown column', () => {
    const result = checkHeaders(HUKOU, [...HUKOU_HEADERS, '备注', '联系电话']);
    expect(result.errors).toEqual([
      { code: 'UNKNOWN_COLUMN', message: '表头中有模板以外的列：「备注」' },
      { code: 'UNKNOWN_COLUMN', message: '表头中有模板以外的列：「联系电话」' },
    ]);
  });

  it('reports a duplicated column once, however often it repeats', () => {
    const result = checkHeaders(HUKOU, [...HUKOU_HEADERS, '姓名', ' 姓名', '备注', '备注']);
    expect(result.errors.map((error) => `${error.code} ${error.message}`)).toEqual([
      'DUPLICATE_COLUMN 表头中有重复的列：「姓名」',
      'UNKNOWN_COLUMN 表头中有模板以外的列：「备注」',
      'DUPLICATE_COLUMN 表头中有重复的列：「备注」',
    ]);
    expect(result.columnIndex[1]).toBe(1);
  });

  it('ignores blank header cells', () => {
    expect(checkHeaders(HUKOU, [...HUKOU_HEADERS, '', '  ']).errors).toEqual([]);
  });
});

describe(validateRow.name, () => {
  const ctx: RowContext = { today: TODAY, period: period('2025-Q2') };
  const { columnIndex } = checkHeaders(HUKOU, HUKOU_HEADERS);

  it('parses a good row into values keyed by column key', () => {
    const cells: RawCell[] = [
      '621002198503150410',
      '王建军',
      '男',
      '1985/3/15',
      '620100345',
      '',
      null,
      '正常',
      '',
    ];
    expect(validateRow(HUKOU, columnIndex, 2, cells, ctx)).toEqual({
      values: {
        idNumber: '621002198503150410',
        name: '王建军',
        sex: '男',
        birthDate: '1985-03-15',
        householdNumber: '620100345',
        relationToHead: null,
        address: null,
        hukouStatus: '正常',
        statusChangeDate: null,
      },
      errors: [],
    });
  });

  it('reports every error of the row together, with the row number and column header', () => {
    const cells: RawCell[] = ['3.30106E+17', '12345', '未知', '2025-02-30', '', '', '', '迁走', '2030-01-01'];
    const { errors } = validateRow(HUKOU, columnIndex, 7, cells, ctx);
    expect(errors.map((error) => [error.row, error.column, error.code])).toEqual([
      [7, '身份证号', 'INVALID_ID_NUMBER'],
      [7, '姓名', 'INVALID_NAME'],
      [7, '性别', 'INVALID_ENUM'],
      [7, '出生日期', 'INVALID_DATE'],
      [7, '户号', 'MISSING_VALUE'],
      [7, '户籍状态', 'INVALID_ENUM'],
      [7, '状态变更日期', 'FUTURE_DATE'],
    ]);
    expect(errors[2]?.message).toBe('「性别」的值「未知」不是允许的取值：应为男、女之一');
  });

  it('reads cells at the positions the headers gave, and a short row as empty cells', () => {
    const check = checkHeaders(HUKOU, ['户籍状态', '姓名', '身份证号', '性别', '出生日期', '户号']);
    const result = validateRow(
      HUKOU,
      check.columnIndex,
      3,
      ['正常', '李秀兰', '62100219870822062X', '女'],
      ctx,
    );
    expect(result.values).toMatchObject({ hukouStatus: '正常', name: '李秀兰', sex: '女' });
    expect(result.errors.map((error) => error.code)).toEqual(['MISSING_VALUE', 'MISSING_VALUE']);
  });

  it('applies emptyMeans to an absent optional column', () => {
    const realEstate = dataset('real_estate');
    const headers = realEstate.columns
      .filter((column) => column.key !== 'share')
      .map((column) => column.header);
    const check = checkHeaders(realEstate, headers);
    const cells = [
      '621002198503150410',
      '王建军',
      '621002001001GB00001F00010001',
      '',
      '住宅',
      '89.65',
      '2016-09-12',
    ];
    const result = validateRow(realEstate, check.columnIndex, 2, [...cells, '现势', '单独所有'], ctx);
    expect(result.errors).toEqual([]);
    expect(result.values.share).toBe(10_000);
    expect(result.values.floorArea).toBe(8965);
  });

  describe('periodic datasets', () => {
    const taxIndex = checkHeaders(
      TAX,
      TAX.columns.map((column) => column.header),
    ).columnIndex;
    const taxRow = (start: RawCell, end: RawCell): RawCell[] => [
      '621002198503150410',
      '王建军',
      '工资薪金',
      start,
      end,
      '42,000.00',
      '360',
    ];
    const h1: RowContext = { today: TODAY, period: period('2025-H1') };

    it('accepts months inside the batch period', () => {
      const result = validateRow(TAX, taxIndex, 2, taxRow('2025-01', '2025-06'), h1);
      expect(result.errors).toEqual([]);
      expect(result.values).toMatchObject({
        periodStart: '2025-01',
        periodEnd: '2025-06',
        income: 4_200_000,
      });
    });

    it('reports PERIOD_OUT_OF_RANGE for each month column outside the batch period', () => {
      const result = validateRow(TAX, taxIndex, 4, taxRow('2024-12', '2025-07'), h1);
      expect(result.errors.map((error) => [error.column, error.code])).toEqual([
        ['所属期起', 'PERIOD_OUT_OF_RANGE'],
        ['所属期止', 'PERIOD_OUT_OF_RANGE'],
      ]);
      expect(result.errors[0]?.message).toBe(
        '「所属期起」的值「2024-12」不在本批次的数据期间内：本批次期间为2025-H1（2025-01至2025-06）',
      );
    });

    it('reports 所属期起 after 所属期止 as INVALID_MONTH with a clear message', () => {
      const result = validateRow(TAX, taxIndex, 5, taxRow('2025-05', '2025-03'), h1);
      expect(result.errors).toEqual([
        {
          row: 5,
          column: '所属期起',
          code: 'INVALID_MONTH',
          message: '「所属期起」的值「2025-05」晚于「所属期止」（2025-03）：起始不能晚于截止，请检查是否填反',
        },
      ]);
    });

    it('checks the months of payroll against a batch period coarser than the frequency', () => {
      const payroll = dataset('payroll');
      const index = checkHeaders(
        payroll,
        payroll.columns.map((column) => column.header),
      ).columnIndex;
      const row = ['621002198503150410', '王建军', '', '2024/12', '6820', '5312.45'];
      const year: RowContext = { today: TODAY, period: period('2025') };
      expect(validateRow(payroll, index, 2, row, year).errors.map((error) => error.code)).toEqual([
        'PERIOD_OUT_OF_RANGE',
      ]);
      expect(validateRow(payroll, index, 2, row, { today: TODAY, period: period('2024') }).errors).toEqual(
        [],
      );
    });

    it('checks nothing against the period when there is none', () => {
      expect(
        validateRow(TAX, taxIndex, 2, taxRow('2020-01', '2020-06'), { today: TODAY, period: null }).errors,
      ).toEqual([]);
    });
  });

  it('does not check the months of a snapshot dataset against the batch period', () => {
    const students = dataset('student_status');
    const index = checkHeaders(
      students,
      students.columns.map((column) => column.header),
    ).columnIndex;
    const row = [
      '621021200709010236',
      '王小明',
      '兰州大学',
      '本科',
      '全日制',
      '在读',
      '2024-09-01',
      '2028-06',
      '',
    ];
    const result = validateRow(students, index, 2, row, ctx);
    expect(result.errors).toEqual([]);
    expect(result.values).toMatchObject({ expectedGraduationMonth: '2028-06', studyingAbroad: false });
  });

  it('checks date ranges such as a lease that ends before it starts', () => {
    const lease = dataset('house_lease');
    const index = checkHeaders(
      lease,
      lease.columns.map((column) => column.header),
    ).columnIndex;
    const row = [
      '621002198503150410',
      '王建军',
      '出租人',
      '南街12号',
      '',
      '1200',
      '2025-07-01',
      '2025-06-30',
      '有效',
    ];
    const result = validateRow(lease, index, 9, row, ctx);
    expect(result.errors.map((error) => [error.column, error.code])).toEqual([
      ['租赁起始日期', 'INVALID_DATE'],
    ]);
  });
});

describe(isBlankRow.name, () => {
  it('treats a row of empty, whitespace-only and null cells as blank', () => {
    expect(isBlankRow([])).toBe(true);
    expect(isBlankRow(['', '  ', null, '\u3000', '\uFEFF'])).toBe(true);
  });

  it('treats any value, including a zero or a boolean, as content', () => {
    expect(isBlankRow(['', 0])).toBe(false);
    expect(isBlankRow([null, false])).toBe(false);
    expect(isBlankRow(['', 'x'])).toBe(false);
  });
});

describe(rowKey.name, () => {
  it('gives the same key to rows with the same parsed values, whatever their form or key order', () => {
    const ctx: RowContext = { today: TODAY, period: period('2025-H1') };
    const index = checkHeaders(
      TAX,
      TAX.columns.map((column) => column.header),
    ).columnIndex;
    const a = validateRow(
      TAX,
      index,
      2,
      ['621002198503150410', '王建军', '工资薪金', '2025-01', '2025/6', '¥42,000', '360'],
      ctx,
    );
    const b = validateRow(
      TAX,
      index,
      3,
      [
        '６２１００２１９８５０３１５０４１０',
        ' 王建军',
        '工资薪金',
        '202501',
        '2025年6月',
        '42000.00元',
        360,
      ],
      ctx,
    );
    expect(rowKey(a.values)).toBe(rowKey(b.values));
    expect(rowKey({ x: 1, y: 'a' })).toBe(rowKey({ y: 'a', x: 1 }));
  });

  it('tells apart rows that differ in one value, in null versus empty text and in number versus text', () => {
    expect(rowKey({ a: 1, b: null })).not.toBe(rowKey({ a: 1, b: '' }));
    expect(rowKey({ a: 1 })).not.toBe(rowKey({ a: '1' }));
    expect(rowKey({ a: 1, b: 2 })).not.toBe(rowKey({ a: 1, b: 3 }));
  });
});

import { describe, expect, it } from 'vitest';
import {
  FILE_ERROR_MESSAGES,
  fileError,
  ROW_ERROR_MESSAGES,
  rowErrorMessage,
  showCellValue,
} from './messages.ts';
import { FILE_ERROR_CODES, ROW_ERROR_CODES } from './types.ts';

describe('error messages', () => {
  it('has a Chinese message for every row and file error code', () => {
    for (const code of ROW_ERROR_CODES) expect(ROW_ERROR_MESSAGES[code]).toMatch(/\p{Script=Han}/u);
    for (const code of FILE_ERROR_CODES) expect(FILE_ERROR_MESSAGES[code]).toMatch(/\p{Script=Han}/u);
    expect(Object.keys(ROW_ERROR_MESSAGES).sort()).toEqual([...ROW_ERROR_CODES].sort());
    expect(Object.keys(FILE_ERROR_MESSAGES).sort()).toEqual([...FILE_ERROR_CODES].sort());
  });
});

describe(rowErrorMessage.name, () => {
  it('names the column and the value, then the detail', () => {
    expect(rowErrorMessage('INVALID_BOOL', '残疾人专用车', '对', '填是或否')).toBe(
      '「残疾人专用车」的值「对」不是有效的是否值（可填是/否、Y/N、1/0或true/false）：填是或否',
    );
  });

  it('names only the column for an empty required cell', () => {
    expect(rowErrorMessage('MISSING_VALUE', '户号', null)).toBe('「户号」为必填项，不能为空');
  });
});

describe(showCellValue.name, () => {
  it('shows at most forty characters on one line', () => {
    expect(showCellValue(`${'甲'.repeat(45)}`)).toBe(`${'甲'.repeat(40)}…`);
    expect(showCellValue(' 第一行\n第二行 ')).toBe('第一行 第二行');
  });

  it('shows numbers, booleans and dates as text', () => {
    expect(showCellValue(3.30106e17)).toBe('330106000000000000');
    expect(showCellValue(true)).toBe('TRUE');
    expect(showCellValue(new Date('2025-07-01T00:00:00Z'))).toBe('2025-07-01');
  });
});

describe(fileError.name, () => {
  it('builds a file error with its detail', () => {
    expect(fileError('MISSING_COLUMN', '「身份证号」')).toEqual({
      code: 'MISSING_COLUMN',
      message: '缺少必填列：「身份证号」',
    });
    expect(fileError('EMPTY_FILE').message).toBe('文件为空，没有表头或数据行');
  });
});

import { describe, expect, it } from 'vitest';
import { CSV_EOL, csvLine, neutraliseCell, restoreNeutralisedCell } from './safe-cell.ts';

describe(neutraliseCell.name, () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","点我")'])(
    'prefixes a quote to %j so no spreadsheet evaluates it',
    (value) => {
      expect(neutraliseCell(value)).toBe(`'${value}`);
    },
  );

  it.each(['', '张三', '110101199003074514', '1+1', 'a=b', ' =1', "'=1", '＝1'])(
    'leaves %j as it is',
    (value) => {
      expect(neutraliseCell(value)).toBe(value);
    },
  );
});

describe(csvLine.name, () => {
  it('joins plain fields with commas and ends the record with CRLF', () => {
    expect(csvLine(['身份证号', '姓名', 12, null])).toBe(`身份证号,姓名,12,${CSV_EOL}`);
  });

  it('quotes fields holding a comma, a double quote or a line break and doubles inner quotes', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'cr\rhere'])).toBe(
      `"a,b","say ""hi""","two\nlines","cr\rhere"\r\n`,
    );
  });

  it('neutralises formula-like text before quoting it', () => {
    expect(csvLine(['=SUM(A1,B1)', '-2+3', '@x'])).toBe(`"'=SUM(A1,B1)",'-2+3,'@x\r\n`);
  });

  it('writes numbers as numbers, negative ones included, and an empty field for null', () => {
    expect(csvLine([-12.5, 0, null, Number.NaN])).toBe('-12.5,0,,\r\n');
  });
});

describe('restoreNeutralisedCell', () => {
  it('undoes neutraliseCell for every formula character and leaves other text alone', () => {
    for (const value of ['=1+1', '+86', '-bc', '@x', '\tx', '\rx', 'plain', "'quoted", ''])
      expect(restoreNeutralisedCell(neutraliseCell(value))).toBe(value);
  });
});

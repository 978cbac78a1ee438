import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StripElements, toRawCell } from './xlsx.ts';

async function strip(name: string, chunks: string[]): Promise<string> {
  let out = '';
  for await (const piece of Readable.from(chunks).pipe(new StripElements(name))) out += String(piece);
  return out;
}

describe('StripElements', () => {
  const xml =
    '<row r="2"><c r="A2"><f>SUM(A1:A1)&gt;0</f><v>1</v></c><c r="B2"><f t="shared" si="0"/><v>0</v></c>' +
    '<c r="C2" t="str"><f\nt="array" ref="C2">"x"</f><v>x</v></c><font/><formula>1</formula><fx/></row>';
  const expected =
    '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>0</v></c><c r="C2" t="str"><v>x</v></c>' +
    '<font/><formula>1</formula><fx/></row>';

  it('removes the element in all its forms and leaves look-alike tags alone', async () => {
    expect(await strip('f', [xml])).toBe(expected);
  });

  it('gives the same result wherever the chunk boundaries fall', async () => {
    for (let i = 0; i <= xml.length; i++) {
      for (const j of [i, i + 1, i + 3, i + 17]) {
        const chunks = [xml.slice(0, i), xml.slice(i, j), xml.slice(j)].filter((c) => c !== '');
        expect(await strip('f', chunks), `split at ${i}/${j}`).toBe(expected);
      }
    }
  });

  it('drops phonetic guides from shared strings but keeps run properties', async () => {
    const si = '<si><r><rPr><b/></rPr><t>赵</t></r><t>六</t><rPh sb="0" eb="1"><t>ZHAO</t></rPh></si>';
    expect(await strip('rPh', [si.slice(0, 40), si.slice(40)])).toBe(
      '<si><r><rPr><b/></rPr><t>赵</t></r><t>六</t></si>',
    );
  });
});

describe('toRawCell', () => {
  it('turns exceljs values into raw cells', () => {
    expect(toRawCell(undefined, undefined, false)).toBeNull();
    expect(
      toRawCell({ richText: [{ text: '低保' }, { text: null }, { text: '户' }] }, undefined, false),
    ).toBe('低保户');
    expect(
      toRawCell({ text: { richText: [{ text: '链接' }] }, hyperlink: 'https://x' }, undefined, false),
    ).toBe('链接');
    expect(toRawCell({ error: '#REF!' }, undefined, false)).toBe('#REF!');
    expect(toRawCell({ formula: 'A1', result: 0 }, undefined, false)).toBe(0);
    expect(toRawCell({ formula: 'A1' }, undefined, false)).toBeNull();
    expect(toRawCell({ sharedFormula: 'A1', result: { error: '#N/A' } }, undefined, false)).toBe('#N/A');
  });

  it('turns a date-formatted formula result into a Date in either date system', () => {
    expect(toRawCell({ formula: 'TODAY()', result: 36585 }, 'yyyy"年"m"月"d"日"', false)).toEqual(
      new Date(Date.UTC(2000, 1, 29)),
    );
    expect(toRawCell({ formula: 'TODAY()', result: 35123 }, 'yyyy-mm-dd', true)).toEqual(
      new Date(Date.UTC(2000, 1, 29)),
    );
    expect(toRawCell({ formula: 'A1', result: 36585 }, '0.00', false)).toBe(36585);
  });
});

import { describe, expect, it } from 'vitest';
import { DISHONESTY_EXPORT_FIELDS, exportRows } from '../domain/dishonesty/export-format.ts';
import { dishonestyCsv } from './dishonesty-export.ts';

describe(dishonestyCsv.name, () => {
  const rows = exportRows({
    number: '西峰核失〔2025〕3号',
    regionCode: '621002',
    agencyName: '西峰区核对中心',
    sourceKind: 'manual',
    caseNumber: null,
    subjects: [{ name: '王建军', idNumber: '62100219800101001X', relation: '本人' }],
    facts: { concealed: '=HYPERLINK("http://x","点我")', evidence: ['-1', '存款, 12 万元'] },
    legalBasis: '第二十四条',
    approvedOn: '2025-09-26',
    noticeNumber: null,
  });

  it('is UTF-8 with a byte-order mark, a header of the field keys and CRLF records', () => {
    const csv = dishonestyCsv(rows);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe(DISHONESTY_EXPORT_FIELDS.map((f) => f.key).join(','));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
  });

  it('neutralises cells a spreadsheet would run as formulas and quotes commas and quotes', () => {
    const line = dishonestyCsv(rows).toString('utf8').split('\r\n')[1] ?? '';
    expect(line).toContain(`"'=HYPERLINK(""http://x"",""点我"")"`);
    expect(line).toContain(`"'-1；存款, 12 万元"`);
    expect(line).toContain('62100219800101001X');
  });
});

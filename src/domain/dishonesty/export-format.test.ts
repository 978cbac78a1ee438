import { describe, expect, it } from 'vitest';
import {
  DISHONESTY_EXPORT_FIELDS,
  DISHONESTY_EXPORT_VERSION,
  type DishonestyExportRecord,
  exportDocument,
  exportRows,
} from './export-format.ts';

const RECORD: DishonestyExportRecord = {
  number: '西峰核失〔2025〕3号',
  regionCode: '621002',
  agencyName: '西峰区居民家庭经济状况核对中心',
  sourceKind: 'suspension',
  caseNumber: 'HD-2025-000012',
  subjects: [
    { name: '王建军', idNumber: '62100219800101001X', relation: '本人' },
    { name: '李秀兰', idNumber: '621002198001010021', relation: '配偶' },
  ],
  facts: { concealed: '隐瞒名下车辆两辆', evidence: ['中止通知书 西峰核止〔2025〕1号', '车辆登记'] },
  legalBasis: '第二十四条 …',
  approvedOn: '2025-09-26',
  noticeNumber: '西峰核信〔2025〕1号',
};

describe(exportRows.name, () => {
  it('writes one row per person concerned, every documented field, the full ID number', () => {
    const rows = exportRows(RECORD);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(Object.keys(row)).toEqual(DISHONESTY_EXPORT_FIELDS.map((f) => f.key));
    expect(rows[1]).toMatchObject({
      format_version: DISHONESTY_EXPORT_VERSION,
      record_number: '西峰核失〔2025〕3号',
      subject_name: '李秀兰',
      subject_id_number: '621002198001010021',
      subject_relation: '配偶',
      case_number: 'HD-2025-000012',
      evidence: '中止通知书 西峰核止〔2025〕1号；车辆登记',
      approved_on: '2025-09-26',
      notice_number: '西峰核信〔2025〕1号',
    });
  });

  it('leaves a missing case or notice empty, never "null"', () => {
    const [row] = exportRows({
      ...RECORD,
      caseNumber: null,
      noticeNumber: null,
      sourceKind: 'recheck_alert',
    });
    expect(row).toMatchObject({ case_number: '', notice_number: '', source_kind: 'recheck_alert' });
  });
});

describe(exportDocument.name, () => {
  it('names the format, its version and the field list', () => {
    const doc = exportDocument(exportRows(RECORD), {
      exportedAt: '2025-09-26T02:00:00.000Z',
      exportedBy: '审核员',
      exportId: 'x',
    });
    expect(doc).toMatchObject({ format: 'hedui-dishonesty-records', version: '1', exportId: 'x' });
    expect(doc.fields).toContain('subject_id_number');
    expect(doc.rows).toHaveLength(2);
  });

  it('documents every field with a label and a description', () => {
    expect(new Set(DISHONESTY_EXPORT_FIELDS.map((f) => f.key)).size).toBe(DISHONESTY_EXPORT_FIELDS.length);
    for (const field of DISHONESTY_EXPORT_FIELDS) {
      expect(field.label).toMatch(/\S/);
      expect(field.description).toMatch(/\S/);
    }
  });
});

/**
 * The export of dishonesty records for credit systems (庆阳细则第二十四条 “记入各相关行业或个人信用信息系统”):
 * one row per person concerned, only records approved and not revoked, with the full 18-digit ID number (a
 * credit system keys on it; every export is audited with each record's case). The field list and its version are
 * the contract with the receiving systems — `docs/dishonesty.md` describes each field; a change of fields is a
 * new version, never an edit of this one.
 */

import type { DishonestySource } from './records.ts';

export const DISHONESTY_EXPORT_FORMAT = 'hedui-dishonesty-records';
export const DISHONESTY_EXPORT_VERSION = '1';

export const DISHONESTY_EXPORT_FIELDS = [
  { key: 'format_version', label: '格式版本', description: '导出格式版本，当前为 1' },
  { key: 'record_number', label: '失信记录编号', description: '核对机构按年度编号，如 西峰核失〔2025〕1号' },
  { key: 'subject_name', label: '姓名', description: '失信当事人姓名' },
  { key: 'subject_id_number', label: '公民身份号码', description: '18 位公民身份号码（完整，未遮蔽）' },
  { key: 'subject_relation', label: '与申请人关系', description: '本人、配偶等' },
  { key: 'region_code', label: '行政区划代码', description: '案件所属区划（GB/T 2260，6 或 9 位）' },
  { key: 'agency_name', label: '登记机构', description: '登记并审批该记录的核对机构' },
  { key: 'source_kind', label: '来源', description: 'suspension / recheck_alert / manual' },
  { key: 'case_number', label: '核对编号', description: '来源案件的核对编号（无案件时为空）' },
  { key: 'facts', label: '失信事实', description: '隐瞒或虚报的事实' },
  { key: 'evidence', label: '证据', description: '证据索引（文书编号、数据来源），以“；”分隔' },
  { key: 'legal_basis', label: '法律依据', description: '所依据的条款原文' },
  { key: 'approved_on', label: '生效日期', description: '审核人批准之日，YYYY-MM-DD（北京时间）' },
  { key: 'notice_number', label: '告知书编号', description: '送达的失信信息告知书编号' },
] as const;

export type DishonestyExportField = (typeof DISHONESTY_EXPORT_FIELDS)[number]['key'];
export type DishonestyExportRow = Readonly<Record<DishonestyExportField, string>>;

/** A record as the export needs it, decrypted by the caller. */
export interface DishonestyExportRecord {
  number: string;
  regionCode: string;
  agencyName: string;
  sourceKind: DishonestySource;
  caseNumber: string | null;
  subjects: readonly { name: string; idNumber: string; relation: string }[];
  facts: { concealed: string; evidence: readonly string[] };
  legalBasis: string;
  approvedOn: string;
  noticeNumber: string | null;
}

/** One row per person concerned, fields in the documented order. */
export function exportRows(record: DishonestyExportRecord): DishonestyExportRow[] {
  return record.subjects.map((subject) => ({
    format_version: DISHONESTY_EXPORT_VERSION,
    record_number: record.number,
    subject_name: subject.name,
    subject_id_number: subject.idNumber,
    subject_relation: subject.relation,
    region_code: record.regionCode,
    agency_name: record.agencyName,
    source_kind: record.sourceKind,
    case_number: record.caseNumber ?? '',
    facts: record.facts.concealed,
    evidence: record.facts.evidence.join('；'),
    legal_basis: record.legalBasis,
    approved_on: record.approvedOn,
    notice_number: record.noticeNumber ?? '',
  }));
}

/** The JSON export: the format, its version, when and by whom, the field list, and the rows. */
export function exportDocument(
  rows: readonly DishonestyExportRow[],
  meta: { exportedAt: string; exportedBy: string | null; exportId: string },
) {
  return {
    format: DISHONESTY_EXPORT_FORMAT,
    version: DISHONESTY_EXPORT_VERSION,
    exportId: meta.exportId,
    exportedAt: meta.exportedAt,
    exportedBy: meta.exportedBy,
    fields: DISHONESTY_EXPORT_FIELDS.map((field) => field.key),
    rows,
  };
}

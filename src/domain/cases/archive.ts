/**
 * The electronic archive of a case (Q§21, issue #5 item 12): the vocabulary its files are written in and who
 * belongs to the case's work group over its whole life. Pure rules; the use case gathers the files.
 */

/** Step names as the archive and its summary print them (the history's `step` codes, `submit` included). */
export const CASE_STEP_LABELS: Readonly<Record<string, string>> = {
  submit: '提交委托',
  accept: '受理',
  return: '退回补正',
  resubmit: '重新提交',
  assess: '核对',
  submit_report: '提交报告',
  approve_report: '审核通过报告',
  send_back: '退回修改',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  reject_extension: '不批准延期',
  request_suspension: '申请中止',
  approve_suspension: '批准中止',
  reject_suspension: '不批准中止',
  report_force_majeure: '报告不可抗力',
  approve_force_majeure: '同意告知不可抗力',
  reject_force_majeure: '不同意告知不可抗力',
  force_majeure_extend: '因不可抗力延长核对时间',
  escalate: '提请上级协助核对',
  approve_escalation: '批准提请上级协助核对',
  reject_escalation: '不批准提请上级协助核对',
  answer_escalation: '上级核对机构答复',
  terminate: '终止',
  appeal: '申诉',
  assign_review: '指定复核组',
};

export const DOCUMENT_KIND_LABELS: Readonly<Record<string, string>> = {
  receipt: '受理回执',
  'return-notice': '退回补正告知书',
  'extension-notice': '延期告知书',
  'suspension-notice': '中止通知书',
  report: '核对报告',
  'review-result': '复核结果告知书',
  'force-majeure-notice': '不可抗力告知书',
  'termination-notice': '终止核对通知书',
};

export function stepLabel(step: string): string {
  return CASE_STEP_LABELS[step] ?? step;
}

export function documentKindLabel(kind: string): string {
  return DOCUMENT_KIND_LABELS[kind] ?? kind;
}

/** The archive's file name: 案件档案-HD-621002-2025-000001.zip. */
export function caseArchiveFileName(caseNumber: string): string {
  return `案件档案-${caseNumber}.zip`;
}

/** What the history says of the work groups: `accept` and `assign_review` steps name handler and reviewer. */
export interface WorkGroupEvent {
  step: string;
  details: Record<string, unknown>;
}

/**
 * Everyone who has been in the case's work group — the group that accepted it, any review group after an
 * appeal, and the current one — in the order they joined.
 */
export function workGroupMembers(
  events: readonly WorkGroupEvent[],
  current: { handlerId: number | null; reviewerId: number | null; originalHandlerId: number | null },
): number[] {
  const ids: number[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'number' && Number.isInteger(value) && !ids.includes(value)) ids.push(value);
  };
  for (const event of events) {
    if (event.step !== 'accept' && event.step !== 'assign_review') continue;
    add(event.details.handlerId);
    add(event.details.reviewerId);
  }
  for (const id of [current.originalHandlerId, current.handlerId, current.reviewerId]) add(id);
  return ids;
}

/** What the archive's human-readable summary (案件档案.pdf) shows, as prepared text. */
export interface CaseArchiveSummaryInput {
  caseNumber: string;
  agencyName: string;
  /** ISO instant of the export: the PDF's creation date. */
  exportedAt: string;
  /** The export time as printed (Beijing time). */
  exportedAtText: string;
  exporter: string;
  /** The case's particulars as label/value pairs, in order. */
  particulars: readonly (readonly [string, string])[];
  history: readonly { at: string; step: string; transition: string; actor: string; note: string }[];
  documents: readonly { number: string; kind: string; issuedAt: string; sm3: string }[];
  attachments: readonly { file: string; kind: string; uploadedAt: string; sm3: string }[];
}

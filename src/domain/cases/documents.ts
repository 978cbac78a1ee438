/**
 * Inputs of the case documents (SPEC §5, Q§15–20): plain data the caller assembles from the case,
 * money in integer fen, areas in integer hundredths of m², dates `YYYY-MM-DD`. The renderer computes
 * nothing that decides anything: every figure is printed as given.
 */

import type { Severity } from '../assessment/discrepancies.ts';

/** What every document carries: issuer, number, recipient, date and the public verification handle. */
export interface DocumentHeader {
  /** The verification agency issuing the document, printed as issuer and signature. */
  agencyName: string;
  /** The document number, e.g. `城核受〔2026〕0015号`. */
  documentNumber: string;
  /** The recipient (主送), usually the entrusting assistance authority. */
  recipient: string;
  /** Date of issue, `YYYY-MM-DD`; also the PDF's creation date, so the same input gives the same bytes. */
  issuedOn: string;
  /** The short code and URL the caller registered for the public verification page. */
  verification: { code: string; url: string };
}

/** 受理回执 (Q§15): the entrustment was accepted within 3 working days; the report is due in 7. */
export interface ReceiptInput extends DocumentHeader {
  kind: 'receipt';
  caseNumber: string;
  applicantName: string;
  memberCount: number;
  assistanceType: string;
  receivedOn: string;
  acceptedOn: string;
  reportDueOn: string;
  /** Working days from acceptance to the due date (7 under Q§15). */
  reportDueWorkingDays: number;
  /** The work group of at least two staff (Q§16). */
  workGroup: string[];
}

/** 退回补正通知书 (Q§15): an entrustment that does not meet the requirements goes back with its reasons. */
export interface ReturnNoticeInput extends DocumentHeader {
  kind: 'return-notice';
  caseNumber: string;
  applicantName: string;
  receivedOn: string;
  reasons: string[];
}

/** 延期告知书 (Q§17): at most 5 working days, not counted in the deadline. */
export interface ExtensionNoticeInput extends DocumentHeader {
  kind: 'extension-notice';
  caseNumber: string;
  applicantName: string;
  reason: string;
  extensionWorkingDays: number;
  originalDueOn: string;
  newDueOn: string;
  /**
   * Extended at the requester's request after force majeure (Q§17 ¶2): the 5-day limit of ¶1 does not apply,
   * and the notice names the requester's request.
   */
  forceMajeure?: { requestedOn: string };
}

/**
 * 不可抗力告知书 (Q§17 ¶2): the agency tells the requester promptly that force majeure keeps it from finishing in
 * time, and asks whether to extend the verification or terminate it.
 */
export interface ForceMajeureNoticeInput extends DocumentHeader {
  kind: 'force-majeure-notice';
  caseNumber: string;
  applicantName: string;
  /** The event and how it keeps the verification from finishing in time. */
  event: string;
  reportDueOn: string;
}

/** 终止核对通知书 (Q§17 ¶2): the verification ends at the requester's request after force majeure. */
export interface TerminationNoticeInput extends DocumentHeader {
  kind: 'termination-notice';
  caseNumber: string;
  applicantName: string;
  event: string;
  /** The force-majeure notice the request answered. */
  forceMajeureNoticeNumber: string;
  requestedOn: string;
  requestReason: string;
}

/** The three grounds of Q§18. */
export const SUSPENSION_GROUNDS = [
  'concealment-or-false-materials',
  'refusal-to-cooperate',
  'programme-rule',
] as const;
export type SuspensionGround = (typeof SUSPENSION_GROUNDS)[number];

/** 中止通知书 (Q§18): the case goes back with written reasons and a recommendation — never a decision. */
export interface SuspensionNoticeInput extends DocumentHeader {
  kind: 'suspension-notice';
  caseNumber: string;
  applicantName: string;
  grounds: SuspensionGround[];
  /** The written reasons (书面说明理由). */
  reasons: string;
  /** For `programme-rule`: the programme's rule relied on. */
  programmeRule?: string;
}

/** Q§11 income as declared and reported: five categories, transfers net. */
export const REPORT_INCOME_CATEGORIES = ['wages', 'business', 'property', 'transferNet', 'other'] as const;
export type ReportIncomeCategory = (typeof REPORT_INCOME_CATEGORIES)[number];
export type IncomeFen = Readonly<Record<ReportIncomeCategory, number>>;

export interface ReportMember {
  name: string;
  /** The full or already masked number; the report prints only `6210**********1234`. */
  idNumber: string;
  relation: string;
  coResiding: boolean;
  /** Counted in the household (co-residing and not excluded). */
  counted: boolean;
  /** Income over the look-back window, fen per category. */
  incomeFen: IncomeFen;
}

export interface ReportDiscrepancy {
  memberName: string;
  /** A label such as `工资性收入` or `车辆`. */
  category: string;
  /** `amount`: the three values are fen; `count`: items. `null` when a side has nothing. */
  unit: 'amount' | 'count';
  declared: number | null;
  found: number | null;
  difference: number | null;
  severity: Severity;
}

export interface ReportSource {
  department: string;
  dataset: string;
  batchId: string;
  /** 数据截至, `YYYY-MM-DD`. */
  dataAsOf: string;
}

export interface ReportUnavailableSource {
  /** The query interface (department and service) that did not answer. */
  interfaceName: string;
  reason: string;
}

/** 核对报告 (Q§19): facts only, valid for this verification only. */
export interface ReportInput extends DocumentHeader {
  kind: 'report';
  caseNumber: string;
  /** The entrusting unit (委托单位). */
  requester: string;
  assistanceType: string;
  members: ReportMember[];
  /** The look-back window, months `YYYY-MM` inclusive. */
  window: { from: string; to: string; months: number };
  householdIncomeFen: IncomeFen;
  householdTotalIncomeFen: number;
  monthlyPerCapitaIncomeFen: number;
  assets: {
    depositsFen: number;
    vehicles: number;
    realEstate: { count: number; areaHundredthsM2: number };
    marketEntities: number;
  };
  discrepancies: ReportDiscrepancy[];
  civilStatus: { memberName: string; description: string }[];
  sources: ReportSource[];
  sourcesUnavailable: ReportUnavailableSource[];
  policyVersionLabel: string;
  workGroup: { handler: string; reviewer: string };
}

/** 复核结果告知书 (Q§20): the review of an appeal, completed within 10 working days. */
export interface ReviewResultInput extends DocumentHeader {
  kind: 'review-result';
  caseNumber: string;
  applicantName: string;
  appealedOn: string;
  reviewGroup: string[];
  resultSummary: string;
  originalReportNumber: string;
  /** The report issued after the review, when the review produced one. */
  newReportNumber?: string;
}

/**
 * 失信信息告知书 (Q§24): the family is told in writing that a dishonesty record about them was approved, on what
 * facts and legal basis, where it goes (credit systems) and how to appeal against it.
 */
export interface DishonestyNoticeInput extends DocumentHeader {
  kind: 'dishonesty-notice';
  /** The case the record came from, if any. */
  caseNumber: string | null;
  recordNumber: string;
  applicantName: string;
  /** The persons concerned, ID numbers masked as on every other document. */
  subjects: { name: string; idNumberMasked: string; relation: string }[];
  concealed: string;
  evidence: string[];
  legalBasis: string;
  approvedOn: string;
}

/**
 * 复核情况报告 (issue #6 item 3, Q§6): the monthly recheck of one requester's roster, reported to that requester —
 * counts, the families skipped (listed), and each family with changes with its evidence. Facts only (只核对、不认定).
 */
export interface RecheckReportInput extends DocumentHeader {
  kind: 'recheck-report';
  /** The requester reported to (委托单位). */
  requester: string;
  /** `YYYY-MM`. */
  month: string;
  runId: number;
  /** The agency scope of the run. */
  scopeName: string;
  startedOn: string;
  finishedOn: string | null;
  /** `carried`: families a change-driven run kept at their previous result (no new data since). */
  counts: {
    families: number;
    rechecked: number;
    carried: number;
    skipped: number;
    failed: number;
    changed: number;
  };
  /** Families not rechecked, with the reason. */
  notRechecked: { familyKey: string; applicantName: string; applicantIdMasked: string; reason: string }[];
  families: {
    familyKey: string;
    applicantName: string;
    applicantIdMasked: string;
    changes: {
      kindLabel: string;
      member: string;
      description: string;
      before: string;
      after: string;
      sources: { dataset: string; batchId: string; dataAsOf: string }[];
    }[];
  }[];
}

/** A recheck report's content without the header the issuing step adds (number, issuer, verification). */
export type RecheckReportBody = Omit<RecheckReportInput, keyof DocumentHeader>;

/** Writes the XLSX of a recheck report (an adapter in src/documents, handed to the use case by the route). */
export type RecheckReportWorkbookWriter = (
  report: RecheckReportBody,
  meta: { agencyName: string; documentNumber: string | null; generatedAt: string },
) => Promise<Buffer>;

export type CaseDocumentInput =
  | ReceiptInput
  | ReturnNoticeInput
  | ExtensionNoticeInput
  | ForceMajeureNoticeInput
  | TerminationNoticeInput
  | SuspensionNoticeInput
  | ReportInput
  | ReviewResultInput
  | DishonestyNoticeInput
  | RecheckReportInput;

export type CaseDocumentKind = CaseDocumentInput['kind'];

export interface RenderedCaseDocument {
  pdf: Buffer;
  /** SM3 of the PDF bytes, lower-case hex. */
  sm3: string;
  pages: number;
}

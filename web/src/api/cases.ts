import type { AttachmentKind } from '../../../src/domain/cases/attachments.ts';
import type { CaseState, PendingRequestKind } from '../../../src/domain/cases/workflow.ts';
import type { DeclaredAssetsInput, HouseholdMemberInput } from './assessments';
import { downloadFile, request, type UploadOptions, uploadForm } from './client';
import type { Escalation } from './escalations';

// The server's own lists and labels, so a new state or paper kind reaches the screen unchanged.
export {
  ATTACHMENT_KIND_LABELS,
  ATTACHMENT_KINDS,
  type AttachmentKind,
  MAX_ATTACHMENT_BYTES,
} from '../../../src/domain/cases/attachments.ts';
export { CASE_STATE_LABELS, CASE_STATES, type CaseState } from '../../../src/domain/cases/workflow.ts';

/** `escalation`: the earliest due date of the case's pending sub-requests to the agency above. */
export type DeadlineKind = 'acceptance' | 'report' | 'ceiling' | 'appeal' | 'review' | 'escalation';

export interface CaseDeadline {
  kind: DeadlineKind;
  due: string;
  /** Working days from today to the due date; ≤ 0 is due today or overdue; null when it cannot be counted. */
  workdaysLeft: number | null;
}

/** One case as the list shows it; the applicant's name is masked. */
export interface CaseSummary {
  id: number;
  number: string;
  state: CaseState;
  stateLabel: string;
  regionCode: string;
  assistanceType: string;
  requesterOrganisationId: number;
  applicant: string;
  memberCount: number;
  receivedOn: string;
  acceptedOn: string | null;
  reportDue: string | null;
  handlerId: number | null;
  reviewerId: number | null;
  extensionWorkdays: number;
  pendingRequest: PendingRequestKind | null;
  deadlines: CaseDeadline[];
}

export interface CaseMember {
  /** 0-based, as `memberIndex` and `missingAuthorizations` count. */
  index: number;
  name: string;
  idNumberMasked: string;
  relation: string;
  coResiding: boolean;
  exclusion: string | null;
  declaredIncome: Record<string, number> | null;
}

export interface CaseAttachment {
  id: number;
  kind: AttachmentKind;
  memberIndex: number | null;
  fileName: string;
  mediaType: string;
  bytes: number;
  sm3: string;
  uploadedAt: string;
}

export interface CaseEvent {
  id: number;
  at: string;
  actorName: string | null;
  step: string;
  fromState: string | null;
  toState: string;
  details: Record<string, unknown>;
}

export interface CaseDocument {
  id: number;
  /** `receipt`, `return-notice`, `extension-notice`, `force-majeure-notice`, `termination-notice`, `suspension-notice`, `report`, `review-result`. */
  kind: string;
  number: string;
  shortCode: string;
  issuedAt: string;
}

export interface CaseDetail extends CaseSummary {
  ceilingDate: string | null;
  /** Working days added at the requester's request after force majeure (Q§17 ¶2). */
  forceMajeureWorkdays: number;
  acceptanceDue: string;
  calendarVersion: string;
  assessmentId: number | null;
  members: CaseMember[];
  declaredAssets: Record<string, unknown> | null;
  missingAuthorizations: number[];
  attachments: CaseAttachment[];
  events: CaseEvent[];
  documents: CaseDocument[];
  /** Sub-requests to the agency above: for the requesting agency's staff only, empty for anyone else. */
  escalations: Escalation[];
}

export interface CaseListQuery {
  state?: CaseState;
  mine?: boolean;
  offset?: number;
  limit?: number;
}

export interface NewCase {
  assistanceType: string;
  members: HouseholdMemberInput[];
  declaredAssets?: DeclaredAssetsInput;
}

export function listCases(query: CaseListQuery = {}): Promise<{ items: CaseSummary[]; total: number }> {
  return request('/api/cases', {
    query: {
      state: query.state,
      mine: query.mine ? true : undefined,
      offset: query.offset,
      limit: query.limit,
    },
  });
}

export async function getCase(id: number): Promise<CaseDetail> {
  return (await request<{ case: CaseDetail }>(`/api/cases/${id}`)).case;
}

export async function submitCase(input: NewCase): Promise<CaseDetail> {
  return (await request<{ case: CaseDetail }>('/api/cases', { method: 'POST', body: input })).case;
}

export async function uploadAttachment(
  id: number,
  input: { kind: AttachmentKind; memberIndex: number | null; file: File },
  options: UploadOptions = {},
): Promise<CaseDetail> {
  const form = new FormData();
  // Fields before the file: the server reads the parts in order.
  form.append('kind', input.kind);
  form.append('memberIndex', input.memberIndex === null ? '' : String(input.memberIndex));
  form.append('file', input.file, input.file.name);
  return (await uploadForm<{ case: CaseDetail }>(`/api/cases/${id}/attachments`, form, options)).case;
}

export async function acceptCase(
  id: number,
  group: { handlerId: number; reviewerId: number },
): Promise<CaseDetail> {
  return (await request<{ case: CaseDetail }>(`/api/cases/${id}/accept`, { method: 'POST', body: group }))
    .case;
}

export interface WorkGroupCandidate {
  id: number;
  displayName: string;
  organisationName: string;
  canHandle: boolean;
  canReview: boolean;
  /** Handled the original verification: may not sit in the review group after an appeal. */
  originalHandler: boolean;
}

export async function workGroupCandidates(id: number): Promise<WorkGroupCandidate[]> {
  return (await request<{ items: WorkGroupCandidate[] }>(`/api/cases/${id}/work-group-candidates`)).items;
}

export async function returnCase(id: number, reasons: string[]): Promise<CaseDetail> {
  return (
    await request<{ case: CaseDetail }>(`/api/cases/${id}/return`, { method: 'POST', body: { reasons } })
  ).case;
}

export async function resubmitCase(id: number): Promise<CaseDetail> {
  return (await request<{ case: CaseDetail }>(`/api/cases/${id}/resubmit`, { method: 'POST' })).case;
}

export function downloadCaseDocument(id: number, document: CaseDocument): Promise<string> {
  return downloadFile(`/api/cases/${id}/documents/${document.id}`, undefined, `${document.number}.pdf`);
}

/** The case's whole archive as one ZIP (history, documents, papers, results); the export is audited. */
export function downloadCaseArchive(id: number, caseNumber: string): Promise<string> {
  return downloadFile(`/api/cases/${id}/archive`, undefined, `案件档案-${caseNumber}.zip`);
}

/** A step of the verification (report, extension, suspension, appeal, review): the case as it stands after. */
async function caseStep(id: number, path: string, body: unknown): Promise<CaseDetail> {
  return (await request<{ case: CaseDetail }>(`/api/cases/${id}/${path}`, { method: 'POST', body })).case;
}

export const SUSPENSION_GROUNDS = [
  'concealment-or-false-materials',
  'refusal-to-cooperate',
  'programme-rule',
] as const;
export type SuspensionGround = (typeof SUSPENSION_GROUNDS)[number];

export const caseSteps = {
  submitReport: (id: number, remarks: string) => caseStep(id, 'report/submit', { remarks }),
  approveReport: (id: number) => caseStep(id, 'report/approve', {}),
  sendBackReport: (id: number, reasons: string) => caseStep(id, 'report/send-back', { reasons }),
  requestExtension: (id: number, workdays: number, reason: string) =>
    caseStep(id, 'extension', { workdays, reason }),
  decideExtension: (id: number, approve: boolean, reason: string) =>
    caseStep(id, 'extension/decision', { approve, reason }),
  requestSuspension: (id: number, grounds: SuspensionGround[], reason: string) =>
    caseStep(id, 'suspension', { grounds, reason }),
  decideSuspension: (id: number, approve: boolean, reason: string) =>
    caseStep(id, 'suspension/decision', { approve, reason }),
  appeal: (id: number, reason: string) => caseStep(id, 'appeal', { reason }),
  assignReview: (id: number, handlerId: number, reviewerId: number) =>
    caseStep(id, 'review/assign', { handlerId, reviewerId }),
  reportForceMajeure: (id: number, event: string) => caseStep(id, 'force-majeure', { event }),
  decideForceMajeure: (id: number, approve: boolean, reason: string) =>
    caseStep(id, 'force-majeure/decision', { approve, reason }),
  forceMajeureExtend: (id: number, workdays: number, reason: string) =>
    caseStep(id, 'force-majeure/answer', { choice: 'extend', workdays, reason }),
  terminate: (id: number, reason: string) =>
    caseStep(id, 'force-majeure/answer', { choice: 'terminate', reason }),
};

import type { EscalationState } from '../../../src/domain/cases/escalation.ts';
import { request } from './client';

// The server's own states, labels and suggested data items, so the screen says what the server says.
export {
  ESCALATION_DATA_ITEMS,
  ESCALATION_STATE_LABELS,
  ESCALATION_STATES,
  type EscalationState,
} from '../../../src/domain/cases/escalation.ts';

/** The agency above's answer to one item, with its provenance. */
export interface EscalationFinding {
  finding: string;
  /** Integer fen, or null when the finding carries no amount. */
  amountFen: number | null;
  sourceDepartment: string;
  sourceDataset: string;
  /** The date the source's data stand at (YYYY-MM-DD). */
  dataAsOf: string;
}

export interface EscalationItem {
  index: number;
  memberIndex: number;
  /** Masked in the queue, in full in the case and the detail view. */
  name: string;
  /** Only in the addressee's (audited) detail view. */
  idNumber: string | null;
  idNumberMasked: string;
  relation: string;
  dataItem: string;
  finding: EscalationFinding | null;
}

/** A sub-request of a case to the agency above (庆阳细则第六条). */
export interface Escalation {
  id: number;
  caseId: number;
  caseNumber: string;
  state: EscalationState;
  stateLabel: string;
  requestingOrganisationId: number;
  requestingOrganisationName: string;
  targetOrganisationId: number;
  targetOrganisationName: string;
  due: string;
  calendarVersion: string;
  /** While pending: working days to the due date (≤ 0 due today or overdue; null when not countable). */
  workdaysLeft: number | null;
  reason: string;
  proposedByName: string | null;
  proposedAt: string;
  approvedByName: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  answeredByName: string | null;
  answeredAt: string | null;
  items: EscalationItem[];
}

export interface EscalationProposal {
  reason: string;
  items: { memberIndex: number; dataItem: string }[];
}

export interface FindingInput extends EscalationFinding {
  itemIndex: number;
}

export function proposeEscalation(caseId: number, proposal: EscalationProposal): Promise<{ id: number }> {
  return request(`/api/cases/${caseId}/escalations`, { method: 'POST', body: proposal });
}

export function decideEscalation(
  caseId: number,
  escalationId: number,
  approve: boolean,
  reason?: string,
): Promise<{ id: number; state: EscalationState }> {
  return request(`/api/cases/${caseId}/escalations/${escalationId}/${approve ? 'approve' : 'reject'}`, {
    method: 'POST',
    body: reason === undefined ? {} : { reason },
  });
}

export function listEscalations(query: {
  state?: 'approved' | 'answered';
  page: number;
  pageSize: number;
}): Promise<{ items: Escalation[]; total: number }> {
  return request('/api/escalations', {
    query: { state: query.state, offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
  });
}

/** The full view (ID numbers spelled out); the server keeps a record of each look. */
export async function getEscalation(id: number): Promise<Escalation> {
  return (await request<{ escalation: Escalation }>(`/api/escalations/${id}`)).escalation;
}

export async function answerEscalation(id: number, findings: FindingInput[]): Promise<Escalation> {
  return (
    await request<{ escalation: Escalation }>(`/api/escalations/${id}/answer`, {
      method: 'POST',
      body: { findings },
    })
  ).escalation;
}

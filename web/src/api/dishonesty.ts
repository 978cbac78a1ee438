import { downloadFile, request } from './client';

// The server's own states and labels, so the screen says what the server says.
export {
  DISHONESTY_SOURCE_LABELS,
  DISHONESTY_STATE_LABELS,
  DISHONESTY_STATES,
  type DishonestySource,
  type DishonestyState,
} from '../../../src/domain/dishonesty/records.ts';

import type { DishonestySource, DishonestyState } from '../../../src/domain/dishonesty/records.ts';

export interface DishonestySubjectView {
  /** Masked in lists, in full in the (audited) detail. */
  name: string;
  idNumberMasked: string;
  relation: string;
}

export interface DishonestySummary {
  id: number;
  number: string;
  state: DishonestyState;
  stateLabel: string;
  sourceKind: DishonestySource;
  sourceLabel: string;
  caseId: number | null;
  caseNumber: string | null;
  regionCode: string;
  subjects: DishonestySubjectView[];
  draftedAt: string;
  approvedOn: string | null;
  revokedAt: string | null;
}

export interface DishonestyRecord extends DishonestySummary {
  concealed: string;
  evidence: string[];
  legalBasis: string;
  draftedBy: number;
  draftedByName: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  rejectedByName: string | null;
  rejectedAt: string | null;
  rejectionReason: string | null;
  revokedByName: string | null;
  revocationReason: string | null;
  notice: { id: number; number: string; shortCode: string } | null;
}

export function listDishonestyRecords(query: {
  state?: DishonestyState;
  caseId?: number;
  idNumber?: string;
  page: number;
  pageSize: number;
}): Promise<{ items: DishonestySummary[]; total: number }> {
  return request('/api/dishonesty-records', {
    query: {
      state: query.state,
      caseId: query.caseId,
      idNumber: query.idNumber,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    },
  });
}

/** The full view (names spelled out); the server keeps a record of each look. */
export async function getDishonestyRecord(id: number): Promise<DishonestyRecord> {
  return (await request<{ record: DishonestyRecord }>(`/api/dishonesty-records/${id}`)).record;
}

export async function draftDishonestyRecord(
  caseId: number,
  input: { concealed: string; evidence: string[]; memberIndexes?: number[] },
): Promise<DishonestyRecord> {
  return (
    await request<{ record: DishonestyRecord }>(`/api/cases/${caseId}/dishonesty-records`, {
      method: 'POST',
      body: input,
    })
  ).record;
}

export async function decideDishonestyRecord(
  id: number,
  step: 'approve' | 'reject' | 'revoke',
  reason?: string,
): Promise<DishonestyRecord> {
  return (
    await request<{ record: DishonestyRecord }>(`/api/dishonesty-records/${id}/${step}`, {
      method: 'POST',
      body: step === 'approve' ? {} : { reason: reason ?? '' },
    })
  ).record;
}

/** The export for credit systems (full ID numbers; audited record by record). */
export function exportDishonestyRecords(format: 'csv' | 'json'): Promise<string> {
  return downloadFile('/api/dishonesty-records/export', { format }, `dishonesty-records.${format}`);
}

export function downloadDishonestyNotice(
  caseId: number,
  notice: { id: number; number: string },
): Promise<string> {
  return downloadFile(`/api/cases/${caseId}/documents/${notice.id}`, undefined, `${notice.number}.pdf`);
}

import type { Generated } from 'kysely';

/** Tables of the dishonesty records (migration 202611251100_dishonesty). */

export interface DishonestyRecordTable {
  id: Generated<number>;
  number: string;
  agencyOrganisationId: number;
  regionCode: string;
  requesterOrganisationId: number | null;
  sourceKind: string;
  sourceCaseId: number | null;
  sourceAlertId: number | null;
  subjectCount: number;
  subjectsEnc: string;
  factsEnc: string;
  legalBasis: string;
  state: string;
  draftedBy: number;
  draftedAt: string;
  approvedBy: number | null;
  approvedAt: string | null;
  approvedOn: string | null;
  rejectedBy: number | null;
  rejectedAt: string | null;
  rejectionReason: string | null;
  noticeDocumentId: number | null;
  revokedBy: number | null;
  revokedAt: string | null;
  revocationReason: string | null;
  createdAt: string;
  updatedAt: string;
  revision: Generated<number>;
}

export interface DishonestySubjectTable {
  id: Generated<number>;
  recordId: number;
  subjectIndex: number;
  /** Blind index of the person's 18-digit ID number (as the records' `personKey`). */
  personKey: string;
}

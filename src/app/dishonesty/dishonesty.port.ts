import type { DishonestySource, DishonestyState } from '../../domain/dishonesty/records.ts';

/** A dishonesty record as stored: the persons concerned and the facts encrypted, found by blind index. */
export interface DishonestyRow {
  id: number;
  /** Per agency and year, e.g. `西峰核失〔2025〕1号`. */
  number: string;
  agencyOrganisationId: number;
  regionCode: string;
  /** The requester of the source case: it may read the record (read-only). */
  requesterOrganisationId: number | null;
  sourceKind: DishonestySource;
  sourceCaseId: number | null;
  /** A confirmed recheck alert (a later part of issue #6); no such table yet. */
  sourceAlertId: number | null;
  subjectCount: number;
  /** Encrypted JSON `DishonestySubject[]`. */
  subjectsEnc: string;
  /** Encrypted JSON `DishonestyFacts`. */
  factsEnc: string;
  legalBasis: string;
  state: DishonestyState;
  draftedBy: number;
  draftedAt: string;
  approvedBy: number | null;
  approvedAt: string | null;
  /** Asia/Shanghai date of the approval: the record's effective date. */
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
  revision: number;
}

export interface DishonestyFilter {
  /** Agency users: records of this region and below; null: no region limit. */
  regionScope: string | null;
  requesterOrganisationId?: number;
  states?: readonly DishonestyState[];
  sourceCaseId?: number;
  /** Blind index of a person's ID number. */
  personKey?: string;
  approvedFrom?: string;
  approvedTo?: string;
  offset: number;
  limit: number;
}

export interface DishonestyRepository {
  /** Stores the record and the blind index of each person concerned, in the caller's transaction. */
  create(row: Omit<DishonestyRow, 'id' | 'revision'>, personKeys: readonly string[]): Promise<DishonestyRow>;
  get(id: number): Promise<DishonestyRow | undefined>;
  /** The draft or approved record of a case, if any (one at a time per case). */
  activeForCase(caseId: number): Promise<DishonestyRow | undefined>;
  list(filter: DishonestyFilter): Promise<{ items: DishonestyRow[]; total: number }>;
  /** Applies the patch if still at `revision` (two reviewers acting at once cannot both succeed). */
  update(
    id: number,
    revision: number,
    patch: Partial<Omit<DishonestyRow, 'id' | 'number' | 'revision'>>,
  ): Promise<boolean>;
  /** Marks an issued notice revoked, so the public check answers 已撤销 for it. */
  revokeDocument(documentId: number, at: string): Promise<void>;
}

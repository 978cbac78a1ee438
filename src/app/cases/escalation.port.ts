import type { EscalationState } from '../../domain/cases/escalation.ts';

/** A sub-request of a case to the agency above, as stored (items and findings encrypted). */
export interface EscalationRow {
  id: number;
  caseId: number;
  requestingOrganisationId: number;
  targetOrganisationId: number;
  state: EscalationState;
  itemCount: number;
  /** Encrypted JSON `EscalationRequestBody`: the reason and the items (members named, data items). */
  itemsEnc: string;
  /** Encrypted JSON `EscalationFinding[]`, once answered. */
  findingsEnc: string | null;
  /** The case's report or review due date when proposed, from the working-day calendar. */
  due: string;
  calendarVersion: string;
  proposedBy: number;
  proposedAt: string;
  approvedBy: number | null;
  decidedAt: string | null;
  decisionReason: string | null;
  answeredBy: number | null;
  answeredAt: string | null;
  createdAt: string;
  updatedAt: string;
  revision: number;
}

export interface EscalationRepository {
  create(row: Omit<EscalationRow, 'id' | 'revision'>): Promise<EscalationRow>;
  get(id: number): Promise<EscalationRow | undefined>;
  /** A case's sub-requests, oldest first. */
  byCase(caseId: number): Promise<EscalationRow[]>;
  /** The sub-requests of these cases in these states (the deadlines of a page of cases). */
  byCases(caseIds: readonly number[], states: readonly EscalationState[]): Promise<EscalationRow[]>;
  /** Sub-requests addressed to an organisation, in these states, newest first. */
  addressedTo(
    organisationId: number,
    filter: { states: readonly EscalationState[]; offset: number; limit: number },
  ): Promise<{ items: EscalationRow[]; total: number }>;
  /** Applies the patch if still at `revision` (two people acting at once cannot both succeed). */
  update(
    id: number,
    revision: number,
    patch: Partial<Omit<EscalationRow, 'id' | 'caseId' | 'revision'>>,
  ): Promise<boolean>;
}

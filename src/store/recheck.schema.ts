import type { Generated } from 'kysely';

/** Tables of the monthly recheck (migration 202611251200_recheck). */

export interface RecheckRunTable {
  id: Generated<number>;
  /** `YYYY-MM`. */
  month: string;
  /** The agency whose region's requesters are rechecked. */
  scopeOrganisationId: number;
  state: string;
  startedAt: string;
  startedBy: number | null;
  startedByName: string | null;
  finishedAt: string | null;
  /** The run's heartbeat: while in the future, no one else may take the run over. */
  leaseUntil: string;
  /** Who holds the lease (a random token per start or resume). */
  leaseToken: string;
  familyCount: Generated<number>;
  doneCount: Generated<number>;
  skippedCount: Generated<number>;
  failedCount: Generated<number>;
  changedCount: Generated<number>;
  resumedCount: Generated<number>;
  errorCode: string | null;
  /** `full` or `changed` (migration 202611251300_recheck_marks). */
  mode: Generated<string>;
  /** Families carried forward unchanged by a `changed` run. */
  carriedCount: Generated<number>;
}

export interface RecheckItemTable {
  id: Generated<number>;
  runId: number;
  rosterFamilyId: number;
  requesterOrganisationId: number;
  familyKey: string;
  status: string;
  assessmentId: number | null;
  /** Encrypted JSON `RecheckSummary`: the figures compared month to month. */
  summaryEnc: string | null;
  /** JSON array of change kinds (non-personal, for statistics). */
  changes: string;
  errorCode: string | null;
  updatedAt: string;
}

export interface RecheckAlertTable {
  id: Generated<number>;
  runId: number;
  itemId: number;
  requesterOrganisationId: number;
  familyKey: string;
  kind: string;
  /** Encrypted JSON `ChangeEvidence`. */
  evidenceEnc: string;
  state: string;
  caseId: number | null;
  reason: string | null;
  workedBy: number | null;
  workedByName: string | null;
  workedAt: string | null;
  createdAt: string;
}

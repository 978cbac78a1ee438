import type { Generated } from 'kysely';

/** The marks of change-driven rechecks (migration 202611251300_recheck_marks). */
export interface RecheckMarkTable {
  id: Generated<number>;
  requesterOrganisationId: number;
  familyKey: string;
  /** The committed batch in which one of the family's members appears. */
  batchId: number;
  markedAt: string;
  /** The run that recomputed the family; null while the mark waits. */
  consumedByRunId: number | null;
}

/**
 * The store's side of change-driven rechecks (issue #6 item 4; implemented in src/store/recheck-marks.repository.ts):
 * marks written when a batch is committed, read and consumed by the monthly run.
 */

export interface RecheckMarkRow {
  id: number;
  requesterOrganisationId: number;
  familyKey: string;
  batchId: number;
  markedAt: string;
  consumedByRunId: number | null;
}

/** A family's latest computed (`done`) recheck: what a `changed` run compares with, or carries forward. */
export interface LatestRecheckResult {
  itemId: number;
  runId: number;
  month: string;
  summaryEnc: string | null;
}

export interface RecheckMarkRepository {
  /**
   * Marks every standing roster family (each requester's roster of its latest month, not superseded) that has a
   * member whose person key appears in the batch's records: ONE set-based statement (insert … select … join),
   * whatever the batch's size, inside the caller's transaction. A family already marked for this batch is left
   * as it is. Returns how many marks were added.
   */
  markForBatch(batchId: number, dataset: string, at: string): Promise<number>;
  /** The family keys of a requester with a mark not yet consumed. */
  markedFamilies(requesterOrganisationId: number): Promise<Set<string>>;
  /** The ids of a family's marks not yet consumed (read before the family is assessed). */
  openMarkIds(requesterOrganisationId: number, familyKey: string): Promise<number[]>;
  /** The same for a page of a requester's families, in one read: per family key, its open mark ids in id order. */
  openMarkIdsOf(
    requesterOrganisationId: number,
    familyKeys: readonly string[],
  ): Promise<Map<string, number[]>>;
  /** Consumes these marks (still unconsumed) for the run that recomputed their family; returns how many. */
  consume(ids: readonly number[], runId: number): Promise<number>;
  /**
   * Per family key of a requester: its latest `done` item in a run of this month or before, other than
   * `excludeRunId` (one query for the whole requester).
   */
  latestResults(
    requesterOrganisationId: number,
    month: string,
    excludeRunId: number,
  ): Promise<Map<string, LatestRecheckResult>>;
  /** Marks of a requester's family, oldest first (the run detail, tests). */
  marksOf(requesterOrganisationId: number, familyKey: string): Promise<RecheckMarkRow[]>;
}

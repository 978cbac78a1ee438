import type { AlertState } from '../../domain/recheck/alerts.ts';
import type { RecheckMode } from '../../domain/recheck/change-driven.ts';
import type { RosterFamilyRow } from '../roster/roster-repository.ts';

/** The store's side of the monthly recheck (implemented in src/store/recheck.repository.ts). */

export type RecheckRunState = 'running' | 'done' | 'failed';
/** `carried`: a `changed` run kept the family's previous result (no assessment, no alert; issue #6 item 4). */
export type RecheckItemStatus = 'pending' | 'done' | 'skipped' | 'failed' | 'carried';

export interface RecheckCounts {
  familyCount: number;
  doneCount: number;
  skippedCount: number;
  failedCount: number;
  changedCount: number;
  /** Families a `changed` run carried forward. */
  carriedCount: number;
}

export interface RecheckRunRow extends RecheckCounts {
  id: number;
  month: string;
  scopeOrganisationId: number;
  state: RecheckRunState;
  startedAt: string;
  startedBy: number | null;
  startedByName: string | null;
  finishedAt: string | null;
  leaseUntil: string;
  leaseToken: string;
  resumedCount: number;
  errorCode: string | null;
  /** `full` (every family) or `changed` (marked, new and stale families; the rest carried). */
  mode: RecheckMode;
}

export interface RecheckItemRow {
  id: number;
  runId: number;
  rosterFamilyId: number;
  requesterOrganisationId: number;
  familyKey: string;
  status: RecheckItemStatus;
  assessmentId: number | null;
  summaryEnc: string | null;
  changes: string[];
  errorCode: string | null;
  updatedAt: string;
}

export interface RecheckAlertRow {
  id: number;
  runId: number;
  itemId: number;
  requesterOrganisationId: number;
  familyKey: string;
  kind: string;
  evidenceEnc: string;
  state: AlertState;
  caseId: number | null;
  reason: string | null;
  workedBy: number | null;
  workedByName: string | null;
  workedAt: string | null;
  createdAt: string;
}

export interface RunWithScope extends RecheckRunRow {
  scopeName: string;
  scopeRegionCode: string;
}

export interface AlertWithRequester extends RecheckAlertRow {
  requesterName: string;
  requesterRegionCode: string;
  month: string;
}

export interface RecheckRepository {
  /** A new running run; a run of the same month and scope already running makes it throw RECHECK_RUNNING. */
  createRun(
    run: Omit<RecheckRunRow, 'id' | keyof RecheckCounts | 'resumedCount' | 'errorCode' | 'finishedAt'>,
  ): Promise<RecheckRunRow>;
  /** The newest run of a month and scope. */
  latestRun(month: string, scopeOrganisationId: number): Promise<RecheckRunRow | undefined>;
  getRun(id: number): Promise<RunWithScope | undefined>;
  listRuns(filter: { regionScope: string | null; month?: string; offset: number; limit: number }): Promise<{
    items: RunWithScope[];
    total: number;
  }>;
  /**
   * Takes a run over for resuming (a failed run, or a running one whose lease ended before `now`): sets the
   * new lease only if the run is still as seen. False when someone else was quicker.
   */
  takeOver(
    id: number,
    seen: { state: RecheckRunState; leaseToken: string },
    lease: { token: string; until: string },
  ): Promise<boolean>;
  /** Extends the lease and adds to the counts, only while `token` holds it. False when the lease was lost. */
  heartbeat(id: number, token: string, until: string, add: Partial<RecheckCounts>): Promise<boolean>;
  /** Ends the run (done or failed) with its final counts, only while `token` holds it. */
  finishRun(
    id: number,
    token: string,
    end: {
      state: 'done' | 'failed';
      finishedAt: string;
      errorCode: string | null;
      counts: RecheckCounts | null;
    },
  ): Promise<boolean>;
  addItems(
    items: (Omit<RecheckItemRow, 'id' | 'assessmentId' | 'summaryEnc' | 'errorCode'> & {
      /** A carried item's summary: the previous result's ciphertext. */
      summaryEnc?: string | null;
    })[],
  ): Promise<void>;
  /** Items not yet done nor skipped, in id order after `afterId`. */
  itemsToDo(runId: number, afterId: number, limit: number): Promise<RecheckItemRow[]>;
  getItem(id: number): Promise<RecheckItemRow | undefined>;
  listItems(
    runId: number,
    filter: { status?: RecheckItemStatus; changedOnly?: boolean; offset: number; limit: number },
  ): Promise<{
    items: RecheckItemRow[];
    total: number;
  }>;
  countItems(runId: number): Promise<RecheckCounts>;
  updateItem(
    id: number,
    patch: Partial<
      Pick<RecheckItemRow, 'status' | 'assessmentId' | 'summaryEnc' | 'changes' | 'errorCode' | 'updatedAt'>
    >,
  ): Promise<void>;
  /** The family's latest done item of another run of this month or before (the month compared against). */
  previousDoneItem(
    requesterOrganisationId: number,
    familyKey: string,
    month: string,
    excludeRunId: number,
  ): Promise<RecheckItemRow | undefined>;
  addAlerts(alerts: Omit<RecheckAlertRow, 'id'>[]): Promise<RecheckAlertRow[]>;
  getAlert(id: number): Promise<AlertWithRequester | undefined>;
  listAlerts(filter: {
    regionScope: string | null;
    state?: AlertState;
    requesterOrganisationId?: number;
    runId?: number;
    offset: number;
    limit: number;
  }): Promise<{ items: AlertWithRequester[]; total: number }>;
  /** Alerts of a run by kind. */
  alertCounts(runId: number): Promise<Record<string, number>>;
  /**
   * For a page of a requester's families: per family key, the summary of what `previousDoneItem` returns (its
   * latest done item of this month or before, other than `excludeRunId`); keys without one are absent.
   */
  previousSummaries(
    requesterOrganisationId: number,
    familyKeys: readonly string[],
    month: string,
    excludeRunId: number,
  ): Promise<Map<string, string | null>>;
  /** Roster families by id, in no particular order (a page of a recheck run). */
  rosterFamilies(ids: readonly number[]): Promise<RosterFamilyRow[]>;
  /** One roster family by id (the roster repository reads families by version only). */
  rosterFamily(id: number): Promise<RosterFamilyRow | undefined>;
  /** Records the work on an alert still in state `from` (default `open`); false when it was worked meanwhile. */
  workAlert(
    id: number,
    patch: Pick<RecheckAlertRow, 'state' | 'caseId' | 'reason' | 'workedBy' | 'workedByName' | 'workedAt'>,
    from?: AlertState,
  ): Promise<boolean>;
}

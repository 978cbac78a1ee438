import type { RecheckItemStatus } from './recheck-repository.ts';

/** The store's side of the monthly recheck reports (implemented in src/store/recheck-report.repository.ts). */

export interface RecheckReportRow {
  id: number;
  runId: number;
  requesterOrganisationId: number;
  agencyOrganisationId: number;
  number: string;
  shortCode: string;
  sm3: string;
  storedFile: string;
  issuedOn: string;
  issuedAt: string;
  issuedBy: number | null;
  issuedByName: string | null;
  revokedAt: string | null;
}

export interface RecheckReportWithRun extends RecheckReportRow {
  month: string;
  requesterName: string;
  agencyName: string;
}

/** One requester's families in a run, by status, and how many done ones changed. */
export interface RequesterCounts {
  requesterOrganisationId: number;
  requesterName: string;
  requesterRegionCode: string;
  familyCount: number;
  doneCount: number;
  skippedCount: number;
  failedCount: number;
  pendingCount: number;
  carriedCount: number;
  changedCount: number;
}

/** A run's item with its roster family's encrypted members (for the applicant's name and masked ID number). */
export interface ReportItem {
  id: number;
  familyKey: string;
  status: RecheckItemStatus;
  changes: string[];
  membersEnc: string | null;
}

export interface RecheckReportRepository {
  /** Stores a report; one of the same run and requester already there makes it throw CONFLICT (RECHECK_REPORT_ISSUED). */
  add(row: Omit<RecheckReportRow, 'id'>): Promise<RecheckReportRow>;
  get(runId: number, requesterOrganisationId: number): Promise<RecheckReportRow | undefined>;
  ofRun(runId: number): Promise<RecheckReportRow[]>;
  byShortCode(shortCode: string): Promise<RecheckReportRow | undefined>;
  /** Issued reports, newest first: of one requester, or of the requesters in a region scope (null: all). */
  list(filter: {
    requesterOrganisationId?: number;
    regionScope: string | null;
    offset: number;
    limit: number;
  }): Promise<{ items: RecheckReportWithRun[]; total: number }>;
  requesterCounts(runId: number): Promise<RequesterCounts[]>;
  /** The requester's items of the run, by family key. */
  items(runId: number, requesterOrganisationId: number): Promise<ReportItem[]>;
}

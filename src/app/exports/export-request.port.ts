import type {
  ExportKind,
  ExportRequestRow,
  ExportState,
  ExportTarget,
} from '../../domain/exports/export-request.ts';

export interface NewExportRequest {
  kind: ExportKind;
  target: ExportTarget;
  reason: string;
  caseId: number | null;
  recheckRunId: number | null;
  requestedBy: number;
  requestedByName: string;
  requesterOrganisationId: number;
  requesterRegionCode: string;
  requestedAt: string;
}

export interface ExportRequestRepository {
  add(row: NewExportRequest): Promise<ExportRequestRow>;
  get(id: number): Promise<ExportRequestRow | undefined>;
  /** Requests of one user (newest first). */
  ofRequester(userId: number, limit: number): Promise<ExportRequestRow[]>;
  /** Requests whose requester's region lies within the prefix (a reviewer's queue), newest first. */
  inScope(regionPrefix: string, states: ExportState[], limit: number): Promise<ExportRequestRow[]>;
  /** Pending → approved/refused, conditionally: false when another decision came first. */
  decide(
    id: number,
    decision: {
      state: 'approved' | 'refused';
      decidedBy: number;
      decidedByName: string;
      decidedAt: string;
      decisionNote: string | null;
      expiresAt: string | null;
    },
  ): Promise<boolean>;
  /** Approved → downloaded, conditionally (a file leaves once even for racing requests). */
  claimDownload(id: number, at: string, fingerprint: string): Promise<boolean>;
  /** Undoes a claim whose file could not be produced. */
  releaseDownload(id: number): Promise<void>;
  setFileName(id: number, fileName: string): Promise<void>;
}

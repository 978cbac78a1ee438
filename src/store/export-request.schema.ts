import type { Generated } from 'kysely';

/** Bulk export requests (migration 202611260700_export_request). */
export interface ExportRequestTable {
  id: Generated<number>;
  kind: string;
  target: string;
  reason: string;
  caseId: number | null;
  recheckRunId: number | null;
  requestedBy: number;
  requestedByName: string;
  requesterOrganisationId: number;
  requesterRegionCode: string;
  requestedAt: string;
  state: string;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  expiresAt: string | null;
  downloadedAt: string | null;
  fingerprint: string | null;
  fileName: string | null;
}

import type { Generated } from 'kysely';

/** The monthly recheck reports (migration 202611251330_recheck_report). */
export interface RecheckReportTable {
  id: Generated<number>;
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

import type { Generated } from 'kysely';

/** Tables of the recipient roster (migration 202611250930_roster). Flags are integers 0/1 on both dialects. */

export interface RosterVersionTable {
  id: Generated<number>;
  requesterOrganisationId: number;
  /** `YYYY-MM`. */
  month: string;
  source: string;
  fileName: string | null;
  /** SM3 of the uploaded file, or of the canonical JSON pushed. */
  sm3: string;
  familyCount: number;
  memberCount: number;
  authorizationMissingCount: number;
  createdAt: string;
  createdBy: number | null;
  createdByName: string | null;
  superseded: Generated<number>;
  supersededAt: string | null;
  supersededBy: number | null;
}

export interface RosterFamilyTable {
  id: Generated<number>;
  versionId: number;
  familyKey: string;
  regionCode: string;
  assistanceType: string;
  startDate: string;
  monthlyAmountFen: number;
  memberCount: number;
  /** Encrypted JSON of the members: `{ idNumber, name, relation }[]`, applicant first. */
  membersEnc: string;
  authorizationCaseId: number | null;
  authorizationSm3: string | null;
  authorizationOnFile: number;
}

export interface RosterMemberTable {
  id: Generated<number>;
  familyId: number;
  versionId: number;
  memberIndex: number;
  /** Blind index of the member's 18-digit ID number (as the records' `personKey`). */
  personKey: string;
}

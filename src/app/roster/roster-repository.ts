/** The store's side of the recipient roster (implemented in src/store/roster.repository.ts). */

export type RosterSource = 'upload' | 'api';

export interface RosterVersionRow {
  id: number;
  requesterOrganisationId: number;
  month: string;
  source: RosterSource;
  fileName: string | null;
  sm3: string;
  familyCount: number;
  memberCount: number;
  authorizationMissingCount: number;
  createdAt: string;
  createdBy: number | null;
  createdByName: string | null;
  superseded: boolean;
  supersededAt: string | null;
  supersededBy: number | null;
}

export interface RosterFamilyRow {
  id: number;
  versionId: number;
  familyKey: string;
  regionCode: string;
  assistanceType: string;
  startDate: string;
  monthlyAmountFen: number;
  memberCount: number;
  membersEnc: string;
  authorizationCaseId: number | null;
  authorizationSm3: string | null;
  authorizationOnFile: boolean;
}

export interface NewRosterFamily extends Omit<RosterFamilyRow, 'id' | 'versionId'> {
  /** Blind indexes of the members' ID numbers, in member order. */
  personKeys: string[];
}

export interface RosterVersionFilter {
  /** Only versions of requesters whose region lies in this scope (null = all). */
  regionScope: string | null;
  requesterOrganisationId?: number;
  month?: string;
  includeSuperseded: boolean;
  offset: number;
  limit: number;
}

export interface RosterRepository {
  /**
   * Stores a new version with its families and members; the requester's current version of that month (if
   * any) is marked superseded by it in the same transaction. Answers the new version and the superseded one.
   */
  createVersion(
    version: Omit<RosterVersionRow, 'id' | 'superseded' | 'supersededAt' | 'supersededBy'>,
    families: readonly NewRosterFamily[],
  ): Promise<{ version: RosterVersionRow; superseded: RosterVersionRow | null }>;
  getVersion(id: number): Promise<(RosterVersionRow & { requesterRegionCode: string }) | undefined>;
  /** The requester's current (not superseded) version of a month. */
  currentVersion(requesterOrganisationId: number, month: string): Promise<RosterVersionRow | undefined>;
  /** The requester's current version of the latest month before `month`. */
  previousVersion(requesterOrganisationId: number, month: string): Promise<RosterVersionRow | undefined>;
  listVersions(filter: RosterVersionFilter): Promise<{
    items: (RosterVersionRow & { requesterName: string; requesterRegionCode: string })[];
    total: number;
  }>;
  /** A version's families in family-key order, a page at a time (the recheck walks them all this way). */
  families(
    versionId: number,
    offset: number,
    limit: number,
    missingOnly?: boolean,
  ): Promise<RosterFamilyRow[]>;
  /** Current versions' families having a member with one of these person keys (traced from a new batch). */
  familiesByPersonKeys(personKeys: readonly string[]): Promise<RosterFamilyRow[]>;
}

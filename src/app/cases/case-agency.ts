import { isInRegionScope, regionScopePrefix } from '../../domain/access/scope.ts';
import type { CaseRow, OrganisationRecord, UserRecord } from '../ports.ts';

/**
 * The agency (organisation) holding a case: the agency of the handler who accepted it once it has one, otherwise the nearest active
 * verification agency covering the case's region (the county's before the city's). There is no separate
 * "agency head" role: an agency's reviewers (agency_reviewer) are its responsible persons.
 */
export interface AgencyDirectory {
  agencyOf(kase: CaseRow): OrganisationRecord | null;
  /** The active reviewers of an agency: whom a missed deadline is escalated to. */
  reviewersOf(agencyId: number): UserRecord[];
  user(id: number | null): UserRecord | undefined;
  organisation(id: number): OrganisationRecord | undefined;
}

export function agencyDirectory(
  organisations: readonly OrganisationRecord[],
  users: readonly UserRecord[],
): AgencyDirectory {
  const orgById = new Map(organisations.map((org) => [org.id, org]));
  const userById = new Map(users.map((user) => [user.id, user]));
  const agencies = organisations
    .filter((org) => org.kind === 'agency' && org.active)
    // Deepest region first: a county agency before the city agency above it.
    .sort(
      (a, b) =>
        regionScopePrefix(b.regionCode).length - regionScopePrefix(a.regionCode).length || a.id - b.id,
    );
  return {
    agencyOf(kase) {
      // The agency that accepted the case keeps it, also while a review group with city staff works it.
      const accepting = kase.originalHandlerId ?? kase.handlerId;
      const handler = accepting === null ? undefined : userById.get(accepting);
      const handlerOrg = handler ? orgById.get(handler.organisationId) : undefined;
      if (handlerOrg?.kind === 'agency') return handlerOrg;
      return agencies.find((org) => isInRegionScope(kase.regionCode, org.regionCode)) ?? null;
    },
    reviewersOf(agencyId) {
      return users.filter(
        (user) => user.active && user.organisationId === agencyId && user.roles.includes('agency_reviewer'),
      );
    },
    user(id) {
      return id === null ? undefined : userById.get(id);
    },
    organisation(id) {
      return orgById.get(id);
    },
  };
}

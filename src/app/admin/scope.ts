import { isInRegionScope } from '../../domain/access/scope.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, OrganisationRecord, Repositories } from '../ports.ts';

/**
 * An organisation outside the actor's region answers as "not found": its existence is itself
 * information a user of another county should not learn.
 */
export async function organisationInScope(
  repos: Repositories,
  actor: Actor,
  organisationId: number,
): Promise<OrganisationRecord> {
  const org = await repos.organisations.get(organisationId);
  if (!org || !isInRegionScope(org.regionCode, actor.regionCode)) {
    throw new AppError('OUT_OF_SCOPE', '机构不存在或不在您的数据范围内', { organisationId });
  }
  return org;
}

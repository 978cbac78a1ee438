import { isInRegionScope } from '../../domain/access/scope.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { isAgencyActor } from '../cases/case-access.ts';
import type { Actor, Repositories } from '../ports.ts';
import type { RosterVersionRow } from './roster-repository.ts';

/**
 * Who may see a roster: requester staff their own organisation's, and agency users (staff, reviewers) those
 * of requesters in their region scope. Only requester staff import. A roster out of scope is told not to
 * exist (404), like any object out of scope.
 */

export function requesterOf(actor: Actor): { organisationId: number; regionCode: string } {
  if (!actor.roles.includes('requester_staff') || actor.organisationId === null || actor.regionCode === null)
    throw new AppError('PERMISSION_DENIED', '只有委托单位经办人可以导入救助对象名册');
  return { organisationId: actor.organisationId, regionCode: actor.regionCode };
}

export function canReadRoster(
  actor: Actor,
  version: Pick<RosterVersionRow, 'requesterOrganisationId'> & { requesterRegionCode: string },
): boolean {
  if (actor.roles.includes('requester_staff') && actor.organisationId === version.requesterOrganisationId)
    return true;
  return isAgencyActor(actor) && isInRegionScope(version.requesterRegionCode, actor.regionCode);
}

export async function rosterVersionForActor(repos: Repositories, id: number, actor: Actor) {
  const version = await repos.rosters.getVersion(id);
  if (!version || !canReadRoster(actor, version))
    throw new AppError('OUT_OF_SCOPE', '名册不存在或不在您的数据范围内', { versionId: id });
  return version;
}

/** The townships (乡镇/街道) a requester's region covers: itself when it is one, else those below it. */
export async function townshipsOf(repos: Repositories, regionCode: string): Promise<Set<string>> {
  const found = new Set<string>();
  const region = await repos.regions.get(regionCode);
  if (!region) return found;
  if (region.level === 'township') return new Set([region.code]);
  let level = [region.code];
  // Province → city → county → township: at most three steps down.
  for (let depth = 0; depth < 3 && level.length > 0; depth += 1) {
    const next: string[] = [];
    for (const code of level) {
      for (const child of await repos.regions.children(code)) {
        if (child.level === 'township') found.add(child.code);
        else next.push(child.code);
      }
    }
    level = next;
  }
  return found;
}

import type { Actor, Repositories } from '../ports.ts';

/** Matches no department: a department officer whose organisation has no department code sees nothing. */
export const NO_DEPARTMENT = '';

/**
 * The department whose data an actor may see: a department officer their own, everyone else (the routes
 * admit only agency staff besides) every department, written null.
 */
export async function departmentScopeOf(
  repos: Pick<Repositories, 'organisations'>,
  actor: Actor,
): Promise<string | null> {
  if (!actor.roles.includes('department_officer')) return null;
  const org = actor.organisationId === null ? undefined : await repos.organisations.get(actor.organisationId);
  return org?.departmentCode ?? NO_DEPARTMENT;
}

import type { OrganisationRecord, Repositories, UserRecord } from '../app/ports.ts';

/** Region names for display, looked up once per distinct code. */
export async function regionNames(
  repos: Repositories,
  codes: Iterable<string>,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const code of new Set(codes)) names.set(code, (await repos.regions.get(code))?.name ?? code);
  return names;
}

export async function presentOrganisations(
  repos: Repositories,
  orgs: (OrganisationRecord & { userCount?: number })[],
) {
  const names = await regionNames(
    repos,
    orgs.map((o) => o.regionCode),
  );
  return orgs.map((o) => ({
    id: o.id,
    name: o.name,
    kind: o.kind,
    regionCode: o.regionCode,
    regionName: names.get(o.regionCode) ?? o.regionCode,
    parentId: o.parentId,
    departmentCode: o.departmentCode,
    active: o.active,
    userCount: o.userCount ?? 0,
  }));
}

export async function presentUsers(repos: Repositories, users: UserRecord[], now: string) {
  const orgNames = new Map<number, string>();
  for (const id of new Set(users.map((u) => u.organisationId)))
    orgNames.set(id, (await repos.organisations.get(id))?.name ?? String(id));
  const enrolled = await repos.accountSecurity.enrolledUserIds(users.map((u) => u.id));
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    organisationId: u.organisationId,
    organisationName: orgNames.get(u.organisationId) ?? '',
    roles: u.roles,
    active: u.active,
    locked: u.lockedUntil !== null && u.lockedUntil > now,
    lockedUntil: u.lockedUntil !== null && u.lockedUntil > now ? u.lockedUntil : null,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
    secondFactor: enrolled.has(u.id),
  }));
}

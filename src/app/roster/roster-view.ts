import { maskIdNumber } from '../../domain/identity/id-number.ts';
import { ASSISTANCE_TYPE_LABELS, isAssistanceType } from '../../domain/policy/assistance-types.ts';
import { diffRosters, type RosterDiff, type RosterMember } from '../../domain/roster/roster.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { isAgencyActor } from '../cases/case-access.ts';
import { maskName } from '../cases/case-view.ts';
import type { Actor, Deps } from '../ports.ts';
import { rosterVersionForActor } from './roster-access.ts';
import type { RosterFamilyRow, RosterVersionRow } from './roster-repository.ts';

/**
 * Reading rosters: the versions (no personal data), one version's families with members masked and which
 * families lack an authorization on file, and the change from the previous month. Every reading of families
 * is audited.
 */

export function presentVersion(v: RosterVersionRow & { requesterName?: string }) {
  return {
    id: v.id,
    requesterOrganisationId: v.requesterOrganisationId,
    requesterName: v.requesterName ?? null,
    month: v.month,
    source: v.source,
    fileName: v.fileName,
    sm3: v.sm3,
    familyCount: v.familyCount,
    memberCount: v.memberCount,
    authorizationMissingCount: v.authorizationMissingCount,
    createdAt: v.createdAt,
    createdByName: v.createdByName,
    superseded: v.superseded,
    supersededAt: v.supersededAt,
    supersededBy: v.supersededBy,
  };
}

export async function listRosterVersions(
  deps: Deps,
  filter: {
    month?: string;
    requesterOrganisationId?: number;
    includeSuperseded: boolean;
    offset: number;
    limit: number;
  },
  actor: Actor,
) {
  const own = actor.roles.includes('requester_staff');
  if (!own && !isAgencyActor(actor)) throw new AppError('PERMISSION_DENIED', '您无权查看救助对象名册');
  const page = await deps.store.rosters.listVersions({
    ...filter,
    // Requester staff see their own organisation only, whatever they ask for.
    ...(own ? { requesterOrganisationId: actor.organisationId ?? -1 } : {}),
    regionScope: own ? null : actor.regionCode,
  });
  return { items: page.items.map(presentVersion), total: page.total };
}

function presentFamily(deps: Deps, f: RosterFamilyRow) {
  const members = JSON.parse(deps.crypto.decrypt(f.membersEnc)) as RosterMember[];
  return {
    id: f.id,
    familyKey: f.familyKey,
    regionCode: f.regionCode,
    assistanceType: f.assistanceType,
    assistanceTypeLabel: isAssistanceType(f.assistanceType)
      ? ASSISTANCE_TYPE_LABELS[f.assistanceType]
      : f.assistanceType,
    startDate: f.startDate,
    monthlyAmountFen: f.monthlyAmountFen,
    memberCount: f.memberCount,
    members: members.map((m) => ({
      name: maskName(m.name),
      idNumberMasked: maskIdNumber(m.idNumber),
      relation: m.relation,
    })),
    authorizationOnFile: f.authorizationOnFile,
    authorizationCaseId: f.authorizationCaseId,
  };
}

export async function getRosterVersion(
  deps: Deps,
  id: number,
  page: { offset: number; limit: number; missingOnly: boolean },
  actor: Actor,
) {
  const version = await rosterVersionForActor(deps.store, id, actor);
  const rows = await deps.store.rosters.families(id, page.offset, page.limit, page.missingOnly);
  const families = rows.map((f) => presentFamily(deps, f));
  await deps.store.audit.append(
    actor,
    {
      action: 'ROSTER_VIEWED',
      outcome: 'success',
      objectType: 'roster',
      objectId: String(id),
      details: { month: version.month, offset: page.offset, families: families.length },
    },
    deps.clock.now().toISOString(),
  );
  return {
    version: presentVersion(version),
    families,
    familyTotal: page.missingOnly ? version.authorizationMissingCount : version.familyCount,
  };
}

const PAGE = 1000;

async function allFamilies(deps: Deps, versionId: number): Promise<RosterFamilyRow[]> {
  const out: RosterFamilyRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const rows = await deps.store.rosters.families(versionId, offset, PAGE, false);
    out.push(...rows);
    if (rows.length < PAGE) return out;
  }
}

/** The version against the requester's standing version of the latest earlier month. */
export async function diffRosterVersion(
  deps: Deps,
  id: number,
  actor: Actor,
): Promise<{
  version: ReturnType<typeof presentVersion>;
  previous: ReturnType<typeof presentVersion> | null;
  diff: RosterDiff;
}> {
  const version = await rosterVersionForActor(deps.store, id, actor);
  const previous = await deps.store.rosters.previousVersion(version.requesterOrganisationId, version.month);
  const current = await allFamilies(deps, id);
  const before = previous ? await allFamilies(deps, previous.id) : [];
  // Only what the diff shows leaves this function: no ciphertext, no members.
  const shown = (f: RosterFamilyRow) => ({
    familyKey: f.familyKey,
    regionCode: f.regionCode,
    assistanceType: f.assistanceType,
    monthlyAmountFen: f.monthlyAmountFen,
    memberCount: f.memberCount,
  });
  const diff = diffRosters(before.map(shown), current.map(shown));
  await deps.store.audit.append(
    actor,
    {
      action: 'ROSTER_DIFF_VIEWED',
      outcome: 'success',
      objectType: 'roster',
      objectId: String(id),
      details: {
        month: version.month,
        previousVersionId: previous?.id ?? null,
        added: diff.added.length,
        removed: diff.removed.length,
        amountChanged: diff.amountChanged.length,
      },
    },
    deps.clock.now().toISOString(),
  );
  return { version: presentVersion(version), previous: previous ? presentVersion(previous) : null, diff };
}

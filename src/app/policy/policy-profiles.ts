import { isInRegionScope } from '../../domain/access/scope.ts';
import type { Policy } from '../../domain/assessment/types.ts';
import type { AssistanceType } from '../../domain/policy/assistance-types.ts';
import {
  isIsoDate,
  type PolicyProfile,
  type PolicyVersion,
  policyOf,
  resolveVersion,
  validatePolicySettings,
} from '../../domain/policy/profile.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, RegionRecord, Repositories } from '../ports.ts';

/**
 * Policy profiles (SPEC §4): agency staff and reviewers read those of their region; reviewers create
 * profiles and publish versions (four-eyes spirit). A profile outside the caller's region answers as
 * not found, like an organisation does.
 */

export interface PolicyProfileDetail extends PolicyProfile {
  versions: PolicyVersion[];
}

export interface ResolvedPolicy {
  /** `profile` when a published version applies, `default` for the built-in policy. */
  source: 'profile' | 'default';
  /** The region whose profile applies (the asked region or the nearest one above it), or null. */
  regionCode: string | null;
  profileId: number | null;
  version: PolicyVersion | null;
  /** The engine's policy; `policy.version` is the label stamped on every result. */
  policy: Policy;
}

async function profileInScope(repos: Repositories, actor: Actor, id: number): Promise<PolicyProfile> {
  const profile = await repos.policyProfiles.get(id);
  if (!profile || !isInRegionScope(profile.regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '政策配置不存在或不在您的数据范围内', { profileId: id });
  return profile;
}

async function regionInScope(repos: Repositories, actor: Actor, regionCode: string): Promise<RegionRecord> {
  if (!isInRegionScope(regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '该区划不在您的数据范围内', { regionCode });
  const region = await repos.regions.get(regionCode);
  if (!region) throw new AppError('INVALID_REGION', `区划代码 ${regionCode} 不存在`, { regionCode });
  return region;
}

export async function listPolicyProfiles(deps: Deps, actor: Actor) {
  return deps.store.policyProfiles.list(actor.regionCode);
}

export async function getPolicyProfile(deps: Deps, id: number, actor: Actor): Promise<PolicyProfileDetail> {
  const profile = await profileInScope(deps.store, actor, id);
  return { ...profile, versions: await deps.store.policyProfiles.versions(id) };
}

export async function createPolicyProfile(
  deps: Deps,
  input: { regionCode: string; assistanceType: AssistanceType },
  actor: Actor,
): Promise<PolicyProfileDetail> {
  await regionInScope(deps.store, actor, input.regionCode);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    if (await tx.policyProfiles.find(input.regionCode, input.assistanceType))
      throw new AppError('CONFLICT', '该区划已有此救助类型的政策配置', input);
    const profile = await tx.policyProfiles.create({
      regionCode: input.regionCode,
      assistanceType: input.assistanceType,
      createdAt: at,
      createdBy: actor.userId,
    });
    await tx.audit.append(
      actor,
      {
        action: 'POLICY_PROFILE_CREATED',
        outcome: 'success',
        objectType: 'policy_profile',
        objectId: String(profile.id),
        details: { regionCode: profile.regionCode, assistanceType: profile.assistanceType },
      },
      at,
    );
    return { ...profile, versions: [] };
  });
}

/**
 * A setting left out of a new version keeps the value of the previous version (the defaults apply only to the
 * first version), so that publishing a change to one tolerance never silently resets another.
 */
function withPreviousSettings(input: unknown, previous: PolicyVersion | undefined): unknown {
  if (previous === undefined || input === null || typeof input !== 'object' || Array.isArray(input))
    return input;
  const given = input as Record<string, unknown>;
  const tolerances = given.tolerances;
  return {
    windowMonths: previous.windowMonths,
    exemptSubsidyItems: previous.exemptSubsidyItems,
    seriousMultiple: previous.seriousMultiple,
    ...given,
    tolerances:
      tolerances === undefined
        ? previous.toleranceFen
        : tolerances !== null && typeof tolerances === 'object' && !Array.isArray(tolerances)
          ? { ...previous.toleranceFen, ...tolerances }
          : tolerances,
  };
}

/** Publishing is the only way to change a profile: the new version gets the next number. */
export async function publishPolicyVersion(
  deps: Deps,
  id: number,
  input: unknown,
  actor: Actor,
): Promise<PolicyVersion> {
  const profile = await profileInScope(deps.store, actor, id);
  const checked = validatePolicySettings(
    withPreviousSettings(input, (await deps.store.policyProfiles.versions(id)).at(-1)),
  );
  if (!checked.ok)
    throw new AppError('VALIDATION_FAILED', '政策配置有误，请按提示修改', { errors: checked.errors });
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const version = await tx.policyProfiles.publish(
      profile,
      checked.value,
      { userId: actor.userId, name: actor.name },
      at,
    );
    await tx.audit.append(
      actor,
      {
        action: 'POLICY_VERSION_PUBLISHED',
        outcome: 'success',
        objectType: 'policy_profile',
        objectId: String(profile.id),
        details: {
          label: version.label,
          version: version.version,
          regionCode: profile.regionCode,
          assistanceType: profile.assistanceType,
          windowMonths: version.windowMonths,
          exemptSubsidyItems: version.exemptSubsidyItems,
          toleranceFen: version.toleranceFen,
          seriousMultiple: version.seriousMultiple,
          effectiveFrom: version.effectiveFrom,
        },
      },
      at,
    );
    return version;
  });
}

/**
 * The policy that applies to a region, assistance type and date: the newest published version effective
 * on the date of the nearest region up the tree (township → county → city → province), else the default.
 */
export async function resolvePolicy(
  repos: Repositories,
  regionCode: string,
  assistanceType: AssistanceType,
  asOfDate: string,
): Promise<ResolvedPolicy> {
  if (!isIsoDate(asOfDate)) throw new AppError('INVALID_DATE', `日期 ${asOfDate} 无效`, { date: asOfDate });
  const chain: string[] = [];
  let code: string | null = regionCode;
  while (code !== null && !chain.includes(code)) {
    const region: RegionRecord | undefined = await repos.regions.get(code);
    if (!region) break;
    chain.push(region.code);
    code = region.parentCode;
  }
  if (chain.length === 0)
    throw new AppError('INVALID_REGION', `区划代码 ${regionCode} 不存在`, { regionCode });
  const versions = await repos.policyProfiles.versionsFor(chain, assistanceType);
  const found = resolveVersion(
    chain.map((c) => ({ regionCode: c, versions: versions.filter((v) => v.regionCode === c) })),
    asOfDate,
  );
  if (!found)
    return { source: 'default', regionCode: null, profileId: null, version: null, policy: policyOf(null) };
  return {
    source: 'profile',
    regionCode: found.regionCode,
    profileId: found.version.profileId,
    version: withoutRegion(found.version),
    policy: policyOf(found.version),
  };
}

function withoutRegion(v: PolicyVersion & { regionCode: string }): PolicyVersion {
  const { regionCode: _region, ...version } = v;
  return version;
}

/** The resolution as an agency user asks for it: the region must be in their scope. */
export async function resolvePolicyFor(
  deps: Deps,
  input: { regionCode: string; assistanceType: AssistanceType; date: string },
  actor: Actor,
): Promise<ResolvedPolicy> {
  if (!isInRegionScope(input.regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '该区划不在您的数据范围内', { regionCode: input.regionCode });
  return resolvePolicy(deps.store, input.regionCode, input.assistanceType, input.date);
}

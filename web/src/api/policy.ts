import type { ToleranceCategory } from '../../../src/domain/assessment/types.ts';
import type { AssistanceType } from '../../../src/domain/policy/assistance-types.ts';
import { request } from './client';
import type { Items } from './types';

// The server's own lists, so a new assistance type or tolerance category reaches the screen unchanged.
export { TOLERANCE_CATEGORIES, type ToleranceCategory } from '../../../src/domain/assessment/types.ts';
export { ASSISTANCE_TYPES, type AssistanceType } from '../../../src/domain/policy/assistance-types.ts';
export { POLICY_LIMITS } from '../../../src/domain/policy/profile.ts';

/** One published version of a policy profile; it never changes once published. */
export interface PolicyVersion {
  /** 1, 2, … within the profile. */
  version: number;
  /** `621002-subsistence_allowance-v3`: what results are stamped with. */
  label: string;
  windowMonths: number;
  exemptSubsidyItems: string[];
  /** Per category, in fen (1 元 = 100 分). */
  tolerances: Record<ToleranceCategory, number>;
  seriousMultiple: number;
  notes: string;
  /** YYYY-MM-DD */
  effectiveFrom: string;
  publishedAt: string;
  publishedBy: number | null;
  publishedByName: string | null;
}

export interface PolicyProfileSummary {
  id: number;
  regionCode: string;
  assistanceType: AssistanceType;
  /** The server's Chinese name of the assistance type. */
  assistanceTypeName: string;
  createdAt: string;
}

export interface PolicyProfileListItem extends PolicyProfileSummary {
  latest: PolicyVersion | null;
}

export interface PolicyProfileDetail extends PolicyProfileSummary {
  /** Oldest first. */
  versions: PolicyVersion[];
}

export interface CreatePolicyProfileInput {
  regionCode: string;
  assistanceType: AssistanceType;
}

export interface PublishPolicyVersionInput {
  windowMonths: number;
  exemptSubsidyItems: string[];
  /** Per category, in fen. */
  tolerances: Record<ToleranceCategory, number>;
  seriousMultiple: number;
  notes: string;
  /** YYYY-MM-DD */
  effectiveFrom: string;
}

export interface ResolvePolicyQuery {
  regionCode: string;
  assistanceType: AssistanceType;
  /** YYYY-MM-DD */
  date: string;
}

/** The settings the verification engine applies; `version` is the label stamped on every result. */
export interface EnginePolicy {
  version: string;
  windowMonths: number;
  exemptSubsidyItems: string[];
  toleranceFen: Record<ToleranceCategory, number>;
  seriousMultiple: number;
}

export interface ResolvedPolicy {
  /** `profile` when a published version applies, `default` for the built-in policy. */
  source: 'profile' | 'default';
  /** The region whose profile applies (the asked one or the nearest above it), or null. */
  regionCode: string | null;
  profileId: number | null;
  version: PolicyVersion | null;
  policy: EnginePolicy;
}

/** Profiles in the caller's region scope, each with its newest version. */
export async function listPolicyProfiles(): Promise<PolicyProfileListItem[]> {
  const { items } = await request<Items<PolicyProfileListItem>>('/api/policy-profiles');
  return items;
}

export async function getPolicyProfile(id: number): Promise<PolicyProfileDetail> {
  const { profile } = await request<{ profile: PolicyProfileDetail }>(`/api/policy-profiles/${id}`);
  return profile;
}

/** Reviewers only; CONFLICT when the region already has a profile for the assistance type. */
export async function createPolicyProfile(input: CreatePolicyProfileInput): Promise<PolicyProfileDetail> {
  const { profile } = await request<{ profile: PolicyProfileDetail }>('/api/policy-profiles', {
    method: 'POST',
    body: input,
  });
  return profile;
}

/** Reviewers only; VALIDATION_FAILED lists every problem in `details.errors`. */
export async function publishPolicyVersion(
  profileId: number,
  input: PublishPolicyVersionInput,
): Promise<PolicyVersion> {
  const { version } = await request<{ version: PolicyVersion }>(
    `/api/policy-profiles/${profileId}/versions`,
    {
      method: 'POST',
      body: input,
    },
  );
  return version;
}

/** The version that applies to a region, assistance type and date (nearest region up the tree, else default). */
export function resolvePolicy(query: ResolvePolicyQuery): Promise<ResolvedPolicy> {
  return request<ResolvedPolicy>('/api/policy-profiles/resolve', { query: { ...query } });
}

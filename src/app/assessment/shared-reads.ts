import type { AssistanceType } from '../../domain/policy/assistance-types.ts';
import { type ResolvedPolicy, resolvePolicy } from '../policy/policy-profiles.ts';
import type { Deps, RegionRecord, Repositories } from '../ports.ts';
import type { PrefetchedRecords } from './gather-records.ts';

/**
 * What the monthly recheck reads once for a page of families instead of once per family (issue #7): regions and
 * policy resolutions (the same few for every family), and the page's records (gather-records.ts
 * `prefetchRecords`). A page's families are assessed on the batches and policy versions read at the page's start.
 */
export interface SharedReads {
  region(code: string): Promise<RegionRecord | undefined>;
  policy(regionCode: string, assistanceType: AssistanceType, asOfDate: string): Promise<ResolvedPolicy>;
  prefetched: PrefetchedRecords;
}

/** Region and policy lookups memoised for the life of the returned object (one page of a recheck run). */
export function memoisedPolicyReads(deps: Deps): Omit<SharedReads, 'prefetched'> {
  const regions = new Map<string, Promise<RegionRecord | undefined>>();
  const policies = new Map<string, Promise<ResolvedPolicy>>();
  // resolvePolicy reads nothing but `regions.get` and `policyProfiles.versionsFor`.
  const repos = {
    regions: { get: (code: string) => region(code) },
    policyProfiles: deps.store.policyProfiles,
  } as unknown as Repositories;
  function region(code: string) {
    let found = regions.get(code);
    if (found === undefined) {
      found = deps.store.regions.get(code);
      regions.set(code, found);
    }
    return found;
  }
  return {
    region,
    policy(regionCode, assistanceType, asOfDate) {
      const key = `${regionCode}\u0000${assistanceType}\u0000${asOfDate}`;
      let resolved = policies.get(key);
      if (resolved === undefined) {
        resolved = resolvePolicy(repos, regionCode, assistanceType, asOfDate);
        policies.set(key, resolved);
      }
      return resolved;
    },
  };
}

import { CASE_STATES, type CaseState } from '../../domain/cases/workflow.ts';
import { ROSTER_HEADERS, type RosterFamily, type RosterProblem } from '../../domain/roster/roster.ts';
import { decryptHousehold } from '../cases/case-view.ts';
import type { Deps } from '../ports.ts';

/**
 * A roster family's authorization is on file when the requester has an accepted case whose members include
 * every member of the family (matched by the blind index of the ID number): that case holds one signed
 * authorization per member (一事一授权 is about the case; the family's papers stay with its last case).
 */

/** States a case reaches only after acceptance, i.e. with every member's authorization filed. */
export const ACCEPTED_CASE_STATES: readonly CaseState[] = CASE_STATES.filter(
  (state) => state !== 'submitted' && state !== 'returned',
);

const PAGE = 500;

/** Person key → the requester's accepted cases listing that person, newest case first. */
export type AuthorizationIndex = Map<string, number[]>;

export async function authorizationIndex(deps: Deps, organisationId: number): Promise<AuthorizationIndex> {
  const index: AuthorizationIndex = new Map();
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await deps.store.cases.list({
      regionScope: null,
      requesterOrganisationId: organisationId,
      states: [...ACCEPTED_CASE_STATES],
      offset,
      limit: PAGE,
    });
    for (const kase of items) {
      for (const member of decryptHousehold(deps, kase).members) {
        const key = deps.crypto.blindIndex(member.idNumber);
        const cases = index.get(key);
        if (cases) cases.push(kase.id);
        else index.set(key, [kase.id]);
      }
    }
    if (items.length < PAGE) break;
  }
  return index;
}

/** The newest case listing every one of these persons, or null. */
export function coveringCase(index: AuthorizationIndex, personKeys: readonly string[]): number | null {
  const [first, ...rest] = personKeys;
  if (first === undefined) return null;
  const candidates = index.get(first) ?? [];
  const others = rest.map((key) => new Set(index.get(key) ?? []));
  const covering = candidates.filter((id) => others.every((set) => set.has(id)));
  return covering.length === 0 ? null : Math.max(...covering);
}

export async function authorizationOf(
  deps: Deps,
  index: AuthorizationIndex,
  family: RosterFamily,
  personKeys: readonly string[],
  organisationId: number,
): Promise<{ caseId: number | null; onFile: boolean; problem?: RosterProblem }> {
  if (family.authorizationSm3 !== null) {
    // A named authorization must be one filed with an accepted case of this requester.
    const caseId = await deps.store.cases.authorizationCase(family.authorizationSm3);
    const kase = caseId === undefined ? undefined : await deps.store.cases.get(caseId);
    if (
      !kase ||
      kase.requesterOrganisationId !== organisationId ||
      !ACCEPTED_CASE_STATES.includes(kase.state as CaseState)
    )
      return {
        caseId: null,
        onFile: false,
        problem: {
          row: family.row,
          column: ROSTER_HEADERS.authorizationSm3,
          code: 'UNKNOWN_AUTHORIZATION',
          message: `家庭「${family.familyKey}」填写的授权书指纹不属于本单位已受理的任何案件`,
        },
      };
    const listed = new Set(
      decryptHousehold(deps, kase).members.map((m) => deps.crypto.blindIndex(m.idNumber)),
    );
    return { caseId: kase.id, onFile: personKeys.every((key) => listed.has(key)) };
  }
  const caseId = coveringCase(index, personKeys);
  return { caseId, onFile: caseId !== null };
}

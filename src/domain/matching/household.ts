import { linkById, type NameMismatchFlag } from './by-id.ts';
import { prepareName } from './names.ts';
import { matchWithoutId, type Sex } from './score.ts';

/**
 * Finding a household's records (SPEC §3): records carrying a member's ID number are that member's, whatever
 * their name (flagged NAME_MISMATCH when it differs); records without an ID number are scored on name and birth
 * date against every person born that day whom the sources know (the household's members and the namesakes the
 * hukou register lists), so that a namesake outside the family keeps a record from being linked automatically.
 * Decisions a person took on a possible match (confirm or reject) override the scoring for that case.
 */

export interface HouseholdPerson {
  /** Blind index of the 18-digit ID number. */
  personKey: string;
  name: string;
  birthDate: string;
  sex: Sex | null;
  regionCode: string | null;
}

export interface MemberPerson extends HouseholdPerson {
  memberId: string;
}

export interface RecordWithId {
  recordId: number;
  personKey: string;
  /** Decrypted name; null when the record has none. */
  name: string | null;
}

export interface RecordWithoutId {
  recordId: number;
  name: string;
  birthDate: string;
}

export interface PriorDecision {
  recordId: number;
  personKey: string;
  decision: 'confirmed' | 'rejected';
}

export type LinkBasis =
  /** Same ID number. */
  | 'id'
  /** No ID number; the same name and birth date, and nobody else born that day has that name. */
  | 'name_and_birth_date'
  /** A possible match a person confirmed. */
  | 'confirmed';

export interface RecordLink {
  recordId: number;
  memberId: string;
  basis: LinkBasis;
  flag: NameMismatchFlag | null;
}

export interface PossibleMatch {
  recordId: number;
  memberId: string;
  score: number;
  /** Chinese, for the person deciding. */
  reasons: string[];
  /** `pending` until a person decides; a rejected match stays listed, an accepted one becomes a link. */
  status: 'pending' | 'rejected';
}

export interface HouseholdMatching {
  links: RecordLink[];
  possible: PossibleMatch[];
}

function decisionKey(recordId: number, personKey: string): string {
  return `${recordId}|${personKey}`;
}

/**
 * Links records to members. `namesakes` are other persons born on the members' birth dates (from hukou); the
 * members themselves may appear among them and are ignored there.
 */
export function matchHouseholdRecords(input: {
  members: readonly MemberPerson[];
  withId: readonly RecordWithId[];
  withoutId: readonly RecordWithoutId[];
  namesakes: readonly HouseholdPerson[];
  decisions: readonly PriorDecision[];
}): HouseholdMatching {
  const byKey = new Map(input.members.map((member) => [member.personKey, member]));
  const decisions = new Map(
    input.decisions.map((decision) => [
      decisionKey(decision.recordId, decision.personKey),
      decision.decision,
    ]),
  );
  const links: RecordLink[] = [];
  for (const record of input.withId) {
    const member = byKey.get(record.personKey);
    if (member === undefined) continue;
    const { flag } = linkById(record.name, member.name);
    links.push({ recordId: record.recordId, memberId: member.memberId, basis: 'id', flag });
  }

  const memberKeys = new Set(byKey.keys());
  const others = new Map<string, HouseholdPerson>();
  for (const person of input.namesakes)
    if (!memberKeys.has(person.personKey)) others.set(person.personKey, person);
  const prepared = input.members.map((member) => ({ ...member, name: prepareName(member.name) }));
  const preparedOthers = [...others.values()].map((person) => ({
    ...person,
    name: prepareName(person.name),
  }));

  const possible: PossibleMatch[] = [];
  for (const record of input.withoutId) {
    const candidates = [
      ...prepared.filter((member) => member.birthDate === record.birthDate),
      ...preparedOthers.filter((person) => person.birthDate === record.birthDate),
    ];
    if (candidates.length === 0) continue;
    const result = matchWithoutId({ name: record.name, birthDate: record.birthDate }, candidates);
    const proposals = [
      ...(result.link !== null ? [{ ...result.link, linked: true }] : []),
      ...result.possible.map((candidate) => ({ ...candidate, linked: false })),
    ];
    for (const proposal of proposals) {
      const member = byKey.get(proposal.person.personKey);
      if (member === undefined) continue;
      const decided = decisions.get(decisionKey(record.recordId, member.personKey));
      if (decided === 'confirmed') {
        links.push({ recordId: record.recordId, memberId: member.memberId, basis: 'confirmed', flag: null });
      } else if (decided === 'rejected') {
        possible.push({
          recordId: record.recordId,
          memberId: member.memberId,
          score: proposal.score,
          reasons: proposal.reasons,
          status: 'rejected',
        });
      } else if (proposal.linked) {
        links.push({
          recordId: record.recordId,
          memberId: member.memberId,
          basis: 'name_and_birth_date',
          flag: null,
        });
      } else {
        possible.push({
          recordId: record.recordId,
          memberId: member.memberId,
          score: proposal.score,
          reasons: proposal.reasons,
          status: 'pending',
        });
      }
    }
  }
  return { links, possible };
}

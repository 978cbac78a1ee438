import { type BirthDateComparison, compareBirthDates } from './birth-date.ts';
import {
  compareNames,
  type NameComparison,
  type NameMatchKind,
  type PreparedName,
  prepareName,
} from './names.ts';

/**
 * Matching a record that carries no ID number to a person (无身份证号记录的比对). The decision comes from
 * name and birth date alone; sex and region only order candidates and can lower a decision, never raise it.
 *
 * | name               | birth date                         | decision   |
 * |--------------------|------------------------------------|------------|
 * | exact or variant   | same                               | `link`     |
 * | homophone          | same                               | `possible` |
 * | exact or variant   | one typo (digit, swap, day/month)  | `possible` |
 * | anything else      |                                    | `none`     |
 *
 * A homophone alone never links, and neither does ambiguity: when several persons would be linked
 * (namesakes: same normalised name and birth date), `matchWithoutId` lists them all as possible.
 */

export type Sex = 'M' | 'F';
export type MatchDecision = 'link' | 'possible' | 'none';

export type RecordForMatching = {
  name: string | PreparedName;
  birthDate: string | null;
  sex?: Sex | null;
  /** GB/T 2260 six-digit code. */
  regionCode?: string | null;
};

export type PersonForMatching = {
  name: string | PreparedName;
  birthDate: string | null;
  sex?: Sex | null;
  regionCode?: string | null;
};

export type CandidateScore = {
  /** 0–100, for ordering candidates; the decision does not depend on it. */
  score: number;
  decision: MatchDecision;
  /** Chinese, shown to the person confirming a possible match. */
  reasons: string[];
};

export type ScoredCandidate<P> = { person: P } & CandidateScore;

export type MatchWithoutIdResult<P> = {
  linked: P | null;
  /** The linked person's score and reasons; null when nothing was linked. */
  link: ScoredCandidate<P> | null;
  /** Candidates for a person to confirm or reject, best first. */
  possible: ScoredCandidate<P>[];
};

const NAME_POINTS: Record<NameMatchKind, number> = {
  exact: 55,
  variant: 53,
  homophone: 30,
  partial: 12,
  different: 0,
};

const BIRTH_POINTS: Record<BirthDateComparison['kind'], number> = {
  same: 35,
  typo: 15,
  missing: 0,
  different: 0,
};

function baseDecision(name: NameComparison, birth: BirthDateComparison): MatchDecision {
  const sameName = name.kind === 'exact' || name.kind === 'variant';
  if (sameName && birth.kind === 'same') return 'link';
  if (name.kind === 'homophone' && birth.kind === 'same') return 'possible';
  if (sameName && birth.kind === 'typo') return 'possible';
  return 'none';
}

function lowered(decision: MatchDecision): MatchDecision {
  return decision === 'link' ? 'possible' : 'none';
}

type RegionRelation = { points: number; reason: string } | null;

function regionRelation(
  record: string | null | undefined,
  person: string | null | undefined,
): RegionRelation {
  if (!record || !person || !/^\d{6}$/.test(record) || !/^\d{6}$/.test(person)) return null;
  if (record === person) return { points: 5, reason: `地区一致（${record}）` };
  if (record.slice(0, 4) === person.slice(0, 4)) return { points: 3, reason: '地区同属一个市' };
  if (record.slice(0, 2) === person.slice(0, 2)) return { points: 1, reason: '地区同属一个省' };
  return { points: 0, reason: `地区不同：记录为${record}，人员为${person}（人员可能迁居，仅作参考）` };
}

type DetailedScore = CandidateScore & { base: MatchDecision };

function scoreDetailed(record: RecordForMatching, person: PersonForMatching): DetailedScore {
  const name = compareNames(record.name, person.name);
  const birth = compareBirthDates(record.birthDate, person.birthDate);
  const base = baseDecision(name, birth);
  let decision = base;
  let score = NAME_POINTS[name.kind] + BIRTH_POINTS[birth.kind];
  const reasons = [name.detail, birth.detail];

  if (record.sex && person.sex) {
    if (record.sex === person.sex) {
      score += 5;
      reasons.push('性别一致');
    } else {
      score -= 20;
      if (decision !== 'none') decision = lowered(decision);
      reasons.push('性别不一致，匹配结论降低一级');
    }
  }
  const region = regionRelation(record.regionCode, person.regionCode);
  if (region !== null) {
    score += region.points;
    reasons.push(region.reason);
  }

  if (name.kind === 'homophone' && decision !== 'none')
    reasons.push('仅姓名读音相同，不能自动关联，需人工确认');
  if (decision !== 'none' && birth.kind === 'typo')
    reasons.push('出生日期疑似录入错误，不能自动关联，需人工确认');
  return { score: Math.max(0, Math.min(100, score)), decision, reasons, base };
}

/** Scores one record without an ID number against one person. */
export function scoreCandidate(record: RecordForMatching, person: PersonForMatching): CandidateScore {
  const { score, decision, reasons } = scoreDetailed(record, person);
  return { score, decision, reasons };
}

/**
 * Matches a record without an ID number against candidate persons (found, for example, by birth date or
 * by normalised name). Links only when exactly one person has the same normalised name and birth date;
 * namesakes all become possible. Homophones and birth-date typos are possible, never linked.
 */
export function matchWithoutId<P extends PersonForMatching>(
  record: RecordForMatching,
  candidates: readonly P[],
): MatchWithoutIdResult<P> {
  const prepared: RecordForMatching =
    typeof record.name === 'string' ? { ...record, name: prepareName(record.name) } : record;
  const scored: (ScoredCandidate<P> & { base: MatchDecision })[] = [];
  for (const person of new Set(candidates)) scored.push({ person, ...scoreDetailed(prepared, person) });

  const namesakes = scored.filter((candidate) => candidate.base === 'link');
  let link: ScoredCandidate<P> | null = null;
  if (namesakes.length > 1) {
    for (const candidate of namesakes) {
      candidate.decision = 'possible';
      candidate.reasons.push(
        `有${namesakes.length}位人员姓名和出生日期都相同（同名同生日），不能自动关联，需人工确认`,
      );
    }
  } else {
    const only = namesakes[0];
    if (only !== undefined && only.decision === 'link') {
      link = { person: only.person, score: only.score, decision: only.decision, reasons: only.reasons };
    }
  }

  const possible = scored
    .filter((candidate) => candidate.decision === 'possible')
    .sort((a, b) => b.score - a.score)
    .map(({ person, score, decision, reasons }) => ({ person, score, decision, reasons }));
  return { linked: link?.person ?? null, link, possible };
}

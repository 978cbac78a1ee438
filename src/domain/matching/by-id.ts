import {
  computeCheckChar,
  normalizeIdNumber,
  type ParseIdNumberOptions,
  parseIdNumber,
} from '../identity/id-number.ts';
import { compareNames, type NameMatchKind, type PreparedName } from './names.ts';

/**
 * Matching by ID number (按身份证号比对). Records are linked by the blind index of the normalised 18-digit
 * number; the name only decides whether the link is flagged for a person to look at.
 */

export type NameMismatchFlag = {
  code: 'NAME_MISMATCH';
  recordName: string;
  personName: string;
  nameMatch: 'homophone' | 'partial' | 'different';
  /** Chinese. */
  detail: string;
};

export type IdLink = {
  linked: true;
  flag: NameMismatchFlag | null;
  /** `missing` when the record carries no usable name (nothing to compare, nothing to flag). */
  nameMatch: NameMatchKind | 'missing';
};

function isBlank(name: string | PreparedName | null | undefined): boolean {
  if (name === null || name === undefined) return true;
  const text = typeof name === 'string' ? name : name.raw;
  return text.replace(/[\s\p{Cc}\p{Cf}]/gu, '') === '';
}

function rawOf(name: string | PreparedName): string {
  return typeof name === 'string' ? name : name.raw;
}

/**
 * The number whose blind index a record is matched by: the 18-digit form after undoing spreadsheet damage,
 * with legacy 15-digit numbers converted. Null when the number is not valid.
 */
export function matchingIdNumber(input: string, options: ParseIdNumberOptions = {}): string | null {
  const result = parseIdNumber(input, options);
  return result.ok ? result.id18 : null;
}

/**
 * A record whose ID number matches a person is linked whatever its name. Exact and variant names
 * (traditional/simplified, spaces, full width, middle dots) are not flagged; homophones, partial and
 * different names are flagged NAME_MISMATCH with both names. A record without a name is not flagged.
 */
export function linkById(
  recordName: string | PreparedName | null | undefined,
  personName: string | PreparedName,
): IdLink {
  if (recordName === null || recordName === undefined || isBlank(recordName)) {
    return { linked: true, flag: null, nameMatch: 'missing' };
  }
  const comparison = compareNames(recordName, personName);
  if (comparison.kind === 'exact' || comparison.kind === 'variant') {
    return { linked: true, flag: null, nameMatch: comparison.kind };
  }
  return {
    linked: true,
    flag: {
      code: 'NAME_MISMATCH',
      recordName: rawOf(recordName),
      personName: rawOf(personName),
      nameMatch: comparison.kind,
      detail: `身份证号码一致但姓名不一致：${comparison.detail}`,
    },
    nameMatch: comparison.kind,
  };
}

// ---------------------------------------------------------------- numbers with a typing slip

/**
 * Valid 18-digit numbers one typing slip away from an invalid one: one character replaced or two
 * adjacent characters swapped. The MOD 11-2 check character catches every single replacement, so a number
 * with a wrong check character usually has about a dozen such neighbours; looking their blind indexes up
 * finds the person the clerk meant. Empty for input that is not 18 characters of digits and X.
 */
export function nearbyIdNumbers(input: string, options: ParseIdNumberOptions = {}): string[] {
  const id = normalizeIdNumber(input);
  if (!/^\d{17}[\dX]$/.test(id)) return [];
  const candidates = new Set<string>();
  const first17 = id.slice(0, 17);
  const check = id.slice(17);
  for (let position = 0; position < 17; position++) {
    for (let digit = 0; digit <= 9; digit++) {
      const replaced = `${first17.slice(0, position)}${digit}${first17.slice(position + 1)}`;
      if (replaced !== first17 && computeCheckChar(replaced) === check) candidates.add(replaced + check);
    }
  }
  candidates.add(first17 + computeCheckChar(first17));
  for (let position = 0; position < 17; position++) {
    const swapped = `${id.slice(0, position)}${id.charAt(position + 1)}${id.charAt(position)}${id.slice(position + 2)}`;
    candidates.add(swapped);
  }
  candidates.delete(id);
  return [...candidates].filter((candidate) => parseIdNumber(candidate, options).ok).sort();
}

export type NearbyIdCandidate<P> = { person: P; nameMatch: NameMatchKind; detail: string };

export type NearbyIdMatch<P> = {
  linked: P | null;
  /** For a person to confirm or reject. */
  possible: NearbyIdCandidate<P>[];
};

/**
 * Decides between the persons found under `nearbyIdNumbers` of a record's invalid number. A slip in the
 * number plus the same name links only when exactly one such person exists; several of them, or a
 * homophone name, are possible; other names are dropped. Without a name nothing is proposed.
 */
export function matchNearbyId<P extends { name: string | PreparedName }>(
  recordName: string | PreparedName | null | undefined,
  found: readonly P[],
): NearbyIdMatch<P> {
  if (recordName === null || recordName === undefined || isBlank(recordName))
    return { linked: null, possible: [] };
  const same: NearbyIdCandidate<P>[] = [];
  const possible: NearbyIdCandidate<P>[] = [];
  for (const person of new Set(found)) {
    const { kind, detail } = compareNames(recordName, person.name);
    if (kind === 'exact' || kind === 'variant') same.push({ person, nameMatch: kind, detail });
    else if (kind === 'homophone') possible.push({ person, nameMatch: kind, detail });
  }
  const [only] = same;
  if (same.length === 1 && only !== undefined) return { linked: only.person, possible };
  return { linked: null, possible: [...same, ...possible] };
}

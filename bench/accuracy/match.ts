import { join } from 'node:path';
import { parseIdNumber } from '../../src/domain/identity/id-number.ts';
import { normalizeBirthDate } from '../../src/domain/matching/birth-date.ts';
import { linkById, matchNearbyId, nearbyIdNumbers } from '../../src/domain/matching/by-id.ts';
import { normalizeName } from '../../src/domain/matching/names.ts';
import { matchWithoutId } from '../../src/domain/matching/score.ts';
import { openTable } from '../../src/ingest/read-table.ts';
import type { ManifestFile } from '../generate/output.ts';
import { cellText, columnIndex, pinyinKey, type Register, type RegisterPerson } from './register.ts';

/**
 * Matches every row of every department file (hukou aside) against the register, the way Hedui does it,
 * without looking at the ground truth: main-file rows by the normalised ID (NAME_MISMATCH flagged by
 * linkById), `.badid.csv` rows by the valid numbers one slip away (nearbyIdNumbers + matchNearbyId), and
 * `.noid.csv` rows by name and birth date (matchWithoutId) against the persons sharing the normalised name,
 * the name's pinyin or the birth date.
 */

export const OUTCOME_NONE = 0;
export const OUTCOME_LINK = 1;
export const OUTCOME_POSSIBLE = 2;
export type Outcome = typeof OUTCOME_NONE | typeof OUTCOME_LINK | typeof OUTCOME_POSSIBLE;

/** What matching decided for each row of one file, indexed by spreadsheet row number (header = 1). */
export type FileMatches = {
  readonly file: ManifestFile;
  /** OUTCOME_* per row; rows never seen stay OUTCOME_NONE with `seen` 0. */
  readonly outcome: Uint8Array;
  readonly seen: Uint8Array;
  /** Register index of the linked person, -1 when not linked. */
  readonly linked: Int32Array;
  /** 1 when a link by ID was flagged NAME_MISMATCH. */
  readonly nameMismatch: Uint8Array;
  /** Register indexes proposed for a person to confirm, for rows whose outcome is possible. */
  readonly possible: Map<number, readonly number[]>;
};

export type MatchOptions = {
  /** YYYY-MM-DD passed to parseIdNumber; defaults to today in Shanghai. */
  today?: string;
};

function newMatches(file: ManifestFile): FileMatches {
  const size = file.rows + 2;
  const linked = new Int32Array(size);
  linked.fill(-1);
  return {
    file,
    outcome: new Uint8Array(size),
    seen: new Uint8Array(size),
    linked,
    nameMismatch: new Uint8Array(size),
    possible: new Map(),
  };
}

function grow(matches: FileMatches, rowNumber: number): void {
  if (rowNumber >= matches.outcome.length) {
    throw new Error(
      `${matches.file.file}: row ${rowNumber} beyond the ${matches.file.rows} rows of the manifest`,
    );
  }
}

type RowMatch = { outcome: Outcome; linked: number; nameMismatch: boolean; possible: readonly number[] };

const NO_MATCH: RowMatch = { outcome: OUTCOME_NONE, linked: -1, nameMismatch: false, possible: [] };

/** A row carrying an ID: the normalised number's person, or the persons one typing slip away. */
export function matchIdRow(
  register: Register,
  idText: string,
  name: string,
  options: MatchOptions,
): RowMatch {
  const parseOptions = options.today === undefined ? {} : { today: options.today };
  const parsed = parseIdNumber(idText, parseOptions);
  if (parsed.ok) {
    const index = register.byId.get(parsed.id18);
    const person = index === undefined ? undefined : register.persons[index];
    if (person === undefined) return NO_MATCH;
    const link = linkById(name, person.name);
    return { outcome: OUTCOME_LINK, linked: person.index, nameMismatch: link.flag !== null, possible: [] };
  }
  const found: RegisterPerson[] = [];
  for (const id of nearbyIdNumbers(idText, parseOptions)) {
    const index = register.byId.get(id);
    const person = index === undefined ? undefined : register.persons[index];
    if (person !== undefined) found.push(person);
  }
  if (found.length === 0) return NO_MATCH;
  const nearby = matchNearbyId(name, found);
  if (nearby.linked !== null) {
    return {
      outcome: OUTCOME_LINK,
      linked: nearby.linked.index,
      nameMismatch: false,
      possible: nearby.possible.map((candidate) => candidate.person.index),
    };
  }
  if (nearby.possible.length > 0) {
    return {
      outcome: OUTCOME_POSSIBLE,
      linked: -1,
      nameMismatch: false,
      possible: nearby.possible.map((candidate) => candidate.person.index),
    };
  }
  return NO_MATCH;
}

/** The register persons a row without an ID is compared with: same normalised name, pinyin or birth date. */
export function candidatesWithoutId(register: Register, name: string, birthDate: string): RegisterPerson[] {
  const indexes = new Set<number>();
  for (const list of [
    register.byName.get(normalizeName(name)),
    register.byPinyin.get(pinyinKey(name)),
    register.byBirthDate.get(normalizeBirthDate(birthDate) ?? birthDate),
  ]) {
    if (list !== undefined) for (const index of list) indexes.add(index);
  }
  const persons: RegisterPerson[] = [];
  for (const index of indexes) {
    const person = register.persons[index];
    if (person !== undefined) persons.push(person);
  }
  return persons;
}

/** A row without an ID: name and birth date against the candidates. */
export function matchNoIdRow(register: Register, name: string, birthDate: string): RowMatch {
  const candidates = candidatesWithoutId(register, name, birthDate);
  if (candidates.length === 0) return NO_MATCH;
  const result = matchWithoutId({ name, birthDate }, candidates);
  const possible = result.possible.map((candidate) => candidate.person.index);
  if (result.linked !== null) {
    return { outcome: OUTCOME_LINK, linked: result.linked.index, nameMismatch: false, possible };
  }
  if (possible.length > 0) return { outcome: OUTCOME_POSSIBLE, linked: -1, nameMismatch: false, possible };
  return NO_MATCH;
}

export async function matchFile(
  dir: string,
  file: ManifestFile,
  register: Register,
  options: MatchOptions = {},
): Promise<FileMatches> {
  const path = join(dir, file.file);
  const table = await openTable(path);
  const matches = newMatches(file);
  const nameColumn = columnIndex(table.headers, '姓名', path);
  const keyColumn =
    file.kind === 'noid'
      ? columnIndex(table.headers, '出生日期', path)
      : columnIndex(table.headers, '身份证号', path);
  for await (const row of table.rows) {
    grow(matches, row.rowNumber);
    const name = cellText(row.cells[nameColumn]);
    const key = cellText(row.cells[keyColumn]);
    const result =
      file.kind === 'noid' ? matchNoIdRow(register, name, key) : matchIdRow(register, key, name, options);
    matches.seen[row.rowNumber] = 1;
    matches.outcome[row.rowNumber] = result.outcome;
    matches.linked[row.rowNumber] = result.linked;
    matches.nameMismatch[row.rowNumber] = result.nameMismatch ? 1 : 0;
    if (result.outcome === OUTCOME_POSSIBLE) matches.possible.set(row.rowNumber, result.possible);
  }
  return matches;
}

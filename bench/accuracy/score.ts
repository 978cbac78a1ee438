import { join } from 'node:path';
import { openTable } from '../../src/ingest/read-table.ts';
import type { FileKind } from '../generate/output.ts';
import { type FileMatches, OUTCOME_LINK, OUTCOME_POSSIBLE } from './match.ts';
import { cellText, columnIndex, type Register } from './register.ts';

/**
 * Scores the match results against the ground truth (read only here): per dataset, per file kind and per
 * noise type, separately for rows with an ID (main + badid) and without (noid).
 *
 * precision = correct links / links; recall = correct links / rows whose true person is in the register.
 * `possible` rows (for a person to confirm) are counted apart and are not links.
 */

export type IdClass = 'id' | 'noid';

export type Counts = {
  rows: number;
  /** Rows whose true person is in the register: the recall denominator. */
  inRegister: number;
  links: number;
  correct: number;
  wrong: number;
  possible: number;
  /** Possible rows whose candidates include the true person. */
  possibleWithTrue: number;
  none: number;
  /** Links by ID flagged NAME_MISMATCH. */
  nameMismatch: number;
};

export type Figures = Counts & { precision: number | null; recall: number | null };

export type Scores = {
  total: Record<IdClass, Figures>;
  byKind: Record<FileKind, Figures>;
  byDataset: Record<string, Partial<Record<IdClass, Figures>>>;
  byNoise: Record<string, Partial<Record<IdClass, Figures>>>;
  /** Rows without an ID whose only noise besides the missing ID is a homophone in the name. */
  homophoneOnlyNoid: Figures;
  /** Rows without an ID with a homophone in the name (alone or with other noise) that were linked. */
  homophoneNoidLinks: number;
  /** Truth rows the matcher never saw, and matched rows without a truth row (both 0 when sound). */
  unseenRows: number;
  untrackedRows: number;
};

export function emptyCounts(): Counts {
  return {
    rows: 0,
    inRegister: 0,
    links: 0,
    correct: 0,
    wrong: 0,
    possible: 0,
    possibleWithTrue: 0,
    none: 0,
    nameMismatch: 0,
  };
}

export function figures(counts: Counts): Figures {
  return {
    ...counts,
    precision: counts.links === 0 ? null : counts.correct / counts.links,
    recall: counts.inRegister === 0 ? null : counts.correct / counts.inRegister,
  };
}

type RowVerdict = {
  inRegister: boolean;
  link: boolean;
  correct: boolean;
  possible: boolean;
  possibleWithTrue: boolean;
  nameMismatch: boolean;
};

function add(counts: Counts, verdict: RowVerdict): void {
  counts.rows++;
  if (verdict.inRegister) counts.inRegister++;
  if (verdict.link) {
    counts.links++;
    if (verdict.correct) counts.correct++;
    else counts.wrong++;
  } else if (verdict.possible) {
    counts.possible++;
    if (verdict.possibleWithTrue) counts.possibleWithTrue++;
  } else {
    counts.none++;
  }
  if (verdict.nameMismatch) counts.nameMismatch++;
}

function bucket<K extends string>(map: Map<string, Map<K, Counts>>, key: string, idClass: K): Counts {
  let inner = map.get(key);
  if (inner === undefined) {
    inner = new Map();
    map.set(key, inner);
  }
  let counts = inner.get(idClass);
  if (counts === undefined) {
    counts = emptyCounts();
    inner.set(idClass, counts);
  }
  return counts;
}

function settle(map: Map<string, Map<IdClass, Counts>>): Record<string, Partial<Record<IdClass, Figures>>> {
  const result: Record<string, Partial<Record<IdClass, Figures>>> = {};
  for (const key of [...map.keys()].sort()) {
    const inner = map.get(key);
    if (inner === undefined) continue;
    const entry: Partial<Record<IdClass, Figures>> = {};
    for (const idClass of ['id', 'noid'] as const) {
      const counts = inner.get(idClass);
      if (counts !== undefined) entry[idClass] = figures(counts);
    }
    result[key] = entry;
  }
  return result;
}

/** person_id → register index of the true person (-1 when the person is not in the register). */
async function truePersons(dir: string, register: Register): Promise<Map<string, number>> {
  const path = join(dir, 'truth', 'people.csv');
  const table = await openTable(path);
  const idColumn = columnIndex(table.headers, 'person_id', path);
  const numberColumn = columnIndex(table.headers, 'id_number', path);
  const persons = new Map<string, number>();
  for await (const row of table.rows) {
    const index = register.byId.get(cellText(row.cells[numberColumn]));
    persons.set(cellText(row.cells[idColumn]), index ?? -1);
  }
  return persons;
}

export async function scoreMatches(
  dir: string,
  register: Register,
  matches: readonly FileMatches[],
): Promise<Scores> {
  const persons = await truePersons(dir, register);
  const byFile = new Map(matches.map((m) => [m.file.file, m]));
  const datasets = [...new Set(matches.map((m) => m.file.dataset))].sort();
  const total: Record<IdClass, Counts> = { id: emptyCounts(), noid: emptyCounts() };
  const byKind: Record<FileKind, Counts> = { main: emptyCounts(), badid: emptyCounts(), noid: emptyCounts() };
  const byDataset = new Map<string, Map<IdClass, Counts>>();
  const byNoise = new Map<string, Map<IdClass, Counts>>();
  const homophoneOnly = emptyCounts();
  let homophoneNoidLinks = 0;
  let unseenRows = 0;
  const scored = new Map<string, Uint8Array>();

  for (const dataset of datasets) {
    const path = join(dir, 'truth', 'rows', `${dataset}.csv`);
    const table = await openTable(path);
    const fileColumn = columnIndex(table.headers, 'file', path);
    const rowColumn = columnIndex(table.headers, 'row', path);
    const personColumn = columnIndex(table.headers, 'person_id', path);
    const noiseColumn = columnIndex(table.headers, 'noise', path);
    for await (const row of table.rows) {
      const fileName = cellText(row.cells[fileColumn]);
      const m = byFile.get(fileName);
      if (m === undefined) continue;
      const rowNumber = Number(cellText(row.cells[rowColumn]));
      const trueIndex = persons.get(cellText(row.cells[personColumn])) ?? -1;
      const noise = cellText(row.cells[noiseColumn]);
      const noiseTypes = noise === '' ? ['clean'] : noise.split('|');
      const seen = m.seen[rowNumber] === 1;
      if (!seen) unseenRows++;
      else {
        let marks = scored.get(fileName);
        if (marks === undefined) {
          marks = new Uint8Array(m.seen.length);
          scored.set(fileName, marks);
        }
        marks[rowNumber] = 1;
      }
      const outcome = seen ? m.outcome[rowNumber] : undefined;
      const linked = m.linked[rowNumber] ?? -1;
      const verdict: RowVerdict = {
        inRegister: trueIndex >= 0,
        link: outcome === OUTCOME_LINK,
        correct: outcome === OUTCOME_LINK && trueIndex >= 0 && linked === trueIndex,
        possible: outcome === OUTCOME_POSSIBLE,
        possibleWithTrue:
          outcome === OUTCOME_POSSIBLE &&
          trueIndex >= 0 &&
          (m.possible.get(rowNumber) ?? []).includes(trueIndex),
        nameMismatch: seen && m.nameMismatch[rowNumber] === 1,
      };
      const idClass: IdClass = m.file.kind === 'noid' ? 'noid' : 'id';
      add(total[idClass], verdict);
      add(byKind[m.file.kind], verdict);
      add(bucket(byDataset, dataset, idClass), verdict);
      for (const type of noiseTypes) add(bucket(byNoise, type, idClass), verdict);
      const nameNoise = noiseTypes.filter((type) => type !== 'missing_id');
      if (idClass === 'noid' && nameNoise.length === 1 && nameNoise[0] === 'homophone')
        add(homophoneOnly, verdict);
      if (idClass === 'noid' && noiseTypes.includes('homophone') && verdict.link) homophoneNoidLinks++;
    }
  }

  let untrackedRows = 0;
  for (const m of matches) {
    const marks = scored.get(m.file.file);
    for (let rowNumber = 0; rowNumber < m.seen.length; rowNumber++) {
      if (m.seen[rowNumber] === 1 && marks?.[rowNumber] !== 1) untrackedRows++;
    }
  }

  return {
    total: { id: figures(total.id), noid: figures(total.noid) },
    byKind: { main: figures(byKind.main), badid: figures(byKind.badid), noid: figures(byKind.noid) },
    byDataset: settle(byDataset),
    byNoise: settle(byNoise),
    homophoneOnlyNoid: figures(homophoneOnly),
    homophoneNoidLinks,
    unseenRows,
    untrackedRows,
  };
}

import type { RequestMember } from '../../domain/assessment/household-request.ts';
import type { AssessmentRecord, RecordValue } from '../../domain/assessment/types.ts';
import { findDataset } from '../../domain/catalog/datasets.ts';
import { parseIdNumber } from '../../domain/identity/id-number.ts';
import { BIRTH_KEY_PURPOSE } from '../../domain/matching/birth-date.ts';
import {
  type HouseholdMatching,
  type HouseholdPerson,
  matchHouseholdRecords,
  type RecordWithoutId,
} from '../../domain/matching/household.ts';
import type { BatchRecord, Deps, MatchDecisionRow, StoredRecord } from '../ports.ts';

/**
 * Finds every record about a household's members in the batches an assessment may use, and links them to
 * the members (domain/matching/household.ts). Which batches: those standing at an instant (a snapshot dataset
 * contributes only its newest standing batch; periodic batches add up), or exactly the batches a stored result
 * used, so that re-running it gives the same figures after newer batches arrive. Records fetched for one case
 * (query interfaces, offline replies) are used for that case only.
 */

export type BatchScope = { kind: 'standing'; at: string | null } | { kind: 'recorded'; batchIds: number[] };

/** A record without an ID number that was proposed for a member, with what a person needs to decide. */
export interface ProposedRecord {
  recordId: number;
  dataset: string;
  name: string;
  birthDate: string;
  batchId: number;
  departmentCode: string;
  dataAsOf: string;
  rowNumber: number;
  values: Record<string, RecordValue>;
}

export interface GatheredRecords {
  recordsByMember: Map<string, AssessmentRecord[]>;
  matching: HouseholdMatching;
  proposed: Map<number, ProposedRecord>;
  /** Batches whose records were linked or proposed, by id. */
  batches: Map<number, BatchRecord>;
}

const CASE_BOUND: ReadonlySet<string> = new Set(['offline', 'query']);

/**
 * The batches a lookup may read: for each snapshot dataset only its newest standing department batch, with the
 * unidentified rows (「待认定记录」) delivered for that batch's period — the newest unidentified batch when the
 * dataset has no main batch standing. Periodic batches of both kinds add up.
 */
export function usableBatches(standing: readonly BatchRecord[]): BatchRecord[] {
  const newest = new Map<string, BatchRecord>();
  const unidentified = new Map<string, BatchRecord[]>();
  const out: BatchRecord[] = [];
  for (const batch of standing) {
    const snapshot = findDataset(batch.dataset)?.kind === 'snapshot';
    if (!snapshot || CASE_BOUND.has(batch.source)) {
      out.push(batch);
      continue;
    }
    if (batch.kind === 'unidentified') {
      unidentified.set(batch.dataset, [...(unidentified.get(batch.dataset) ?? []), batch]);
      continue;
    }
    const held = newest.get(batch.dataset);
    if (held === undefined || newer(batch, held)) newest.set(batch.dataset, batch);
  }
  const supplements: BatchRecord[] = [];
  for (const [dataset, batches] of unidentified) {
    const main = newest.get(dataset);
    if (main !== undefined) supplements.push(...batches.filter((b) => b.period === main.period));
    else {
      const latest = batches.reduce((a, b) => (newer(b, a) ? b : a));
      supplements.push(...batches.filter((b) => b.period === latest.period));
    }
  }
  return [...out, ...newest.values(), ...supplements];
}

function newer(a: BatchRecord, b: BatchRecord): boolean {
  if (a.periodLastMonth !== b.periodLastMonth) return a.periodLastMonth > b.periodLastMonth;
  if (a.dataAsOf !== b.dataAsOf) return a.dataAsOf > b.dataAsOf;
  return a.id > b.id;
}

function sexOf(value: unknown): 'M' | 'F' | null {
  return value === '男' ? 'M' : value === '女' ? 'F' : null;
}

/** A record's values, with the columns that embed an ID number (stored encrypted) decrypted for the engine. */
function parseValues(record: StoredRecord, crypto: Deps['crypto']): Record<string, RecordValue> {
  const values = JSON.parse(record.values) as Record<string, RecordValue>;
  for (const column of findDataset(record.dataset)?.columns ?? []) {
    const value = values[column.key];
    // Rows stored before the column was encrypted hold plain text until `hedui keys rotate --resume`.
    if (column.identifying && crypto.isCiphertext(value)) values[column.key] = crypto.decrypt(value);
  }
  return values;
}

/** The records a lookup reads, fetched before the engine runs (for one household, or a page of recheck families). */
export interface PrefetchedRecords {
  /** The usable batches of the scope, by id. */
  allowed: Map<number, BatchRecord>;
  /** Records carrying a person key, in the allowed batches and usable for the case, by person key. */
  byPersonKey: Map<string, StoredRecord[]>;
  /**
   * Name + birth-date candidates by birth key: records without an ID number, and hukou rows (the namesakes), in
   * the allowed batches and usable for the case. Other records with a birth key are never read.
   */
  byBirthKey: Map<string, StoredRecord[]>;
  /** The case's decisions on proposed records (a recheck run has one case reference for every family). */
  decisions: MatchDecisionRow[];
}

function groupBy(records: readonly StoredRecord[], key: (r: StoredRecord) => string | null) {
  const out = new Map<string, StoredRecord[]>();
  for (const record of records) {
    const k = key(record);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(record);
    else out.set(k, [record]);
  }
  return out;
}

/**
 * Reads once the records of many persons (a household, or a page of recheck families): four or five queries
 * whatever their number — the batches of the scope, the records of the person keys, the rows without an ID of
 * the birth keys and, only where there are such rows, the hukou rows of their birth dates (all restricted in
 * SQL to those batches and to the case), and the case's decisions.
 */
export async function prefetchRecords(
  deps: Deps,
  input: { personKeys: readonly string[]; birthKeys: readonly string[]; caseRef: string; scope: BatchScope },
): Promise<PrefetchedRecords> {
  const repo = deps.store.assessments;
  const allowed = new Map(
    (input.scope.kind === 'standing'
      ? usableBatches(await repo.standingBatches(input.scope.at))
      : await repo.batchesByIds(input.scope.batchIds)
    ).map((batch) => [batch.id, batch]),
  );
  const within = { batchIds: [...allowed.keys()], caseRef: input.caseRef };
  const withId = await repo.recordsByPersonKeys([...input.personKeys], within);
  // Namesakes (hukou rows of the same birth date) matter only to a row without an ID of that birth date: they
  // are read for those birth keys alone — usually none, where reading them all cost ~7 random heap reads per
  // member at M (issue #7).
  const withoutId = await repo.recordsWithoutIdByBirthKeys([...input.birthKeys], within);
  const namesakeKeys = [...new Set(withoutId.map((r) => r.birthKey as string))];
  const namesakes = namesakeKeys.length > 0 ? await repo.hukouByBirthKeys(namesakeKeys, within) : [];
  const candidates = [...withoutId, ...namesakes].sort((a, b) => a.id - b.id);
  return {
    allowed,
    byPersonKey: groupBy(withId, (r) => r.personKey),
    byBirthKey: groupBy(candidates, (r) => r.birthKey),
    decisions: await repo.decisions(input.caseRef),
  };
}

/** The prefetched records of these keys, each once, in id order (as one query for these keys returns them). */
function recordsOf(index: Map<string, StoredRecord[]>, keys: readonly string[]): StoredRecord[] {
  const byId = new Map<number, StoredRecord>();
  for (const key of new Set(keys)) for (const record of index.get(key) ?? []) byId.set(record.id, record);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export async function gatherRecords(
  deps: Deps,
  input: {
    members: readonly RequestMember[];
    caseRef: string;
    scope: BatchScope;
    /** Records read beforehand for a set of households including this one (the monthly recheck's page). */
    prefetched?: PrefetchedRecords;
  },
): Promise<GatheredRecords> {
  const { crypto } = deps;
  const members = input.members.map((member) => ({
    memberId: member.memberId,
    personKey: crypto.blindIndex(member.idNumber),
    birthKey: crypto.blindIndex(member.birthDate, BIRTH_KEY_PURPOSE),
    name: member.name,
    birthDate: member.birthDate,
    sex: member.sex,
    regionCode: member.regionCode,
  }));
  const fetched =
    input.prefetched ??
    (await prefetchRecords(deps, {
      personKeys: members.map((member) => member.personKey),
      birthKeys: members.map((member) => member.birthKey),
      caseRef: input.caseRef,
      scope: input.scope,
    }));
  const { allowed } = fetched;
  const usable = (record: StoredRecord) =>
    allowed.has(record.batchId) && (record.caseRef === null || record.caseRef === input.caseRef);

  const withId = recordsOf(
    fetched.byPersonKey,
    members.map((member) => member.personKey),
  ).filter(usable);
  const sameBirthDate = recordsOf(
    fetched.byBirthKey,
    members.map((member) => member.birthKey),
  ).filter(usable);

  const withoutId: (RecordWithoutId & { stored: StoredRecord; values: Record<string, RecordValue> })[] = [];
  const hukou: { record: StoredRecord; birthDate: string; values: Record<string, RecordValue> }[] = [];
  for (const record of sameBirthDate) {
    if (record.nameEnc === null) continue;
    if (record.personKey !== null && record.dataset !== 'hukou') continue;
    const values = parseValues(record, crypto);
    const birthDate = typeof values.birthDate === 'string' ? values.birthDate : null;
    if (birthDate === null) continue;
    if (record.personKey === null)
      withoutId.push({
        recordId: record.id,
        name: crypto.decrypt(record.nameEnc),
        birthDate,
        stored: record,
        values,
      });
    else hukou.push({ record, birthDate, values });
  }
  // Namesakes only matter to records without an ID, and a member is never their own namesake: their names and
  // ID numbers are decrypted only then.
  const memberKeys = new Set(members.map((member) => member.personKey));
  const namesakes: HouseholdPerson[] = [];
  if (withoutId.length > 0)
    for (const { record, birthDate, values } of hukou) {
      if (memberKeys.has(record.personKey as string)) continue;
      const id = record.idEnc === null ? null : parseIdNumber(crypto.decrypt(record.idEnc));
      namesakes.push({
        personKey: record.personKey as string,
        name: crypto.decrypt(record.nameEnc as string),
        birthDate,
        sex: sexOf(values.sex),
        regionCode: id?.ok ? id.regionCode : null,
      });
    }
  const decisions = fetched.decisions;
  const matching = matchHouseholdRecords({
    members,
    withId: withId.map((record) => ({
      recordId: record.id,
      personKey: record.personKey as string,
      name: record.nameEnc === null ? null : crypto.decrypt(record.nameEnc),
    })),
    withoutId,
    namesakes,
    decisions: decisions.map(({ recordId, personKey, decision }) => ({ recordId, personKey, decision })),
  });

  const stored = new Map<number, StoredRecord>();
  for (const record of [...withId, ...withoutId.map((entry) => entry.stored)]) stored.set(record.id, record);
  const batches = new Map<number, BatchRecord>();
  const recordsByMember = new Map<string, AssessmentRecord[]>();
  for (const link of matching.links) {
    const record = stored.get(link.recordId);
    const batch = record === undefined ? undefined : allowed.get(record.batchId);
    if (record === undefined || batch === undefined) continue;
    batches.set(batch.id, batch);
    const list = recordsByMember.get(link.memberId) ?? [];
    list.push({
      recordId: record.id,
      dataset: record.dataset,
      batchId: batch.id,
      departmentCode: batch.departmentCode,
      dataAsOf: batch.dataAsOf,
      rowNumber: record.rowNumber,
      values: parseValues(record, crypto),
    });
    recordsByMember.set(link.memberId, list);
  }
  const proposed = new Map<number, ProposedRecord>();
  for (const possible of matching.possible) {
    const entry = withoutId.find((candidate) => candidate.recordId === possible.recordId);
    const batch = entry === undefined ? undefined : allowed.get(entry.stored.batchId);
    if (entry === undefined || batch === undefined) continue;
    batches.set(batch.id, batch);
    proposed.set(entry.recordId, {
      recordId: entry.recordId,
      dataset: entry.stored.dataset,
      name: entry.name,
      birthDate: entry.birthDate,
      batchId: batch.id,
      departmentCode: batch.departmentCode,
      dataAsOf: batch.dataAsOf,
      rowNumber: entry.stored.rowNumber,
      values: entry.values,
    });
  }
  return { recordsByMember, matching, proposed, batches };
}

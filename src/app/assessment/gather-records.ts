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
import type { BatchRecord, Deps, StoredRecord } from '../ports.ts';

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

/** The batches a lookup may read: for each snapshot dataset only its newest standing department batch. */
export function usableBatches(standing: readonly BatchRecord[]): BatchRecord[] {
  const newest = new Map<string, BatchRecord>();
  const out: BatchRecord[] = [];
  for (const batch of standing) {
    const snapshot = findDataset(batch.dataset)?.kind === 'snapshot';
    if (!snapshot || CASE_BOUND.has(batch.source)) {
      out.push(batch);
      continue;
    }
    const held = newest.get(batch.dataset);
    if (held === undefined || newer(batch, held)) newest.set(batch.dataset, batch);
  }
  return [...out, ...newest.values()];
}

function newer(a: BatchRecord, b: BatchRecord): boolean {
  if (a.periodLastMonth !== b.periodLastMonth) return a.periodLastMonth > b.periodLastMonth;
  if (a.dataAsOf !== b.dataAsOf) return a.dataAsOf > b.dataAsOf;
  return a.id > b.id;
}

function sexOf(value: unknown): 'M' | 'F' | null {
  return value === '男' ? 'M' : value === '女' ? 'F' : null;
}

function parseValues(record: StoredRecord): Record<string, RecordValue> {
  return JSON.parse(record.values) as Record<string, RecordValue>;
}

export async function gatherRecords(
  deps: Deps,
  input: { members: readonly RequestMember[]; caseRef: string; scope: BatchScope },
): Promise<GatheredRecords> {
  const { crypto, store } = deps;
  const repo = store.assessments;
  const allowed = new Map(
    (input.scope.kind === 'standing'
      ? usableBatches(await repo.standingBatches(input.scope.at))
      : await repo.batchesByIds(input.scope.batchIds)
    ).map((batch) => [batch.id, batch]),
  );
  const usable = (record: StoredRecord) =>
    allowed.has(record.batchId) && (record.caseRef === null || record.caseRef === input.caseRef);

  const members = input.members.map((member) => ({
    memberId: member.memberId,
    personKey: crypto.blindIndex(member.idNumber),
    name: member.name,
    birthDate: member.birthDate,
    sex: member.sex,
    regionCode: member.regionCode,
  }));
  const withId = (await repo.recordsByPersonKeys(members.map((member) => member.personKey))).filter(usable);
  const sameBirthDate = (
    await repo.recordsByBirthKeys(
      members.map((member) => crypto.blindIndex(member.birthDate, BIRTH_KEY_PURPOSE)),
    )
  ).filter(usable);

  const withoutId: (RecordWithoutId & { stored: StoredRecord; values: Record<string, RecordValue> })[] = [];
  const namesakes: HouseholdPerson[] = [];
  for (const record of sameBirthDate) {
    const values = parseValues(record);
    const birthDate = typeof values.birthDate === 'string' ? values.birthDate : null;
    if (record.nameEnc === null || birthDate === null) continue;
    const name = crypto.decrypt(record.nameEnc);
    if (record.personKey === null) {
      withoutId.push({ recordId: record.id, name, birthDate, stored: record, values });
    } else if (record.dataset === 'hukou') {
      const id = record.idEnc === null ? null : parseIdNumber(crypto.decrypt(record.idEnc));
      namesakes.push({
        personKey: record.personKey,
        name,
        birthDate,
        sex: sexOf(values.sex),
        regionCode: id?.ok ? id.regionCode : null,
      });
    }
  }
  const decisions = await repo.decisions(input.caseRef);
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
      values: parseValues(record),
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

import {
  DISHONESTY_SOURCE_LABELS,
  DISHONESTY_STATE_LABELS,
  type DishonestyState,
} from '../../domain/dishonesty/records.ts';
import { maskIdNumber, parseIdNumber } from '../../domain/identity/id-number.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { isAgencyActor } from '../cases/case-access.ts';
import { maskName } from '../cases/case-view.ts';
import type { Actor, Deps } from '../ports.ts';
import type { DishonestyRow } from './dishonesty.port.ts';
import { decryptFacts, decryptSubjects, recordForActor } from './dishonesty-access.ts';

/**
 * Dishonesty records as their users see them: lists mask names and ID numbers; the detail shows names in full (ID
 * numbers still masked) and is audited with its case.
 */

async function caseNumbers(deps: Deps, records: readonly DishonestyRow[]): Promise<Map<number, string>> {
  const ids = [
    ...new Set(records.flatMap((record) => (record.sourceCaseId === null ? [] : [record.sourceCaseId]))),
  ];
  const cases = await Promise.all(ids.map((id) => deps.store.cases.get(id)));
  return new Map(cases.flatMap((kase) => (kase ? [[kase.id, kase.number] as const] : [])));
}

function summary(deps: Deps, record: DishonestyRow, caseNumber: string | null) {
  return {
    id: record.id,
    number: record.number,
    state: record.state,
    stateLabel: DISHONESTY_STATE_LABELS[record.state],
    sourceKind: record.sourceKind,
    sourceLabel: DISHONESTY_SOURCE_LABELS[record.sourceKind],
    caseId: record.sourceCaseId,
    caseNumber,
    regionCode: record.regionCode,
    subjects: decryptSubjects(deps, record).map((subject) => ({
      name: maskName(subject.name),
      idNumberMasked: maskIdNumber(subject.idNumber),
      relation: subject.relation,
    })),
    draftedAt: record.draftedAt,
    approvedOn: record.approvedOn,
    revokedAt: record.revokedAt,
  };
}

export async function listDishonestyRecords(
  deps: Deps,
  filter: { state?: DishonestyState; caseId?: number; idNumber?: string; offset: number; limit: number },
  actor: Actor,
) {
  const agency = isAgencyActor(actor);
  let personKey: string | undefined;
  if (filter.idNumber !== undefined && filter.idNumber.trim() !== '') {
    if (!agency) throw new AppError('PERMISSION_DENIED', '只有核对机构可以按身份证号码查询失信记录');
    const parsed = parseIdNumber(filter.idNumber, { today: shanghaiDateOf(deps.clock.now()) });
    if (!parsed.ok) throw new AppError('VALIDATION_FAILED', parsed.message, { field: 'idNumber' });
    personKey = deps.crypto.blindIndex(parsed.id18);
  }
  const { items, total } = await deps.store.dishonesty.list({
    regionScope: agency ? actor.regionCode : null,
    ...(agency ? {} : { requesterOrganisationId: actor.organisationId ?? -1 }),
    ...(filter.state !== undefined ? { states: [filter.state] } : {}),
    ...(filter.caseId !== undefined ? { sourceCaseId: filter.caseId } : {}),
    ...(personKey !== undefined ? { personKey } : {}),
    offset: filter.offset,
    limit: filter.limit,
  });
  // A search by ID number is itself a look at personal data: it is kept, with what it found.
  if (personKey !== undefined)
    await deps.store.audit.append(
      actor,
      {
        action: 'DISHONESTY_RECORD_VIEWED',
        outcome: 'success',
        objectType: 'dishonesty_search',
        details: { byIdNumber: true, found: items.map((record) => record.number) },
      },
      deps.clock.now().toISOString(),
    );
  const numbers = await caseNumbers(deps, items);
  return {
    total,
    items: items.map((record) =>
      summary(deps, record, record.sourceCaseId === null ? null : (numbers.get(record.sourceCaseId) ?? null)),
    ),
  };
}

async function userName(deps: Deps, id: number | null): Promise<string | null> {
  return id === null ? null : ((await deps.store.users.get(id))?.displayName ?? null);
}

/** One record in full (names, facts, evidence, legal basis, decisions), audited as a look at personal data. */
export async function getDishonestyRecord(deps: Deps, id: number, actor: Actor) {
  const record = await recordForActor(deps, id, actor);
  const kase = record.sourceCaseId === null ? undefined : await deps.store.cases.get(record.sourceCaseId);
  const notice =
    record.noticeDocumentId === null || !kase
      ? undefined
      : (await deps.store.cases.documents(kase.id)).find(
          (document) => document.id === record.noticeDocumentId,
        );
  const facts = decryptFacts(deps, record);
  await deps.store.audit.append(
    actor,
    {
      action: 'DISHONESTY_RECORD_VIEWED',
      outcome: 'success',
      objectType: 'dishonesty_record',
      objectId: String(record.id),
      caseId: kase?.number ?? null,
      details: { number: record.number },
    },
    deps.clock.now().toISOString(),
  );
  return {
    ...summary(deps, record, kase?.number ?? null),
    subjects: decryptSubjects(deps, record).map((subject) => ({
      name: subject.name,
      idNumberMasked: maskIdNumber(subject.idNumber),
      relation: subject.relation,
    })),
    concealed: facts.concealed,
    evidence: facts.evidence,
    legalBasis: record.legalBasis,
    draftedByName: await userName(deps, record.draftedBy),
    approvedByName: await userName(deps, record.approvedBy),
    approvedAt: record.approvedAt,
    rejectedByName: await userName(deps, record.rejectedBy),
    rejectedAt: record.rejectedAt,
    rejectionReason: record.rejectionReason,
    revokedByName: await userName(deps, record.revokedBy),
    revocationReason: record.revocationReason,
    notice: notice ? { id: notice.id, number: notice.number, shortCode: notice.shortCode } : null,
    /** The drafter cannot approve their own draft: the screen hides the buttons it would refuse. */
    draftedBy: record.draftedBy,
  };
}

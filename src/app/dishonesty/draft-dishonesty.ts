import { isInRegionScope } from '../../domain/access/scope.ts';
import type { SuspensionGround } from '../../domain/cases/documents.ts';
import {
  type DishonestyFacts,
  type DishonestySource,
  type DishonestySubject,
  isWritten,
  legalBasisFor,
} from '../../domain/dishonesty/records.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { caseForActor, isAgencyActor } from '../cases/case-access.ts';
import { decryptHousehold } from '../cases/case-view.ts';
import { caseAgencyId, shortRegionName } from '../cases/documents.ts';
import type { Actor, CaseRow, Deps, PendingCaseRequest, Repositories } from '../ports.ts';
import type { DishonestyRow } from './dishonesty.port.ts';

/**
 * Drafting a dishonesty record (庆阳细则第二十四条) from a case suspended for concealment: automatically when the
 * reviewer approves such a suspension (`draftFromSuspension`, called in the suspension's transaction), or by agency
 * staff by hand (`draftDishonestyRecord`). A draft names the persons concerned (the applicant unless others are
 * chosen: never a whole household, children included, by default), what was concealed with its evidence, and the
 * legal basis; it has no effect until a reviewer other than its drafter approves it.
 */

const CONCEALMENT: SuspensionGround = 'concealment-or-false-materials';

export interface DraftFacts {
  /** What was concealed or falsely declared. */
  concealed: string;
  /** References to the evidence: document numbers, data sources, batches. */
  evidence?: readonly string[];
  /** The members (0-based, as in the case) the record is about; the applicant when absent. */
  memberIndexes?: readonly number[];
}

function subjectsOf(
  deps: Deps,
  kase: CaseRow,
  memberIndexes: readonly number[] | undefined,
): DishonestySubject[] {
  const members = decryptHousehold(deps, kase).members;
  const indexes = [...new Set(memberIndexes ?? [0])];
  if (indexes.length === 0) throw new AppError('VALIDATION_FAILED', '请选择失信记录涉及的家庭成员');
  return indexes.map((index) => {
    const member = members[index];
    if (member === undefined)
      throw new AppError('VALIDATION_FAILED', `家庭成员序号 ${index + 1} 不存在`, { memberIndex: index });
    return { name: member.name, idNumber: member.idNumber, relation: member.relation };
  });
}

/** Creates the draft in the caller's transaction, numbered per agency and year, and audits it with its case. */
async function createDraft(
  tx: Repositories,
  deps: Deps,
  input: { kase: CaseRow; actor: Actor; source: DishonestySource; facts: DraftFacts; at: string },
): Promise<DishonestyRow> {
  const { kase, actor, at } = input;
  if (!isWritten(input.facts.concealed)) throw new AppError('VALIDATION_FAILED', '请写明隐瞒或虚报的事实');
  const subjects = subjectsOf(deps, kase, input.facts.memberIndexes);
  const documents = await tx.cases.documents(kase.id);
  const notice = documents.find((document) => document.kind === 'suspension-notice');
  const evidence = [
    ...(input.facts.evidence ?? []).map((item) => item.trim()).filter((item) => item !== ''),
    ...(notice ? [`中止通知书 ${notice.number}`] : []),
  ];
  const facts: DishonestyFacts = {
    concealed: input.facts.concealed.trim(),
    evidence: [...new Set(evidence)],
  };
  const agencyId = await caseAgencyId(tx, kase, actor);
  const agency = agencyId === null ? undefined : await tx.organisations.get(agencyId);
  if (!agency) throw new AppError('INTERNAL_ERROR', '找不到登记失信记录的核对机构');
  const year = shanghaiDateOf(new Date(at)).slice(0, 4);
  const sequence = await tx.cases.nextNumber(`dishonesty:${agency.id}:${year}`);
  const record = await tx.dishonesty.create(
    {
      number: `${shortRegionName(agency.name)}核失〔${year}〕${sequence}号`,
      agencyOrganisationId: agency.id,
      regionCode: kase.regionCode,
      requesterOrganisationId: kase.requesterOrganisationId,
      sourceKind: input.source,
      sourceCaseId: kase.id,
      sourceAlertId: null,
      subjectCount: subjects.length,
      subjectsEnc: deps.crypto.encrypt(JSON.stringify(subjects)),
      factsEnc: deps.crypto.encrypt(JSON.stringify(facts)),
      legalBasis: legalBasisFor(input.source),
      state: 'draft',
      draftedBy: actor.userId ?? -1,
      draftedAt: at,
      approvedBy: null,
      approvedAt: null,
      approvedOn: null,
      rejectedBy: null,
      rejectedAt: null,
      rejectionReason: null,
      noticeDocumentId: null,
      revokedBy: null,
      revokedAt: null,
      revocationReason: null,
      createdAt: at,
      updatedAt: at,
    },
    subjects.map((subject) => deps.crypto.blindIndex(subject.idNumber)),
  );
  await tx.audit.append(
    actor,
    {
      action: 'DISHONESTY_RECORD_DRAFTED',
      outcome: 'success',
      objectType: 'dishonesty_record',
      objectId: String(record.id),
      caseId: kase.number,
      details: { number: record.number, source: input.source, subjectCount: subjects.length },
    },
    at,
  );
  return record;
}

/**
 * The draft that the approval of a suspension for concealment creates (Q§18 (一) → Q§24), in the suspension's
 * transaction, with `kase` as the approval left it (state `suspended`) and the reviewer approving it as `actor`:
 * the record is then approved by another reviewer. Idempotent: a case with a draft or approved record keeps it.
 */
export async function draftFromSuspension(
  tx: Repositories,
  deps: Deps,
  kase: CaseRow,
  actor: Actor,
  facts: DraftFacts,
): Promise<DishonestyRow> {
  if (kase.state !== 'suspended')
    throw new AppError('PERMISSION_DENIED', '只有已中止核对的案件可以登记失信记录', {
      code: 'WRONG_STATE',
      caseId: kase.id,
    });
  const existing = await tx.dishonesty.activeForCase(kase.id);
  if (existing) return existing;
  return createDraft(tx, deps, {
    kase,
    actor,
    source: 'suspension',
    facts,
    at: deps.clock.now().toISOString(),
  });
}

/**
 * The one call the suspension approval makes (\`decideSuspension\`, after issuing the 中止通知书, in its transaction):
 * a draft when the approved grounds include concealment or false materials (Q§18 (一)), with the handler's written
 * reasons as the facts; nothing otherwise.
 */
export async function draftIfConcealment(
  tx: Repositories,
  deps: Deps,
  suspended: CaseRow,
  actor: Actor,
  pending: PendingCaseRequest | null,
): Promise<DishonestyRow | null> {
  if (pending?.kind !== 'suspension' || !(pending.grounds ?? []).includes(CONCEALMENT)) return null;
  return draftFromSuspension(tx, deps, suspended, actor, { concealed: pending.reason });
}

/** Agency staff draft a record by hand from a case suspended on their agency's watch. */
export async function draftDishonestyRecord(
  deps: Deps,
  caseId: number,
  facts: DraftFacts,
  actor: Actor,
): Promise<DishonestyRow> {
  const kase = await caseForActor(deps.store, caseId, actor);
  if (!isAgencyActor(actor) || !isInRegionScope(kase.regionCode, actor.regionCode))
    throw new AppError('PERMISSION_DENIED', '只有核对机构人员可以登记失信记录', { code: 'NOT_AGENCY' });
  if (kase.state !== 'suspended')
    throw new AppError('PERMISSION_DENIED', '只有已中止核对的案件可以登记失信记录', {
      code: 'WRONG_STATE',
      caseId,
    });
  return deps.store.transaction(async (tx) => {
    if (await tx.dishonesty.activeForCase(kase.id))
      throw new AppError('CONFLICT', '该案件已有待审批或已生效的失信记录', {
        code: 'DISHONESTY_RECORD_EXISTS',
        caseId,
      });
    return createDraft(tx, deps, {
      kase,
      actor,
      source: 'manual',
      facts,
      at: deps.clock.now().toISOString(),
    });
  });
}

import { isInRegionScope } from '../../domain/access/scope.ts';
import type { AuditAction } from '../../domain/audit/actions.ts';
import {
  checkDishonestyStep,
  DISHONESTY_NEXT_STATE,
  type DishonestyStep,
  isWritten,
} from '../../domain/dishonesty/records.ts';
import { maskIdNumber } from '../../domain/identity/id-number.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { issueDocument } from '../cases/documents.ts';
import type { Actor, Deps, Repositories } from '../ports.ts';
import type { DishonestyRow } from './dishonesty.port.ts';
import { decryptFacts, decryptSubjects, recordForActor } from './dishonesty-access.ts';

/**
 * A reviewer's decisions on a dishonesty record: approve a draft someone else drafted (the family is notified in
 * writing with the 失信信息告知书, numbered, fingerprinted and verifiable like every case document), reject it
 * with reasons, or revoke an approved record on appeal with reasons — the record stays, `revoked`, out of every
 * later export, and its notice then checks as revoked. Each decision is audited with its case.
 */

async function decidable(deps: Deps, id: number, step: DishonestyStep, actor: Actor) {
  const record = await recordForActor(deps, id, actor);
  const agency = actor.roles.includes('agency_reviewer') || actor.roles.includes('agency_staff');
  if (!agency || !isInRegionScope(record.regionCode, actor.regionCode))
    throw new AppError('PERMISSION_DENIED', '只有核对机构审核员可以审批失信记录', { code: 'NOT_REVIEWER' });
  const check = checkDishonestyStep(step, record, {
    userId: actor.userId ?? -1,
    isReviewer: actor.roles.includes('agency_reviewer'),
  });
  if (!check.ok) throw new AppError('PERMISSION_DENIED', check.message, { code: check.code, recordId: id });
  const now = deps.clock.now();
  return { record, at: now.toISOString(), today: shanghaiDateOf(now) };
}

async function save(
  tx: Repositories,
  record: DishonestyRow,
  patch: Partial<DishonestyRow>,
  audit: {
    actor: Actor;
    action: AuditAction;
    caseNumber: string | null;
    at: string;
    details: Record<string, unknown>;
  },
): Promise<DishonestyRow> {
  if (!(await tx.dishonesty.update(record.id, record.revision, { ...patch, updatedAt: audit.at })))
    throw new AppError('CONFLICT', '失信记录已被他人处理，请刷新后重试', { recordId: record.id });
  await tx.audit.append(
    audit.actor,
    {
      action: audit.action,
      outcome: 'success',
      objectType: 'dishonesty_record',
      objectId: String(record.id),
      caseId: audit.caseNumber,
      details: { number: record.number, from: record.state, to: patch.state, ...audit.details },
    },
    audit.at,
  );
  return { ...record, ...patch, updatedAt: audit.at, revision: record.revision + 1 };
}

async function sourceCase(tx: Repositories, record: DishonestyRow) {
  const kase = record.sourceCaseId === null ? undefined : await tx.cases.get(record.sourceCaseId);
  if (!kase) throw new AppError('INTERNAL_ERROR', '找不到失信记录的来源案件', { recordId: record.id });
  return kase;
}

export async function approveDishonestyRecord(deps: Deps, id: number, actor: Actor): Promise<DishonestyRow> {
  const { record, at, today } = await decidable(deps, id, 'approve', actor);
  return deps.store.transaction(async (tx) => {
    const kase = await sourceCase(tx, record);
    const facts = decryptFacts(deps, record);
    const notice = await issueDocument(tx, deps, {
      kase,
      body: {
        kind: 'dishonesty-notice',
        caseNumber: kase.number,
        recordNumber: record.number,
        applicantName: deps.crypto.decrypt(kase.applicantNameEnc),
        subjects: decryptSubjects(deps, record).map((subject) => ({
          name: subject.name,
          idNumberMasked: maskIdNumber(subject.idNumber),
          relation: subject.relation,
        })),
        concealed: facts.concealed,
        evidence: facts.evidence,
        legalBasis: record.legalBasis,
        approvedOn: today,
      },
      actor,
      at,
      issuedOn: today,
    });
    return save(
      tx,
      record,
      {
        state: DISHONESTY_NEXT_STATE.approve,
        approvedBy: actor.userId,
        approvedAt: at,
        approvedOn: today,
        noticeDocumentId: notice.id,
      },
      {
        actor,
        action: 'DISHONESTY_RECORD_APPROVED',
        caseNumber: kase.number,
        at,
        details: { noticeNumber: notice.number, approvedOn: today },
      },
    );
  });
}

export async function rejectDishonestyRecord(
  deps: Deps,
  id: number,
  reason: string,
  actor: Actor,
): Promise<DishonestyRow> {
  if (!isWritten(reason)) throw new AppError('VALIDATION_FAILED', '请写明不予登记的理由');
  const { record, at } = await decidable(deps, id, 'reject', actor);
  return deps.store.transaction(async (tx) => {
    const kase = await sourceCase(tx, record);
    return save(
      tx,
      record,
      {
        state: DISHONESTY_NEXT_STATE.reject,
        rejectedBy: actor.userId,
        rejectedAt: at,
        rejectionReason: reason.trim(),
      },
      {
        actor,
        action: 'DISHONESTY_RECORD_REJECTED',
        caseNumber: kase.number,
        at,
        details: { reason: reason.trim() },
      },
    );
  });
}

/** On appeal (申诉): the record stays, revoked, with who revoked it, when and why. */
export async function revokeDishonestyRecord(
  deps: Deps,
  id: number,
  reason: string,
  actor: Actor,
): Promise<DishonestyRow> {
  if (!isWritten(reason)) throw new AppError('VALIDATION_FAILED', '请写明撤销的理由（申诉复核结果）');
  const { record, at } = await decidable(deps, id, 'revoke', actor);
  return deps.store.transaction(async (tx) => {
    const kase = await sourceCase(tx, record);
    if (record.noticeDocumentId !== null) await tx.dishonesty.revokeDocument(record.noticeDocumentId, at);
    return save(
      tx,
      record,
      {
        state: DISHONESTY_NEXT_STATE.revoke,
        revokedBy: actor.userId,
        revokedAt: at,
        revocationReason: reason.trim(),
      },
      {
        actor,
        action: 'DISHONESTY_RECORD_REVOKED',
        caseNumber: kase.number,
        at,
        details: { reason: reason.trim() },
      },
    );
  });
}

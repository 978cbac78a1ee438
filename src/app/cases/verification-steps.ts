import type { AuditAction } from '../../domain/audit/actions.ts';
import { appealDue, appealInTime, checkExtension, reviewDue } from '../../domain/cases/deadlines.ts';
import { SUSPENSION_GROUNDS, type SuspensionGround } from '../../domain/cases/documents.ts';
import { DEPARTMENTS, findDataset } from '../../domain/catalog/datasets.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { decryptResult } from '../assessment/stored-assessment.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import { draftIfConcealment } from '../dishonesty/draft-dishonesty.ts';
import type { Actor, CaseRow, Deps } from '../ports.ts';
import { checkWorkGroup } from './acceptance.ts';
import { caseForActor } from './case-access.ts';
import { takeStep } from './case-steps.ts';
import { assistanceTypeLabel, issueDocument } from './documents.ts';
import { reportBody } from './report-input.ts';

/**
 * The verification steps of a case (Q§15–20): the handler submits the report of the case's latest assessment,
 * a different reviewer approves it (the report is issued, numbered and fingerprinted) or sends it back with
 * reasons; the handler asks for an extension of at most 5 working days that the reviewer grants within the
 * 20-day ceiling (with its written notice); the requester appeals within 5 working days of the report.
 */

export function written(text: string, what: string): string {
  const trimmed = text.trim();
  if (trimmed.length < 2) throw new AppError('VALIDATION_FAILED', `请写明${what}`);
  return trimmed;
}

export async function submitReport(deps: Deps, caseId: number, remarks: string, actor: Actor) {
  const kase = await caseForActor(deps.store, caseId, actor);
  if (kase.assessmentId === null)
    throw new AppError('VALIDATION_FAILED', '本案尚未核对：请先运行核对，再提交报告', { caseId });
  return deps.store.transaction((tx) =>
    takeStep(tx, {
      kase,
      step: 'submit_report',
      actor,
      at: deps.clock.now().toISOString(),
      action: 'CASE_REPORT_SUBMITTED',
      details: { assessmentId: kase.assessmentId, remarks: remarks.trim() },
    }),
  );
}

export async function sendBackReport(deps: Deps, caseId: number, reasons: string, actor: Actor) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const why = written(reasons, '退回修改的理由');
  return deps.store.transaction((tx) =>
    takeStep(tx, {
      kase,
      step: 'send_back',
      actor,
      at: deps.clock.now().toISOString(),
      action: 'CASE_REPORT_SENT_BACK',
      details: { reasons: why },
    }),
  );
}

async function userName(deps: Deps, id: number | null): Promise<string> {
  return id === null ? '' : ((await deps.store.users.get(id))?.displayName ?? '');
}

/** The reviewer approves the report: it is issued to the requester, and the appeal period starts. */
export async function approveReport(deps: Deps, caseId: number, actor: Actor): Promise<CaseRow> {
  const kase = await caseForActor(deps.store, caseId, actor);
  const assessment =
    kase.assessmentId === null ? undefined : await deps.store.assessments.get(kase.assessmentId);
  if (!assessment) throw new AppError('VALIDATION_FAILED', '本案没有核对结果，不能出具报告', { caseId });
  const requester = await deps.store.organisations.get(kase.requesterOrganisationId);
  const calendar = await loadWorkdayCalendar(deps.store);
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  const at = now.toISOString();
  const appeal = appealDue(calendar, today);
  const body = reportBody({
    result: decryptResult(deps, assessment),
    caseNumber: kase.number,
    requester: requester?.name ?? '',
    assistanceType: assistanceTypeLabel(kase.assistanceType),
    handler: await userName(deps, kase.handlerId),
    reviewer: await userName(deps, kase.reviewerId),
    departmentName: (code) => DEPARTMENTS[code as keyof typeof DEPARTMENTS] ?? code,
    datasetName: (code) => findDataset(code)?.name ?? code,
  });
  const review = kase.state === 'review_awaiting_approval';
  const originalReport = review
    ? (await deps.store.cases.documents(kase.id)).find((d) => d.kind === 'report')
    : undefined;
  return deps.store.transaction(async (tx) => {
    const reported = await takeStep(tx, {
      kase,
      step: 'approve_report',
      actor,
      at,
      action: 'CASE_REPORT_APPROVED',
      patch: review
        ? { closedOn: today }
        : { reportedOn: today, appealDue: appeal.date, calendarVersion: appeal.calendarVersion },
      details: review
        ? {
            assessmentId: assessment.id,
            review: true,
            onTime: kase.reviewDue === null || today <= kase.reviewDue,
          }
        : {
            assessmentId: assessment.id,
            appealDue: appeal.date,
            onTime: kase.reportDue === null || today <= kase.reportDue,
          },
    });
    const report = await issueDocument(tx, deps, { kase: reported, body, actor, at, issuedOn: today });
    // After an appeal: the review result (复核结果告知书) names the original report and the new one.
    if (review)
      await issueDocument(tx, deps, {
        kase: reported,
        body: {
          kind: 'review-result',
          caseNumber: kase.number,
          applicantName: deps.crypto.decrypt(kase.applicantNameEnc),
          appealedOn: kase.appealedOn ?? today,
          reviewGroup: [`经办人：${body.workGroup.handler}`, `审核人：${body.workGroup.reviewer}`],
          resultSummary:
            '复核工作组已重新核对，复核后的核对报告附后；复核结果只陈述核对事实，不作是否给予救助的认定。',
          originalReportNumber: originalReport?.number ?? '',
          newReportNumber: report.number,
        },
        actor,
        at,
        issuedOn: today,
      });
    return reported;
  });
}

/** The handler asks for more time (Q§17): 1–5 working days, within the 20-day ceiling. */
export async function requestExtension(
  deps: Deps,
  caseId: number,
  input: { workdays: number; reason: string },
  actor: Actor,
) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const reason = written(input.reason, '延期的理由');
  const calendar = await loadWorkdayCalendar(deps.store);
  const check = checkExtension(
    calendar,
    kase.acceptedOn ?? '',
    kase.extensionWorkdays,
    input.workdays,
    kase.forceMajeureWorkdays,
  );
  if (!check.ok) throw new AppError('VALIDATION_FAILED', check.message, { code: check.code });
  const at = deps.clock.now().toISOString();
  return deps.store.transaction((tx) =>
    takeStep(tx, {
      kase,
      step: 'request_extension',
      actor,
      at,
      action: 'CASE_EXTENSION_REQUESTED',
      patch: {
        pendingRequest: {
          kind: 'extension',
          requestedBy: actor.userId ?? -1,
          requestedByName: actor.name,
          requestedAt: at,
          reason,
          workdays: input.workdays,
        },
      },
      details: { workdays: input.workdays, reason, newDue: check.newDue.date },
    }),
  );
}

/** The reviewer refuses a pending request in writing; the case goes on as before. */
type Refusal = {
  step: 'reject_extension' | 'reject_suspension' | 'reject_force_majeure';
  action: AuditAction;
  /** What the written reason is, for the message when it is missing. */
  what: string;
};

/**
 * A reviewer's decision on the pending request of a case (extension, suspension, force-majeure notice): the case
 * as stored, the clock read once; a refusal is written down and the case goes on as before, an approval is
 * `grant`'s to carry out.
 */
export async function decidePending(
  deps: Deps,
  caseId: number,
  input: { approve: boolean; reason?: string },
  actor: Actor,
  refusal: Refusal,
  grant: (decision: {
    kase: CaseRow;
    pending: CaseRow['pendingRequest'];
    today: string;
    at: string;
  }) => Promise<CaseRow>,
): Promise<CaseRow> {
  const kase = await caseForActor(deps.store, caseId, actor);
  const now = deps.clock.now();
  const at = now.toISOString();
  if (input.approve) return grant({ kase, pending: kase.pendingRequest, today: shanghaiDateOf(now), at });
  const why = written(input.reason ?? '', refusal.what);
  return deps.store.transaction((tx) =>
    takeStep(tx, {
      kase,
      step: refusal.step,
      action: refusal.action,
      actor,
      at,
      patch: { pendingRequest: null },
      details: { approved: false, reason: why },
    }),
  );
}

/** The reviewer grants (with the written notice to the requester) or refuses the pending extension. */
export async function decideExtension(
  deps: Deps,
  caseId: number,
  input: { approve: boolean; reason?: string },
  actor: Actor,
) {
  return decidePending(
    deps,
    caseId,
    input,
    actor,
    { step: 'reject_extension', action: 'CASE_EXTENSION_DECIDED', what: '不同意延期的理由' },
    async ({ kase, pending, today, at }) => {
      const workdays = pending?.kind === 'extension' ? (pending.workdays ?? 0) : 0;
      const calendar = await loadWorkdayCalendar(deps.store);
      const check = checkExtension(
        calendar,
        kase.acceptedOn ?? '',
        kase.extensionWorkdays,
        workdays,
        kase.forceMajeureWorkdays,
      );
      if (pending?.kind === 'extension' && !check.ok)
        throw new AppError('VALIDATION_FAILED', check.message, { code: check.code });
      return deps.store.transaction(async (tx) => {
        const extended = await takeStep(tx, {
          kase,
          step: 'approve_extension',
          actor,
          at,
          action: 'CASE_EXTENSION_DECIDED',
          patch: check.ok
            ? {
                pendingRequest: null,
                extensionWorkdays: kase.extensionWorkdays + workdays,
                reportDue: check.newDue.date,
                calendarVersion: check.newDue.calendarVersion,
              }
            : { pendingRequest: null },
          details: { approved: true, workdays, reportDue: check.ok ? check.newDue.date : kase.reportDue },
        });
        if (check.ok)
          await issueDocument(tx, deps, {
            kase: extended,
            body: {
              kind: 'extension-notice',
              caseNumber: kase.number,
              applicantName: deps.crypto.decrypt(kase.applicantNameEnc),
              reason: pending?.reason ?? '',
              extensionWorkingDays: workdays,
              originalDueOn: kase.reportDue ?? '',
              newDueOn: check.newDue.date,
            },
            actor,
            at,
            issuedOn: today,
          });
        return extended;
      });
    },
  );
}

/**
 * The requester files the family's appeal (Q§20) within 5 working days of receiving the report (the day it was
 * issued on the platform); a later one is refused with the deadline. The review is due 10 working days later.
 */
export async function fileAppeal(deps: Deps, caseId: number, reason: string, actor: Actor) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const why = written(reason, '申诉的理由');
  const calendar = await loadWorkdayCalendar(deps.store);
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  if (
    kase.state === 'reported' &&
    kase.reportedOn !== null &&
    !appealInTime(calendar, kase.reportedOn, today)
  )
    throw new AppError(
      'VALIDATION_FAILED',
      `申诉期限已过：应在收到核对报告之日起 5 个工作日内（${kase.appealDue} 前）提出`,
      {
        code: 'APPEAL_TOO_LATE',
        appealDue: kase.appealDue,
      },
    );
  const due = reviewDue(calendar, today);
  return deps.store.transaction((tx) =>
    takeStep(tx, {
      kase,
      step: 'appeal',
      actor,
      at: now.toISOString(),
      action: 'CASE_APPEALED',
      patch: { appealedOn: today, reviewDue: due.date },
      details: { reason: why, reviewDue: due.date },
    }),
  );
}

/**
 * The handler proposes a suspension (Q§18: concealment or false materials, refusal to cooperate, a programme's
 * own rule) with written reasons; the reviewer approves it — the case goes back to the requester with the
 * 中止通知书 recommending that the application's review be suspended — or refuses it.
 */
export async function requestSuspension(
  deps: Deps,
  caseId: number,
  input: { grounds: SuspensionGround[]; reason: string; programmeRule?: string },
  actor: Actor,
) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const reason = written(input.reason, '中止的理由');
  const grounds = [...new Set(input.grounds)].filter((g) => SUSPENSION_GROUNDS.includes(g));
  if (grounds.length === 0) throw new AppError('VALIDATION_FAILED', '请选择中止的情形（第十八条）');
  const rule = input.programmeRule?.trim() ?? '';
  if (grounds.includes('programme-rule') && rule === '')
    throw new AppError('VALIDATION_FAILED', '依据救助项目规定中止的，请写明所依据的规定');
  const at = deps.clock.now().toISOString();
  return deps.store.transaction((tx) =>
    takeStep(tx, {
      kase,
      step: 'request_suspension',
      actor,
      at,
      action: 'CASE_SUSPENSION_REQUESTED',
      patch: {
        pendingRequest: {
          kind: 'suspension',
          requestedBy: actor.userId ?? -1,
          requestedByName: actor.name,
          requestedAt: at,
          reason,
          grounds,
          ...(rule !== '' ? { programmeRule: rule } : {}),
        },
      },
      details: { grounds, reason },
    }),
  );
}

export async function decideSuspension(
  deps: Deps,
  caseId: number,
  input: { approve: boolean; reason?: string },
  actor: Actor,
) {
  return decidePending(
    deps,
    caseId,
    input,
    actor,
    { step: 'reject_suspension', action: 'CASE_SUSPENSION_DECIDED', what: '不同意中止的理由' },
    async ({ kase, pending, today, at }) => {
      return deps.store.transaction(async (tx) => {
        const suspended = await takeStep(tx, {
          kase,
          step: 'approve_suspension',
          actor,
          at,
          action: 'CASE_SUSPENSION_DECIDED',
          patch: { pendingRequest: null, closedOn: today },
          details: { approved: true, grounds: pending?.grounds ?? [] },
        });
        await issueDocument(tx, deps, {
          kase: suspended,
          body: {
            kind: 'suspension-notice',
            caseNumber: kase.number,
            applicantName: deps.crypto.decrypt(kase.applicantNameEnc),
            grounds: (pending?.grounds ?? []) as SuspensionGround[],
            reasons: pending?.reason ?? '',
            ...(pending?.programmeRule !== undefined ? { programmeRule: pending.programmeRule } : {}),
          },
          actor,
          at,
          issuedOn: today,
        });
        // 第二十四条: a suspension for concealment or false materials drafts a dishonesty record (approved apart).
        await draftIfConcealment(tx, deps, suspended, actor, pending);
        return suspended;
      });
    },
  );
}

/** After an appeal, a review group without the original handler takes the case (Q§20). */
export async function assignReview(
  deps: Deps,
  caseId: number,
  group: { handlerId: number; reviewerId: number },
  actor: Actor,
) {
  const kase = await caseForActor(deps.store, caseId, actor);
  await checkWorkGroup(deps.store, kase, group);
  return deps.store.transaction((tx) =>
    takeStep(tx, {
      kase,
      step: 'assign_review',
      actor,
      at: deps.clock.now().toISOString(),
      action: 'CASE_REVIEW_ASSIGNED',
      assignment: group,
      patch: { handlerId: group.handlerId, reviewerId: group.reviewerId },
      details: { handlerId: group.handlerId, reviewerId: group.reviewerId, reviewDue: kase.reviewDue },
    }),
  );
}

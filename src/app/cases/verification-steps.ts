import { appealDue, appealInTime, checkExtension, reviewDue } from '../../domain/cases/deadlines.ts';
import { DEPARTMENTS, findDataset } from '../../domain/catalog/datasets.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { decryptResult } from '../assessment/run-assessment.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import type { Actor, CaseRow, Deps } from '../ports.ts';
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

function written(text: string, what: string): string {
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
  return deps.store.transaction(async (tx) => {
    const reported = await takeStep(tx, {
      kase,
      step: 'approve_report',
      actor,
      at,
      action: 'CASE_REPORT_APPROVED',
      patch: { reportedOn: today, appealDue: appeal.date, calendarVersion: appeal.calendarVersion },
      details: {
        assessmentId: assessment.id,
        appealDue: appeal.date,
        onTime: kase.reportDue === null || today <= kase.reportDue,
      },
    });
    await issueDocument(tx, deps, { kase: reported, body, actor, at, issuedOn: today });
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
  const check = checkExtension(calendar, kase.acceptedOn ?? '', kase.extensionWorkdays, input.workdays);
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

/** The reviewer grants (with the written notice to the requester) or refuses the pending extension. */
export async function decideExtension(
  deps: Deps,
  caseId: number,
  input: { approve: boolean; reason?: string },
  actor: Actor,
) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const pending = kase.pendingRequest;
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  const at = now.toISOString();
  if (!input.approve) {
    const why = written(input.reason ?? '', '不同意延期的理由');
    return deps.store.transaction((tx) =>
      takeStep(tx, {
        kase,
        step: 'reject_extension',
        actor,
        at,
        action: 'CASE_EXTENSION_DECIDED',
        patch: { pendingRequest: null },
        details: { approved: false, reason: why },
      }),
    );
  }
  const workdays = pending?.kind === 'extension' ? (pending.workdays ?? 0) : 0;
  const calendar = await loadWorkdayCalendar(deps.store);
  const check = checkExtension(calendar, kase.acceptedOn ?? '', kase.extensionWorkdays, workdays);
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

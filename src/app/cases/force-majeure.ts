import { ceilingDate, checkForceMajeureExtension, reportDue } from '../../domain/cases/deadlines.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import type { Actor, Deps } from '../ports.ts';
import { caseForActor } from './case-access.ts';
import { takeStep } from './case-steps.ts';
import { issueDocument } from './documents.ts';
import { decidePending, written } from './verification-steps.ts';

/**
 * Force majeure (Q§17 ¶2: 因自然灾害等不可抗力导致无法在规定期限内完成核对工作的，应当及时告知委托部门，并根据委托部门要求，
 * 延长核对时间或终止核对). The handler reports the event; the reviewer (never the handler) approves the
 * 不可抗力告知书 to the requester; the requester then asks for more time — the report's due date and the ceiling
 * move by those working days, with a 延期告知书 — or for termination, with the 终止核对通知书. The agency never
 * terminates on its own.
 */

export async function reportForceMajeure(deps: Deps, caseId: number, input: { event: string }, actor: Actor) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const event = written(input.event, '不可抗力情况');
  const at = deps.clock.now().toISOString();
  return deps.store.transaction((tx) =>
    takeStep(tx, {
      kase,
      step: 'report_force_majeure',
      actor,
      at,
      action: 'CASE_FORCE_MAJEURE_REPORTED',
      patch: {
        pendingRequest: {
          kind: 'force_majeure',
          requestedBy: actor.userId ?? -1,
          requestedByName: actor.name,
          requestedAt: at,
          reason: event,
        },
      },
      details: { event },
    }),
  );
}

/** The reviewer approves the notice (it goes to the requester, who must now choose) or refuses it in writing. */
export async function decideForceMajeure(
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
    { step: 'reject_force_majeure', action: 'CASE_FORCE_MAJEURE_DECIDED', what: '不同意的理由' },
    async ({ kase, pending, today, at }) => {
      const event = pending?.kind === 'force_majeure' ? pending.reason : '';
      return deps.store.transaction(async (tx) => {
        // The step is checked (and the revision taken) before the notice is numbered.
        const decided = await takeStep(tx, {
          kase,
          step: 'approve_force_majeure',
          actor,
          at,
          action: 'CASE_FORCE_MAJEURE_DECIDED',
          details: { approved: true, event },
        });
        const notice = await issueDocument(tx, deps, {
          kase: decided,
          body: {
            kind: 'force-majeure-notice',
            caseNumber: kase.number,
            applicantName: deps.crypto.decrypt(kase.applicantNameEnc),
            event,
            reportDueOn: kase.reportDue ?? today,
          },
          actor,
          at,
          issuedOn: today,
        });
        const choice = {
          kind: 'force_majeure_choice' as const,
          requestedBy: pending?.requestedBy ?? -1,
          requestedByName: pending?.requestedByName ?? null,
          requestedAt: pending?.requestedAt ?? at,
          reason: event,
          forceMajeureNoticeOn: today,
          forceMajeureNoticeNumber: notice.number,
        };
        if (!(await tx.cases.update(decided.id, decided.revision, { pendingRequest: choice })))
          throw new AppError('CONFLICT', '案件已被他人更新，请刷新后重试', { caseId });
        return { ...decided, pendingRequest: choice, revision: decided.revision + 1 };
      });
    },
  );
}

export type ForceMajeureAnswer =
  | { choice: 'extend'; workdays: number; reason: string }
  | { choice: 'terminate'; reason: string };

/** The requester answers the notice: more time (1–20 working days each time) or termination. */
export async function answerForceMajeure(
  deps: Deps,
  caseId: number,
  input: ForceMajeureAnswer,
  actor: Actor,
) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const reason = written(input.reason, input.choice === 'extend' ? '延长核对时间的要求' : '终止核对的要求');
  const pending = kase.pendingRequest;
  const now = deps.clock.now();
  const at = now.toISOString();
  const issuedOn = shanghaiDateOf(now);
  const applicantName = deps.crypto.decrypt(kase.applicantNameEnc);
  if (input.choice === 'terminate')
    return deps.store.transaction(async (tx) => {
      const terminated = await takeStep(tx, {
        kase,
        step: 'terminate',
        actor,
        at,
        action: 'CASE_TERMINATED',
        patch: { pendingRequest: null, closedOn: issuedOn },
        details: { reason, forceMajeureNotice: pending?.forceMajeureNoticeNumber ?? null },
      });
      await issueDocument(tx, deps, {
        kase: terminated,
        body: {
          kind: 'termination-notice',
          caseNumber: kase.number,
          applicantName,
          event: pending?.reason ?? '',
          forceMajeureNoticeNumber: pending?.forceMajeureNoticeNumber ?? '',
          requestedOn: issuedOn,
          requestReason: reason,
        },
        actor,
        at,
        issuedOn,
      });
      return terminated;
    });

  const range = checkForceMajeureExtension(input.workdays);
  if (!range.ok) throw new AppError('VALIDATION_FAILED', range.message, { code: range.code });
  const calendar = await loadWorkdayCalendar(deps.store);
  const acceptedOn = kase.acceptedOn ?? issuedOn;
  const total = kase.forceMajeureWorkdays + input.workdays;
  const due = reportDue(calendar, acceptedOn, kase.extensionWorkdays, total);
  const ceiling = ceilingDate(calendar, acceptedOn, total);
  return deps.store.transaction(async (tx) => {
    const extended = await takeStep(tx, {
      kase,
      step: 'force_majeure_extend',
      actor,
      at,
      action: 'CASE_FORCE_MAJEURE_EXTENDED',
      patch: {
        pendingRequest: null,
        forceMajeureWorkdays: total,
        reportDue: due.date,
        ceilingDate: ceiling.date,
        calendarVersion: due.calendarVersion,
      },
      details: { workdays: input.workdays, reason, reportDue: due.date, ceilingDate: ceiling.date },
    });
    await issueDocument(tx, deps, {
      kase: extended,
      body: {
        kind: 'extension-notice',
        caseNumber: kase.number,
        applicantName,
        reason: pending?.reason ?? '',
        extensionWorkingDays: input.workdays,
        originalDueOn: kase.reportDue ?? issuedOn,
        newDueOn: due.date,
        forceMajeure: { requestedOn: issuedOn },
      },
      actor,
      at,
      issuedOn,
    });
    return extended;
  });
}

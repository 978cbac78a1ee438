import { isInRegionScope } from '../../domain/access/scope.ts';
import { acceptanceDue, ceilingDate, REPORT_WORKDAYS, reportDue } from '../../domain/cases/deadlines.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import type { Actor, CaseRow, Deps, Repositories } from '../ports.ts';
import { caseForActor, isAgencyActor } from './case-access.ts';
import { takeStep } from './case-steps.ts';
import { assistanceTypeLabel, issueDocument } from './documents.ts';

/**
 * Acceptance (受理, Q§15–16): within 3 working days of receipt the agency accepts a complete request — every
 * member's authorization on file — and names its work group (a handler and a different reviewer, 专人专岗),
 * or returns it as incomplete with written reasons. The report falls due 7 working days after acceptance and
 * the case may never run past 20.
 */

/** The proposed handler and reviewer are active agency users of the case's region; the reviewer reviews. */
export async function checkWorkGroup(
  repos: Repositories,
  kase: CaseRow,
  group: { handlerId: number; reviewerId: number },
): Promise<void> {
  for (const [userId, role, label] of [
    [group.handlerId, null, '经办人'],
    [group.reviewerId, 'agency_reviewer', '审核人'],
  ] as const) {
    const user = await repos.users.get(userId);
    const org = user ? await repos.organisations.get(user.organisationId) : undefined;
    const agencyUser =
      user?.active === true &&
      org?.kind === 'agency' &&
      isInRegionScope(kase.regionCode, org.regionCode) &&
      user.roles.some((r) => r === 'agency_staff' || r === 'agency_reviewer');
    if (!agencyUser)
      throw new AppError('VALIDATION_FAILED', `${label}须为负责本案区域的核对机构在职人员`, { userId });
    if (role !== null && !user.roles.includes(role))
      throw new AppError('VALIDATION_FAILED', `${label}须具有审核员角色`, { userId });
  }
}

export async function acceptCase(
  deps: Deps,
  caseId: number,
  group: { handlerId: number; reviewerId: number },
  actor: Actor,
): Promise<CaseRow> {
  const kase = await caseForActor(deps.store, caseId, actor);
  await checkWorkGroup(deps.store, kase, group);
  const calendar = await loadWorkdayCalendar(deps.store);
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  const due = reportDue(calendar, today, 0);
  const ceiling = ceilingDate(calendar, today);
  const [handler, reviewer] = await Promise.all([
    deps.store.users.get(group.handlerId),
    deps.store.users.get(group.reviewerId),
  ]);
  const at = now.toISOString();
  return deps.store.transaction(async (tx) => {
    const accepted = await takeStep(tx, {
      kase,
      step: 'accept',
      actor,
      at,
      action: 'CASE_ACCEPTED',
      assignment: group,
      patch: {
        acceptedOn: today,
        reportDue: due.date,
        ceilingDate: ceiling.date,
        calendarVersion: due.calendarVersion,
        handlerId: group.handlerId,
        reviewerId: group.reviewerId,
        originalHandlerId: group.handlerId,
      },
      details: {
        handlerId: group.handlerId,
        reviewerId: group.reviewerId,
        reportDue: due.date,
        ceilingDate: ceiling.date,
        lateAcceptance: today > kase.acceptanceDue,
      },
    });
    // 受理回执 (Q§15), to the requester.
    await issueDocument(tx, deps, {
      kase: accepted,
      body: {
        kind: 'receipt',
        caseNumber: kase.number,
        applicantName: deps.crypto.decrypt(kase.applicantNameEnc),
        memberCount: kase.memberCount,
        assistanceType: assistanceTypeLabel(kase.assistanceType),
        receivedOn: kase.receivedOn,
        acceptedOn: today,
        reportDueOn: due.date,
        reportDueWorkingDays: REPORT_WORKDAYS,
        workGroup: [`经办人：${handler?.displayName ?? ''}`, `审核人：${reviewer?.displayName ?? ''}`],
      },
      actor,
      at,
      issuedOn: today,
    });
    return accepted;
  });
}

function cleanReasons(reasons: readonly string[]): string[] {
  const cleaned = reasons.map((reason) => reason.trim()).filter((reason) => reason.length > 0);
  if (cleaned.length === 0) throw new AppError('VALIDATION_FAILED', '请写明退回补正的理由');
  return cleaned;
}

export async function returnCase(deps: Deps, caseId: number, reasons: readonly string[], actor: Actor) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const written = cleanReasons(reasons);
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.transaction(async (tx) => {
    const returned = await takeStep(tx, {
      kase,
      step: 'return',
      actor,
      at,
      action: 'CASE_RETURNED',
      details: { reasons: written },
    });
    // 退回补正通知书, with the written reasons.
    await issueDocument(tx, deps, {
      kase: returned,
      body: {
        kind: 'return-notice',
        caseNumber: kase.number,
        applicantName: deps.crypto.decrypt(kase.applicantNameEnc),
        receivedOn: kase.receivedOn,
        reasons: written,
      },
      actor,
      at,
      issuedOn: shanghaiDateOf(now),
    });
    return returned;
  });
}

/** The requester sends a returned case again: it is received anew, and acceptance is due 3 working days later. */
export async function resubmitCase(deps: Deps, caseId: number, actor: Actor) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const calendar = await loadWorkdayCalendar(deps.store);
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  const due = acceptanceDue(calendar, today);
  return deps.store.transaction((tx) =>
    takeStep(tx, {
      kase,
      step: 'resubmit',
      actor,
      at: now.toISOString(),
      action: 'CASE_RESUBMITTED',
      patch: {
        receivedAt: now.toISOString(),
        receivedOn: today,
        acceptanceDue: due.date,
        calendarVersion: due.calendarVersion,
      },
      details: { acceptanceDue: due.date },
    }),
  );
}

/** The agency users who may form a case's work group: active, of an agency covering its region. */
export async function workGroupCandidates(deps: Deps, caseId: number, actor: Actor) {
  const kase = await caseForActor(deps.store, caseId, actor);
  if (!isAgencyActor(actor)) throw new AppError('PERMISSION_DENIED', '只有核对机构可以查看工作组人选');
  const organisations = await deps.store.organisations.list(null);
  const agencies = new Map(
    organisations
      .filter(
        (org) => org.kind === 'agency' && org.active && isInRegionScope(kase.regionCode, org.regionCode),
      )
      .map((org) => [org.id, org]),
  );
  const users = await deps.store.users.list({ regionScope: null });
  return users
    .filter((user) => user.active && agencies.has(user.organisationId))
    .filter((user) => user.roles.some((role) => role === 'agency_staff' || role === 'agency_reviewer'))
    .map((user) => ({
      id: user.id,
      displayName: user.displayName,
      organisationName: agencies.get(user.organisationId)?.name ?? '',
      canHandle: true,
      canReview: user.roles.includes('agency_reviewer'),
      /** The handler of the original verification may not sit in a review group (Q§20). */
      originalHandler: user.id === kase.originalHandlerId,
    }));
}

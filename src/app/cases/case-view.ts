import type { WorkdayCalendar } from '../../domain/calendar/working-days.ts';
import { workdaysLeft } from '../../domain/cases/deadlines.ts';
import { CASE_STATE_LABELS, type CaseState, FINAL_STATES } from '../../domain/cases/workflow.ts';
import { maskIdNumber } from '../../domain/identity/id-number.ts';
import { maskName } from '../../domain/privacy/masking.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import type { Actor, CaseRow, Deps } from '../ports.ts';
import { caseForActor, isAgencyActor, membersWithoutAuthorizationOf } from './case-access.ts';
import { caseEscalations, pendingEscalationDue, pendingEscalationDues } from './escalation.ts';

/**
 * A case as its users see it: state, deadlines with the working days left (negative once passed), members with
 * masked ID numbers, the papers on file, every step taken. Lists carry no personal data beyond the applicant's
 * name, masked.
 */

export interface StoredHousehold {
  assistanceType: string;
  members: {
    idNumber: string;
    name: string;
    relation: string;
    coResiding: boolean;
    exclusion: string | null;
    declaredIncome?: Record<string, number>;
  }[];
  declaredAssets?: Record<string, unknown>;
}

export interface Deadline {
  kind: 'acceptance' | 'report' | 'ceiling' | 'appeal' | 'review';
  due: string;
  workdaysLeft: number | null;
}

/** A deadline as the case views show it: also the earliest due date of pending sub-requests (上级协助核对). */
export type ViewDeadline = Deadline | { kind: 'escalation'; due: string; workdaysLeft: number | null };

export function decryptHousehold(deps: Deps, kase: CaseRow): StoredHousehold {
  return JSON.parse(deps.crypto.decrypt(kase.householdEnc)) as StoredHousehold;
}

/** 王建军 → 王**: a list shows whose case it is without spelling out the name (domain/privacy/masking.ts). */
export { maskName };

function left(calendar: WorkdayCalendar, today: string, due: string): number | null {
  try {
    return workdaysLeft(calendar, today, due);
  } catch {
    // A due date in a year the calendar does not cover yet: shown without a count, never guessed.
    return null;
  }
}

/** The deadlines that matter in the case's state. */
export function deadlinesOf(kase: CaseRow, calendar: WorkdayCalendar, today: string): Deadline[];
export function deadlinesOf(
  kase: CaseRow,
  calendar: WorkdayCalendar,
  today: string,
  escalationDue: string | null,
): ViewDeadline[];
export function deadlinesOf(
  kase: CaseRow,
  calendar: WorkdayCalendar,
  today: string,
  escalationDue: string | null = null,
): ViewDeadline[] {
  const state = kase.state as CaseState;
  if (FINAL_STATES.has(state)) return [];
  const out: ViewDeadline[] = [];
  const add = (kind: ViewDeadline['kind'], due: string | null) => {
    if (due !== null) out.push({ kind, due, workdaysLeft: left(calendar, today, due) });
  };
  if (state === 'submitted') add('acceptance', kase.acceptanceDue);
  if (state === 'verifying' || state === 'awaiting_approval') {
    add('report', kase.reportDue);
    add('ceiling', kase.ceilingDate);
  }
  if (state === 'reported') add('appeal', kase.appealDue);
  if (state === 'appealed' || state === 'reviewing' || state === 'review_awaiting_approval')
    add('review', kase.reviewDue);
  add('escalation', escalationDue);
  return out;
}

export function caseSummary(
  deps: Deps,
  kase: CaseRow,
  calendar: WorkdayCalendar,
  today: string,
  escalationDue: string | null = null,
) {
  return {
    id: kase.id,
    number: kase.number,
    state: kase.state as CaseState,
    stateLabel: CASE_STATE_LABELS[kase.state as CaseState] ?? kase.state,
    regionCode: kase.regionCode,
    assistanceType: kase.assistanceType,
    requesterOrganisationId: kase.requesterOrganisationId,
    applicant: maskName(deps.crypto.decrypt(kase.applicantNameEnc)),
    memberCount: kase.memberCount,
    receivedOn: kase.receivedOn,
    acceptedOn: kase.acceptedOn,
    reportDue: kase.reportDue,
    handlerId: kase.handlerId,
    reviewerId: kase.reviewerId,
    extensionWorkdays: kase.extensionWorkdays,
    pendingRequest: kase.pendingRequest?.kind ?? null,
    deadlines: deadlinesOf(kase, calendar, today, escalationDue),
    updatedAt: kase.updatedAt,
  };
}

export async function listCases(
  deps: Deps,
  filter: { states?: string[]; mine?: boolean; updatedSince?: string; offset: number; limit: number },
  actor: Actor,
) {
  const agency = isAgencyActor(actor);
  const { items, total } = await deps.store.cases.list({
    regionScope: agency ? actor.regionCode : null,
    ...(agency ? {} : { requesterOrganisationId: actor.organisationId ?? -1 }),
    ...(filter.states !== undefined ? { states: filter.states } : {}),
    ...(filter.mine && actor.userId !== null ? { memberOf: actor.userId } : {}),
    ...(filter.updatedSince !== undefined ? { updatedSince: filter.updatedSince } : {}),
    offset: filter.offset,
    limit: filter.limit,
  });
  const calendar = await loadWorkdayCalendar(deps.store);
  const today = shanghaiDateOf(deps.clock.now());
  const escalationDues = agency
    ? await pendingEscalationDues(
        deps,
        items.map((kase) => kase.id),
      )
    : new Map();
  return {
    total,
    items: items.map((kase) => caseSummary(deps, kase, calendar, today, escalationDues.get(kase.id) ?? null)),
  };
}

/** One case in full, audited as a look at its personal data. */
export async function getCase(deps: Deps, caseId: number, actor: Actor) {
  const kase = await caseForActor(deps.store, caseId, actor);
  const [attachments, events, documents, calendar] = await Promise.all([
    deps.store.cases.attachments(kase.id),
    deps.store.cases.events(kase.id),
    deps.store.cases.documents(kase.id),
    loadWorkdayCalendar(deps.store),
  ]);
  const today = shanghaiDateOf(deps.clock.now());
  const household = decryptHousehold(deps, kase);
  const escalations = await caseEscalations(deps, kase, actor);
  await deps.store.audit.append(
    actor,
    {
      action: 'CASE_VIEWED',
      outcome: 'success',
      objectType: 'case',
      objectId: String(kase.id),
      caseId: kase.number,
    },
    deps.clock.now().toISOString(),
  );
  return {
    ...caseSummary(deps, kase, calendar, today, pendingEscalationDue(escalations)),
    applicant: deps.crypto.decrypt(kase.applicantNameEnc),
    ceilingDate: kase.ceilingDate,
    forceMajeureWorkdays: kase.forceMajeureWorkdays,
    acceptanceDue: kase.acceptanceDue,
    calendarVersion: kase.calendarVersion,
    assessmentId: kase.assessmentId,
    members: household.members.map((member, index) => ({
      index,
      name: member.name,
      idNumberMasked: maskIdNumber(member.idNumber),
      relation: member.relation,
      coResiding: member.coResiding,
      exclusion: member.exclusion,
      declaredIncome: member.declaredIncome ?? null,
    })),
    declaredAssets: household.declaredAssets ?? null,
    missingAuthorizations: membersWithoutAuthorizationOf(kase, attachments),
    attachments: attachments.map(
      ({ id, kind, memberIndex, fileName, mediaType, bytes, sm3, uploadedAt }) => ({
        id,
        kind,
        memberIndex,
        fileName,
        mediaType,
        bytes,
        sm3,
        uploadedAt,
      }),
    ),
    events: events.map(({ id, at, actorName, step, fromState, toState, details }) => ({
      id,
      at,
      actorName,
      step,
      fromState,
      toState,
      details,
    })),
    documents: documents.map(({ id, kind, number, shortCode, issuedAt }) => ({
      id,
      kind,
      number,
      shortCode,
      issuedAt,
    })),
    escalations,
  };
}

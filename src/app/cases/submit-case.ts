import { parseHouseholdRequest } from '../../domain/assessment/household-request.ts';
import { acceptanceDue } from '../../domain/cases/deadlines.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import type { Actor, CaseRow, Deps } from '../ports.ts';
import { recordCaseEvent } from '../webhooks/outbox.ts';

/**
 * Entrustment (委托, Q§14): requester staff submit a household for verification; the case is numbered per
 * county and year, received today, and due for acceptance within 3 working days. The papers (ID documents,
 * pledge, one authorization per member) are uploaded to the case; it cannot be accepted without them.
 */

export interface SubmitCaseInput {
  assistanceType: unknown;
  members: unknown;
  declaredAssets?: unknown;
}

/** `HD-621002-2025-000123`: the county of the requester, the year, the county's running number. */
export function caseNumber(regionCode: string, year: string, sequence: number): string {
  return `HD-${regionCode.slice(0, 6)}-${year}-${String(sequence).padStart(6, '0')}`;
}

export async function submitCase(deps: Deps, input: SubmitCaseInput, actor: Actor): Promise<CaseRow> {
  if (!actor.roles.includes('requester_staff') || actor.organisationId === null || actor.regionCode === null)
    throw new AppError('PERMISSION_DENIED', '只有委托单位经办人可以提交核对委托');
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  const parsed = parseHouseholdRequest(
    {
      caseRef: 'PENDING',
      regionCode: actor.regionCode,
      assistanceType: input.assistanceType,
      members: input.members,
      declaredAssets: input.declaredAssets,
    },
    today,
  );
  if (!parsed.ok)
    throw new AppError('VALIDATION_FAILED', `委托信息有 ${parsed.problems.length} 处错误`, {
      errors: parsed.problems,
    });
  const request = parsed.request;
  const calendar = await loadWorkdayCalendar(deps.store);
  const due = acceptanceDue(calendar, today);
  const at = now.toISOString();
  const household = {
    assistanceType: request.assistanceType,
    members: (input.members as { declaredIncome?: unknown }[]).map((raw, index) => {
      const member = request.members[index];
      return {
        idNumber: member?.idNumber,
        name: member?.name,
        relation: member?.relation,
        coResiding: member?.coResiding,
        exclusion: member?.exclusion,
        ...(raw.declaredIncome !== undefined ? { declaredIncome: raw.declaredIncome } : {}),
      };
    }),
    ...(input.declaredAssets !== undefined ? { declaredAssets: input.declaredAssets } : {}),
  };
  const applicant = request.members[0]?.name ?? '';
  return deps.store.transaction(async (tx) => {
    const sequence = await tx.cases.nextNumber(`case:${actor.regionCode?.slice(0, 6)}:${today.slice(0, 4)}`);
    const kase = await tx.cases.create({
      number: caseNumber(actor.regionCode as string, today.slice(0, 4), sequence),
      requesterOrganisationId: actor.organisationId as number,
      regionCode: actor.regionCode as string,
      assistanceType: request.assistanceType,
      state: 'submitted',
      memberCount: request.members.length,
      applicantNameEnc: deps.crypto.encrypt(applicant),
      householdEnc: deps.crypto.encrypt(JSON.stringify(household)),
      receivedAt: at,
      receivedOn: today,
      acceptanceDue: due.date,
      acceptedOn: null,
      reportDue: null,
      ceilingDate: null,
      extensionWorkdays: 0,
      forceMajeureWorkdays: 0,
      calendarVersion: due.calendarVersion,
      handlerId: null,
      reviewerId: null,
      originalHandlerId: null,
      pendingRequest: null,
      assessmentId: null,
      reportedOn: null,
      appealDue: null,
      appealedOn: null,
      reviewDue: null,
      closedOn: null,
      createdAt: at,
      createdBy: actor.userId,
      updatedAt: at,
    });
    await recordCaseEvent(tx, kase, {
      at,
      actorId: actor.userId,
      actorName: actor.name,
      step: 'submit',
      fromState: null,
      toState: 'submitted',
      details: { acceptanceDue: due.date, members: request.members.length },
    });
    await tx.audit.append(
      actor,
      {
        action: 'CASE_SUBMITTED',
        outcome: 'success',
        objectType: 'case',
        objectId: String(kase.id),
        caseId: kase.number,
        details: {
          assistanceType: request.assistanceType,
          members: request.members.length,
          acceptanceDue: due.date,
        },
      },
      at,
    );
    return kase;
  });
}

import type { Role } from '../../domain/access/roles.ts';
import { isInRegionScope } from '../../domain/access/scope.ts';
import { membersWithoutAuthorization } from '../../domain/cases/attachments.ts';
import type { CaseForSteps, CaseState, StepActor } from '../../domain/cases/workflow.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, CaseAttachmentRow, CaseRow, Repositories } from '../ports.ts';

/**
 * Who may see a case: the agency users of its region (and of the regions above), and the requester that
 * entrusted it. Anyone else is told it does not exist (404), like any object out of scope.
 */

const AGENCY_ROLES: readonly Role[] = ['agency_staff', 'agency_reviewer'];

export function isAgencyActor(actor: Actor): boolean {
  return actor.roles.some((role) => AGENCY_ROLES.includes(role));
}

export function isRequesterOf(actor: Actor, kase: CaseRow): boolean {
  return actor.roles.includes('requester_staff') && actor.organisationId === kase.requesterOrganisationId;
}

export function canSeeCase(actor: Actor, kase: CaseRow): boolean {
  return (
    (isAgencyActor(actor) && isInRegionScope(kase.regionCode, actor.regionCode)) || isRequesterOf(actor, kase)
  );
}

export async function caseForActor(repos: Repositories, id: number, actor: Actor): Promise<CaseRow> {
  const kase = await repos.cases.get(id);
  if (!kase || !canSeeCase(actor, kase))
    throw new AppError('OUT_OF_SCOPE', '案件不存在或不在您的数据范围内', { caseId: id });
  return kase;
}

export function stepActorOf(actor: Actor, kase: CaseRow): StepActor {
  return {
    userId: actor.userId ?? -1,
    agency: isAgencyActor(actor) && isInRegionScope(kase.regionCode, actor.regionCode),
    requester: isRequesterOf(actor, kase),
  };
}

/** The members (0-based) still without an authorization on file. */
export function membersWithoutAuthorizationOf(
  kase: CaseRow,
  attachments: readonly CaseAttachmentRow[],
): number[] {
  return membersWithoutAuthorization(
    kase.memberCount,
    attachments
      .filter((attachment) => attachment.kind === 'authorization')
      .map((attachment) => attachment.memberIndex),
  );
}

export function caseForSteps(kase: CaseRow, attachments: readonly CaseAttachmentRow[]): CaseForSteps {
  return {
    state: kase.state as CaseState,
    handlerId: kase.handlerId,
    reviewerId: kase.reviewerId,
    originalHandlerId: kase.originalHandlerId,
    allAuthorized: membersWithoutAuthorizationOf(kase, attachments).length === 0,
    pendingRequestBy: kase.pendingRequest?.requestedBy ?? null,
    pendingRequestKind: kase.pendingRequest?.kind ?? null,
  };
}

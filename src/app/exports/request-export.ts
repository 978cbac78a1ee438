import type { Role } from '../../domain/access/roles.ts';
import {
  describeTarget,
  EXPORT_KIND_LABELS,
  type ExportKind,
  type ExportRequestRow,
  type ExportTarget,
} from '../../domain/exports/export-request.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { caseForActor } from '../cases/case-access.ts';
import type { Actor, Deps } from '../ports.ts';

/** Who may ask for each kind of bulk export: the roles that could download it before approval was required. */
export const EXPORT_REQUESTER_ROLES: Readonly<Record<ExportKind, readonly Role[]>> = {
  dishonesty_records: ['agency_staff', 'agency_reviewer'],
  recheck_report_xlsx: ['requester_staff', 'agency_staff', 'agency_reviewer'],
  case_archive: ['requester_staff', 'agency_staff', 'agency_reviewer'],
  offline_exchange: ['department_officer', 'agency_staff', 'agency_reviewer'],
};

/**
 * Asks for a bulk export of personal data: what, for which case or recheck run, and why. Nothing leaves until an
 * agency reviewer other than the requester approves (decide-export.ts); the request is audited with its case.
 */
export async function requestExport(
  deps: Deps,
  input: { target: ExportTarget; reason: string },
  actor: Actor,
): Promise<ExportRequestRow> {
  const { target } = input;
  const reason = input.reason.trim();
  if (actor.userId === null || actor.organisationId === null || actor.regionCode === null)
    throw new AppError('PERMISSION_DENIED', '只有登录的工作人员可以申请导出');
  if (!EXPORT_REQUESTER_ROLES[target.kind].some((role) => actor.roles.includes(role)))
    throw new AppError('PERMISSION_DENIED', `您的角色不能申请导出${EXPORT_KIND_LABELS[target.kind]}`);
  if ([...reason].length < 4)
    throw new AppError('VALIDATION_FAILED', '请写明导出用途（至少 4 个字）', { field: 'reason' });
  let caseId: number | null = null;
  let caseNumber: string | null = null;
  if (target.kind === 'case_archive') {
    // The object-level check now, so a request for another county's case is refused before anyone reviews it.
    const kase = await caseForActor(deps.store, target.caseId, actor);
    caseId = kase.id;
    caseNumber = kase.number;
  }
  const recheckRunId = target.kind === 'recheck_report_xlsx' ? target.runId : null;
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const row = await tx.exportRequests.add({
      kind: target.kind,
      target,
      reason,
      caseId,
      recheckRunId,
      requestedBy: actor.userId as number,
      requestedByName: actor.name ?? '',
      requesterOrganisationId: actor.organisationId as number,
      requesterRegionCode: actor.regionCode as string,
      requestedAt: at,
    });
    await tx.audit.append(
      actor,
      {
        action: 'EXPORT_REQUESTED',
        outcome: 'success',
        objectType: 'export_request',
        objectId: String(row.id),
        caseId: caseNumber,
        details: { kind: target.kind, target: describeTarget(target, caseNumber), reason, recheckRunId },
      },
      at,
    );
    return row;
  });
}

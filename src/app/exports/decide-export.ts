import { isInRegionScope } from '../../domain/access/scope.ts';
import {
  assertDecidable,
  EXPORT_DOWNLOAD_HOURS,
  type ExportRequestRow,
} from '../../domain/exports/export-request.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, Repositories } from '../ports.ts';

/** An export request the actor (an agency reviewer) may see: its requester's region lies in the actor's scope. */
export async function exportRequestInScope(
  repos: Repositories,
  id: number,
  actor: Actor,
): Promise<ExportRequestRow> {
  const row = await repos.exportRequests.get(id);
  const own = row !== undefined && row.requestedBy === actor.userId;
  if (!row || !(own || isInRegionScope(row.requesterRegionCode, actor.regionCode)))
    throw new AppError('OUT_OF_SCOPE', '导出申请不存在或不在您的数据范围内', { exportId: id });
  return row;
}

/**
 * A reviewer approves or refuses an export request (four eyes: never their own). An approval opens a window of
 * EXPORT_DOWNLOAD_HOURS for one download by the requester. Both are audited with the request's case.
 */
export async function decideExport(
  deps: Deps,
  id: number,
  input: { approve: boolean; note?: string | null },
  actor: Actor,
): Promise<ExportRequestRow> {
  if (!actor.roles.includes('agency_reviewer'))
    throw new AppError('PERMISSION_DENIED', '只有核对机构审核员可以审批导出申请');
  const row = await exportRequestInScope(deps.store, id, actor);
  const note = input.note?.trim() || null;
  if (!input.approve && note === null)
    throw new AppError('VALIDATION_FAILED', '拒绝导出申请须写明理由', { field: 'note' });
  const now = deps.clock.now();
  const at = now.toISOString();
  const caseNumber = row.caseId === null ? null : ((await deps.store.cases.get(row.caseId))?.number ?? null);
  try {
    assertDecidable(row, actor.userId);
  } catch (e) {
    await deps.store.audit.append(
      actor,
      {
        action: input.approve ? 'EXPORT_APPROVED' : 'EXPORT_REFUSED',
        outcome: 'denied',
        objectType: 'export_request',
        objectId: String(row.id),
        caseId: caseNumber,
        details: { reason: e instanceof AppError ? e.message : String(e) },
      },
      at,
    );
    throw e;
  }
  const expiresAt = input.approve
    ? new Date(now.getTime() + EXPORT_DOWNLOAD_HOURS * 3_600_000).toISOString()
    : null;
  return deps.store.transaction(async (tx) => {
    const decided = await tx.exportRequests.decide(row.id, {
      state: input.approve ? 'approved' : 'refused',
      decidedBy: actor.userId as number,
      decidedByName: actor.name ?? '',
      decidedAt: at,
      decisionNote: note,
      expiresAt,
    });
    if (!decided) throw new AppError('CONFLICT', '该导出申请已处理', { code: 'EXPORT_ALREADY_DECIDED' });
    await tx.audit.append(
      actor,
      {
        action: input.approve ? 'EXPORT_APPROVED' : 'EXPORT_REFUSED',
        outcome: 'success',
        objectType: 'export_request',
        objectId: String(row.id),
        caseId: caseNumber,
        details: {
          kind: row.kind,
          requestedBy: row.requestedBy,
          note,
          expiresAt,
          recheckRunId: row.recheckRunId,
        },
      },
      at,
    );
    return (await tx.exportRequests.get(row.id)) as ExportRequestRow;
  });
}

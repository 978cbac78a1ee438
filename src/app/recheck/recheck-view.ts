import { isInRegionScope } from '../../domain/access/scope.ts';
import { maskIdNumber } from '../../domain/identity/id-number.ts';
import { ASSISTANCE_TYPE_LABELS, type AssistanceType } from '../../domain/policy/assistance-types.ts';
import { type AlertState, type AlertWork, checkAlertWork } from '../../domain/recheck/alerts.ts';
import { CHANGE_KIND_LABELS, type ChangeEvidence, type ChangeKind } from '../../domain/recheck/changes.ts';
import type { RosterMember } from '../../domain/roster/roster.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { recheckCaseRef } from '../assessment/run-assessment.ts';
import { canSeeCase, isAgencyActor } from '../cases/case-access.ts';
import { maskName } from '../cases/case-view.ts';
import type { Actor, Deps } from '../ports.ts';
import { sendEntrustmentRequest, withCaseNumbers } from './alert-cases.ts';
import type { AlertWithRequester, RecheckItemStatus, RunWithScope } from './recheck-repository.ts';
import { RECHECK_NOTICE } from './run-recheck.ts';

/**
 * Reading the monthly recheck: runs and their counts (no personal data), one run's families with members
 * masked (audited as a look at personal data, with the run as its purpose), the alert queue with each alert's
 * evidence (audited), and working an alert (audited). Agency staff and reviewers see the runs and alerts of
 * their region only; anything else is told not to exist (404).
 */

function agencyScope(actor: Actor): string | null {
  if (!isAgencyActor(actor)) throw new AppError('PERMISSION_DENIED', '只有核对机构人员可以查看每月复核');
  return actor.regionCode;
}

export function presentRun(run: RunWithScope) {
  const { leaseToken: _token, ...rest } = run;
  return rest;
}

export async function listRechecks(
  deps: Deps,
  filter: { month?: string; offset: number; limit: number },
  actor: Actor,
) {
  const { items, total } = await deps.store.rechecks.listRuns({ ...filter, regionScope: agencyScope(actor) });
  return { items: items.map(presentRun), total, notice: RECHECK_NOTICE };
}

async function runForActor(deps: Deps, id: number, actor: Actor): Promise<RunWithScope> {
  const scope = agencyScope(actor);
  const run = await deps.store.rechecks.getRun(id);
  if (!run || (scope !== null && !isInRegionScope(run.scopeRegionCode, scope)))
    throw new AppError('OUT_OF_SCOPE', '复核批次不存在或不在您的数据范围内', { runId: id });
  return run;
}

export async function getRecheck(
  deps: Deps,
  id: number,
  filter: { status?: RecheckItemStatus; changedOnly?: boolean; offset: number; limit: number },
  actor: Actor,
) {
  const run = await runForActor(deps, id, actor);
  const { items, total } = await deps.store.rechecks.listItems(id, filter);
  const families = [];
  for (const item of items) {
    const family = await deps.store.rechecks.rosterFamily(item.rosterFamilyId);
    const members = family ? (JSON.parse(deps.crypto.decrypt(family.membersEnc)) as RosterMember[]) : [];
    families.push({
      id: item.id,
      rosterFamilyId: item.rosterFamilyId,
      requesterOrganisationId: item.requesterOrganisationId,
      familyKey: item.familyKey,
      regionCode: family?.regionCode ?? null,
      assistanceType: family?.assistanceType ?? null,
      assistanceTypeLabel: family
        ? (ASSISTANCE_TYPE_LABELS[family.assistanceType as AssistanceType] ?? family.assistanceType)
        : null,
      members: members.map((m) => ({
        name: maskName(m.name),
        idNumberMasked: maskIdNumber(m.idNumber),
        relation: m.relation,
      })),
      status: item.status,
      assessmentId: item.assessmentId,
      changes: item.changes,
      errorCode: item.errorCode,
      updatedAt: item.updatedAt,
    });
  }
  await deps.store.audit.append(
    actor,
    {
      action: 'RECHECK_VIEWED',
      outcome: 'success',
      objectType: 'recheck_run',
      objectId: String(id),
      caseId: recheckCaseRef(id),
      details: { families: families.length, offset: filter.offset },
    },
    deps.clock.now().toISOString(),
  );
  return {
    run: presentRun(run),
    alertsByKind: await deps.store.rechecks.alertCounts(id),
    families,
    familyTotal: total,
    notice: RECHECK_NOTICE,
  };
}

function presentAlert(deps: Deps, alert: AlertWithRequester) {
  const { evidenceEnc, ...rest } = alert;
  const evidence = JSON.parse(deps.crypto.decrypt(evidenceEnc)) as ChangeEvidence;
  return { ...rest, kindLabel: CHANGE_KIND_LABELS[alert.kind as ChangeKind] ?? alert.kind, evidence };
}

export async function listRecheckAlerts(
  deps: Deps,
  filter: {
    state?: AlertState;
    requesterOrganisationId?: number;
    runId?: number;
    offset: number;
    limit: number;
  },
  actor: Actor,
) {
  const { items, total } = await deps.store.rechecks.listAlerts({
    ...filter,
    regionScope: agencyScope(actor),
  });
  if (items.length > 0)
    await deps.store.audit.append(
      actor,
      {
        action: 'RECHECK_ALERTS_VIEWED',
        outcome: 'success',
        objectType: 'recheck_alert',
        details: { alerts: items.map((a) => a.id), runs: [...new Set(items.map((a) => a.runId))] },
      },
      deps.clock.now().toISOString(),
    );
  return {
    items: await withCaseNumbers(
      deps,
      items.map((a) => presentAlert(deps, a)),
    ),
    total,
    notice: RECHECK_NOTICE,
  };
}

/** Confirms, dismisses (with a reason) or links an open alert to a case; the family's assistance is untouched. */
export async function workRecheckAlert(deps: Deps, id: number, work: AlertWork, actor: Actor) {
  const scope = agencyScope(actor);
  const alert = await deps.store.rechecks.getAlert(id);
  if (!alert || (scope !== null && !isInRegionScope(alert.requesterRegionCode, scope)))
    throw new AppError('OUT_OF_SCOPE', '预警不存在或不在您的数据范围内', { alertId: id });
  const check = checkAlertWork(alert.state, work);
  if (!check.ok)
    throw new AppError(
      check.code === 'ALERT_ALREADY_WORKED' ? 'CONFLICT' : 'VALIDATION_FAILED',
      check.message,
      {
        code: check.code,
        alertId: id,
      },
    );
  let caseNumber: string | null = null;
  if (check.caseId !== null) {
    const kase = await deps.store.cases.get(check.caseId);
    if (!kase || !canSeeCase(actor, kase) || kase.requesterOrganisationId !== alert.requesterOrganisationId)
      throw new AppError('VALIDATION_FAILED', '所填案件不存在，或不是该委托单位在您辖区内的案件', {
        code: 'CASE_NOT_USABLE',
        caseId: check.caseId,
      });
    caseNumber = kase.number;
  }
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    const worked = await tx.rechecks.workAlert(
      id,
      {
        state: check.state,
        caseId: check.caseId,
        reason: check.reason,
        workedBy: actor.userId,
        workedByName: actor.name,
        workedAt: at,
      },
      alert.state,
    );
    if (!worked)
      throw new AppError('CONFLICT', '该预警已被他人处理，请刷新后查看', {
        code: 'ALERT_ALREADY_WORKED',
        alertId: id,
      });
    await tx.audit.append(
      actor,
      {
        action: 'RECHECK_ALERT_WORKED',
        outcome: 'success',
        objectType: 'recheck_alert',
        objectId: String(id),
        caseId: caseNumber ?? recheckCaseRef(alert.runId),
        details: {
          runId: alert.runId,
          kind: alert.kind,
          familyKey: alert.familyKey,
          state: check.state,
          caseId: check.caseId,
          reason: check.reason,
          previousState: alert.state,
          // No case yet: the requester is asked to entrust one (issue #6 item 3).
          ...(check.state === 'awaiting_entrustment'
            ? { entrustmentNotice: await sendEntrustmentRequest(tx, alert, at) }
            : {}),
        },
      },
      at,
    );
  });
  const updated = await deps.store.rechecks.getAlert(id);
  if (!updated) throw new AppError('NOT_FOUND', '预警不存在', { alertId: id });
  const [presented] = await withCaseNumbers(deps, [presentAlert(deps, updated)]);
  return presented;
}

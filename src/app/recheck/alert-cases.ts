import { isInRegionScope } from '../../domain/access/scope.ts';
import { CASE_STATE_LABELS, type CaseState } from '../../domain/cases/workflow.ts';
import { CHANGE_KIND_LABELS, type ChangeKind } from '../../domain/recheck/changes.ts';
import type { RosterMember } from '../../domain/roster/roster.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { recheckCaseRef } from '../assessment/run-assessment.ts';
import { canSeeCase, isAgencyActor } from '../cases/case-access.ts';
import { decryptHousehold, maskName } from '../cases/case-view.ts';
import type { Actor, Deps, Repositories } from '../ports.ts';
import type { AlertWithRequester } from './recheck-repository.ts';
import { RECHECK_NOTICE } from './run-recheck.ts';

/**
 * Working an alert into a case (issue #6 item 3, "转为案件"). The platform never drafts a case by itself
 * (无委托、不核对): the handler links the alert to a case the requester entrusted for the family — listed here,
 * matched member by member through the blind index of the ID number — or, when there is none yet, asks the
 * requester to entrust one: the alert waits (`awaiting_entrustment`) and the requester gets a notice naming the
 * family key and the change kinds, without any personal data.
 */

export const ENTRUSTMENT_NOTICE_KIND = 'recheck_entrustment';
const PAGE = 200;

async function alertForActor(deps: Deps, id: number, actor: Actor): Promise<AlertWithRequester> {
  if (!isAgencyActor(actor)) throw new AppError('PERMISSION_DENIED', '只有核对机构人员可以处理变化预警');
  const alert = await deps.store.rechecks.getAlert(id);
  if (!alert || (actor.regionCode !== null && !isInRegionScope(alert.requesterRegionCode, actor.regionCode)))
    throw new AppError('OUT_OF_SCOPE', '预警不存在或不在您的数据范围内', { alertId: id });
  return alert;
}

/** The blind indexes of the ID numbers of the alert's roster family. */
async function familyPersonKeys(deps: Deps, alert: AlertWithRequester): Promise<Set<string>> {
  const item = await deps.store.rechecks.getItem(alert.itemId);
  const family = item ? await deps.store.rechecks.rosterFamily(item.rosterFamilyId) : undefined;
  if (!family) throw new AppError('NOT_FOUND', '预警所属的名册家庭不存在', { alertId: alert.id });
  const members = JSON.parse(deps.crypto.decrypt(family.membersEnc)) as RosterMember[];
  return new Set(members.map((m) => deps.crypto.blindIndex(m.idNumber)));
}

export interface FamilyCase {
  id: number;
  number: string;
  state: string;
  stateLabel: string;
  receivedOn: string;
  acceptedOn: string | null;
  applicantName: string;
  /** How many of the case's members are members of the roster family. */
  matchedMembers: number;
  memberCount: number;
}

/**
 * The requester's cases (visible to the handler) with at least one member of the alert's family, newest first.
 * Audited as a look at whose cases a family has, with the run as its purpose.
 */
export async function alertFamilyCases(deps: Deps, alertId: number, actor: Actor) {
  const alert = await alertForActor(deps, alertId, actor);
  const keys = await familyPersonKeys(deps, alert);
  const cases: FamilyCase[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await deps.store.cases.list({
      regionScope: actor.regionCode,
      requesterOrganisationId: alert.requesterOrganisationId,
      offset,
      limit: PAGE,
    });
    for (const kase of items) {
      if (!canSeeCase(actor, kase)) continue;
      const household = decryptHousehold(deps, kase);
      const matched = household.members.filter((m) => keys.has(deps.crypto.blindIndex(m.idNumber))).length;
      if (matched === 0) continue;
      cases.push({
        id: kase.id,
        number: kase.number,
        state: kase.state,
        stateLabel: CASE_STATE_LABELS[kase.state as CaseState] ?? kase.state,
        receivedOn: kase.receivedOn,
        acceptedOn: kase.acceptedOn,
        applicantName: maskName(household.members[0]?.name ?? ''),
        matchedMembers: matched,
        memberCount: kase.memberCount,
      });
    }
    if (items.length < PAGE) break;
  }
  await deps.store.audit.append(
    actor,
    {
      action: 'RECHECK_ALERT_CASES_VIEWED',
      outcome: 'success',
      objectType: 'recheck_alert',
      objectId: String(alert.id),
      caseId: recheckCaseRef(alert.runId),
      details: { runId: alert.runId, familyKey: alert.familyKey, cases: cases.map((c) => c.number) },
    },
    deps.clock.now().toISOString(),
  );
  return { alertId: alert.id, familyKey: alert.familyKey, cases, notice: RECHECK_NOTICE };
}

/**
 * The requester's notice asking it to entrust a verification of the family (one per alert): the family key, the
 * month and the change kinds of the family's alerts in the run — no name, no ID number.
 */
export async function sendEntrustmentRequest(
  tx: Repositories,
  alert: AlertWithRequester,
  at: string,
): Promise<boolean> {
  const { items } = await tx.rechecks.listAlerts({
    regionScope: null,
    requesterOrganisationId: alert.requesterOrganisationId,
    runId: alert.runId,
    offset: 0,
    limit: 200,
  });
  const kinds = [
    ...new Set([alert.kind, ...items.filter((a) => a.familyKey === alert.familyKey).map((a) => a.kind)]),
  ];
  const labels = kinds.map((kind) => CHANGE_KIND_LABELS[kind as ChangeKind] ?? kind).join('、');
  return tx.notices.createOnce({
    organisationId: alert.requesterOrganisationId,
    kind: ENTRUSTMENT_NOTICE_KIND,
    dedupeKey: `recheck-alert:${alert.id}:entrustment`,
    title: `每月复核发现家庭 ${alert.familyKey} 情况变化，请委托核对`,
    body: `${alert.month} 每月复核发现名册家庭 ${alert.familyKey} 的数据变化：${labels}。如需核实，请为该家庭发起核对委托（提交委托及全体成员授权书）；受理后核对机构将把预警关联到该案件。预警本身不改变该家庭的救助待遇。`,
    createdAt: at,
  });
}

/** The alerts with the number of the case each is linked to (the screens show the number, not the id). */
export async function withCaseNumbers<T extends { caseId: number | null }>(
  deps: Deps,
  alerts: readonly T[],
): Promise<(T & { caseNumber: string | null })[]> {
  const numbers = new Map<number, string>();
  for (const id of new Set(alerts.map((a) => a.caseId).filter((id): id is number => id !== null))) {
    const kase = await deps.store.cases.get(id);
    if (kase) numbers.set(id, kase.number);
  }
  return alerts.map((a) => ({
    ...a,
    caseNumber: a.caseId === null ? null : (numbers.get(a.caseId) ?? null),
  }));
}

import { isInRegionScope } from '../../domain/access/scope.ts';
import {
  byUrgency,
  type CountedStep,
  countByState,
  nextDeadline,
  punctualityByAgency,
} from '../../domain/cases/dashboard.ts';
import { CASE_STATE_LABELS, CASE_STATES, type CaseState, FINAL_STATES } from '../../domain/cases/workflow.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import type { Actor, Deps } from '../ports.ts';
import { isAgencyActor } from './case-access.ts';
import { agencyDirectory } from './case-agency.ts';
import { deadlinesOf, maskName } from './case-view.ts';

/**
 * The case deadline dashboard (issue #5) for the caller's scope: agency users see the cases of their region
 * (a city agency its counties side by side), requesters their own organisation's cases. No personal data but
 * the applicant's name, masked, in the list of open cases; the look is audited.
 */

export interface DashboardQuery {
  from?: string;
  to?: string;
  regionCode?: string;
}

/** Enough for any agency's cases at once: the dashboard counts them all, it does not page. */
const ALL = 1_000_000;

export async function caseDashboard(deps: Deps, query: DashboardQuery, actor: Actor) {
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  const from = query.from ?? `${today.slice(0, 4)}-01-01`;
  const to = query.to ?? today;
  if (from > to) throw new AppError('VALIDATION_FAILED', '统计期间的开始日期不能晚于结束日期', { from, to });
  const agency = isAgencyActor(actor);
  if (agency && query.regionCode !== undefined && !isInRegionScope(query.regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '该区域不在您的数据范围内', { regionCode: query.regionCode });

  const [{ items: cases }, calendar, organisations, users] = await Promise.all([
    deps.store.cases.list({
      regionScope: agency ? (query.regionCode ?? actor.regionCode) : (query.regionCode ?? null),
      ...(agency ? {} : { requesterOrganisationId: actor.organisationId ?? -1 }),
      offset: 0,
      limit: ALL,
    }),
    loadWorkdayCalendar(deps.store),
    deps.store.organisations.list(null),
    deps.store.users.list({ regionScope: null }),
  ]);
  const directory = agencyDirectory(organisations, users);
  const agencyIdOf = new Map(cases.map((kase) => [kase.id, directory.agencyOf(kase)?.id ?? null]));

  const counts = countByState(cases.map((kase) => kase.state));
  const byState = CASE_STATES.map((state) => ({
    state,
    label: CASE_STATE_LABELS[state],
    count: counts[state] ?? 0,
  }));

  const open = byUrgency(
    cases
      .filter((kase) => !FINAL_STATES.has(kase.state as CaseState))
      .map((kase) => ({
        id: kase.id,
        number: kase.number,
        state: kase.state as CaseState,
        stateLabel: CASE_STATE_LABELS[kase.state as CaseState] ?? kase.state,
        regionCode: kase.regionCode,
        agencyId: agencyIdOf.get(kase.id) ?? null,
        applicant: maskName(deps.crypto.decrypt(kase.applicantNameEnc)),
        next: nextDeadline(deadlinesOf(kase, calendar, today)),
        calendarVersion: kase.calendarVersion,
      })),
  ).map(({ next, ...row }) => ({
    ...row,
    nextDeadline: next?.kind ?? null,
    due: next?.due ?? null,
    workdaysLeft: next?.workdaysLeft ?? null,
  }));
  const overdueAcceptance = open.filter(
    (row) =>
      row.state === 'submitted' &&
      row.nextDeadline === 'acceptance' &&
      row.workdaysLeft !== null &&
      row.workdaysLeft < 0,
  );

  const steps: CountedStep[] = (
    await deps.store.cases.stepEvents(
      cases.map((kase) => kase.id),
      ['approve_extension', 'approve_suspension'],
    )
  ).map((event) => ({
    caseId: event.caseId,
    kind: event.step === 'approve_extension' ? 'extension' : 'suspension',
    on: shanghaiDateOf(new Date(event.at)),
  }));
  const agencies = punctualityByAgency(
    cases.map((kase) => ({
      id: kase.id,
      agencyId: agencyIdOf.get(kase.id) ?? null,
      acceptanceDue: kase.acceptanceDue,
      acceptedOn: kase.acceptedOn,
      reportDue: kase.reportDue,
      reportedOn: kase.reportedOn,
      appealedOn: kase.appealedOn,
    })),
    steps,
    calendar,
    { from, to },
  ).map((row) => {
    const org = row.agencyId === null ? undefined : directory.organisation(row.agencyId);
    return { ...row, agencyName: org?.name ?? '未确定核对机构', regionCode: org?.regionCode ?? null };
  });

  await deps.store.audit.append(
    actor,
    {
      action: 'CASE_DASHBOARD_VIEWED',
      outcome: 'success',
      objectType: 'region',
      objectId: query.regionCode ?? (agency ? actor.regionCode : null),
      details: { from, to, cases: cases.length, openCases: open.length },
    },
    now.toISOString(),
  );
  return {
    today,
    period: { from, to },
    calendarVersion: calendar.versionStamp(),
    total: cases.length,
    byState,
    open,
    overdueAcceptance,
    agencies,
  };
}

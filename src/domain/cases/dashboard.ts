import type { WorkdayCalendar } from '../calendar/working-days.ts';

/**
 * The case deadline dashboard (issue #5): cases by state, the open cases with their next deadline and the
 * working days left (negative once missed), overdue acceptances apart, and per agency its punctuality over a
 * period. Pure: the caller loads the cases, the deadlines (from the working-day calendar only) and the steps.
 */

export type DeadlineKind = 'acceptance' | 'report' | 'ceiling' | 'appeal' | 'review';

export interface DashboardDeadline {
  kind: DeadlineKind;
  due: string;
  /** 0 on the due date, negative once passed; null when the calendar does not cover the date yet. */
  workdaysLeft: number | null;
}

/**
 * The deadline that comes first; on the same day the one listed first wins (the report before the ceiling).
 * None for a case without running deadlines.
 */
export function nextDeadline(deadlines: readonly DashboardDeadline[]): DashboardDeadline | null {
  let next: DashboardDeadline | null = null;
  for (const deadline of deadlines) if (next === null || deadline.due < next.due) next = deadline;
  return next;
}

export function countByState(states: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const state of states) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

/** Sorted for the dashboard: fewest working days left first (overdue on top), unknown counts last. */
export function byUrgency<T extends { next: DashboardDeadline | null; number: string }>(
  rows: readonly T[],
): T[] {
  const key = (row: T) => row.next?.workdaysLeft ?? Number.POSITIVE_INFINITY;
  return [...rows].sort((a, b) => key(a) - key(b) || a.number.localeCompare(b.number));
}

/** What the punctuality figures need of a case. */
export interface PunctualityCase {
  id: number;
  /** The agency (organisation) holding the case. */
  agencyId: number | null;
  acceptanceDue: string;
  acceptedOn: string | null;
  reportDue: string | null;
  reportedOn: string | null;
  appealedOn: string | null;
}

/** A step counted on the dashboard, with its Shanghai date. */
export interface CountedStep {
  caseId: number;
  kind: 'extension' | 'suspension';
  on: string;
}

export interface Period {
  from: string;
  to: string;
}

export interface AgencyPunctuality {
  agencyId: number | null;
  /** Cases accepted in the period, and of them accepted on or before their acceptance due date. */
  accepted: number;
  acceptedOnTime: number;
  acceptanceOnTimeRate: number | null;
  /**
   * Cases whose report was issued in the period, and of them issued on or before the report's due date
   * (which includes the working days of granted extensions).
   */
  reported: number;
  reportedOnTime: number;
  onTimeRate: number | null;
  /** Mean working days from acceptance to the report over the reported cases, one decimal. */
  averageWorkdaysToReport: number | null;
  /** Extensions granted, suspensions approved and appeals filed in the period. */
  extensions: number;
  suspensions: number;
  appeals: number;
}

function within(date: string | null, period: Period): date is string {
  return date !== null && date >= period.from && date <= period.to;
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
}

/** The punctuality of each agency holding cases, agencies in order of first appearance. */
export function punctualityByAgency(
  cases: readonly PunctualityCase[],
  steps: readonly CountedStep[],
  calendar: WorkdayCalendar,
  period: Period,
): AgencyPunctuality[] {
  const rows = new Map<number | null, AgencyPunctuality & { workdays: number[] }>();
  const row = (agencyId: number | null) => {
    let r = rows.get(agencyId);
    if (!r) {
      r = {
        agencyId,
        accepted: 0,
        acceptedOnTime: 0,
        acceptanceOnTimeRate: null,
        reported: 0,
        reportedOnTime: 0,
        onTimeRate: null,
        averageWorkdaysToReport: null,
        extensions: 0,
        suspensions: 0,
        appeals: 0,
        workdays: [],
      };
      rows.set(agencyId, r);
    }
    return r;
  };
  const agencyOfCase = new Map<number, number | null>();
  for (const kase of cases) {
    agencyOfCase.set(kase.id, kase.agencyId);
    const r = row(kase.agencyId);
    if (within(kase.acceptedOn, period)) {
      r.accepted += 1;
      if (kase.acceptedOn <= kase.acceptanceDue) r.acceptedOnTime += 1;
    }
    if (within(kase.reportedOn, period)) {
      r.reported += 1;
      if (kase.reportDue !== null && kase.reportedOn <= kase.reportDue) r.reportedOnTime += 1;
      if (kase.acceptedOn !== null)
        try {
          r.workdays.push(calendar.workdaysBetween(kase.acceptedOn, kase.reportedOn));
        } catch {
          // A year the calendar does not cover: left out of the mean rather than guessed.
        }
    }
    if (within(kase.appealedOn, period)) r.appeals += 1;
  }
  for (const step of steps) {
    if (!within(step.on, period) || !agencyOfCase.has(step.caseId)) continue;
    const r = row(agencyOfCase.get(step.caseId) ?? null);
    if (step.kind === 'extension') r.extensions += 1;
    else r.suspensions += 1;
  }
  return [...rows.values()].map(({ workdays, ...r }) => ({
    ...r,
    acceptanceOnTimeRate: rate(r.acceptedOnTime, r.accepted),
    onTimeRate: rate(r.reportedOnTime, r.reported),
    averageWorkdaysToReport:
      workdays.length === 0
        ? null
        : Math.round((workdays.reduce((sum, n) => sum + n, 0) / workdays.length) * 10) / 10,
  }));
}

// ——— Reminders and escalation ———

/** A reminder goes out when a deadline is this many working days away (and again on the day). */
export const REMINDER_WORKDAYS = 1;

export type DeadlineStage = 'upcoming' | 'due_today' | 'missed';

/** Which reminder a deadline calls for today, if any. */
export function deadlineStage(workdaysLeft: number | null): DeadlineStage | null {
  if (workdaysLeft === null) return null;
  if (workdaysLeft < 0) return 'missed';
  if (workdaysLeft === 0) return 'due_today';
  return workdaysLeft <= REMINDER_WORKDAYS ? 'upcoming' : null;
}

/**
 * The deadlines the agency answers for: acceptance, the report and the review. The ceiling is never later than
 * the report's due date's bound and is reminded through it; the appeal period is the family's, not the
 * agency's, so it calls for no reminder.
 */
export function remindedDeadline(kind: DeadlineKind): boolean {
  return kind === 'acceptance' || kind === 'report' || kind === 'review';
}

export const DEADLINE_LABELS: Readonly<Record<DeadlineKind, string>> = {
  acceptance: '受理期限',
  report: '出具核对报告期限',
  ceiling: '核对总期限（受理后 20 个工作日）',
  appeal: '申诉期限',
  review: '复核期限',
};

/** One notice per case, deadline (with its due date: an extension starts afresh), stage and recipient. */
export function deadlineNoticeKey(
  caseId: number,
  kind: DeadlineKind,
  due: string,
  stage: DeadlineStage,
  recipient: { organisationId: number; userId: number | null },
): string {
  const who = recipient.userId === null ? `org:${recipient.organisationId}` : `user:${recipient.userId}`;
  return `case-deadline:${caseId}:${kind}:${due}:${stage}:${who}`;
}

export function deadlineNoticeText(
  caseNumber: string,
  kind: DeadlineKind,
  due: string,
  stage: DeadlineStage,
  workdaysLeft: number,
): { title: string; body: string } {
  const label = DEADLINE_LABELS[kind];
  if (stage === 'upcoming')
    return {
      title: `案件 ${caseNumber} ${label}即将届满`,
      body: `案件 ${caseNumber} 的${label}为 ${due}，还剩 ${workdaysLeft} 个工作日，请及时办理。`,
    };
  if (stage === 'due_today')
    return {
      title: `案件 ${caseNumber} ${label}今日届满`,
      body: `案件 ${caseNumber} 的${label}为今天（${due}），请在今日内办结。`,
    };
  return {
    title: `案件 ${caseNumber} 已超过${label}`,
    body: `案件 ${caseNumber} 的${label}为 ${due}，已超期 ${-workdaysLeft} 个工作日，请督促办理。`,
  };
}

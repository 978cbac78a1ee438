import type { WorkdayCalendar } from '../calendar/working-days.ts';

/**
 * The statutory periods of a verification case (Q§15, Q§17, Q§19, Q§20; SPEC §5), all in working days of the
 * official calendar. A period of N working days from day D ends on the N-th working day after D (D itself never
 * counts). Every computed date is stamped with the calendar version it came from; a date in a year the calendar
 * does not cover raises CalendarNotCoveredError — never a guess.
 */

/** Acceptance within 3 working days of receipt (Q§15). */
export const ACCEPTANCE_WORKDAYS = 3;
/** The report within 7 working days of acceptance (Q§15). */
export const REPORT_WORKDAYS = 7;
/** Never beyond 20 working days from acceptance in all (Q§19). */
export const CEILING_WORKDAYS = 20;
/** One extension at most 5 working days, not counted in the deadline (Q§17). */
export const EXTENSION_MAX_WORKDAYS = 5;
/** An appeal within 5 working days of receiving the report (Q§20). */
export const APPEAL_WORKDAYS = 5;
/** The review within 10 working days of receiving the appeal (Q§20). */
export const REVIEW_WORKDAYS = 10;

export interface Stamped {
  date: string;
  calendarVersion: string;
}

function stamped(calendar: WorkdayCalendar, date: string): Stamped {
  return { date, calendarVersion: calendar.versionStamp() };
}

export function acceptanceDue(calendar: WorkdayCalendar, receivedOn: string): Stamped {
  return stamped(calendar, calendar.addWorkdays(receivedOn, ACCEPTANCE_WORKDAYS));
}

/** At the requester's request after force majeure (Q§17 ¶2): at most this many working days each time. */
export const FORCE_MAJEURE_MAX_WORKDAYS = 20;

/**
 * The last day a case may run to, whatever ordinary extensions were granted: 20 working days after acceptance,
 * moved only by the working days the requester asked for after force majeure (Q§17 ¶2).
 */
export function ceilingDate(
  calendar: WorkdayCalendar,
  acceptedOn: string,
  forceMajeureWorkdays = 0,
): Stamped {
  return stamped(calendar, calendar.addWorkdays(acceptedOn, CEILING_WORKDAYS + forceMajeureWorkdays));
}

/**
 * The report's due date: 7 working days after acceptance plus the working days of granted extensions (which
 * are not counted in the deadline), never after the 20-working-day ceiling; working days granted after force
 * majeure at the requester's request come on top of both.
 */
export function reportDue(
  calendar: WorkdayCalendar,
  acceptedOn: string,
  extensionWorkdays: number,
  forceMajeureWorkdays = 0,
): Stamped {
  const workdays = Math.min(REPORT_WORKDAYS + extensionWorkdays, CEILING_WORKDAYS) + forceMajeureWorkdays;
  return stamped(calendar, calendar.addWorkdays(acceptedOn, workdays));
}

/** Whether the requester may ask for `requested` more working days after force majeure. */
export function checkForceMajeureExtension(
  requested: number,
): { ok: true } | { ok: false; code: 'EXTENSION_OUT_OF_RANGE'; message: string } {
  return Number.isSafeInteger(requested) && requested >= 1 && requested <= FORCE_MAJEURE_MAX_WORKDAYS
    ? { ok: true }
    : {
        ok: false,
        code: 'EXTENSION_OUT_OF_RANGE',
        message: `因不可抗力延长的核对时间应为 1 至 ${FORCE_MAJEURE_MAX_WORKDAYS} 个工作日`,
      };
}

export type ExtensionProblem =
  /** Fewer than 1 or more than 5 working days. */
  | 'EXTENSION_OUT_OF_RANGE'
  /** The report would fall due after the 20-working-day ceiling. */
  | 'EXTENSION_BEYOND_CEILING';

/** Whether an extension of `requested` working days may be granted on top of those already granted. */
export function checkExtension(
  calendar: WorkdayCalendar,
  acceptedOn: string,
  grantedWorkdays: number,
  requested: number,
  forceMajeureWorkdays = 0,
): { ok: true; newDue: Stamped } | { ok: false; code: ExtensionProblem; message: string } {
  if (!Number.isSafeInteger(requested) || requested < 1 || requested > EXTENSION_MAX_WORKDAYS)
    return {
      ok: false,
      code: 'EXTENSION_OUT_OF_RANGE',
      message: `延期天数应为 1 至 ${EXTENSION_MAX_WORKDAYS} 个工作日（第十七条）`,
    };
  const total = REPORT_WORKDAYS + grantedWorkdays + requested;
  if (total > CEILING_WORKDAYS) {
    const ceiling = calendar.addWorkdays(acceptedOn, CEILING_WORKDAYS + forceMajeureWorkdays);
    return {
      ok: false,
      code: 'EXTENSION_BEYOND_CEILING',
      message: `延期后报告期限将超过自受理之日起 ${CEILING_WORKDAYS} 个工作日（${ceiling}）的上限（第十九条），最多还可延期 ${Math.max(0, CEILING_WORKDAYS - REPORT_WORKDAYS - grantedWorkdays)} 个工作日`,
    };
  }
  return {
    ok: true,
    newDue: reportDue(calendar, acceptedOn, grantedWorkdays + requested, forceMajeureWorkdays),
  };
}

export function appealDue(calendar: WorkdayCalendar, reportReceivedOn: string): Stamped {
  return stamped(calendar, calendar.addWorkdays(reportReceivedOn, APPEAL_WORKDAYS));
}

export function reviewDue(calendar: WorkdayCalendar, appealReceivedOn: string): Stamped {
  return stamped(calendar, calendar.addWorkdays(appealReceivedOn, REVIEW_WORKDAYS));
}

/**
 * Working days left until `due` as seen on `today`: 0 on the due date itself, negative once it has passed
 * (−1 on the first working day after it).
 */
export function workdaysLeft(calendar: WorkdayCalendar, today: string, due: string): number {
  return calendar.workdaysBetween(today, due);
}

/** Whether an appeal filed on `filedOn` is in time for a report received on `reportReceivedOn`. */
export function appealInTime(calendar: WorkdayCalendar, reportReceivedOn: string, filedOn: string): boolean {
  return filedOn <= appealDue(calendar, reportReceivedOn).date;
}

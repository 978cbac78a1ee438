import type { CaseState, DeadlineKind } from './cases';
import { request } from './client';

/** One open case on the dashboard: its next deadline and the working days left (negative: overdue). */
export interface DashboardOpenCase {
  id: number;
  number: string;
  state: CaseState;
  stateLabel: string;
  regionCode: string;
  agencyId: number | null;
  /** Masked (王**). */
  applicant: string;
  nextDeadline: DeadlineKind | null;
  due: string | null;
  workdaysLeft: number | null;
  calendarVersion: string;
}

/** An agency's punctuality over the period; rates are 0–1, null without any case to count. */
export interface AgencyPunctuality {
  agencyId: number | null;
  agencyName: string;
  regionCode: string | null;
  accepted: number;
  acceptedOnTime: number;
  acceptanceOnTimeRate: number | null;
  reported: number;
  reportedOnTime: number;
  onTimeRate: number | null;
  averageWorkdaysToReport: number | null;
  extensions: number;
  suspensions: number;
  appeals: number;
}

export interface CaseDashboard {
  today: string;
  period: { from: string; to: string };
  calendarVersion: string;
  total: number;
  byState: { state: CaseState; label: string; count: number }[];
  open: DashboardOpenCase[];
  overdueAcceptance: DashboardOpenCase[];
  agencies: AgencyPunctuality[];
}

export function getCaseDashboard(
  query: { from?: string; to?: string; regionCode?: string } = {},
): Promise<CaseDashboard> {
  return request('/api/cases/dashboard', { query });
}

import { downloadFile, request } from './client';

/** The statistics dashboards (issue #6 item 6): counts, rates and buckets only — never a household. */

export interface CaseFigures {
  received: number;
  accepted: number;
  completed: number;
  reported: number;
  reportedOnTime: number;
  /** 0–1, null without a report in the period. */
  onTimeRate: number | null;
  averageWorkdaysToReport: number | null;
  extensions: number;
  suspensions: number;
  terminations: number;
  appeals: number;
  reviewsDone: number;
  reviewsChanged: number;
  reviewsUnchanged: number;
}

export interface DepartmentFigures {
  departmentCode: string;
  departmentName: string;
  due: number;
  onTime: number;
  late: number;
  missing: number;
  onTimeRate: number | null;
  batches: number;
  committed: number;
  rejected: number;
  rejectionRate: number | null;
  duplicateRate: number | null;
  unmatchedRate: number | null;
}

export interface Bucket {
  key: string;
  label: string;
  count: number;
}

export interface Distribution {
  households: number;
  incomeUnknown: number;
  income: Bucket[];
  deposits: Bucket[];
  vehicles: Bucket[];
  realEstate: Bucket[];
}

export interface RecheckFigures {
  countyCode: string | null;
  familiesRechecked: number;
  familiesChanged: number;
  changesByKind: Record<string, number>;
  alerts: number;
  alertsOpen: number;
  alertsWorked: number;
  alertsByState: Record<string, number>;
}

export interface Statistics {
  today: string;
  period: { from: string; to: string };
  regionCode: string;
  assistanceType: string | null;
  calendarVersion: string;
  counties: { code: string; name: string }[];
  cases: { counties: (CaseFigures & { countyCode: string; countyName: string })[]; total: CaseFigures };
  departments: DepartmentFigures[];
  households: {
    counties: (Distribution & { countyCode: string; countyName: string })[];
    total: Distribution;
  };
  recheck:
    | { available: true; counties: (RecheckFigures & { countyName: string })[]; total: RecheckFigures }
    | { available: false; message: string };
  labels: {
    assistanceTypes: Record<string, string>;
    changeKinds: Record<string, string>;
    alertStates: Record<string, string>;
  };
}

export const STATISTICS_CHARTS = [
  'cases',
  'appeals',
  'departments',
  'income',
  'deposits',
  'vehicles',
  'realEstate',
  'recheck',
] as const;
export type StatisticsChart = (typeof STATISTICS_CHARTS)[number];

export interface StatisticsQuery {
  from?: string;
  to?: string;
  regionCode?: string;
  assistanceType?: string;
}

export function getStatistics(query: StatisticsQuery = {}): Promise<Statistics> {
  return request('/api/statistics', { query: { ...query } });
}

/** Downloads one chart's table as XLSX; returns the file name. */
export function exportStatisticsChart(query: StatisticsQuery, chart: StatisticsChart): Promise<string> {
  return downloadFile('/api/statistics/export', { ...query, chart }, `统计-${chart}.xlsx`);
}

import type {
  Bucket,
  CaseFigures,
  DepartmentFigures,
  RecheckFigures,
} from '../../../src/domain/statistics/statistics.ts';
import { downloadFile, request } from './client';

// The figures' shapes are the server's own (pure domain types), so a new figure reaches the screen unchanged.
export type { Bucket, CaseFigures, DepartmentFigures, RecheckFigures };

/** The statistics dashboards (issue #6 item 6): counts, rates and buckets only — never a household. */

export interface Distribution {
  households: number;
  incomeUnknown: number;
  income: Bucket[];
  deposits: Bucket[];
  vehicles: Bucket[];
  realEstate: Bucket[];
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

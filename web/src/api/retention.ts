import { request } from './client';

export interface RetentionSettings {
  auditDays: number;
  recordDays: number;
  datasetDays: Record<string, number>;
  closedCaseDays: number;
}

export interface RetentionCounts {
  batchesPurged: number;
  recordsPurged: number;
  batchesKeptForReports: number;
  caseFilesPurged: number;
  auditEntriesPurged: number;
  auditPurgedThrough: number | null;
}

export interface RetentionRun {
  id: number;
  startedAt: string;
  finishedAt: string;
  today: string;
  dryRun: boolean;
  trigger: 'job' | 'cli';
  counts: RetentionCounts;
}

export interface RetentionOverview {
  settings: RetentionSettings;
  runs: RetentionRun[];
}

export function getRetention(): Promise<RetentionOverview> {
  return request<RetentionOverview>('/api/retention');
}

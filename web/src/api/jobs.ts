import type { JobRecord, JobSchedule } from '../../../src/app/jobs/job-runner.ts';
import { request } from './client';

/** One run (or pending run) of a background job, and a schedule, as the server's job runner port states them. */
export type {
  JobRecord as JobRun,
  JobSchedule,
  JobState,
} from '../../../src/app/jobs/job-runner.ts';

export interface JobsOverview {
  /** null: this server process runs no jobs (a worker of a cluster on SQLite). */
  runner: 'pg-boss' | 'in-process' | null;
  jobs: JobRecord[];
  schedules: JobSchedule[];
}

export function getJobs(): Promise<JobsOverview> {
  return request<JobsOverview>('/api/admin/jobs');
}

export function retryJob(id: string): Promise<{ job: JobRecord }> {
  return request<{ job: JobRecord }>(`/api/admin/jobs/${encodeURIComponent(id)}/retry`, {
    method: 'POST',
    body: {},
  });
}

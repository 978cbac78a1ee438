import { request } from './client';

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** One run (or pending run) of a background job (`GET /api/admin/jobs`). */
export interface JobRun {
  id: string;
  name: string;
  state: JobState;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  startAfter: string | null;
  completedAt: string | null;
}

export interface JobSchedule {
  name: string;
  cron: string;
  nextRunAt: string | null;
}

export interface JobsOverview {
  /** null: this server process runs no jobs (a worker of a cluster on SQLite). */
  runner: 'pg-boss' | 'in-process' | null;
  jobs: JobRun[];
  schedules: JobSchedule[];
}

export function getJobs(): Promise<JobsOverview> {
  return request<JobsOverview>('/api/admin/jobs');
}

export function retryJob(id: string): Promise<{ job: JobRun }> {
  return request<{ job: JobRun }>(`/api/admin/jobs/${encodeURIComponent(id)}/retry`, {
    method: 'POST',
    body: {},
  });
}

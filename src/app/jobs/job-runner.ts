/**
 * Scheduled and background work behind one port (issue #9): on PostgreSQL pg-boss runs each job once across
 * server instances and keeps it across restarts (src/jobs/pgboss-runner.ts); on the embedded SQLite default the
 * same job definitions run in this process (src/jobs/in-process-runner.ts).
 */

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** One run (or pending run) of a job, as the 后台任务 page lists it. */
export interface JobRecord {
  id: string;
  name: string;
  state: JobState;
  /** Runs started so far (the first run counts). */
  attempts: number;
  lastError: string | null;
  createdAt: string;
  /** When a waiting (created/retry) job will start. */
  startAfter: string | null;
  completedAt: string | null;
}

/** A scheduled job and when it runs next (cron in Asia/Shanghai). */
export interface JobSchedule {
  name: string;
  cron: string;
  nextRunAt: string | null;
}

export type JobHandler = (data: Record<string, unknown>) => Promise<unknown>;

export interface JobRunner {
  readonly kind: 'pg-boss' | 'in-process';
  /** Runs `name` on the cron schedule (five fields, Asia/Shanghai); once per tick across instances. */
  schedule(name: string, cron: string): Promise<void>;
  /** Queues one run of `name` with `data`; returns the job id. */
  send(name: string, data?: Record<string, unknown>): Promise<string>;
  /** Registers the handler this instance runs `name` with (throwing fails the run; it is retried with back-off). */
  work(name: string, handler: JobHandler): Promise<void>;
  /** Recent runs, newest first, and the schedules. */
  list(limit?: number): Promise<{ jobs: JobRecord[]; schedules: JobSchedule[] }>;
  get(id: string): Promise<JobRecord | null>;
  /** Runs a failed job again; false when there is no such failed job. */
  retry(id: string): Promise<boolean>;
  /** Jobs per queue and state that are waiting or running (for /metrics). */
  depth(): Promise<{ queue: string; state: string; jobs: number }[]>;
  /** Stops taking work and waits for runs in progress. */
  stop(): Promise<void>;
}

import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps } from '../ports.ts';
import type { JobRecord, JobSchedule } from './job-runner.ts';

export interface JobsOverview {
  /** `pg-boss`, `in-process`, or null when this process runs no jobs (a cluster worker on SQLite). */
  runner: 'pg-boss' | 'in-process' | null;
  jobs: JobRecord[];
  schedules: JobSchedule[];
}

/** The 后台任务 page: recent runs (name, state, attempts, last error) and the schedules with their next run. */
export async function jobsOverview(deps: Pick<Deps, 'jobs'>): Promise<JobsOverview> {
  if (!deps.jobs) return { runner: null, jobs: [], schedules: [] };
  const { jobs, schedules } = await deps.jobs.list(200);
  return { runner: deps.jobs.kind, jobs, schedules };
}

/** Runs a failed job again (audited). */
export async function retryJob(deps: Pick<Deps, 'jobs' | 'store' | 'clock'>, actor: Actor, id: string) {
  const job = deps.jobs ? await deps.jobs.get(id) : null;
  if (!deps.jobs || !job) throw new AppError('NOT_FOUND', '没有这个后台任务');
  if (job.state !== 'failed' || !(await deps.jobs.retry(id)))
    throw new AppError('CONFLICT', '只能重试失败的后台任务');
  await deps.store.audit.append(
    actor,
    {
      action: 'JOB_RETRIED',
      outcome: 'success',
      objectType: 'job',
      objectId: id,
      details: { name: job.name, attempts: job.attempts, lastError: job.lastError },
    },
    deps.clock.now().toISOString(),
  );
  return (await deps.jobs.get(id)) ?? job;
}

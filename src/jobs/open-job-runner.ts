import { join } from 'node:path';
import type { JobRunner } from '../app/jobs/job-runner.ts';
import type { Deps } from '../app/ports.ts';
import type { Config } from '../config.ts';
import { inProcessJobRunner } from './in-process-runner.ts';
import { platformJobs, platformWorkers, startScheduledJobs, testJobs, testSleepJob } from './jobs.ts';
import { pgBossJobRunner } from './pgboss-runner.ts';

export interface JobLog {
  onResult(name: string, result: unknown): void;
  onError(name: string, error: unknown): void;
}

/** pg-boss's search_path-free connection: the database URL as configured. */
export async function openJobRunner(config: Config, log: JobLog): Promise<JobRunner> {
  if (config.jobs.queue === 'in-process')
    return inProcessJobRunner(log, undefined, undefined, config.jobs.firstRunDelaySeconds * 1000);
  if (!config.databaseUrl.startsWith('postgres'))
    throw new Error('HEDUI_JOB_QUEUE=pg-boss 需要 PostgreSQL 数据库（HEDUI_DB=postgres://…）');
  return pgBossJobRunner({
    connectionString: config.databaseUrl,
    schema: config.jobs.schema,
    // Test mode: a killed instance's job is retried within seconds, yet a run starved of CPU for a few seconds
    // on a loaded machine is not taken for dead (5 s was seen to run a tick twice under a parallel test suite).
    ...(config.jobs.testJobs ? { fast: true, expireInSeconds: 15, retryDelay: 1 } : {}),
    ...log,
  });
}

/** This instance works on every scheduled job (and, with HEDUI_JOB_TEST=on, the test jobs). */
export async function runPlatformJobs(runner: JobRunner, deps: Deps, config: Config): Promise<void> {
  const testDir = join(config.filesDir, 'job-test-runs');
  const jobs = [...platformJobs(deps), ...(config.jobs.testJobs ? testJobs(testDir) : [])];
  if (config.jobs.testJobs) await runner.work('test.sleep', (data) => testSleepJob(testDir, data));
  for (const worker of platformWorkers(deps)) await runner.work(worker.name, worker.run);
  await startScheduledJobs(runner, jobs);
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../app/actor.ts';
import { createAuditCheckpoint } from '../app/audit/checkpoints.ts';
import { sendDeadlineReminders } from '../app/cases/deadline-reminders.ts';
import { checkOverdueDeliveries } from '../app/delivery/check-overdue-deliveries.ts';
import { IMPORT_JOB, runQueuedImport } from '../app/ingest/queued-import.ts';
import type { JobHandler, JobRunner } from '../app/jobs/job-runner.ts';
import type { Deps } from '../app/ports.ts';
import {
  parseQueryRetryData,
  QUERY_RETRY_JOB,
  retryUnavailableQueries,
} from '../app/query-interface/retry-unavailable.ts';
import { runMonthlyRechecks } from '../app/recheck/monthly-recheck.ts';
import { runRetention } from '../app/retention/run-retention.ts';
import { deliverWebhooks } from '../app/webhooks/deliver-webhooks.ts';
import { WEBHOOK_DELIVERY_JOB } from '../app/webhooks/outbox.ts';
import type { Job } from './scheduler.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** A scheduled job: `everyMs` for the plain interval scheduler, `cron` (Asia/Shanghai) for the JobRunner. */
export interface ScheduledJob extends Job {
  cron: string;
}

/** The platform's scheduled work. */
export function platformJobs(deps: Deps): ScheduledJob[] {
  return [
    { name: 'deliveries.check', everyMs: HOUR, cron: '7 * * * *', run: () => checkOverdueDeliveries(deps) },
    { name: 'cases.deadlines', everyMs: HOUR, cron: '17 * * * *', run: () => sendDeadlineReminders(deps) },
    // Every minute: webhooks due (new ones are also kicked right after their commit, and retries come due).
    { name: WEBHOOK_DELIVERY_JOB, everyMs: 60_000, cron: '* * * * *', run: () => deliverWebhooks(deps) },
    // Daily: from the 1st, each county agency's monthly recheck unless done (a crashed run is resumed).
    { name: 'recheck.monthly', everyMs: DAY, cron: '30 1 * * *', run: () => runMonthlyRechecks(deps) },
    // Daily: a signed checkpoint over the audit entries since the last one (docs/security.md).
    {
      name: 'audit.checkpoint',
      everyMs: DAY,
      cron: '10 2 * * *',
      run: () => createAuditCheckpoint(deps, SYSTEM_ACTOR),
    },
    // Daily: records, case files and audit entries past their retention periods.
    {
      name: 'retention.purge',
      everyMs: DAY,
      cron: '40 2 * * *',
      run: () => runRetention(deps, { dryRun: false, trigger: 'job' }, SYSTEM_ACTOR),
    },
  ];
}

/** Work queued on demand (`runner.send`), not on a schedule: each name with the handler of its runs. */
export function platformWorkers(deps: Deps): { name: string; run: JobHandler }[] {
  return [
    {
      name: QUERY_RETRY_JOB,
      run: (data) => retryUnavailableQueries(deps, parseQueryRetryData(data)),
    },
    // Large uploads (issue #9): the kept file is imported on whichever instance takes the job.
    { name: IMPORT_JOB, run: (data) => runQueuedImport(deps, data) },
  ];
}

/**
 * HEDUI_JOB_TEST=on (never in production): `test.tick` every minute and `test.sleep` on demand, each leaving a
 * file per run under `<dir>` named with the process id, so a test counts the runs of each instance.
 */
export function testJobs(dir: string): ScheduledJob[] {
  const mark = (name: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${name}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`),
      '',
    );
  };
  return [{ name: 'test.tick', everyMs: 60_000, cron: '* * * * *', run: async () => mark('tick') }];
}

export async function testSleepJob(dir: string, data: Record<string, unknown>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const tag = String(data.tag ?? 'sleep').replace(/[^a-z0-9]/gi, '');
  writeFileSync(join(dir, `started-${tag}-${process.pid}`), '');
  await new Promise((r) => setTimeout(r, Number(data.ms ?? 5000)));
  writeFileSync(join(dir, `done-${tag}-${process.pid}`), '');
}

/** Registers every scheduled job (work + schedule) on the runner. */
export async function startScheduledJobs(runner: JobRunner, jobs: readonly ScheduledJob[]): Promise<void> {
  for (const job of jobs) {
    await runner.work(job.name, () => job.run());
    await runner.schedule(job.name, job.cron);
  }
}

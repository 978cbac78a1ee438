import { SYSTEM_ACTOR } from '../app/actor.ts';
import { createAuditCheckpoint } from '../app/audit/checkpoints.ts';
import { sendDeadlineReminders } from '../app/cases/deadline-reminders.ts';
import { checkOverdueDeliveries } from '../app/delivery/check-overdue-deliveries.ts';
import type { Deps } from '../app/ports.ts';
import { runMonthlyRechecks } from '../app/recheck/monthly-recheck.ts';
import { runRetention } from '../app/retention/run-retention.ts';
import type { Job } from './scheduler.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** The platform's scheduled work. */
export function platformJobs(deps: Deps): Job[] {
  return [
    { name: 'deliveries.check', everyMs: HOUR, run: () => checkOverdueDeliveries(deps) },
    { name: 'cases.deadlines', everyMs: HOUR, run: () => sendDeadlineReminders(deps) },
    // Daily: from the 1st, each county agency's monthly recheck unless done (a crashed run is resumed).
    { name: 'recheck.monthly', everyMs: DAY, run: () => runMonthlyRechecks(deps) },
    // Daily: a signed checkpoint over the audit entries since the last one (docs/security.md).
    { name: 'audit.checkpoint', everyMs: DAY, run: () => createAuditCheckpoint(deps, SYSTEM_ACTOR) },
    // Daily: records, case files and audit entries past their retention periods.
    {
      name: 'retention.purge',
      everyMs: DAY,
      run: () => runRetention(deps, { dryRun: false, trigger: 'job' }, SYSTEM_ACTOR),
    },
  ];
}

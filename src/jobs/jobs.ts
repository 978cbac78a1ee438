import { sendDeadlineReminders } from '../app/cases/deadline-reminders.ts';
import { checkOverdueDeliveries } from '../app/delivery/check-overdue-deliveries.ts';
import type { Deps } from '../app/ports.ts';
import { runMonthlyRechecks } from '../app/recheck/monthly-recheck.ts';
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
  ];
}

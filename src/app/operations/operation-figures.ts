import { CASE_STATES, type CaseState, FINAL_STATES } from '../../domain/cases/workflow.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import { deadlinesOf } from '../cases/case-view.ts';
import type { Deps } from '../ports.ts';

/**
 * The figures operations watches (Prometheus `/metrics`, docs/deployment.md「监控」): counts only, no personal
 * data, so reading them is not audited. Every instance reports the same database-wide values.
 */

/** Enough for every open case at once, as the case dashboard reads them. */
const ALL = 1_000_000;

export interface DeadlineBreach {
  /** acceptance | report | ceiling | appeal | review (case-view deadlines). */
  kind: string;
  regionCode: string;
  cases: number;
}

/**
 * Open cases past a statutory deadline (working days left < 0 on the working-day calendar, the case
 * dashboard's reckoning), by deadline kind and the case's region.
 */
export async function deadlineBreaches(deps: Deps): Promise<DeadlineBreach[]> {
  const today = shanghaiDateOf(deps.clock.now());
  const [{ items }, calendar] = await Promise.all([
    deps.store.cases.list({
      regionScope: null,
      states: CASE_STATES.filter((state) => !FINAL_STATES.has(state as CaseState)),
      offset: 0,
      limit: ALL,
    }),
    loadWorkdayCalendar(deps.store),
  ]);
  const counts = new Map<string, DeadlineBreach>();
  for (const kase of items)
    for (const deadline of deadlinesOf(kase, calendar, today)) {
      if (deadline.workdaysLeft === null || deadline.workdaysLeft >= 0) continue;
      const key = `${deadline.kind}\u0000${kase.regionCode}`;
      const row = counts.get(key) ?? { kind: deadline.kind, regionCode: kase.regionCode, cases: 0 };
      row.cases += 1;
      counts.set(key, row);
    }
  return [...counts.values()];
}

export interface ImportTotal {
  dataset: string;
  /** Batch status (committed, rejected, superseded, retracted…). */
  status: string;
  batches: number;
  rows: number;
}

/** Batches and stored rows by dataset and status since the start: Prometheus takes the rate. */
export function importTotals(deps: Deps): Promise<ImportTotal[]> {
  return deps.store.batches.importTotals();
}

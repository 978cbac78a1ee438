import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import type { Deps } from '../ports.ts';
import { type RecheckRunSummary, startRecheck } from './run-recheck.ts';

/**
 * The scheduler's `recheck.monthly` job (run daily): from the 1st of each month, starts the month's recheck of
 * every county-level agency (the agencies that verify) unless that month's run is done; a run that crashed is
 * resumed by the next day's tick (its lease has long expired), one running now is left alone.
 */

export interface MonthlyRecheckResult {
  month: string;
  started: RecheckRunSummary[];
  skipped: { scopeAgencyId: number; reason: 'done' | 'running' }[];
  failed: { scopeAgencyId: number; code: string; message: string }[];
}

export async function runMonthlyRechecks(deps: Deps): Promise<MonthlyRecheckResult> {
  const month = shanghaiDateOf(deps.clock.now()).slice(0, 7);
  const result: MonthlyRecheckResult = { month, started: [], skipped: [], failed: [] };
  const agencies = (await deps.store.organisations.list(null)).filter((o) => o.kind === 'agency' && o.active);
  for (const agency of agencies.sort((a, b) => a.id - b.id)) {
    if ((await deps.store.regions.get(agency.regionCode))?.level !== 'county') continue;
    const latest = await deps.store.rechecks.latestRun(month, agency.id);
    if (latest?.state === 'done') {
      result.skipped.push({ scopeAgencyId: agency.id, reason: 'done' });
      continue;
    }
    try {
      result.started.push(
        await startRecheck(
          deps,
          // Change-driven (issue #6 item 4): a family's first month is computed anyway (it has no baseline).
          { month, scopeAgencyId: agency.id, mode: 'changed' },
          { ...SYSTEM_ACTOR, name: '每月复核（定时）' },
        ),
      );
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.code === 'RECHECK_RUNNING') result.skipped.push({ scopeAgencyId: agency.id, reason: 'running' });
      else result.failed.push({ scopeAgencyId: agency.id, code: e.code, message: e.message });
    }
  }
  return result;
}

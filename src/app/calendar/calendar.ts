import {
  loadOfficialCalendar,
  validateCalendarYear,
  WorkdayCalendar,
} from '../../domain/calendar/working-days.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import type { Actor, Deps, Store } from '../ports.ts';

const built = new WeakMap<Store, { revision: string; calendar: WorkdayCalendar }>();

/**
 * The working-day calendar as the database holds it now (administrators may add years at any time). Building it
 * (every day of every year, validated and stamped) is kept per store until the calendar's revision changes: the
 * case views need it on every request.
 */
export async function loadWorkdayCalendar(store: Store): Promise<WorkdayCalendar> {
  const revision = await store.calendar.revision();
  const cached = built.get(store);
  if (cached?.revision === revision) return cached.calendar;
  const calendar = new WorkdayCalendar(await store.calendar.loadAll());
  built.set(store, { revision, calendar });
  return calendar;
}

/** Adds each official year (2013 onwards, with its State Council notice) the database does not hold yet. */
export async function seedOfficialCalendar(deps: Pick<Deps, 'store' | 'clock'>): Promise<number[]> {
  const held = new Set((await deps.store.calendar.listYears()).map((y) => y.year));
  const added: number[] = [];
  const at = deps.clock.now().toISOString();
  for (const year of loadOfficialCalendar()) {
    if (held.has(year.year)) continue;
    await deps.store.transaction(async (tx) => {
      await tx.calendar.saveYear(year, null, at);
      await tx.audit.append(
        SYSTEM_ACTOR,
        {
          action: 'CALENDAR_YEAR_SAVED',
          outcome: 'success',
          objectType: 'calendar_year',
          objectId: String(year.year),
          details: { source: year.source, days: year.days.length, origin: 'official-data' },
        },
        at,
      );
    });
    added.push(year.year);
  }
  return added;
}

/** An administrator enters or corrects a year when the State Council publishes its notice. */
export async function saveCalendarYear(deps: Deps, year: number, input: unknown, actor: Actor) {
  const checked = validateCalendarYear(input);
  if (!checked.ok)
    throw new AppError('VALIDATION_FAILED', '年度节假日安排有误，请按提示修改', { errors: checked.errors });
  if (checked.value.year !== year)
    throw new AppError('VALIDATION_FAILED', '年度与地址中的年份不一致', {
      errors: [
        {
          path: 'year',
          code: 'YEAR_MISMATCH',
          message: `地址为 ${year} 年，内容为 ${checked.value.year} 年`,
        },
      ],
    });
  const at = deps.clock.now().toISOString();
  const before = await deps.store.calendar.getYear(year);
  await deps.store.transaction(async (tx) => {
    await tx.calendar.saveYear(checked.value, actor.userId, at);
    await tx.audit.append(
      actor,
      {
        action: 'CALENDAR_YEAR_SAVED',
        outcome: 'success',
        objectType: 'calendar_year',
        objectId: String(year),
        details: {
          source: checked.value.source,
          days: checked.value.days.length,
          previousDays: before?.days.length ?? null,
        },
      },
      at,
    );
  });
  return checked.value;
}

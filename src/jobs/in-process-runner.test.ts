import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inProcessJobRunner } from './in-process-runner.ts';

describe(inProcessJobRunner.name, () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-24T02:00:30Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a scheduled job once at start when no delay is set', async () => {
    const runner = inProcessJobRunner({}, () => new Date());
    const run = vi.fn(async () => 'ok');
    await runner.work('check', run);
    await runner.schedule('check', '0 * * * *');
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    await runner.stop();
  });

  it('holds the catch-up run of a scheduled job for the start-up delay, then keeps to the cron', async () => {
    const runner = inProcessJobRunner({}, () => new Date(), undefined, 60_000);
    const run = vi.fn(async () => 'ok');
    await runner.work('check', run);
    await runner.schedule('check', '0 * * * *');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(run).not.toHaveBeenCalled();
    expect((await runner.list()).jobs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(1);
    const { jobs, schedules } = await runner.list();
    expect(jobs.map((j) => [j.name, j.state])).toEqual([['check', 'completed']]);
    // 10:00:30 Shanghai: the next cron tick is 11:00 Shanghai, 03:00Z.
    expect(schedules).toEqual([{ name: 'check', cron: '0 * * * *', nextRunAt: '2026-11-24T03:00:00.000Z' }]);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(run).toHaveBeenCalledTimes(2);
    await runner.stop();
  });
});

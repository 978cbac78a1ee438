import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startScheduler } from './scheduler.ts';

const HOUR = 3_600_000;

describe(startScheduler.name, () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs each job at start and then every interval, reporting results', async () => {
    const run = vi.fn(async () => ({ noticesCreated: 0 }));
    const onResult = vi.fn();
    const scheduler = startScheduler([{ name: 'check', everyMs: HOUR, run }], { onResult, onError: vi.fn() });
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    expect(onResult).toHaveBeenCalledWith('check', { noticesCreated: 0 });
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(run).toHaveBeenCalledTimes(3);
    await scheduler.stop();
  });

  it('skips a tick while the previous run of the job is still going', async () => {
    let finish: () => void = () => undefined;
    const run = vi.fn(() => new Promise<void>((done) => (finish = done)));
    const scheduler = startScheduler([{ name: 'slow', everyMs: HOUR, run }], { onError: vi.fn() });
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(run).toHaveBeenCalledTimes(1);
    expect(scheduler.depth()).toEqual([{ queue: 'slow', state: 'active', jobs: 1 }]);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.depth()).toEqual([{ queue: 'slow', state: 'active', jobs: 0 }]);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(run).toHaveBeenCalledTimes(2);
    finish();
    await scheduler.stop();
  });

  it('reports a failing run and keeps the schedule going, even for a job that throws at once', async () => {
    const onError = vi.fn();
    const run = vi.fn(() => {
      throw new Error('database unreachable');
    });
    const scheduler = startScheduler([{ name: 'broken', everyMs: HOUR, run }], { onError });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(run).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledWith(
      'broken',
      expect.objectContaining({ message: 'database unreachable' }),
    );
    await scheduler.stop();
  });

  it('stops: no further runs, and stop waits for the run in progress', async () => {
    let finish: () => void = () => undefined;
    let finished = false;
    const run = vi.fn(
      () =>
        new Promise<void>((done) => {
          finish = () => {
            finished = true;
            done();
          };
        }),
    );
    const scheduler = startScheduler([{ name: 'job', everyMs: HOUR, run }], { onError: vi.fn() });
    await vi.advanceTimersByTimeAsync(0);
    const stopping = scheduler.stop();
    finish();
    await stopping;
    expect(finished).toBe(true);
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('does not keep the process alive: its timers are unref()ed', () => {
    vi.useRealTimers();
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const scheduler = startScheduler([{ name: 'job', everyMs: HOUR, run: async () => null }], {
      onError: vi.fn(),
    });
    const timer = setIntervalSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    setIntervalSpy.mockRestore();
    return scheduler.stop();
  });
});

/**
 * A small in-process scheduler: each job runs once at start and then at its interval, never twice at once.
 * Timers are unref()'d, so they never keep the process alive. With several server instances every instance
 * runs the jobs; that is harmless for the overdue check (notices are deduplicated by key), and issue #9
 * moves jobs to pg-boss on PostgreSQL, which runs each job once across instances and survives restarts.
 */

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export interface SchedulerHooks {
  onResult?(job: string, result: unknown): void;
  onError(job: string, error: unknown): void;
}

export interface Scheduler {
  /** Stops the timers and waits for runs in progress to finish. */
  stop(): Promise<void>;
  /** Job queue depth for /metrics: the jobs running now (an in-process scheduler queues nothing). */
  depth(): { queue: string; state: string; jobs: number }[];
}

export function startScheduler(jobs: readonly Job[], hooks: SchedulerHooks): Scheduler {
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const tick = (job: Job): void => {
    if (stopped || running.has(job.name)) return;
    // Started on the next microtask, so the run is registered before it can finish.
    const run = Promise.resolve()
      .then(() => job.run())
      .then((result) => hooks.onResult?.(job.name, result))
      .catch((e: unknown) => hooks.onError(job.name, e))
      .finally(() => {
        running.delete(job.name);
      });
    running.set(job.name, run);
  };

  const timers = jobs.map((job) => {
    const timer = setInterval(() => tick(job), job.everyMs);
    timer.unref();
    return timer;
  });
  for (const job of jobs) tick(job);

  return {
    depth: () =>
      jobs.map((job) => ({ queue: job.name, state: 'active', jobs: running.has(job.name) ? 1 : 0 })),
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}

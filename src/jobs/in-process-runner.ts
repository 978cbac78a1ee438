import { randomUUID } from 'node:crypto';
import cronParser from 'cron-parser';
import type { JobHandler, JobRecord, JobRunner, JobSchedule } from '../app/jobs/job-runner.ts';

/** Runs kept in memory for the 后台任务 page (the newest first past this are dropped). */
const KEEP = 200;
const RETRY_LIMIT = 3;
const RETRY_BASE_MS = 30_000;

export function nextCronRun(cron: string, after: Date): Date {
  return cronParser.parseExpression(cron, { currentDate: after, tz: 'Asia/Shanghai' }).next().toDate();
}

interface Run extends JobRecord {
  data: Record<string, unknown>;
}

/**
 * The embedded SQLite default: the job definitions run in this process. A scheduled job runs once shortly after
 * the runner starts (`firstRunDelayMs`: nothing remembers the runs a stopped process missed, and the catch-up runs
 * must not hold SQLite's write lock while the first users sign in) and then on its cron; a job never runs
 * twice at once here; a failed run is retried up to 3 times with doubling delays. Runs live in memory only.
 */
export function inProcessJobRunner(
  hooks: {
    onError?(name: string, error: unknown): void;
    onResult?(name: string, result: unknown): void;
  } = {},
  now: () => Date = () => new Date(),
  retry: { limit: number; baseMs: number } = { limit: RETRY_LIMIT, baseMs: RETRY_BASE_MS },
  firstRunDelayMs = 0,
): JobRunner {
  const handlers = new Map<string, JobHandler>();
  const schedules = new Map<string, { cron: string; next: Date | null; timer: NodeJS.Timeout | null }>();
  const runs: Run[] = [];
  const running = new Map<string, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const later = (ms: number, fn: () => void): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    timers.add(timer);
    return timer;
  };

  const start = (run: Run): void => {
    if (stopped) return;
    const handler = handlers.get(run.name);
    // Not yet worked on here, or its job already running: try again shortly.
    if (!handler || running.has(run.name)) {
      later(1000, () => start(run));
      return;
    }
    run.state = 'active';
    run.attempts += 1;
    run.startAfter = null;
    const p = Promise.resolve()
      .then(() => handler(run.data))
      .then((result) => {
        run.state = 'completed';
        run.completedAt = now().toISOString();
        run.lastError = null;
        hooks.onResult?.(run.name, result);
      })
      .catch((e: unknown) => {
        run.lastError = e instanceof Error ? e.message : String(e);
        hooks.onError?.(run.name, e);
        if (run.attempts <= retry.limit) {
          const delay = retry.baseMs * 2 ** (run.attempts - 1);
          run.state = 'retry';
          run.startAfter = new Date(now().getTime() + delay).toISOString();
          later(delay, () => start(run));
        } else {
          run.state = 'failed';
          run.completedAt = now().toISOString();
        }
      })
      .finally(() => running.delete(run.name));
    running.set(run.name, p);
  };

  const enqueue = (name: string, data: Record<string, unknown>): Run => {
    const run: Run = {
      id: randomUUID(),
      name,
      data,
      state: 'created',
      attempts: 0,
      lastError: null,
      createdAt: now().toISOString(),
      startAfter: null,
      completedAt: null,
    };
    runs.unshift(run);
    if (runs.length > KEEP) runs.length = KEEP;
    queueMicrotask(() => start(run));
    return run;
  };

  const arm = (name: string): void => {
    const entry = schedules.get(name);
    if (!entry || stopped) return;
    entry.next = nextCronRun(entry.cron, now());
    entry.timer = later(Math.max(0, entry.next.getTime() - now().getTime()), () => {
      enqueue(name, {});
      arm(name);
    });
  };

  const record = ({ data: _data, ...rest }: Run): JobRecord => ({ ...rest });

  return {
    kind: 'in-process',
    async schedule(name, cron) {
      nextCronRun(cron, now()); // a bad expression fails here
      schedules.set(name, { cron, next: null, timer: null });
      if (firstRunDelayMs > 0) later(firstRunDelayMs, () => enqueue(name, {}));
      else enqueue(name, {});
      arm(name);
    },
    async send(name, data = {}) {
      return enqueue(name, data).id;
    },
    async work(name, handler) {
      handlers.set(name, handler);
    },
    async list(limit = 100) {
      const list: JobSchedule[] = [...schedules].map(([name, s]) => ({
        name,
        cron: s.cron,
        nextRunAt: s.next?.toISOString() ?? null,
      }));
      return { jobs: runs.slice(0, limit).map(record), schedules: list };
    },
    async get(id) {
      const run = runs.find((r) => r.id === id);
      return run ? record(run) : null;
    },
    async retry(id) {
      const run = runs.find((r) => r.id === id);
      if (!run || run.state !== 'failed') return false;
      run.state = 'retry';
      run.completedAt = null;
      queueMicrotask(() => start(run));
      return true;
    },
    async depth() {
      const counts = new Map<string, { queue: string; state: string; jobs: number }>();
      for (const run of runs) {
        if (run.state !== 'created' && run.state !== 'retry' && run.state !== 'active') continue;
        const key = `${run.name}\u0000${run.state}`;
        const entry = counts.get(key) ?? { queue: run.name, state: run.state, jobs: 0 };
        entry.jobs += 1;
        counts.set(key, entry);
      }
      return [...counts.values()];
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running.values());
    },
  };
}

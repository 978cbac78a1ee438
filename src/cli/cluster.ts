import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

/**
 * `hedui serve --workers N`: N processes serve HTTP on the same port (node:cluster; the primary hands out
 * connections), while the primary prepares the database first and runs the scheduled jobs — so every job runs
 * once. Each process has its own database connection (pool); SQLite copes through WAL, busy_timeout and
 * BEGIN IMMEDIATE (src/store/db.ts), PostgreSQL through its row lock on the audit head.
 */

/** `auto` is the machine's cores; otherwise a whole number ≥ 1. */
export function workerCount(value: string | number): number {
  if (value === 'auto') return availableParallelism();
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`--workers 须为 1–64 的整数或 auto：${value}`);
  return n;
}

export const isClusterWorker = (): boolean => cluster.isWorker;

export interface ClusterPrimary {
  /** Resolves once every worker listens; rejects if one exits before it does (a start-up error). */
  listening: Promise<void>;
  /** Asks every worker to finish (SIGTERM) and waits for them; after `graceMs` they are killed. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Forks the workers and keeps them at `count`: a worker that dies after it listened is replaced (and logged);
 * one that dies before is a start-up error, not retried in a loop.
 */
export function startWorkers(count: number, log: (line: string) => void): ClusterPrimary {
  let stopping = false;
  const listened = new Set<Worker>();
  let resolveListening: () => void = () => undefined;
  let rejectListening: (e: Error) => void = () => undefined;
  const listening = new Promise<void>((resolve, reject) => {
    resolveListening = resolve;
    rejectListening = reject;
  });
  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => {
      listened.add(worker);
      if (listened.size === count) resolveListening();
    });
    worker.once('exit', (code, signal) => {
      const hadListened = listened.delete(worker);
      if (stopping) return;
      if (!hadListened) {
        rejectListening(new Error(`工作进程 ${worker.process.pid} 启动失败（退出码 ${code ?? signal}）`));
        return;
      }
      log(`工作进程 ${worker.process.pid} 意外退出（${code ?? signal}），已重新启动`);
      fork();
    });
  };
  for (let i = 0; i < count; i++) fork();
  return {
    listening,
    async stop(graceMs = 10_000) {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const timer = setTimeout(() => worker.process.kill('SIGKILL'), graceMs);
              worker.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

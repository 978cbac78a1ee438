import PgBoss from 'pg-boss';
import type { JobHandler, JobRecord, JobRunner, JobState } from '../app/jobs/job-runner.ts';
import { nextCronRun } from './in-process-runner.ts';

export interface PgBossOptions {
  connectionString: string;
  /** pg-boss's own schema (`pgboss`; tests use one per test). */
  schema: string;
  /** A run still active after this long is taken for dead (its instance killed) and retried elsewhere. */
  expireInSeconds?: number;
  retryLimit?: number;
  /** Seconds before the first retry; doubled each time (retryBackoff). */
  retryDelay?: number;
  /** Short monitor and polling intervals: tests only. */
  fast?: boolean;
  onError?(name: string, error: unknown): void;
  onResult?(name: string, result: unknown): void;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

interface JobRow {
  id: string;
  name: string;
  state: JobState;
  retry_count: number;
  output: { message?: string; value?: { message?: string } } | null;
  created_on: Date;
  start_after: Date | null;
  completed_on: Date | null;
}

function toRecord(row: JobRow): JobRecord {
  const ran = ['active', 'completed', 'failed'].includes(row.state) ? 1 : 0;
  const failed = row.state === 'failed' || row.state === 'retry';
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    attempts: row.retry_count + ran,
    lastError: failed ? (row.output?.message ?? row.output?.value?.message ?? null) : null,
    createdAt: new Date(row.created_on).toISOString(),
    startAfter:
      row.state === 'created' || row.state === 'retry'
        ? row.start_after && new Date(row.start_after).toISOString()
        : null,
    completedAt: row.completed_on ? new Date(row.completed_on).toISOString() : null,
  };
}

/**
 * PostgreSQL: pg-boss keeps the jobs in its own schema. Each instance calls `schedule` for every scheduled job;
 * pg-boss's cron monitor sends one run per cron tick across all instances (a singleton key per tick), and
 * exactly one instance fetches it (SKIP LOCKED). A run whose instance dies is failed by timeout after
 * `expireInSeconds` and retried (with back-off) on whichever instance polls next.
 */
export async function pgBossJobRunner(options: PgBossOptions): Promise<JobRunner> {
  if (!IDENT.test(options.schema)) throw new Error(`任务队列的模式名不合法：${options.schema}`);
  const schema = options.schema;
  const fast = options.fast ?? false;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema,
    max: 4,
    application_name: 'hedui-jobs',
    ...(fast
      ? { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1, maintenanceIntervalSeconds: 1 }
      : {}),
  });
  boss.on('error', (e) => options.onError?.('pg-boss', e));
  await boss.start();
  const queueOptions = {
    retryLimit: options.retryLimit ?? 3,
    retryDelay: options.retryDelay ?? 30,
    retryBackoff: true,
    expireInSeconds: options.expireInSeconds ?? 60 * 60,
  };
  const ensured = new Set<string>();
  const ensureQueue = async (name: string) => {
    if (ensured.has(name)) return;
    await boss.createQueue(name, { name, ...queueOptions });
    ensured.add(name);
  };
  const db = boss.getDb();
  const columns = 'id, name, state, retry_count, output, created_on, start_after, completed_on';
  const select = (where: string, limit: number) => `
    select * from (
      select ${columns} from ${schema}.job ${where}
      union all
      select ${columns} from ${schema}.archive ${where}
    ) j order by created_on desc limit ${limit}`;

  const get = async (id: string): Promise<JobRecord | null> => {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const { rows } = await db.executeSql(select('where id = $1', 1), [id]);
    return rows[0] ? toRecord(rows[0] as JobRow) : null;
  };

  return {
    kind: 'pg-boss',
    async schedule(name, cron) {
      await ensureQueue(name);
      await boss.schedule(name, cron, {}, { tz: 'Asia/Shanghai' });
    },
    async send(name, data = {}) {
      await ensureQueue(name);
      const id = await boss.send(name, data);
      if (!id) throw new Error(`任务未能排队：${name}`);
      return id;
    },
    async work(name, handler: JobHandler) {
      await ensureQueue(name);
      await boss.work<Record<string, unknown>>(
        name,
        { batchSize: 1, pollingIntervalSeconds: fast ? 0.5 : 2 },
        async ([job]) => {
          if (!job) return;
          try {
            const result = await handler(job.data ?? {});
            options.onResult?.(name, result);
            return result;
          } catch (e) {
            options.onError?.(name, e);
            throw e;
          }
        },
      );
    },
    async list(limit = 100) {
      const n = Math.max(1, Math.min(500, Math.trunc(limit)));
      const { rows } = await db.executeSql(select('', n), []);
      const schedules = await db.executeSql(`select name, cron from ${schema}.schedule order by name`, []);
      const now = new Date();
      return {
        jobs: (rows as JobRow[]).map(toRecord),
        schedules: (schedules.rows as { name: string; cron: string }[]).map((s) => ({
          name: s.name,
          cron: s.cron,
          nextRunAt: nextCronRun(s.cron, now).toISOString(),
        })),
      };
    },
    get,
    async retry(id) {
      const job = await get(id);
      if (!job || job.state !== 'failed') return false;
      await boss.retry(job.name, id);
      return (await get(id))?.state === 'retry';
    },
    async depth() {
      const { rows } = await db.executeSql(
        `select name as queue, state, count(*)::int as jobs from ${schema}.job
          where state in ('created', 'retry', 'active') group by name, state order by name, state`,
        [],
      );
      return rows as { queue: string; state: string; jobs: number }[];
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}

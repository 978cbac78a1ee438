import type { Command } from 'commander';
import type { JobRunner } from '../../app/jobs/job-runner.ts';
import { type Config, loadConfig } from '../../config.ts';
import { ROLE_LABELS } from '../../domain/access/roles.ts';
import { buildApp } from '../../http/app.ts';
import type { JobQueueDepthSource } from '../../http/metrics.ts';
import { openJobRunner, runPlatformJobs } from '../../jobs/open-job-runner.ts';
import { pendingMigrations } from '../../store/db.ts';
import { isClusterWorker, startWorkers, workerCount } from '../cluster.ts';
import { openRuntime, type PrepareResult, prepareDatabase, type Runtime } from '../runtime.ts';

/** Counts, not the per-period list: the log line stays short. */
function summary(result: unknown): unknown {
  if (typeof result !== 'object' || result === null) return result;
  return Object.fromEntries(Object.entries(result).filter(([, v]) => !Array.isArray(v)));
}

/**
 * The HTTP app of one process, on its own runtime (database connection, keys, file store). `jobQueueDepth`: the
 * job runner of this process, for /metrics (none in a cluster worker: the primary runs the jobs).
 */
function buildServer(runtime: Runtime, config: Config, jobQueueDepth?: JobQueueDepthSource) {
  return buildApp({
    deps: runtime.deps,
    logger: { level: config.logLevel },
    cookieSecure: config.cookieSecure,
    webDist: config.webDist,
    filesDir: config.filesDir,
    uploadMaxBytes: config.uploadMaxBytes,
    rateLimit: config.rateLimit,
    trustProxy: config.trustProxy,
    metrics: {
      token: config.metricsToken,
      processMetrics: true,
      ...(jobQueueDepth ? { jobQueueDepth } : {}),
    },
    pendingMigrations: () => pendingMigrations(runtime.database),
  });
}

function printDemo(prepared: PrepareResult, config: Config): void {
  if (prepared.demo) {
    const lines = [
      '',
      '已载入合成演示城市（庆阳市行政区划代码，机构与人员均为虚构）。演示账户（密码均为 HEDUI_DEMO_PASSWORD）：',
      `  密码：${config.demoPassword}`,
      ...prepared.demo.map(
        (c) =>
          `  ${c.username.padEnd(26)} ${c.roles
            .map((r) => ROLE_LABELS[r])
            .join('、')
            .padEnd(10)} ${c.organisation}`,
      ),
      ...(prepared.demoData
        ? [
            `已载入合成演示部门数据：${prepared.demoData.families} 户 ${prepared.demoData.people} 人，${prepared.demoData.batches.length} 个批次（近 12 个月）；示例家庭见 docs/examples/household.json`,
            `每户已有一件已受理的核对案件（经办人 xifeng_staff / qingcheng_staff，审核人 *_reviewer）；示例家庭的案件编号：${prepared.demoData.cases[0]?.number ?? '—'}`,
          ]
        : []),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

const started = (config: Config) =>
  process.stdout.write(
    `Hedui 核对平台已启动：http://${config.host}:${config.port}/  （API 文档：/api/docs）\n`,
  );

/** One cluster worker: serves HTTP only (the primary prepared the database and runs the jobs). */
async function serveWorker(config: Config): Promise<void> {
  const runtime = openRuntime(config);
  // On pg-boss the 后台任务 page reads the shared queue; in-process jobs live in the primary only.
  const jobs =
    config.jobs.queue === 'pg-boss'
      ? await openJobRunner(config, { onResult: () => {}, onError: () => {} })
      : undefined;
  if (jobs) runtime.deps.jobs = jobs;
  const app = await buildServer(runtime, config, jobs ? () => jobs.depth() : undefined);
  await app.listen({ host: config.host, port: config.port });
  let closing = false;
  const close = async () => {
    // Ctrl-C reaches the whole process group, then the primary's SIGTERM follows: close once.
    if (closing) return;
    closing = true;
    await jobs?.stop();
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  // The primary is gone (killed): finish what is in flight and go.
  process.once('disconnect', close);
}

/** A job's outcome as one JSON log line, as the worker processes' logger writes them. */
function logLine(config: Config, level: 'info' | 'error', fields: Record<string, unknown>): void {
  if (
    config.logLevel === 'silent' ||
    (level === 'info' && ['fatal', 'error', 'warn'].includes(config.logLevel))
  )
    return;
  process.stdout.write(
    `${JSON.stringify({ level: level === 'info' ? 30 : 50, time: Date.now(), pid: process.pid, ...fields })}\n`,
  );
}

/** The primary of `--workers N`: prepares the database, forks the HTTP workers, runs the scheduled jobs once. */
async function servePrimary(config: Config, workers: number): Promise<void> {
  if (config.databaseUrl === 'sqlite::memory:')
    throw new Error('内存数据库不能由多个工作进程共用：请使用数据库文件');
  const runtime = openRuntime(config);
  const prepared = await prepareDatabase(runtime, config);
  printDemo(prepared, config);
  const primary = startWorkers(workers, (line) => process.stderr.write(`${line}\n`));
  try {
    await primary.listening;
  } catch (e) {
    await primary.stop();
    await runtime.close();
    throw e;
  }
  process.stdout.write(`${workers} 个工作进程已就绪\n`);
  started(config);
  const scheduler = await openJobRunner(config, {
    onResult: (job, result) => logLine(config, 'info', { job, result: summary(result), msg: 'job finished' }),
    onError: (job, error) => logLine(config, 'error', { job, err: String(error), msg: 'job failed' }),
  });
  await runPlatformJobs(scheduler, runtime.deps, config);
  const close = async () => {
    await scheduler.stop();
    await primary.stop();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('启动服务（首次使用内置 SQLite 时自动载入合成演示城市）')
    .option('--workers <n>', 'HTTP 工作进程数（数字或 auto = CPU 核数；默认 HEDUI_WORKERS 或 1）')
    .action(async (options: { workers?: string }) => {
      const config = loadConfig();
      if (isClusterWorker()) return serveWorker(config);
      const workers = workerCount(options.workers ?? config.serveWorkers);
      if (workers > 1) return servePrimary(config, workers);
      const runtime = openRuntime(config);
      const prepared = await prepareDatabase(runtime, config);
      let scheduler: JobRunner | null = null;
      const app = await buildServer(runtime, config, () => scheduler?.depth() ?? []);
      printDemo(prepared, config);
      await app.listen({ host: config.host, port: config.port });
      started(config);
      // pg-boss on PostgreSQL (each job once across instances), in this process on SQLite (issue #9).
      const jobs = await openJobRunner(config, {
        onResult: (job, result) => app.log.info({ job, result: summary(result) }, 'job finished'),
        onError: (job, error) => app.log.error({ job, err: error }, 'job failed'),
      });
      scheduler = jobs;
      runtime.deps.jobs = jobs;
      await runPlatformJobs(jobs, runtime.deps, config);
      const close = async () => {
        await jobs.stop();
        await app.close();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
    });
}

import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { ROLE_LABELS } from '../../domain/access/roles.ts';
import { buildApp } from '../../http/app.ts';
import { platformJobs } from '../../jobs/jobs.ts';
import { startScheduler } from '../../jobs/scheduler.ts';
import { openRuntime, prepareDatabase } from '../runtime.ts';

/** Counts, not the per-period list: the log line stays short. */
function summary(result: unknown): unknown {
  if (typeof result !== 'object' || result === null) return result;
  return Object.fromEntries(Object.entries(result).filter(([, v]) => !Array.isArray(v)));
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('启动服务（首次使用内置 SQLite 时自动载入合成演示城市）')
    .action(async () => {
      const config = loadConfig();
      const runtime = openRuntime(config);
      const prepared = await prepareDatabase(runtime, config);
      const app = await buildApp({
        deps: runtime.deps,
        logger: { level: config.logLevel },
        cookieSecure: config.cookieSecure,
        webDist: config.webDist,
        filesDir: config.filesDir,
        uploadMaxBytes: config.uploadMaxBytes,
      });
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
      await app.listen({ host: config.host, port: config.port });
      process.stdout.write(
        `Hedui 核对平台已启动：http://${config.host}:${config.port}/  （API 文档：/api/docs）\n`,
      );
      // In-process for now (run once the server listens, then hourly); issue #9 moves scheduled jobs to pg-boss.
      const scheduler = startScheduler(platformJobs(runtime.deps), {
        onResult: (job, result) => app.log.info({ job, result: summary(result) }, 'job finished'),
        onError: (job, error) => app.log.error({ job, err: error }, 'job failed'),
      });
      const close = async () => {
        await scheduler.stop();
        await app.close();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
    });
}

import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../app/actor.ts';
import { type RecheckRunSummary, startRecheck } from '../../app/recheck/run-recheck.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { withRuntime } from '../with-runtime.ts';

const CLI_ACTOR = { ...SYSTEM_ACTOR, name: '命令行每月复核' };

interface RecheckOptions {
  month: string;
  agency?: string;
  full?: boolean;
}

function usage(message: string): void {
  process.stderr.write(`用法错误：${message}\n`);
  process.exitCode = 2;
}

export function registerRecheckCommand(program: Command): void {
  program
    .command('recheck')
    .description(
      '每月复核：重新核对名册中每个已授权家庭并与上月结果比较，输出 JSON 摘要（各批次的家庭数、完成、跳过、失败、有变化数及预警分类）。中断后再次执行会续跑同一批次。预警不改变任何家庭的救助待遇。退出码：0 完成，3 被拒绝（如该月复核正在进行），2 用法错误',
    )
    .requiredOption('--month <month>', '复核月份 YYYY-MM')
    .option('--agency <id>', '核对机构编号（默认：每个县级核对机构）')
    .option(
      '--full',
      '全量复核每个家庭（默认按变化复核：只重算有新数据、尚无基线或结果已满三个月的家庭，其余沿用上次结果）',
    )
    .action(async (opts: RecheckOptions) => {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.month)) return usage('--month 应为 YYYY-MM');
      if (opts.agency !== undefined && !/^\d+$/.test(opts.agency)) return usage('--agency 应为核对机构编号');
      await withRuntime(async (runtime) => {
        const { deps } = runtime;
        let scopes: number[];
        if (opts.agency !== undefined) scopes = [Number(opts.agency)];
        else {
          const agencies = (await deps.store.organisations.list(null)).filter(
            (o) => o.kind === 'agency' && o.active,
          );
          scopes = [];
          for (const agency of agencies.sort((a, b) => a.id - b.id))
            if ((await deps.store.regions.get(agency.regionCode))?.level === 'county') scopes.push(agency.id);
        }
        const runs: RecheckRunSummary[] = [];
        const refused: { scopeAgencyId: number; code: string; message: string }[] = [];
        for (const scopeAgencyId of scopes) {
          try {
            runs.push(
              await startRecheck(
                deps,
                { month: opts.month, scopeAgencyId, mode: opts.full ? 'full' : 'changed' },
                CLI_ACTOR,
              ),
            );
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            refused.push({ scopeAgencyId, code: e.code, message: e.message });
          }
        }
        process.stdout.write(`${JSON.stringify({ month: opts.month, runs, refused })}\n`);
        if (refused.length > 0) process.exitCode = 3;
      });
    });
}

import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../app/actor.ts';
import { runAssessment } from '../../app/assessment/run-assessment.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { withRuntime } from '../with-runtime.ts';

const CLI_ACTOR = { ...SYSTEM_ACTOR, name: '命令行核对' };

/** Answers about the input (exit 3): bad household, unknown region, no accepted case for it. */
const REFUSALS = new Set([
  'VALIDATION_FAILED',
  'INVALID_REGION',
  'PERMISSION_DENIED',
  'OUT_OF_SCOPE',
  'CONFLICT',
]);

function usage(message: string): void {
  process.stderr.write(`用法错误：${message}\n`);
  process.exitCode = 2;
}

interface AssessOptions {
  household: string;
  asOf?: string;
  case?: string;
  region?: string;
  type?: string;
}

/** The household file, with the command line's options filling (or overriding) case, region, type and date. */
function requestOf(text: string, opts: AssessOptions): unknown {
  const parsed = JSON.parse(text) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SyntaxError('文件内容应为一个 JSON 对象');
  const input = parsed as Record<string, unknown>;
  return {
    ...input,
    ...(opts.case !== undefined ? { caseRef: opts.case } : {}),
    ...(opts.region !== undefined ? { regionCode: opts.region } : {}),
    ...(opts.type !== undefined ? { assistanceType: opts.type } : {}),
    ...(opts.asOf !== undefined ? { asOfDate: opts.asOf } : {}),
  };
}

export function registerAssessCommand(program: Command): void {
  program
    .command('assess')
    .description(
      '核对一户家庭：输出一个 JSON 对象（分类收入与资产（分）、月人均收入、差异及每项数据的来源证据）。只陈述事实，不作认定。须有已受理的案件（--case 或文件中的 caseRef；无委托、不核对）。退出码：0 完成，3 输入有误或无可用的案件，2 用法错误',
    )
    .requiredOption(
      '--household <file>',
      '家庭 JSON 文件：caseRef、regionCode、assistanceType、members[{idNumber,name,relation,coResiding,exclusion,declaredIncome}]、declaredAssets',
    )
    .option('--as-of <date>', '核对基准日 YYYY-MM-DD（默认今天；回溯期截至其上一个月，使用当日在用的批次）')
    .option('--case <ref>', '案件编号（覆盖文件中的 caseRef）')
    .option('--region <code>', '区划代码（覆盖文件中的 regionCode）')
    .option('--type <type>', '救助类型（覆盖文件中的 assistanceType）')
    .action(async (opts: AssessOptions) => {
      if (!existsSync(opts.household)) return usage(`找不到文件「${opts.household}」`);
      let request: unknown;
      try {
        request = requestOf(readFileSync(opts.household, 'utf8'), opts);
      } catch (e) {
        return usage(`家庭文件不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`);
      }
      await withRuntime(async (runtime) => {
        try {
          const view = await runAssessment(runtime.deps, request, CLI_ACTOR);
          process.stdout.write(`${JSON.stringify(view)}\n`);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          process.stdout.write(
            `${JSON.stringify({ error: { code: e.code, message: e.message, details: e.details } })}\n`,
          );
          process.exitCode = REFUSALS.has(e.code) ? 3 : 2;
        }
      });
    });
}

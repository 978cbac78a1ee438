import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../app/actor.ts';
import { importBatch } from '../../app/ingest/import-batch.ts';
import { importUnidentified } from '../../app/ingest/import-unidentified.ts';
import { csvTemplate, writeXlsxTemplate } from '../../documents/templates.ts';
import { findDataset } from '../../domain/catalog/datasets.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { withRuntime } from '../with-runtime.ts';

const CLI_ACTOR = { ...SYSTEM_ACTOR, name: '命令行导入' };

function usage(message: string): void {
  process.stderr.write(`用法错误：${message}\n`);
  process.exitCode = 2;
}

export function registerIngestCommands(program: Command): void {
  program
    .command('import')
    .description(
      '导入部门数据文件（CSV/XLSX），全部通过才入库；输出一个 JSON 对象。退出码：0 入库或重复，3 被拒，2 用法错误',
    )
    .requiredOption('--dataset <code>', '数据集代码，如 hukou')
    .requiredOption('--period <period>', '报送期：2025-06、2025-Q2、2025-H1 或 2025')
    .option('--department <code>', '报送部门代码（默认为数据集所属部门）')
    .option('--as-of <date>', '数据截至日期 YYYY-MM-DD')
    .option('--unidentified', '待认定记录：身份证号缺失或有误的行（另加出生日期列），与同期正常批次并存')
    .argument('<file>', '数据文件')
    .action(
      async (
        file: string,
        opts: { dataset: string; period: string; department?: string; asOf?: string; unidentified?: boolean },
      ) => {
        if (!existsSync(file)) return usage(`找不到文件「${file}」`);
        await withRuntime(async (runtime) => {
          try {
            const result = await (opts.unidentified ? importUnidentified : importBatch)(
              runtime.deps,
              {
                datasetCode: opts.dataset,
                period: opts.period,
                departmentCode: opts.department ?? null,
                source: 'cli',
                fileName: file.split('/').pop() ?? file,
                path: file,
                asOf: opts.asOf ?? null,
              },
              CLI_ACTOR,
            );
            process.stdout.write(`${JSON.stringify(result)}\n`);
            process.exitCode = result.status === 'rejected' ? 3 : 0;
          } catch (e) {
            if (e instanceof AppError) return usage(`${e.code}: ${e.message}`);
            throw e;
          }
        });
      },
    );

  program
    .command('template')
    .description('生成数据集模板文件')
    .requiredOption('--dataset <code>', '数据集代码')
    .option('--format <format>', 'xlsx 或 csv', 'xlsx')
    .requiredOption('-o, --output <file>', '输出文件')
    .action(async (opts: { dataset: string; format: string; output: string }) => {
      const dataset = findDataset(opts.dataset);
      if (!dataset) return usage(`未知的数据集代码「${opts.dataset}」`);
      if (opts.format === 'csv') writeFileSync(opts.output, csvTemplate(dataset));
      else if (opts.format === 'xlsx') await writeXlsxTemplate(dataset, opts.output);
      else return usage('--format 只能是 xlsx 或 csv');
      process.stdout.write(`${opts.output}\n`);
    });
}

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../app/actor.ts';
import { createAuditCheckpoint, exportAuditCheckpoints, verifyAudit } from '../../app/audit/checkpoints.ts';
import { runRetention } from '../../app/retention/run-retention.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { withRuntime } from '../with-runtime.ts';

const CLI_ACTOR = { ...SYSTEM_ACTOR, name: '命令行' };

function fail(code: string, message: string, exitCode = 1): void {
  process.stderr.write(`${code}: ${message}\n`);
  process.exitCode = exitCode;
}

/** `hedui audit verify|checkpoint|checkpoints` under the `audit` command (registered in admin.ts). */
export function registerAuditCheckpointCommands(audit: Command): void {
  audit
    .command('verify')
    .description(
      '校验审计链（SM3 哈希链）与全部已签名检查点（SM2 签名、默克尔树根）；完整时退出码为 0，否则指出第一条被破坏的记录或检查点并以 1 退出',
    )
    .action(async () => {
      await withRuntime(async (runtime) => {
        const { store, auditSigner, clock } = runtime.deps;
        const result = await verifyAudit(store, auditSigner, clock.now());
        process.stdout.write(`${JSON.stringify(result)}\n`);
        if (result.firstBroken)
          fail('AUDIT_CHAIN_BROKEN', `第 ${result.firstBroken.seq} 条记录：${result.firstBroken.message}`);
        else if (result.checkpoints.firstBroken)
          fail('AUDIT_CHECKPOINT_BROKEN', result.checkpoints.firstBroken.message);
      });
    });
  audit
    .command('checkpoint')
    .description('对上一检查点之后的审计记录签署检查点（SM3 默克尔树根，SM2 签名）')
    .action(async () => {
      await withRuntime(async (runtime) => {
        try {
          const c = await createAuditCheckpoint(runtime.deps, CLI_ACTOR);
          process.stdout.write(
            `${JSON.stringify(c ? { number: c.number, fromSeq: c.fromSeq, toSeq: c.toSeq, rootHash: c.rootHash } : { created: false })}\n`,
          );
        } catch (e) {
          if (e instanceof AppError) return fail(e.code, e.message);
          throw e;
        }
      });
    });
  audit
    .command('checkpoints')
    .description('导出全部检查点及验签公钥（JSON，格式见 docs/security.md），供异地保存和第三方验证')
    .option('--out <file>', '写入该文件（默认输出到标准输出）')
    .action(async (opts: { out?: string }) => {
      await withRuntime(async (runtime) => {
        const exported = await exportAuditCheckpoints(runtime.deps, CLI_ACTOR);
        const text = `${JSON.stringify(exported, null, 2)}\n`;
        if (opts.out) {
          writeFileSync(opts.out, text, { mode: 0o644 });
          process.stdout.write(
            `${JSON.stringify({ out: opts.out, checkpoints: exported.checkpoints.length })}\n`,
          );
        } else process.stdout.write(text);
      });
    });
}

export function registerRetentionCommands(program: Command): void {
  const retention = program.command('retention').description('数据保存期限与清除');
  retention
    .command('run')
    .description('清除超过保存期限的部门数据、已办结案件的文件和审计记录（到检查点边界），输出各项数量')
    .option('--dry-run', '只统计将清除的数量，不做任何改动')
    .action(async (opts: { dryRun?: boolean }) => {
      await withRuntime(async (runtime) => {
        const run = await runRetention(
          runtime.deps,
          { dryRun: Boolean(opts.dryRun), trigger: 'cli' },
          CLI_ACTOR,
        );
        process.stdout.write(`${JSON.stringify({ dryRun: run.dryRun, today: run.today, ...run.counts })}\n`);
      });
    });
}

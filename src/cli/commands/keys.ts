import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../app/actor.ts';
import { reencryptIdentifiers } from '../../app/ingest/reencrypt.ts';
import { loadConfig } from '../../config.ts';
import { addDataKey, addSigningKey, readKeyFile, writeKeyFile } from '../../crypto/key-file.ts';
import { withRuntime } from '../with-runtime.ts';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('身份证号、姓名加密密钥管理');
  keys
    .command('rotate')
    .description('生成新的数据加密密钥并设为当前密钥，再把全部已存密文改用新密钥加密（可中断后重跑）')
    .option('--resume', '不生成新密钥，只把仍用旧密钥的密文改用当前密钥加密')
    .option('--signing', '只生成新的审计检查点签名密钥（SM2）并设为当前密钥；旧公钥保留，用于验证旧检查点')
    .action(async (opts: { resume?: boolean; signing?: boolean }) => {
      const config = loadConfig();
      if (opts.signing && !config.keysInline) {
        const next = addSigningKey(readKeyFile(config.keyFile), new Date().toISOString());
        writeKeyFile(config.keyFile, next);
        process.stdout.write(`${JSON.stringify({ currentSigningKey: next.currentSigningKey })}\n`);
        return;
      }
      if (config.keysInline) {
        process.stderr.write(
          'KEYS_INLINE: 密钥由 HEDUI_KEYS 提供，请在密钥管理系统中生成新密钥后更新该变量，再运行 hedui keys rotate --resume\n',
        );
        process.exitCode = 2;
        return;
      }
      if (!opts.resume) {
        // Old keys stay in the file: rows not yet re-encrypted remain readable if the run is interrupted.
        const next = addDataKey(readKeyFile(config.keyFile), new Date().toISOString());
        writeKeyFile(config.keyFile, next);
      }
      await withRuntime(async (runtime) => {
        const result = await reencryptIdentifiers(runtime.deps, { ...SYSTEM_ACTOR, name: '命令行密钥轮换' });
        process.stdout.write(
          `${JSON.stringify({ currentKeyId: runtime.deps.crypto.currentKeyId, ...result })}\n`,
        );
      });
    });
}

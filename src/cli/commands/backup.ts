import { resolve } from 'node:path';
import type { Command } from 'commander';
import { verifyAudit } from '../../app/audit/audit.ts';
import { type Config, loadConfig, toolEnvironment } from '../../config.ts';
import { BackupError, deriveBackupKey } from '../../crypto/backup-cipher.ts';
import { loadKeyRing } from '../../crypto/key-file.ts';
import { type BackupPlace, createBackup, restoreBackup } from '../../store/backup/backup.ts';
import { countRows, currentPgSchema, listTables } from '../../store/backup/database-dump.ts';
import { openRuntime, prepareDatabase } from '../runtime.ts';

/** Exit codes: 0 done, 1 refused or failed (code and message on stderr), 2 usage. */
function place(config: Config): BackupPlace {
  const ring = loadKeyRing({
    inline: config.keysInline,
    path: config.keyFile,
    // A backup or restore never invents a key: a new key could not decrypt anything.
    createIfMissing: false,
    now: new Date().toISOString(),
  });
  return {
    databaseUrl: config.databaseUrl,
    filesDir: config.filesDir,
    key: deriveBackupKey(ring),
    tools: { pgDump: 'pg_dump', pgRestore: 'pg_restore', env: toolEnvironment() },
  };
}

async function reportingErrors(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof BackupError)) throw e;
    process.stderr.write(`${e.code}: ${e.message}\n`);
    process.exitCode = 1;
  }
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      '把数据库与文件目录写成一个加密（AES-256-GCM）并带 SM3 指纹的备份文件，另写 <文件>.manifest.json 清单',
    )
    .requiredOption('--out <file>', '备份文件路径（不能已存在）')
    .action((opts: { out: string }) =>
      reportingErrors(async () => {
        const started = performance.now();
        const manifest = await createBackup(place(loadConfig()), resolve(opts.out), new Date().toISOString());
        const { iv: _iv, keyCheck: _keyCheck, ...shown } = manifest;
        process.stdout.write(
          `${JSON.stringify({ ...shown, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) })}\n`,
        );
      }),
    );

  program
    .command('restore')
    .description('校验备份指纹后恢复到新建的空数据库与文件目录，升级表结构、校验审计链并列出各表行数')
    .requiredOption('--from <file>', '备份文件路径')
    .option('--force', '目标不是空的也覆盖（数据库整体替换）')
    .action((opts: { from: string; force?: boolean }) =>
      reportingErrors(async () => {
        const started = performance.now();
        const config = { ...loadConfig(), demo: 'off' as const };
        const outcome = await restoreBackup(place(config), resolve(opts.from), opts.force === true);
        const runtime = openRuntime(config);
        try {
          const prepared = await prepareDatabase(runtime, config);
          const audit = await verifyAudit(runtime.deps.store);
          const schema =
            runtime.database.dialect === 'postgres' ? await currentPgSchema(runtime.database) : null;
          const counts = await countRows(
            runtime.database,
            await listTables(runtime.database, schema),
            schema,
          );
          process.stdout.write(
            `${JSON.stringify({
              restored: {
                createdAt: outcome.manifest.createdAt,
                databaseKind: outcome.manifest.databaseKind,
                schemaVersion: outcome.manifest.schemaVersion,
                plaintextSm3: outcome.manifest.plaintext.sm3,
                ciphertextSm3: outcome.manifest.ciphertext.sm3,
              },
              migrationsApplied: prepared.migrations,
              audit,
              files: outcome.files,
              counts,
              seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
            })}\n`,
          );
          if (!audit.ok) {
            process.stderr.write(
              `AUDIT_CHAIN_BROKEN: 恢复后的审计链在第 ${audit.firstBroken?.seq} 条记录处断开：${audit.firstBroken?.message}\n`,
            );
            process.exitCode = 1;
          }
        } finally {
          await runtime.close();
        }
      }),
    );
}

import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { registerAssessCommand } from './commands/assess.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerCalendarCommands } from './commands/calendar.ts';
import { registerDeliveryCommands } from './commands/deliveries.ts';
import { registerExportCommands } from './commands/export.ts';
import { registerIdCommands } from './commands/id.ts';
import { registerIngestCommands } from './commands/ingest.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerRecheckCommand } from './commands/recheck.ts';
import { registerRetentionCommands } from './commands/retention.ts';
import { registerServeCommand } from './commands/serve.ts';

const program = new Command()
  .name('hedui')
  .description('Hedui 核对 — 居民家庭经济状况核对平台命令行')
  .showHelpAfterError()
  // Usage errors (unknown option, missing argument) exit 2 as the commands document, not commander's 1.
  // Set before the commands are registered: each copies it when created.
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
registerServeCommand(program);
registerAdminCommands(program);
registerIdCommands(program);
registerCalendarCommands(program);
registerIngestCommands(program);
registerKeyCommands(program);
registerDeliveryCommands(program);
registerAssessCommand(program);
registerRecheckCommand(program);
registerRetentionCommands(program);
registerBackupCommands(program);
registerExportCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = process.exitCode || 1;
}

import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { registerCalendarCommands } from './commands/calendar.ts';
import { registerIdCommands } from './commands/id.ts';
import { registerIngestCommands } from './commands/ingest.ts';
import { registerServeCommand } from './commands/serve.ts';

const program = new Command()
  .name('hedui')
  .description('Hedui 核对 — 居民家庭经济状况核对平台命令行')
  .showHelpAfterError();
registerServeCommand(program);
registerAdminCommands(program);
registerIdCommands(program);
registerCalendarCommands(program);
registerIngestCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = process.exitCode || 1;
}

import type { Command } from 'commander';
import { loadWorkdayCalendar } from '../../app/calendar/calendar.ts';
import { CalendarInputError, CalendarNotCoveredError } from '../../domain/calendar/working-days.ts';
import { withRuntime } from '../with-runtime.ts';

async function run(compute: (cal: Awaited<ReturnType<typeof loadWorkdayCalendar>>) => string): Promise<void> {
  await withRuntime(async (runtime) => {
    const calendar = await loadWorkdayCalendar(runtime.deps.store);
    try {
      process.stdout.write(`${compute(calendar)}\n`);
    } catch (e) {
      if (e instanceof CalendarNotCoveredError || e instanceof CalendarInputError) {
        process.stderr.write(`${e.code}: ${e.message}\n`);
        process.exitCode = 1;
        return;
      }
      throw e;
    }
  });
}

export function registerCalendarCommands(program: Command): void {
  const calendar = program.command('calendar').description('工作日历（法定节假日与调休）');
  calendar
    .command('add-workdays')
    .description('输出 DATE 之后的第 N 个工作日')
    .argument('<date>', '起算日期 YYYY-MM-DD')
    .argument('<n>', '工作日数')
    .action(async (date: string, n: string) => {
      const count = Number(n);
      if (!Number.isInteger(count)) {
        process.stderr.write('BAD_REQUEST: N 必须是整数\n');
        process.exitCode = 2;
        return;
      }
      await run((cal) => cal.addWorkdays(date, count));
    });
  calendar
    .command('workdays-between')
    .description('输出 A 之后到 B（含）之间的工作日数')
    .argument('<a>', '起始日期 YYYY-MM-DD')
    .argument('<b>', '截止日期 YYYY-MM-DD')
    .action(async (a: string, b: string) => run((cal) => String(cal.workdaysBetween(a, b))));
}

import type { Command } from 'commander';
import { checkOverdueDeliveries } from '../../app/delivery/check-overdue-deliveries.ts';
import { withRuntime } from '../with-runtime.ts';

export function registerDeliveryCommands(program: Command): void {
  const deliveries = program.command('deliveries').description('部门数据报送（C§4 报送时间表）');
  deliveries
    .command('check')
    .description(
      '检查逾期未报送的数据，向报送部门及同城核对机构发出通知（同一期只通知一次）；输出一个 JSON 对象',
    )
    .action(async () => {
      await withRuntime(async (runtime) => {
        const result = await checkOverdueDeliveries(runtime.deps);
        process.stdout.write(`${JSON.stringify(result)}\n`);
      });
    });
}

import type { Deps } from '../../app/ports.ts';
import { retentionOverview } from '../../app/retention/run-retention.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

const admin = allow('system_admin');

export function retentionRoutes(app: App, deps: Deps): void {
  app.get('/api/retention', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '数据保存期限设置与最近的清除记录',
    },
    handler: async () => retentionOverview(deps),
  });
}

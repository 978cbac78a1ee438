import { z } from 'zod';
import { jobsOverview, retryJob } from '../../app/jobs/admin-jobs.ts';
import type { Deps } from '../../app/ports.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

const admin = allow('system_admin');

/** 系统管理 → 后台任务 (issue #9): the job runner's recent runs and schedules; a failed run can be retried. */
export function jobRoutes(app: App, deps: Deps): void {
  app.get('/api/admin/jobs', {
    config: { access: admin },
    schema: { tags: ['admin'], summary: '后台任务：最近的运行（状态、次数、最后的错误）与计划' },
    handler: async () => jobsOverview(deps),
  });

  app.post('/api/admin/jobs/:id/retry', {
    config: { access: admin },
    schema: {
      tags: ['admin'],
      summary: '重试失败的后台任务（记入审计日志）',
      params: z.object({ id: z.string().min(1).max(64) }),
    },
    handler: async (request) => ({ job: await retryJob(deps, request.actor, request.params.id) }),
  });
}

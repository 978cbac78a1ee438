import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import { publicAccess } from '../access.ts';
import { sendError } from '../plugins/errors.ts';
import type { App } from '../types.ts';

/**
 * `/healthz`: the process answers. `/readyz`: the database answers and, when the server knows how to ask
 * (`pendingMigrations`, hedui serve), has run every migration of this program — else 503 NOT_READY, so a load
 * balancer sends no traffic to an instance whose schema is behind (docs/deployment.md「升级」).
 */
export function healthRoutes(
  app: App,
  deps: Deps,
  pendingMigrations?: () => Promise<readonly string[]>,
): void {
  app.get('/healthz', {
    config: { access: publicAccess },
    schema: {
      tags: ['health'],
      summary: '存活检查',
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });
  app.get('/readyz', {
    config: { access: publicAccess },
    schema: {
      tags: ['health'],
      summary: '就绪检查（数据库可用，迁移已完成）',
      response: { 200: z.object({ status: z.literal('ready') }) },
    },
    handler: async (request, reply) => {
      await deps.store.regions.count();
      const pending = pendingMigrations ? await pendingMigrations() : [];
      if (pending.length > 0)
        return sendError(
          reply,
          request,
          'NOT_READY',
          '数据库尚有未执行的迁移：请先运行 hedui migrate 或完成升级',
          {
            pending,
          },
        );
      return { status: 'ready' as const };
    },
  });
}

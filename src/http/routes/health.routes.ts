import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import { publicAccess } from '../access.ts';
import type { App } from '../types.ts';

export function healthRoutes(app: App, deps: Deps): void {
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
      summary: '就绪检查（数据库可用）',
      response: { 200: z.object({ status: z.literal('ready') }) },
    },
    handler: async () => {
      await deps.store.regions.count();
      return { status: 'ready' as const };
    },
  });
}

import { z } from 'zod';
import { createTownship } from '../../app/admin/create-township.ts';
import type { Deps } from '../../app/ports.ts';
import { isInRegionScope } from '../../domain/access/scope.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { allow, anyUser } from '../access.ts';
import type { App } from '../types.ts';

const regionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'city', 'county', 'township']),
  hasChildren: z.boolean(),
});

export function regionRoutes(app: App, deps: Deps): void {
  app.get('/api/regions', {
    config: { access: anyUser },
    schema: {
      tags: ['regions'],
      summary: '行政区划（逐级展开，限本人数据范围）',
      querystring: z.object({
        parent: z
          .string()
          .regex(/^\d{6,9}$/)
          .optional(),
      }),
      response: { 200: z.object({ items: z.array(regionSchema) }) },
    },
    handler: async (request) => {
      const scope = request.actor.regionCode;
      const { parent } = request.query;
      if (parent === undefined) {
        if (scope === null) return { items: await deps.store.regions.children(null) };
        const own = await deps.store.regions.get(scope);
        if (!own) return { items: [] };
        const children = await deps.store.regions.children(own.code);
        return { items: [{ ...own, hasChildren: children.length > 0 }] };
      }
      if (!isInRegionScope(parent, scope)) throw new AppError('OUT_OF_SCOPE', '该区划不在您的数据范围内');
      return { items: await deps.store.regions.children(parent) };
    },
  });

  app.post('/api/regions', {
    config: { access: allow('system_admin') },
    schema: {
      tags: ['regions'],
      summary: '新增乡镇（街道）',
      body: z.object({ code: z.string(), name: z.string() }),
      response: { 200: z.object({ region: regionSchema }) },
    },
    handler: async (request) => ({
      region: { ...(await createTownship(deps, request.body, request.actor)), hasChildren: false },
    }),
  });
}

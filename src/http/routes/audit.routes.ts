import { z } from 'zod';
import { listAudit, verifyAudit } from '../../app/audit/audit.ts';
import type { Deps } from '../../app/ports.ts';
import { allow } from '../access.ts';
import { auditEntrySchema } from '../schemas.ts';
import type { App } from '../types.ts';

const auditor = allow('audit_officer');

export function auditRoutes(app: App, deps: Deps): void {
  app.get('/api/audit', {
    config: { access: auditor },
    schema: {
      tags: ['audit'],
      summary: '审计日志（本人数据范围内）',
      querystring: z.object({
        from: z.string().optional(),
        to: z.string().optional(),
        action: z.string().max(60).optional(),
        actor: z.string().max(50).optional(),
        caseId: z.string().max(60).optional(),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(20),
      }),
      response: { 200: z.object({ items: z.array(auditEntrySchema), total: z.number() }) },
    },
    handler: async (request) => {
      const { page, pageSize, ...filter } = request.query;
      return listAudit(deps, { ...filter, offset: (page - 1) * pageSize, limit: pageSize }, request.actor);
    },
  });

  app.post('/api/audit/verify', {
    config: { access: auditor },
    schema: {
      tags: ['audit'],
      summary: '校验审计链完整性',
      response: {
        200: z.object({
          ok: z.boolean(),
          checked: z.number(),
          firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable(),
        }),
      },
    },
    handler: async (request) => {
      const result = await verifyAudit(deps.store);
      await deps.store.audit.append(
        request.actor,
        {
          action: 'AUDIT_CHAIN_VERIFIED',
          outcome: 'success',
          details: { ok: result.ok, checked: result.checked },
        },
        deps.clock.now().toISOString(),
      );
      return {
        ok: result.ok,
        checked: result.checked,
        firstBroken: result.firstBroken
          ? { seq: result.firstBroken.seq, reason: result.firstBroken.message }
          : null,
      };
    },
  });
}

import { z } from 'zod';
import { listAudit } from '../../app/audit/audit.ts';
import { exportAuditCheckpoints, verifyAudit } from '../../app/audit/checkpoints.ts';
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
      summary: '校验审计链与已签名检查点的完整性',
      response: {
        200: z.object({
          ok: z.boolean(),
          checked: z.number(),
          from: z.number(),
          firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable(),
          checkpoints: z.object({
            total: z.number(),
            checked: z.number(),
            firstBroken: z
              .object({ number: z.number(), fromSeq: z.number(), toSeq: z.number(), reason: z.string() })
              .nullable(),
          }),
        }),
      },
    },
    handler: async (request) => {
      const result = await verifyAudit(deps.store, deps.auditSigner, deps.clock.now());
      await deps.store.audit.append(
        request.actor,
        {
          action: 'AUDIT_CHAIN_VERIFIED',
          outcome: 'success',
          details: { ok: result.ok, checked: result.checked, checkpoints: result.checkpoints.checked },
        },
        deps.clock.now().toISOString(),
      );
      const cp = result.checkpoints.firstBroken;
      return {
        ok: result.ok,
        checked: result.checked,
        from: result.from,
        firstBroken: result.firstBroken
          ? { seq: result.firstBroken.seq, reason: result.firstBroken.message }
          : null,
        checkpoints: {
          total: result.checkpoints.total,
          checked: result.checkpoints.checked,
          firstBroken: cp
            ? { number: cp.number, fromSeq: cp.fromSeq, toSeq: cp.toSeq, reason: cp.message }
            : null,
        },
      };
    },
  });

  app.get('/api/audit/checkpoints', {
    config: { access: auditor },
    schema: {
      tags: ['audit'],
      summary: '导出已签名的审计检查点及验签公钥（SM2），供异地保存和第三方验证',
    },
    handler: async (request, reply) => {
      const exported = await exportAuditCheckpoints(deps, request.actor);
      reply.header('content-disposition', 'attachment; filename="audit-checkpoints.json"');
      return exported;
    },
  });
}

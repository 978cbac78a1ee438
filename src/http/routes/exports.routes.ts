import { z } from 'zod';
import { exportCaseArchive } from '../../app/cases/case-archive.ts';
import { exportDishonestyRecords } from '../../app/dishonesty/export-dishonesty.ts';
import { downloadOfflineExchange } from '../../app/exchange/download-offline-exchange.ts';
import { decideExport } from '../../app/exports/decide-export.ts';
import { downloadExport, type ExportProducer } from '../../app/exports/download-export.ts';
import { listExports } from '../../app/exports/list-exports.ts';
import { requestExport } from '../../app/exports/request-export.ts';
import type { Deps } from '../../app/ports.ts';
import { downloadRecheckReport } from '../../app/recheck/recheck-report.ts';
import { caseArchiveWriter } from '../../documents/case-archive-writer.ts';
import { dishonestyCsv } from '../../documents/dishonesty-export.ts';
import { exportWatermark } from '../../documents/export-watermark.ts';
import { exchangeFileName } from '../../documents/offline-exchange.ts';
import { recheckReportWorkbook } from '../../documents/recheck-report-workbook.ts';
import { findDataset } from '../../domain/catalog/datasets.ts';
import {
  describeTarget,
  EXPORT_KIND_LABELS,
  EXPORT_KINDS,
  EXPORT_STATE_LABELS,
  type ExportRequestRow,
} from '../../domain/exports/export-request.ts';
import { allow } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';

/**
 * Bulk exports of personal data (issue #8 item 4, docs/security.md «目的绑定与脱敏»): request → approval by another
 * agency reviewer → one watermarked download by the requester. The files are the ones the earlier direct download
 * routes gave; those routes are gone, so this is the only way out.
 */
const requesters = allow('requester_staff', 'agency_staff', 'agency_reviewer', 'department_officer');
const reviewers = allow('agency_reviewer');

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const targetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('dishonesty_records'),
    format: z.enum(['csv', 'json']).default('csv'),
    approvedFrom: date.optional(),
    approvedTo: date.optional(),
  }),
  z.object({
    kind: z.literal('recheck_report_xlsx'),
    runId: z.number().int().positive(),
    requesterId: z.number().int().positive(),
  }),
  z.object({ kind: z.literal('case_archive'), caseId: z.number().int().positive() }),
  z.object({ kind: z.literal('offline_exchange'), exchangeId: z.number().int().positive() }),
]);

const exportSchema = z.object({
  id: z.number(),
  kind: z.enum(EXPORT_KINDS),
  kindLabel: z.string(),
  target: z.string(),
  reason: z.string(),
  caseId: z.number().nullable(),
  recheckRunId: z.number().nullable(),
  requestedByName: z.string(),
  requestedAt: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  expiresAt: z.string().nullable(),
  downloadedAt: z.string().nullable(),
});

function present(row: ExportRequestRow) {
  return {
    id: row.id,
    kind: row.kind,
    kindLabel: EXPORT_KIND_LABELS[row.kind],
    target: describeTarget(row.target),
    reason: row.reason,
    caseId: row.caseId,
    recheckRunId: row.recheckRunId,
    requestedByName: row.requestedByName,
    requestedAt: row.requestedAt,
    state: row.state,
    stateLabel: EXPORT_STATE_LABELS[row.state],
    decidedByName: row.decidedByName,
    decidedAt: row.decidedAt,
    decisionNote: row.decisionNote,
    expiresAt: row.expiresAt,
    downloadedAt: row.downloadedAt,
  };
}

/** The files, made by the existing use cases as the requester (their scope checks and audit entries stand). */
function producer(deps: Deps): ExportProducer {
  return async (target, actor) => {
    switch (target.kind) {
      case 'dishonesty_records': {
        const { kind: _, ...input } = target;
        const exported = await exportDishonestyRecords(deps, input, actor);
        const fileName = `失信记录-${exported.exportedAt.slice(0, 10)}.${target.format}`;
        return target.format === 'json'
          ? {
              bytes: Buffer.from(JSON.stringify(exported)),
              fileName,
              contentType: 'application/json; charset=utf-8',
              format: 'json',
            }
          : {
              bytes: dishonestyCsv(exported.rows),
              fileName,
              contentType: 'text/csv; charset=utf-8',
              format: 'csv',
            };
      }
      case 'recheck_report_xlsx': {
        const file = await downloadRecheckReport(
          deps,
          target.runId,
          target.requesterId,
          'xlsx',
          actor,
          recheckReportWorkbook,
        );
        return { ...file, format: 'xlsx' };
      }
      case 'case_archive': {
        // The watermark goes into the ZIP comment (export-watermark.ts): an entry of its own would stand outside
        // the manifest, which fingerprints every entry.
        const archive = await exportCaseArchive(deps, target.caseId, actor, caseArchiveWriter);
        return {
          bytes: archive.zip,
          fileName: archive.fileName,
          contentType: 'application/zip',
          format: 'zip',
        };
      }
      case 'offline_exchange': {
        const { exchange, bytes } = await downloadOfflineExchange(
          deps,
          { exchangeId: target.exchangeId },
          actor,
        );
        const dataset = findDataset(exchange.dataset);
        return {
          bytes,
          fileName: dataset ? exchangeFileName(exchange.reference, dataset) : `${exchange.reference}.xlsx`,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          format: 'xlsx',
          // Departments fill this list in and send it back: its rows stay where the reply reader expects them.
          layoutFixed: true,
        };
      }
    }
  };
}

export function exportRoutes(app: App, deps: Deps): void {
  app.get('/api/exports', {
    config: { access: requesters },
    schema: {
      tags: ['exports'],
      summary: '导出申请：我的申请（批准后下载一次）；审核员另见本辖区待审批与近期已处理的申请',
      response: {
        200: z.object({
          mine: z.array(exportSchema),
          toDecide: z.array(exportSchema),
          decided: z.array(exportSchema),
        }),
      },
    },
    handler: async (request) => {
      const lists = await listExports(deps, request.actor);
      return {
        mine: lists.mine.map(present),
        toDecide: lists.toDecide.map(present),
        decided: lists.decided.map(present),
      };
    },
  });

  app.post('/api/exports', {
    config: { access: requesters },
    schema: {
      tags: ['exports'],
      summary:
        '申请批量导出个人信息（失信记录、复核明细表、案件档案、离线核对清单）：写明用途，待另一名审核员批准（留痕）',
      body: z.object({ target: targetSchema, reason: z.string().max(500) }),
      response: { 201: exportSchema },
    },
    handler: async (request, reply) => {
      const row = await requestExport(deps, request.body, request.actor);
      return reply.status(201).send(present(row));
    },
  });

  app.post('/api/exports/:id/approve', {
    config: { access: reviewers },
    schema: {
      tags: ['exports'],
      summary: `批准导出申请（申请人以外的审核员；批准后申请人可在 24 小时内下载一次；留痕）`,
      params: idParam,
      body: z.object({ note: z.string().max(500).optional() }).optional(),
      response: { 200: exportSchema },
    },
    handler: async (request) =>
      present(
        await decideExport(
          deps,
          request.params.id,
          { approve: true, note: request.body?.note ?? null },
          request.actor,
        ),
      ),
  });

  app.post('/api/exports/:id/refuse', {
    config: { access: reviewers },
    schema: {
      tags: ['exports'],
      summary: '拒绝导出申请（须写明理由；留痕）',
      params: idParam,
      body: z.object({ note: z.string().max(500) }),
      response: { 200: exportSchema },
    },
    handler: async (request) =>
      present(
        await decideExport(
          deps,
          request.params.id,
          { approve: false, note: request.body.note },
          request.actor,
        ),
      ),
  });

  app.get('/api/exports/:id/download', {
    config: { access: requesters },
    schema: {
      tags: ['exports'],
      summary: '下载已批准的导出文件（仅申请人、仅一次、批准后 24 小时内；带可见水印与可追溯水印；留痕）',
      params: idParam,
    },
    handler: async (request, reply) => {
      const { file, bytes } = await downloadExport(
        deps,
        request.params.id,
        request.actor,
        producer(deps),
        exportWatermark,
      );
      return reply
        .header('content-type', file.contentType)
        .header('cache-control', 'no-store')
        .header('x-hedui-export-id', String(request.params.id))
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .send(Buffer.from(bytes));
    },
  });
}

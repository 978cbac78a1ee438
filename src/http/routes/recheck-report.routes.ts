import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import {
  downloadRecheckReport,
  issueRecheckReport,
  listRecheckReports,
  listRunReports,
} from '../../app/recheck/recheck-report.ts';
import { recheckReportWorkbook } from '../../documents/recheck-report-workbook.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

/**
 * The monthly recheck report per requester (复核情况报告, issue #6 item 3): agency staff and reviewers see each
 * requester's counts and download; an agency reviewer issues the PDF (once per run and requester); the requester
 * downloads its own once issued. The report changes no family's assistance.
 */
const agency = allow('agency_staff', 'agency_reviewer');
const reviewers = allow('agency_reviewer');
const readers = allow('requester_staff', 'agency_staff', 'agency_reviewer');

const reportSchema = z.object({
  id: z.number(),
  runId: z.number(),
  requesterOrganisationId: z.number(),
  number: z.string(),
  issuedOn: z.string(),
  issuedAt: z.string(),
  issuedByName: z.string().nullable(),
  revoked: z.boolean(),
});

const runRequesterParams = z.object({
  id: z.coerce.number().int().positive(),
  requesterId: z.coerce.number().int().positive(),
});

const page = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export function recheckReportRoutes(app: App, deps: Deps): void {
  app.get('/api/rechecks/:id/reports', {
    config: { access: agency },
    schema: {
      tags: ['recheck'],
      summary: '复核批次的各委托单位：家庭计数与复核情况报告的出具情况（不含个人信息）',
      params: z.object({ id: z.coerce.number().int().positive() }),
      response: {
        200: z.object({
          run: z.object({
            id: z.number(),
            month: z.string(),
            scopeName: z.string(),
            state: z.enum(['running', 'done', 'failed']),
          }),
          requesters: z.array(
            z.object({
              requesterOrganisationId: z.number(),
              requesterName: z.string(),
              requesterRegionCode: z.string(),
              familyCount: z.number(),
              doneCount: z.number(),
              skippedCount: z.number(),
              failedCount: z.number(),
              pendingCount: z.number(),
              carriedCount: z.number(),
              changedCount: z.number(),
              report: reportSchema.nullable(),
            }),
          ),
          notice: z.string(),
        }),
      },
    },
    handler: async (request) => listRunReports(deps, request.params.id, request.actor),
  });

  app.post('/api/rechecks/:id/reports/:requesterId/issue', {
    config: { access: reviewers },
    schema: {
      tags: ['recheck'],
      summary: '出具某委托单位本批次的复核情况报告（PDF，编号、SM3 指纹、可核验；已出具的返回原报告）',
      params: runRequesterParams,
      response: { 200: z.object({ report: reportSchema, alreadyIssued: z.boolean() }) },
    },
    handler: async (request) =>
      issueRecheckReport(deps, request.params.id, request.params.requesterId, request.actor),
  });

  app.get('/api/rechecks/:id/reports/:requesterId/download', {
    config: { access: readers },
    schema: {
      tags: ['recheck'],
      summary:
        '下载复核情况报告 PDF（已出具；下载留痕）；委托单位只能下载本单位已出具的报告。XLSX 明细表须经导出申请（/api/exports）',
      params: runRequesterParams,
      querystring: z.object({ format: z.enum(['pdf', 'xlsx']).default('pdf') }),
    },
    handler: async (request, reply) => {
      // The XLSX lists every family's members: a bulk export, which only the export request path hands out.
      if (request.query.format === 'xlsx')
        throw new AppError(
          'PERMISSION_DENIED',
          '复核情况明细表（XLSX）含多户个人信息，请先提交导出申请，经审核员批准后下载',
          {
            code: 'EXPORT_APPROVAL_REQUIRED',
          },
        );
      const file = await downloadRecheckReport(
        deps,
        request.params.id,
        request.params.requesterId,
        request.query.format,
        request.actor,
        recheckReportWorkbook,
      );
      return reply
        .header('content-type', file.contentType)
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .send(file.bytes);
    },
  });

  app.get('/api/recheck-reports', {
    config: { access: readers },
    schema: {
      tags: ['recheck'],
      summary: '已出具的复核情况报告：委托单位看本单位的，核对机构看本辖区的（不含个人信息）',
      querystring: z.object(page),
      response: {
        200: z.object({
          items: z.array(
            reportSchema.extend({ month: z.string(), requesterName: z.string(), agencyName: z.string() }),
          ),
          total: z.number(),
          notice: z.string(),
        }),
      },
    },
    handler: async (request) => {
      const { page: p, pageSize } = request.query;
      return listRecheckReports(deps, { offset: (p - 1) * pageSize, limit: pageSize }, request.actor);
    },
  });
}

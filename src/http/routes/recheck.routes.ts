import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import { alertFamilyCases } from '../../app/recheck/alert-cases.ts';
import {
  getRecheck,
  listRecheckAlerts,
  listRechecks,
  workRecheckAlert,
} from '../../app/recheck/recheck-view.ts';
import { startRecheck } from '../../app/recheck/run-recheck.ts';
import { ALERT_STATES } from '../../domain/recheck/alerts.ts';
import { RECHECK_MODES } from '../../domain/recheck/change-driven.ts';
import { allow } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';

/**
 * The monthly recheck (issue #6): agency reviewers run a month now; agency staff and reviewers read the runs
 * and work the alerts of their region. No alert changes a family's assistance.
 */
const reviewers = allow('agency_reviewer');
const agency = allow('agency_staff', 'agency_reviewer');

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

const countsSchema = {
  familyCount: z.number(),
  doneCount: z.number(),
  skippedCount: z.number(),
  failedCount: z.number(),
  changedCount: z.number(),
  carriedCount: z.number(),
};

const runSchema = z.object({
  id: z.number(),
  month: z.string(),
  scopeOrganisationId: z.number(),
  scopeName: z.string(),
  scopeRegionCode: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  startedAt: z.string(),
  startedBy: z.number().nullable(),
  startedByName: z.string().nullable(),
  finishedAt: z.string().nullable(),
  leaseUntil: z.string(),
  resumedCount: z.number(),
  errorCode: z.string().nullable(),
  mode: z.enum(RECHECK_MODES),
  ...countsSchema,
});

const summarySchema = z.object({
  runId: z.number(),
  month: z.string(),
  scope: z.object({ organisationId: z.number(), name: z.string(), regionCode: z.string() }),
  state: z.enum(['running', 'done', 'failed']),
  mode: z.enum(RECHECK_MODES),
  resumed: z.boolean(),
  counts: z.object(countsSchema),
  assessedNow: z.number(),
  alertsByKind: z.record(z.string(), z.number()),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  notice: z.string(),
});

const sourceSchema = z.object({
  dataset: z.string(),
  batchId: z.union([z.number(), z.string()]),
  departmentCode: z.string(),
  dataAsOf: z.string(),
  rowNumber: z.number(),
  recordId: z.union([z.number(), z.string()]),
});

const evidenceSchema = z.object({
  kind: z.string(),
  memberId: z.string().nullable(),
  relation: z.string().nullable(),
  message: z.string(),
  sources: z.array(sourceSchema),
  before: z.unknown(),
  after: z.unknown(),
  previousAsOfDate: z.string(),
  asOfDate: z.string(),
  rises: z
    .array(
      z.object({
        category: z.string(),
        beforeFen: z.number(),
        afterFen: z.number(),
        riseFen: z.number(),
        toleranceFen: z.number(),
      }),
    )
    .optional(),
});

const alertSchema = z.object({
  id: z.number(),
  runId: z.number(),
  itemId: z.number(),
  month: z.string(),
  requesterOrganisationId: z.number(),
  requesterName: z.string(),
  requesterRegionCode: z.string(),
  familyKey: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  evidence: evidenceSchema,
  state: z.enum(ALERT_STATES),
  caseId: z.number().nullable(),
  caseNumber: z.string().nullable(),
  reason: z.string().nullable(),
  workedBy: z.number().nullable(),
  workedByName: z.string().nullable(),
  workedAt: z.string().nullable(),
  createdAt: z.string(),
});

const page = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export function recheckRoutes(app: App, deps: Deps): void {
  app.post('/api/rechecks', {
    config: { access: reviewers },
    schema: {
      tags: ['recheck'],
      summary:
        '立即执行（或续跑）某月的每月复核：默认本机构辖区；同月同范围正在进行时拒绝（RECHECK_RUNNING）',
      body: z.object({
        month: monthSchema,
        scopeAgencyId: z.number().int().positive().optional(),
        /** full：全量；changed：只重算有新数据、无基线或结果满三个月的家庭（默认 full）。 */
        mode: z.enum(RECHECK_MODES).optional(),
      }),
      response: { 200: summarySchema },
    },
    handler: async (request) =>
      startRecheck(
        deps,
        {
          month: request.body.month,
          scopeAgencyId: request.body.scopeAgencyId ?? request.actor.organisationId ?? 0,
          ...(request.body.mode ? { mode: request.body.mode } : {}),
        },
        request.actor,
      ),
  });

  app.get('/api/rechecks', {
    config: { access: agency },
    schema: {
      tags: ['recheck'],
      summary: '每月复核批次列表（进度与计数，不含个人信息）',
      querystring: z.object({ month: monthSchema.optional(), ...page }),
      response: { 200: z.object({ items: z.array(runSchema), total: z.number(), notice: z.string() }) },
    },
    handler: async (request) => {
      const { page: p, pageSize, month } = request.query;
      return listRechecks(
        deps,
        { ...(month ? { month } : {}), offset: (p - 1) * pageSize, limit: pageSize },
        request.actor,
      );
    },
  });

  app.get('/api/rechecks/:id', {
    config: { access: agency },
    schema: {
      tags: ['recheck'],
      summary: '复核批次详情：各家庭（成员脱敏）的状态与变化（查看留痕）',
      params: idParam,
      querystring: z.object({
        status: z.enum(['pending', 'done', 'skipped', 'failed', 'carried']).optional(),
        changedOnly: z
          .enum(['true', 'false'])
          .default('false')
          .transform((v) => v === 'true'),
        ...page,
      }),
      response: {
        200: z.object({
          run: runSchema,
          alertsByKind: z.record(z.string(), z.number()),
          families: z.array(
            z.object({
              id: z.number(),
              rosterFamilyId: z.number(),
              requesterOrganisationId: z.number(),
              familyKey: z.string(),
              regionCode: z.string().nullable(),
              assistanceType: z.string().nullable(),
              assistanceTypeLabel: z.string().nullable(),
              members: z.array(
                z.object({ name: z.string(), idNumberMasked: z.string(), relation: z.string() }),
              ),
              status: z.enum(['pending', 'done', 'skipped', 'failed', 'carried']),
              assessmentId: z.number().nullable(),
              changes: z.array(z.string()),
              errorCode: z.string().nullable(),
              updatedAt: z.string(),
            }),
          ),
          familyTotal: z.number(),
          notice: z.string(),
        }),
      },
    },
    handler: async (request) => {
      const { page: p, pageSize, status, changedOnly } = request.query;
      return getRecheck(
        deps,
        request.params.id,
        { ...(status ? { status } : {}), changedOnly, offset: (p - 1) * pageSize, limit: pageSize },
        request.actor,
      );
    },
  });

  app.get('/api/recheck-alerts', {
    config: { access: agency },
    schema: {
      tags: ['recheck'],
      summary: '变化预警队列（按状态、委托单位、批次筛选；含证据，查看留痕）',
      querystring: z.object({
        state: z.enum(ALERT_STATES).optional(),
        requesterOrganisationId: z.coerce.number().int().positive().optional(),
        runId: z.coerce.number().int().positive().optional(),
        ...page,
      }),
      response: { 200: z.object({ items: z.array(alertSchema), total: z.number(), notice: z.string() }) },
    },
    handler: async (request) => {
      const { page: p, pageSize, ...filter } = request.query;
      return listRecheckAlerts(
        deps,
        { ...filter, offset: (p - 1) * pageSize, limit: pageSize },
        request.actor,
      );
    },
  });

  app.get('/api/recheck-alerts/:id/cases', {
    config: { access: agency },
    schema: {
      tags: ['recheck'],
      summary: '预警所属家庭在该委托单位的案件（按身份证号盲索引匹配成员；编号、状态、日期；查看留痕）',
      params: idParam,
      response: {
        200: z.object({
          alertId: z.number(),
          familyKey: z.string(),
          cases: z.array(
            z.object({
              id: z.number(),
              number: z.string(),
              state: z.string(),
              stateLabel: z.string(),
              receivedOn: z.string(),
              acceptedOn: z.string().nullable(),
              applicantName: z.string(),
              matchedMembers: z.number(),
              memberCount: z.number(),
            }),
          ),
          notice: z.string(),
        }),
      },
    },
    handler: async (request) => alertFamilyCases(deps, request.params.id, request.actor),
  });

  app.post('/api/recheck-alerts/:id/work', {
    config: { access: agency },
    schema: {
      tags: ['recheck'],
      summary:
        '处理预警：确认、排除（须填理由）、关联该家庭已立的案件，或（尚无案件时）通知委托单位委托核对（待委托核对）；不改变家庭的救助待遇',
      params: idParam,
      body: z.discriminatedUnion('action', [
        z.object({ action: z.literal('confirm'), reason: z.string().max(500).nullable().optional() }),
        z.object({ action: z.literal('dismiss'), reason: z.string().max(500) }),
        z.object({
          action: z.literal('open_case'),
          caseId: z.number().int().positive(),
          reason: z.string().max(500).nullable().optional(),
        }),
        z.object({
          action: z.literal('request_entrustment'),
          reason: z.string().max(500).nullable().optional(),
        }),
      ]),
      response: { 200: alertSchema },
    },
    handler: async (request) => workRecheckAlert(deps, request.params.id, request.body, request.actor),
  });
}

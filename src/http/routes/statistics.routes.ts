import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import { exportStatistics, getStatistics, type StatisticsQuery } from '../../app/statistics/statistics.ts';
import { STATISTICS_CHARTS } from '../../app/statistics/statistics-tables.ts';
import { statisticsWorkbook } from '../../documents/statistics-workbook.ts';
import { ASSISTANCE_TYPES } from '../../domain/policy/assistance-types.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

/**
 * The statistics dashboards (issue #6 item 6): agency staff and reviewers, for their own region (a city agency
 * its counties side by side). Not the audit officer (SPEC §1: the audit log and access reports only), not the
 * system administrator (no case data).
 */
const statisticsUsers = allow('agency_staff', 'agency_reviewer');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const filters = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  regionCode: z
    .string()
    .regex(/^\d{6}(\d{3})?$/, '区划代码应为 6 位或 9 位数字')
    .optional(),
  assistanceType: z.enum(ASSISTANCE_TYPES).optional(),
};

const caseFigures = {
  received: z.number(),
  accepted: z.number(),
  completed: z.number(),
  reported: z.number(),
  reportedOnTime: z.number(),
  onTimeRate: z.number().nullable(),
  averageWorkdaysToReport: z.number().nullable(),
  extensions: z.number(),
  suspensions: z.number(),
  terminations: z.number(),
  appeals: z.number(),
  reviewsDone: z.number(),
  reviewsChanged: z.number(),
  reviewsUnchanged: z.number(),
};
const bucket = z.object({ key: z.string(), label: z.string(), count: z.number() });
const distribution = {
  households: z.number(),
  incomeUnknown: z.number(),
  income: z.array(bucket),
  deposits: z.array(bucket),
  vehicles: z.array(bucket),
  realEstate: z.array(bucket),
};
const recheckFigures = {
  countyCode: z.string().nullable(),
  familiesRechecked: z.number(),
  familiesChanged: z.number(),
  changesByKind: z.record(z.string(), z.number()),
  alerts: z.number(),
  alertsOpen: z.number(),
  alertsWorked: z.number(),
  alertsByState: z.record(z.string(), z.number()),
};

const statisticsSchema = z.object({
  today: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  regionCode: z.string(),
  assistanceType: z.string().nullable(),
  calendarVersion: z.string(),
  counties: z.array(z.object({ code: z.string(), name: z.string() })),
  cases: z.object({
    counties: z.array(z.object({ countyCode: z.string(), countyName: z.string(), ...caseFigures })),
    total: z.object(caseFigures),
  }),
  departments: z.array(
    z.object({
      departmentCode: z.string(),
      departmentName: z.string(),
      due: z.number(),
      onTime: z.number(),
      late: z.number(),
      missing: z.number(),
      onTimeRate: z.number().nullable(),
      batches: z.number(),
      committed: z.number(),
      rejected: z.number(),
      rejectionRate: z.number().nullable(),
      duplicateRate: z.number().nullable(),
      unmatchedRate: z.number().nullable(),
    }),
  ),
  households: z.object({
    counties: z.array(z.object({ countyCode: z.string(), countyName: z.string(), ...distribution })),
    total: z.object(distribution),
  }),
  recheck: z.union([
    z.object({
      available: z.literal(true),
      counties: z.array(z.object({ ...recheckFigures, countyName: z.string() })),
      total: z.object(recheckFigures),
    }),
    z.object({ available: z.literal(false), message: z.string() }),
  ]),
  labels: z.object({
    assistanceTypes: z.record(z.string(), z.string()),
    changeKinds: z.record(z.string(), z.string()),
    alertStates: z.record(z.string(), z.string()),
  }),
});

function queryOf(q: {
  from?: string | undefined;
  to?: string | undefined;
  regionCode?: string | undefined;
  assistanceType?: string | undefined;
}): StatisticsQuery {
  return {
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(q.regionCode !== undefined ? { regionCode: q.regionCode } : {}),
    ...(q.assistanceType !== undefined ? { assistanceType: q.assistanceType } : {}),
  };
}

export function statisticsRoutes(app: App, deps: Deps): void {
  app.get('/api/statistics', {
    config: { access: statisticsUsers },
    schema: {
      tags: ['statistics'],
      summary:
        '统计分析：按区县、救助类型、统计期间的案件办理、申诉复核、部门报送及数据质量、已核对家庭收入与资产分布、月度复核',
      querystring: z.object(filters),
      response: { 200: statisticsSchema },
    },
    handler: (request) => getStatistics(deps, queryOf(request.query), request.actor),
  });

  app.get('/api/statistics/export', {
    config: { access: statisticsUsers },
    schema: {
      tags: ['statistics'],
      summary: '导出一张统计图的数据表（xlsx），筛选条件同统计分析',
      querystring: z.object({ ...filters, chart: z.enum(STATISTICS_CHARTS) }),
    },
    handler: async (request, reply) => {
      const { chart, ...rest } = request.query;
      const exported = await exportStatistics(deps, queryOf(rest), chart, request.actor);
      const bytes = await statisticsWorkbook(exported.table, exported.filters);
      reply.header(
        'content-disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent(exported.fileName)}`,
      );
      reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return reply.send(bytes);
    },
  });
}

import { z } from 'zod';
import { caseDashboard } from '../../app/cases/case-dashboard.ts';
import type { Deps } from '../../app/ports.ts';
import { CASE_STATES } from '../../domain/cases/workflow.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

/** The case deadline dashboard (issue #5): agency staff and reviewers for their region, requesters for their own cases. */
const dashboardUsers = allow('requester_staff', 'agency_staff', 'agency_reviewer');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const deadlineKind = z.enum(['acceptance', 'report', 'ceiling', 'appeal', 'review']);

const openCaseSchema = z.object({
  id: z.number(),
  number: z.string(),
  state: z.enum(CASE_STATES),
  stateLabel: z.string(),
  regionCode: z.string(),
  agencyId: z.number().nullable(),
  /** Masked (王**): the only personal data on the dashboard. */
  applicant: z.string(),
  nextDeadline: deadlineKind.nullable(),
  due: z.string().nullable(),
  workdaysLeft: z.number().nullable(),
  calendarVersion: z.string(),
});

const dashboardSchema = z.object({
  today: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  calendarVersion: z.string(),
  total: z.number(),
  byState: z.array(z.object({ state: z.enum(CASE_STATES), label: z.string(), count: z.number() })),
  open: z.array(openCaseSchema),
  overdueAcceptance: z.array(openCaseSchema),
  agencies: z.array(
    z.object({
      agencyId: z.number().nullable(),
      agencyName: z.string(),
      regionCode: z.string().nullable(),
      accepted: z.number(),
      acceptedOnTime: z.number(),
      acceptanceOnTimeRate: z.number().nullable(),
      reported: z.number(),
      reportedOnTime: z.number(),
      onTimeRate: z.number().nullable(),
      averageWorkdaysToReport: z.number().nullable(),
      extensions: z.number(),
      suspensions: z.number(),
      appeals: z.number(),
    }),
  ),
});

export function caseDashboardRoutes(app: App, deps: Deps): void {
  app.get('/api/cases/dashboard', {
    config: { access: dashboardUsers },
    schema: {
      tags: ['cases'],
      summary: '案件期限看板：按状态统计、未结案件剩余工作日、超期未受理、各核对机构按期率（统计期间内）',
      querystring: z.object({
        from: isoDate.optional(),
        to: isoDate.optional(),
        regionCode: z
          .string()
          .regex(/^\d{6}(\d{3})?$/, '区划代码应为 6 位或 9 位数字')
          .optional(),
      }),
      response: { 200: dashboardSchema },
    },
    handler: async (request) => {
      const { from, to, regionCode } = request.query;
      return caseDashboard(
        deps,
        {
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
          ...(regionCode !== undefined ? { regionCode } : {}),
        },
        request.actor,
      );
    },
  });
}

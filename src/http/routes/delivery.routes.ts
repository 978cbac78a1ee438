import { z } from 'zod';
import { listDeliveryRules } from '../../app/delivery/delivery-rules.ts';
import { getDeliveryStatus } from '../../app/delivery/get-delivery-status.ts';
import { updateDeliveryRule } from '../../app/delivery/update-delivery-rule.ts';
import type { Deps } from '../../app/ports.ts';
import { FREQUENCIES } from '../../domain/catalog/types.ts';
import { MAX_DUE_DAY } from '../../domain/delivery/schedule.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

const frequencySchema = z.enum(FREQUENCIES);
const deadlineSchema = z.object({ period: z.string(), dueDate: z.string() });

const ruleSchema = z.object({
  dataset: z.string(),
  datasetName: z.string(),
  departmentCode: z.string(),
  departmentName: z.string(),
  frequency: frequencySchema,
  dueDay: z.number(),
  firstPeriod: z.string().nullable(),
  overridden: z.boolean(),
  catalogFrequency: frequencySchema,
  updatedAt: z.string().nullable(),
  updatedBy: z.number().nullable(),
});

const statusItemSchema = z.object({
  dataset: z.string(),
  datasetName: z.string(),
  departmentCode: z.string(),
  departmentName: z.string(),
  frequency: frequencySchema,
  dueDay: z.number(),
  firstPeriod: z.string().nullable(),
  expectedFrom: z.string(),
  latestPeriod: z.string().nullable(),
  dataAsOf: z.string().nullable(),
  lastDeliveredAt: z.string().nullable(),
  nextDue: deadlineSchema.nullable(),
  overdue: z.array(deadlineSchema.extend({ daysOverdue: z.number() })),
});

export function deliveryRoutes(app: App, deps: Deps): void {
  app.get('/api/delivery/rules', {
    config: { access: allow('system_admin') },
    schema: {
      tags: ['delivery'],
      summary: '各数据集的报送规则（频次、截止日、首个应报期；未设置的按目录默认）',
      response: { 200: z.object({ items: z.array(ruleSchema) }) },
    },
    handler: async () => ({ items: await listDeliveryRules(deps.store) }),
  });

  app.put('/api/delivery/rules/:dataset', {
    config: { access: allow('system_admin') },
    schema: {
      tags: ['delivery'],
      summary: '设置数据集的报送规则（留痕）',
      params: z.object({ dataset: z.string() }),
      body: z.object({
        frequency: frequencySchema,
        dueDay: z.number().int().min(1).max(MAX_DUE_DAY),
        firstPeriod: z.string().nullable(),
      }),
      response: { 200: z.object({ rule: ruleSchema }) },
    },
    handler: async (request) => ({
      rule: await updateDeliveryRule(deps, request.params.dataset, request.body, request.actor),
    }),
  });

  app.get('/api/delivery/status', {
    config: { access: allow('department_officer', 'agency_staff', 'agency_reviewer') },
    schema: {
      tags: ['delivery'],
      summary: '数据报送情况：最新报送期、数据截至日、下一应报期、逾期未报（部门数据员只见本部门）',
      response: { 200: z.object({ today: z.string(), items: z.array(statusItemSchema) }) },
    },
    handler: async (request) => getDeliveryStatus(deps, request.actor),
  });
}

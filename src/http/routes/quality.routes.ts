import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import { getDataQuality } from '../../app/quality/get-data-quality.ts';
import { DEPARTMENTS, type DepartmentCode } from '../../domain/catalog/datasets.ts';
import { allow } from '../access.ts';
import type { App } from '../types.ts';

const rate = z.number().nullable();
const figures = {
  batches: z.number(),
  committed: z.number(),
  rejected: z.number(),
  rowsStored: z.number(),
  duplicateRate: rate,
  unmatchedRate: rate,
};

const departmentSchema = z.object({
  departmentCode: z.string(),
  departmentName: z.string(),
  ...figures,
  onTimeRate: rate,
  datasets: z.array(
    z.object({
      dataset: z.string(),
      datasetName: z.string(),
      ...figures,
      onTimeRate: rate,
      lastRejection: z.object({ batchId: z.number(), at: z.string(), errorCount: z.number() }).nullable(),
    }),
  ),
  trend: z.array(
    z.object({
      month: z.string(),
      batches: z.number(),
      rejected: z.number(),
      rowsStored: z.number(),
      duplicateRate: rate,
      unmatchedRate: rate,
    }),
  ),
});

const departmentCodes = Object.keys(DEPARTMENTS) as [DepartmentCode, ...DepartmentCode[]];

export function qualityRoutes(app: App, deps: Deps): void {
  app.get('/api/quality', {
    config: { access: allow('department_officer', 'agency_staff', 'agency_reviewer') },
    schema: {
      tags: ['delivery'],
      summary:
        '部门数据质量：批次、拒收、重复率、未匹配率、按时报送率，近 12 个月趋势（部门数据员只见本部门）',
      querystring: z.object({ departmentCode: z.enum(departmentCodes).optional() }),
      response: { 200: z.object({ departments: z.array(departmentSchema) }) },
    },
    handler: async (request) =>
      getDataQuality(deps, { departmentCode: request.query.departmentCode }, request.actor),
  });
}

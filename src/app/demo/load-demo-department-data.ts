import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { importBatch } from '../ingest/import-batch.ts';
import type { Deps } from '../ports.ts';
import { openDemoCases } from './demo-cases.ts';
import { buildDemoDepartmentData, type DemoBatch } from './demo-department-data.ts';

export interface DemoDataSummary {
  families: number;
  people: number;
  batches: { dataset: string; period: string; batchId: number; rows: number }[];
  /** The accepted case of each family (the example family's first). */
  cases: { family: string; number: string }[];
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** UTF-8 CSV as a department's spreadsheet program would save it. */
export function demoBatchCsv(batch: DemoBatch): string {
  return `${[batch.headers, ...batch.rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export class DemoDataLoadError extends Error {
  constructor(
    readonly batch: { dataset: string; period: string },
    readonly details: unknown,
  ) {
    super(
      `演示部门数据载入失败：${batch.dataset} ${batch.period} 未能入库（此前的批次已各自提交；请删除数据库后重新启动）：${JSON.stringify(details)}`,
    );
    this.name = 'DemoDataLoadError';
  }
}

/**
 * Loads the synthetic department data of the demo city (demo-department-data.ts) through the real import
 * path: each batch is written as a CSV file in a temporary directory and imported by `importBatch` as the
 * system, exactly as `hedui import` would. Called once, on the first start that loads the demo city.
 *
 * Every import must commit; the first that does not stops the load with its errors (DemoDataLoadError).
 * Each import is its own transaction (a batch is all or nothing), so the batches committed before the failing
 * one stay — there is no half-loaded batch, but there can be a half-loaded demo, loudly reported. The data is
 * deterministic for a given day, so a failure is a bug of the generator, caught by its tests.
 */
export async function loadDemoDepartmentData(
  deps: Deps,
  options: { tempDir?: string } = {},
): Promise<DemoDataSummary> {
  const data = buildDemoDepartmentData(shanghaiDateOf(deps.clock.now()));
  const dir = mkdtempSync(join(options.tempDir ?? tmpdir(), 'hedui-demo-data-'));
  const batches: DemoDataSummary['batches'] = [];
  try {
    for (const batch of data.batches) {
      const fileName = `演示-${batch.dataset}-${batch.period}.csv`;
      const path = join(dir, fileName);
      writeFileSync(path, demoBatchCsv(batch));
      const result = await importBatch(
        deps,
        { datasetCode: batch.dataset, period: batch.period, source: 'cli', fileName, path },
        SYSTEM_ACTOR,
      );
      if (result.status !== 'committed' || result.batchId === null)
        throw new DemoDataLoadError(batch, {
          status: result.status,
          fileErrors: result.fileErrors,
          errors: result.errors.slice(0, 20),
        });
      batches.push({
        dataset: batch.dataset,
        period: batch.period,
        batchId: result.batchId,
        rows: result.rows,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cases = await openDemoCases(deps, data);
  return {
    families: data.families.length,
    people: data.families.reduce((n, f) => n + f.members.length, 0),
    batches,
    cases,
  };
}

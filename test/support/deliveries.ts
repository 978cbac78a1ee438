import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { type ImportResult, importBatch } from '../../src/app/ingest/import-batch.ts';
import { pushedTable } from '../../src/app/ingest/pushed-table.ts';
import type { Actor } from '../../src/app/ports.ts';
import { findDataset } from '../../src/domain/catalog/datasets.ts';
import { computeCheckChar } from '../../src/domain/identity/id-number.ts';
import type { TestApp } from './app.ts';

/** Deliveries for schedule and quality tests: rows pushed through the real importer at a chosen instant. */

export type PushedRow = Record<string, string>;

export const IMPORT_ACTOR: Actor = { ...SYSTEM_ACTOR, name: '测试导入' };

/** A valid ID number of person `index` (西峰区, born 1980-01-01). */
export function personId(index: number): string {
  const first17 = `62100219800101${String(index).padStart(3, '0')}`;
  return `${first17}${computeCheckChar(first17)}`;
}

export function hukouRow(index: number): PushedRow {
  return {
    身份证号: personId(index),
    姓名: `户籍${String.fromCharCode(0x4e00 + index)}`,
    性别: index % 2 === 0 ? '女' : '男',
    出生日期: '1980-01-01',
    户号: `H${index}`,
    户籍状态: '正常',
  };
}

export function benefitRow(index: number, month: string): PushedRow {
  return {
    身份证号: personId(index),
    姓名: `待遇${String.fromCharCode(0x4e00 + index)}`,
    待遇类型: '养老金',
    所属月份: month,
    发放金额: '1200.00',
  };
}

export function vehicleRow(index: number): PushedRow {
  return {
    身份证号: personId(index),
    姓名: `车主${String.fromCharCode(0x4e00 + index)}`,
    号牌号码: `甘M${String(10000 + index)}`,
    使用性质: '非营运',
    初次登记日期: '2019-05-20',
    车辆状态: '正常',
  };
}

/** Imports `rows` as a push with the clock at `at` (the batch's created_at); leaves the clock there. */
export async function deliver(
  t: TestApp,
  input: { dataset: string; period: string; rows: PushedRow[]; at: string },
): Promise<ImportResult> {
  const dataset = findDataset(input.dataset);
  if (!dataset) throw new Error(`unknown dataset ${input.dataset}`);
  t.clock.set(input.at);
  const pushed = pushedTable(dataset, Buffer.from(JSON.stringify(input.rows)), 'json');
  return importBatch(
    t.deps,
    {
      datasetCode: dataset.code,
      period: input.period,
      source: 'api',
      fileName: null,
      pushed: { ...pushed, format: 'json' },
    },
    IMPORT_ACTOR,
  );
}

/** Imports and insists the batch was committed; returns its id. */
export async function commit(t: TestApp, input: Parameters<typeof deliver>[1]): Promise<number> {
  const result = await deliver(t, input);
  if (result.status !== 'committed' || result.batchId === null)
    throw new Error(`expected ${input.dataset} ${input.period} to commit: ${JSON.stringify(result)}`);
  return result.batchId;
}

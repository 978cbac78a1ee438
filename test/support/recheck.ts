/**
 * Test support: the two-month fixture of the monthly recheck (issue #6), synthetic department data loaded through
 * the real import path. Month 1 (2025-09) is every family's baseline; month 2 (2025-10) plants exactly one change of
 * each kind in distinct families beside unchanged ones; one family has no authorization on file.
 */

import { expect } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { importBatch } from '../../src/app/ingest/import-batch.ts';
import type { CaseRow } from '../../src/app/ports.ts';
import { creditCodeCheckChar } from '../../src/domain/catalog/cells.ts';
import type { TestApp } from './app.ts';
import { openCase } from './cases.ts';
import { csvBytes, hukouRow, idNumber, personName, type Row, type TempDir } from './department-data.ts';

export interface RecheckFamily {
  key: string;
  /** Person indexes: the applicant first. */
  people: number[];
  authorized: boolean;
}

export const RECHECK_FAMILIES: RecheckFamily[] = [
  { key: 'F01-VEHICLE', people: [0, 1], authorized: true },
  { key: 'F02-ESTATE', people: [2], authorized: true },
  { key: 'F03-COMPANY', people: [3], authorized: true },
  { key: 'F04-INCOME', people: [4], authorized: true },
  { key: 'F05-DECEASED', people: [5, 6], authorized: true },
  { key: 'F06-MOVED', people: [7, 8], authorized: true },
  { key: 'F07-MARRIAGE', people: [9, 10], authorized: true },
  { key: 'F08-PAYROLL', people: [11], authorized: true },
  { key: 'F09-SAME', people: [12, 13], authorized: true },
  { key: 'F10-SAME', people: [14], authorized: true },
  { key: 'F11-NOAUTH', people: [15], authorized: false },
];

/** The change planted in month 2, per family. */
export const PLANTED: [string, string][] = [
  ['F01-VEHICLE', 'NEW_VEHICLE'],
  ['F02-ESTATE', 'NEW_REAL_ESTATE'],
  ['F03-COMPANY', 'NEW_MARKET_ENTITY'],
  ['F04-INCOME', 'INCOME_RISE'],
  ['F05-DECEASED', 'MEMBER_DECEASED'],
  ['F06-MOVED', 'MEMBER_MOVED_OUT'],
  ['F07-MARRIAGE', 'NEW_MARRIAGE'],
  ['F08-PAYROLL', 'MEMBER_ON_PAYROLL'],
];

export const relationOf = (index: number) => (index === 0 ? '本人' : index === 1 ? '配偶' : '子女');

export function rosterRows(families: readonly RecheckFamily[] = RECHECK_FAMILIES) {
  return families.flatMap((f) =>
    f.people.map((p, i) => ({
      familyKey: f.key,
      ...(i === 0
        ? {
            regionCode: '621002001',
            assistanceType: '最低生活保障',
            startDate: '2025-01-01',
            monthlyAmount: '650',
          }
        : {}),
      name: personName(p),
      idNumber: idNumber(p),
      relation: relationOf(i),
    })),
  );
}

export function creditCode(serial: string): string {
  const first17 = `92621002MA${serial}`;
  return `${first17}${creditCodeCheckChar(first17)}`;
}

export function vehicleRow(p: number, plate: string, registered: string): Row {
  return {
    身份证号: idNumber(p),
    姓名: personName(p),
    号牌号码: plate,
    车辆类型: '小型轿车',
    使用性质: '非营运',
    初次登记日期: registered,
    车辆状态: '正常',
    残疾人专用车: '否',
  };
}

export type LoadBatch = (dataset: string, period: string, rows: Row[]) => Promise<void>;

/** Loads batches through the real import path; `batchIds` keeps the latest batch of each dataset. */
export function batchLoader(t: TestApp | { deps: TestApp['deps'] }, dir: TempDir) {
  const batchIds: Record<string, number> = {};
  let files = 0;
  const load: LoadBatch = async (dataset, period, rows) => {
    const fileName = `${dataset}-${period}-${files++}.csv`;
    const path = dir.write(fileName, csvBytes(rows));
    const result = await importBatch(
      t.deps,
      { datasetCode: dataset, period, source: 'cli', fileName, path },
      SYSTEM_ACTOR,
    );
    expect(result.status, JSON.stringify(result.errors.slice(0, 3)) + JSON.stringify(result.fileErrors)).toBe(
      'committed',
    );
    batchIds[dataset] = result.batchId as number;
  };
  return { load, batchIds };
}

/** Every authorized family gets an accepted case listing all its members: its authorization is on file. */
export async function openFamilyCases(t: { deps: TestApp['deps'] }): Promise<Map<string, CaseRow>> {
  const cases = new Map<string, CaseRow>();
  for (const f of RECHECK_FAMILIES.filter((family) => family.authorized))
    cases.set(
      f.key,
      await openCase(
        t.deps,
        f.people.map((p, i) => ({ idNumber: idNumber(p), name: personName(p), relation: relationOf(i) })),
      ),
    );
  return cases;
}

/** Month 1 data: the household register of everyone, and one car already registered (F09). */
export async function loadMonthOneData(load: LoadBatch): Promise<void> {
  await load(
    'hukou',
    '2025-Q3',
    Array.from({ length: 16 }, (_, i) => hukouRow(i)),
  );
  await load('vehicle', '2025-Q3', [vehicleRow(12, '甘M10012', '2020-05-01')]);
}

/** Month 2 data: one planted change per kind (see PLANTED). */
export async function loadMonthTwoData(load: LoadBatch): Promise<void> {
  await load(
    'hukou',
    '2025-Q3',
    Array.from({ length: 16 }, (_, i) =>
      i === 8 ? hukouRow(i, { 户籍状态: '迁出', 状态变更日期: '2025-09-15' }) : hukouRow(i),
    ),
  );
  await load('vehicle', '2025-Q3', [
    vehicleRow(12, '甘M10012', '2020-05-01'),
    vehicleRow(1, '甘M20001', '2025-09-20'),
  ]);
  await load('real_estate', '2025-H2', [
    {
      身份证号: idNumber(2),
      姓名: personName(2),
      不动产单元号: '621002001001GB00001F00010001',
      坐落: '西峰区合成路2号',
      用途: '住宅',
      建筑面积: '85.00',
      登记日期: '2025-09-18',
      权利状态: '现势',
      共有方式: '单独所有',
      权利份额: '',
    },
  ]);
  await load('market_entity', '2025-H2', [
    {
      身份证号: idNumber(3),
      姓名: personName(3),
      主体名称: '西峰区某某小吃店',
      统一社会信用代码: creditCode('0000003'),
      主体类型: '个体工商户',
      身份: '经营者',
      认缴出资额: '',
      出资比例: '',
      成立日期: '2025-09-05',
      登记状态: '存续',
    },
  ]);
  await load('tax_income', '2025-H2', [
    {
      身份证号: idNumber(4),
      姓名: personName(4),
      所得项目: '劳务报酬',
      所属期起: '2025-09',
      所属期止: '2025-09',
      收入额: '8000.00',
      已缴税额: '0.00',
    },
  ]);
  await load('death', '2025-09', [
    { 身份证号: idNumber(6), 姓名: personName(6), 死亡日期: '2025-09-10', 来源: '火化' },
  ]);
  await load('marriage', '2025-09', [
    {
      身份证号: idNumber(10),
      姓名: personName(10),
      登记类型: '结婚',
      登记日期: '2025-09-12',
      对方身份证号: idNumber(900, { region: '621021', birth: '19900101' }),
      对方姓名: personName(900),
    },
  ]);
  // Below the wage tolerance, so that the family carries one change only (a member on payroll).
  await load('payroll', '2025-H2', [
    {
      身份证号: idNumber(11),
      姓名: personName(11),
      工作单位: '西峰区某事业单位',
      所属月份: '2025-09',
      应发工资: '300.00',
      实发工资: '280.00',
    },
  ]);
}

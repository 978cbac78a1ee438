import type { DatasetDef } from '../catalog/types.ts';
import { parentRegionCode, regionLevelOf } from '../regions/regions.ts';
import { describePeriod, type OverduePeriod } from './schedule.ts';

/** Notices of overdue deliveries: who receives them and what they say. */

export const OVERDUE_NOTICE_KIND = 'delivery_overdue';

export interface NoticeOrganisation {
  id: number;
  kind: string;
  regionCode: string;
  departmentCode: string | null;
  active: boolean;
}

export interface NoticeDraft {
  organisationId: number;
  kind: string;
  dedupeKey: string;
  title: string;
  body: string;
}

/**
 * The city a department organisation serves: its own region when it is a city (or a province, for
 * provincial departments and municipalities), else the city above its county or township.
 */
export function cityOf(regionCode: string): string {
  let code: string | null = regionCode;
  while (code !== null) {
    const level = regionLevelOf(code);
    if (level === 'city' || level === 'province') return code;
    code = parentRegionCode(code);
  }
  return regionCode;
}

/**
 * Who is told that a dataset's period is overdue: every active department organisation delivering the
 * dataset, and the active verification agencies of that city itself (the city agency oversees its
 * departments' deliveries; county agencies see freshness on their own page without being notified, which
 * would otherwise multiply every overdue period by the number of counties).
 */
export function overdueRecipients<T extends NoticeOrganisation>(
  dataset: DatasetDef,
  organisations: readonly T[],
): T[] {
  const deliverers = [dataset.departmentCode, ...(dataset.otherDepartmentCodes ?? [])];
  const departments = organisations.filter(
    (o) =>
      o.active &&
      o.kind === 'department' &&
      o.departmentCode !== null &&
      deliverers.includes(o.departmentCode),
  );
  const cities = [...new Set(departments.map((d) => cityOf(d.regionCode)))];
  const agencies = organisations.filter(
    (o) => o.active && o.kind === 'agency' && cities.includes(o.regionCode),
  );
  return [...departments, ...agencies];
}

export function overdueNotice(
  dataset: DatasetDef,
  overdue: OverduePeriod,
  recipient: NoticeOrganisation,
  today: string,
): NoticeDraft {
  const period = `${describePeriod(overdue.period)}（${overdue.period}）`;
  const facts = `「${dataset.name}」${period}数据应于 ${overdue.dueDate} 前报送，截至 ${today} 尚未报送，已逾期 ${overdue.daysOverdue} 天。`;
  const ask =
    recipient.kind === 'department'
      ? '请尽快按模板报送；如有困难，请与核对机构联系。'
      : `已提醒${dataset.departmentName}等报送部门。核对中涉及该期数据时，请注意其尚未报送。`;
  return {
    organisationId: recipient.id,
    kind: OVERDUE_NOTICE_KIND,
    dedupeKey: `${OVERDUE_NOTICE_KIND}:${dataset.code}:${overdue.period}:${recipient.id}`,
    title: `数据报送逾期：${dataset.name} ${period}`,
    body: facts + ask,
  };
}

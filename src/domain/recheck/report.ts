import { DEPARTMENTS, findDataset } from '../catalog/datasets.ts';
import { CHANGE_KIND_LABELS, type ChangeEvidence, type ChangeKind } from './changes.ts';
import type { IncomeFigureKey, SourceRef } from './summary.ts';

/**
 * How the monthly recheck report (复核情况报告, issue #6 item 3, Q§6) words one change: its kind in Chinese, the
 * member concerned, the values before and after (amounts in 元 from integer fen), and each source as dataset,
 * batch and data-as-of date. The PDF and the XLSX print the same words. Facts only (Q§3 只核对、不认定).
 */

export const RECHECK_REPORT_TITLE = '复核情况报告';

export const RECHECK_REPORT_STATEMENT =
  '本报告只陈述每月复核中发现的数据变化及其来源，只核对、不认定：不改变任何家庭的救助待遇，不作是否给予、调整或停止救助的认定；是否调整救助由社会救助主管部门依法决定。';

export interface RecheckReportSourceText {
  /** 机动车登记（公安）. */
  dataset: string;
  batchId: string;
  dataAsOf: string;
}

export interface RecheckReportChangeText {
  kind: string;
  kindLabel: string;
  /** The member's relation to the applicant, or 家庭 for a family-level change. */
  member: string;
  description: string;
  before: string;
  after: string;
  sources: RecheckReportSourceText[];
}

const CATEGORY_LABELS: Readonly<Record<IncomeFigureKey, string>> = {
  wages: '工资性收入',
  business: '经营净收入',
  property: '财产净收入',
  transferNet: '转移净收入',
  other: '其他收入',
};

const MARITAL_LABELS: Readonly<Record<string, string>> = {
  married: '已婚',
  divorced: '离婚',
  unknown: '无登记',
};

/** Integer fen as 元 with two decimals, without a float: 123456 → `1234.56`. */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`an amount must be whole fen, not ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

export function datasetLabel(source: Pick<SourceRef, 'dataset' | 'departmentCode'>): string {
  const name = findDataset(source.dataset)?.name ?? source.dataset;
  const department = DEPARTMENTS[source.departmentCode as keyof typeof DEPARTMENTS];
  return department ? `${name}（${department}）` : name;
}

function list(values: unknown): string {
  const items = Array.isArray(values) ? values.map(String) : [];
  return items.length === 0 ? '无' : items.join('、');
}

function marital(value: unknown): string {
  const v = (value ?? {}) as { status?: string; date?: string | null };
  const label = MARITAL_LABELS[v.status ?? 'unknown'] ?? v.status ?? '无登记';
  return v.date ? `${label}（${v.date}）` : label;
}

function beforeAfter(e: ChangeEvidence): { before: string; after: string } {
  switch (e.kind) {
    case 'NEW_VEHICLE':
    case 'NEW_REAL_ESTATE':
    case 'NEW_MARKET_ENTITY':
      return { before: list(e.before), after: list(e.after) };
    case 'INCOME_RISE': {
      const rises = e.rises ?? [];
      return {
        before: rises.map((r) => `${CATEGORY_LABELS[r.category]} ${fenToYuan(r.beforeFen)} 元`).join('；'),
        after: rises
          .map(
            (r) =>
              `${CATEGORY_LABELS[r.category]} ${fenToYuan(r.afterFen)} 元（增加 ${fenToYuan(r.riseFen)} 元，容差 ${fenToYuan(r.toleranceFen)} 元）`,
          )
          .join('；'),
      };
    }
    case 'MEMBER_DECEASED': {
      const after = (e.after ?? {}) as { date?: string | null };
      return { before: '无死亡记录', after: after.date ? `死亡（${after.date}）` : '死亡' };
    }
    case 'MEMBER_MOVED_OUT':
      return { before: typeof e.before === 'string' ? e.before : '无记录', after: String(e.after ?? '') };
    case 'NEW_MARRIAGE':
      return { before: marital(e.before), after: marital(e.after) };
    case 'MEMBER_ON_PAYROLL': {
      const after = (e.after ?? {}) as { months?: string[] };
      return { before: '无财政供养记录', after: `财政供养人员（${list(after.months)}）` };
    }
  }
}

export function describeChange(evidence: ChangeEvidence): RecheckReportChangeText {
  const kind = evidence.kind as ChangeKind;
  return {
    kind,
    kindLabel: CHANGE_KIND_LABELS[kind] ?? kind,
    member: evidence.relation === null ? '家庭' : `成员（${evidence.relation}）`,
    description: evidence.message,
    ...beforeAfter(evidence),
    sources: evidence.sources.map((s) => ({
      dataset: datasetLabel(s),
      batchId: String(s.batchId),
      dataAsOf: s.dataAsOf,
    })),
  };
}

/** The sources of a change on one line: `机动车登记（公安） 批次 12 数据截至 2025-10-03`. */
export function sourcesText(sources: readonly RecheckReportSourceText[]): string {
  return sources.length === 0
    ? '—'
    : sources.map((s) => `${s.dataset} 批次 ${s.batchId} 数据截至 ${s.dataAsOf}`).join('；');
}

export const SKIP_REASONS: Readonly<Record<string, string>> = {
  skipped: '授权书未在案，未查询（先授权、后核对）',
  failed: '核对未完成',
  pending: '尚未核对',
};

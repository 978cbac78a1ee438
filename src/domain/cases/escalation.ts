/**
 * Sub-requests to the agency above (庆阳细则第六条): 本级核对机构无法核对的事项，应报同级主管部门批准后，逐级提交上级核对
 * 机构协助核对; the city agency 承担所辖县（区）核对机构提出的需要跨区域核对数据信息的协助核对. A sub-request lives beside
 * a case that is being verified or reviewed — it never moves the case itself. Pure rules and shapes.
 */

import type { CaseState } from './workflow.ts';

export const ESCALATION_STATES = ['proposed', 'approved', 'rejected', 'answered', 'withdrawn'] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

export const ESCALATION_STATE_LABELS: Readonly<Record<EscalationState, string>> = {
  proposed: '待审批',
  approved: '已报上级',
  rejected: '未批准',
  answered: '上级已答复',
  withdrawn: '已撤回',
};

/** The sub-request steps kept in the case's history (beside the case's own steps of workflow.ts). */
export const ESCALATION_STEPS = [
  'escalate',
  'approve_escalation',
  'reject_escalation',
  'answer_escalation',
] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];

/** A case may ask the agency above while its data are being verified: first verification or review. */
export const ESCALATION_CASE_STATES: readonly CaseState[] = ['verifying', 'reviewing'];

/** Sub-requests still waiting for the agency above (their due date runs in the case's deadlines). */
export const PENDING_ESCALATION_STATES: readonly EscalationState[] = ['proposed', 'approved'];

/** Cross-region data a county agency typically cannot reach itself; others may be written in. */
export const ESCALATION_DATA_ITEMS = [
  '外地不动产',
  '跨区域社保',
  '外地车辆',
  '外地住房公积金',
  '外地工商登记',
  '外地存款及金融资产',
] as const;

export const MAX_ESCALATION_ITEMS = 50;

/** One thing to verify: a data item about one member, as named in the sub-request (stored encrypted). */
export interface EscalationItem {
  memberIndex: number;
  name: string;
  idNumber: string;
  relation: string;
  dataItem: string;
}

export interface EscalationRequestBody {
  reason: string;
  items: EscalationItem[];
}

/** The agency above's answer to one item, with where it comes from (provenance). */
export interface EscalationFinding {
  itemIndex: number;
  finding: string;
  /** An amount found (income, deposit, value), integer fen; null when the finding has none. */
  amountFen: number | null;
  sourceDepartment: string;
  sourceDataset: string;
  /** The date the source's data stand at (YYYY-MM-DD). */
  dataAsOf: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * Checks the findings against the items (one per item, each with its source and a data date not after
 * `today`); answers the cleaned findings or the first problem, in Chinese.
 */
export function checkFindings(
  itemCount: number,
  findings: readonly EscalationFinding[],
  today: string,
): { ok: true; findings: EscalationFinding[] } | { ok: false; message: string } {
  const byItem = new Map<number, EscalationFinding>();
  for (const f of findings) {
    if (!Number.isSafeInteger(f.itemIndex) || f.itemIndex < 0 || f.itemIndex >= itemCount)
      return { ok: false, message: '答复的事项不在子请求中' };
    if (byItem.has(f.itemIndex)) return { ok: false, message: `第 ${f.itemIndex + 1} 项重复答复` };
    const finding = f.finding.trim();
    const sourceDepartment = f.sourceDepartment.trim();
    const sourceDataset = f.sourceDataset.trim();
    const n = f.itemIndex + 1;
    if (finding.length < 2) return { ok: false, message: `请写明第 ${n} 项的核对结果` };
    if (sourceDepartment === '' || sourceDataset === '')
      return { ok: false, message: `请写明第 ${n} 项数据的来源部门和数据名称` };
    if (!validDate(f.dataAsOf) || f.dataAsOf > today)
      return { ok: false, message: `第 ${n} 项的数据截止日期应为不晚于今天的日期（YYYY-MM-DD）` };
    if (f.amountFen !== null && (!Number.isSafeInteger(f.amountFen) || f.amountFen < 0))
      return { ok: false, message: `第 ${n} 项的金额应为非负整数（分）` };
    byItem.set(f.itemIndex, { ...f, finding, sourceDepartment, sourceDataset });
  }
  if (byItem.size !== itemCount) return { ok: false, message: '请逐项答复子请求中的全部事项' };
  return { ok: true, findings: [...byItem.values()].sort((a, b) => a.itemIndex - b.itemIndex) };
}

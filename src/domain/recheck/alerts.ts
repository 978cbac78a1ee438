/**
 * Working a recheck alert (issue #6 item 3): an open alert is confirmed, dismissed with a reason, or linked to a
 * case the handler opened for the family (`case_opened`, with that case's id), or — no case of the family yet —
 * the requester is asked to entrust one (`awaiting_entrustment`, then linked to it). Once worked it stays as worked.
 * Working an alert records what the handler did; it never changes a family's assistance (Q§3).
 */

export const ALERT_STATES = [
  'open',
  'confirmed',
  'dismissed',
  'case_opened',
  'awaiting_entrustment',
] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_STATE_LABELS: Readonly<Record<AlertState, string>> = {
  open: '待处理',
  confirmed: '已确认',
  dismissed: '已排除',
  case_opened: '已转入案件',
  awaiting_entrustment: '待委托核对',
};

export type AlertWork =
  | { action: 'confirm'; reason?: string | null }
  | { action: 'dismiss'; reason: string }
  | { action: 'open_case'; caseId: number; reason?: string | null }
  /** No case of the family yet: the requester is asked to entrust one (无委托、不核对); the alert waits for it. */
  | { action: 'request_entrustment'; reason?: string | null };

export const MAX_REASON_LENGTH = 500;

export type AlertWorkCheck =
  | { ok: true; state: Exclude<AlertState, 'open'>; reason: string | null; caseId: number | null }
  | { ok: false; code: 'ALERT_ALREADY_WORKED' | 'REASON_REQUIRED' | 'REASON_TOO_LONG'; message: string };

export function checkAlertWork(current: AlertState, work: AlertWork): AlertWorkCheck {
  // An alert awaiting the requester's entrustment is worked once more: linked to the new case (or confirmed,
  // dismissed); it is not asked for again.
  const workable =
    current === 'open' || (current === 'awaiting_entrustment' && work.action !== 'request_entrustment');
  if (!workable)
    return {
      ok: false,
      code: 'ALERT_ALREADY_WORKED',
      message: `该预警已处理（${ALERT_STATE_LABELS[current]}），不能再次处理`,
    };
  const reason = work.reason?.trim() ?? '';
  if (reason.length > MAX_REASON_LENGTH)
    return { ok: false, code: 'REASON_TOO_LONG', message: `理由不超过 ${MAX_REASON_LENGTH} 个字符` };
  switch (work.action) {
    case 'confirm':
      return { ok: true, state: 'confirmed', reason: reason === '' ? null : reason, caseId: null };
    case 'dismiss':
      if (reason === '') return { ok: false, code: 'REASON_REQUIRED', message: '排除预警必须填写理由' };
      return { ok: true, state: 'dismissed', reason, caseId: null };
    case 'open_case':
      return { ok: true, state: 'case_opened', reason: reason === '' ? null : reason, caseId: work.caseId };
    case 'request_entrustment':
      return { ok: true, state: 'awaiting_entrustment', reason: reason === '' ? null : reason, caseId: null };
  }
}

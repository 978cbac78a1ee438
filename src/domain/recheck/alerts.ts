/**
 * Working a recheck alert (issue #6 item 3): an open alert is confirmed, dismissed with a reason, or linked to a
 * case the handler opened for the family (`case_opened`, with that case's id). Once worked it stays as worked.
 * Working an alert records what the handler did; it never changes a family's assistance (Q§3).
 */

export const ALERT_STATES = ['open', 'confirmed', 'dismissed', 'case_opened'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_STATE_LABELS: Readonly<Record<AlertState, string>> = {
  open: '待处理',
  confirmed: '已确认',
  dismissed: '已排除',
  case_opened: '已转入案件',
};

export type AlertWork =
  | { action: 'confirm'; reason?: string | null }
  | { action: 'dismiss'; reason: string }
  | { action: 'open_case'; caseId: number; reason?: string | null };

export const MAX_REASON_LENGTH = 500;

export type AlertWorkCheck =
  | { ok: true; state: Exclude<AlertState, 'open'>; reason: string | null; caseId: number | null }
  | { ok: false; code: 'ALERT_ALREADY_WORKED' | 'REASON_REQUIRED' | 'REASON_TOO_LONG'; message: string };

export function checkAlertWork(current: AlertState, work: AlertWork): AlertWorkCheck {
  if (current !== 'open')
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
  }
}

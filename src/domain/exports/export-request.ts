import { AppError } from '../shared/errors.ts';

/**
 * Bulk exports of personal data (issue #8 item 4): a file naming many persons leaves the platform only after an
 * export request (who, what, why, which case or run) is approved by an agency reviewer other than the requester
 * (four eyes), and only once, within a short window, to the requester. Every file carries a visible watermark and a
 * recoverable one (export id + keyed fingerprint) that `hedui export trace FILE` reads back to the request.
 */

export const EXPORT_KINDS = [
  'dishonesty_records',
  'recheck_report_xlsx',
  'case_archive',
  'offline_exchange',
] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_KIND_LABELS: Readonly<Record<ExportKind, string>> = {
  dishonesty_records: '失信记录（报送信用信息系统）',
  recheck_report_xlsx: '复核情况明细表（XLSX）',
  case_archive: '案件档案（ZIP）',
  offline_exchange: '离线核对清单（XLSX）',
};

export type ExportState = 'pending' | 'approved' | 'refused' | 'downloaded';

export const EXPORT_STATE_LABELS: Readonly<Record<ExportState, string>> = {
  pending: '待审批',
  approved: '已批准，待下载',
  refused: '已拒绝',
  downloaded: '已下载',
};

/** How long an approved export stays downloadable (and it downloads once). */
export const EXPORT_DOWNLOAD_HOURS = 24;

/** What is exported: kind-specific, stored as JSON with the request and replayed at download. */
export type ExportTarget =
  | { kind: 'dishonesty_records'; format: 'csv' | 'json'; approvedFrom?: string; approvedTo?: string }
  | { kind: 'recheck_report_xlsx'; runId: number; requesterId: number }
  | { kind: 'case_archive'; caseId: number }
  | { kind: 'offline_exchange'; exchangeId: number };

export interface ExportRequestRow {
  id: number;
  kind: ExportKind;
  target: ExportTarget;
  reason: string;
  caseId: number | null;
  recheckRunId: number | null;
  requestedBy: number;
  requestedByName: string;
  requesterOrganisationId: number;
  requesterRegionCode: string;
  requestedAt: string;
  state: ExportState;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  expiresAt: string | null;
  downloadedAt: string | null;
  fingerprint: string | null;
  fileName: string | null;
}

/** A short Chinese description of the target, for the queue and the watermark. */
export function describeTarget(target: ExportTarget, caseNumber?: string | null): string {
  switch (target.kind) {
    case 'dishonesty_records': {
      const range =
        target.approvedFrom || target.approvedTo
          ? `，批准日期 ${target.approvedFrom ?? '…'} 至 ${target.approvedTo ?? '…'}`
          : '';
      return `失信记录 ${target.format.toUpperCase()}${range}`;
    }
    case 'recheck_report_xlsx':
      return `复核批次 ${target.runId}，委托单位 ${target.requesterId}`;
    case 'case_archive':
      return `案件 ${caseNumber ?? target.caseId}`;
    case 'offline_exchange':
      return `离线核对清单 ${target.exchangeId}`;
  }
}

/** The reviewer's decision is allowed: a pending request, decided by someone other than who asked (four eyes). */
export function assertDecidable(row: ExportRequestRow, reviewerId: number | null): void {
  if (row.state !== 'pending')
    throw new AppError('CONFLICT', '该导出申请已处理', { code: 'EXPORT_ALREADY_DECIDED', state: row.state });
  if (reviewerId === null || reviewerId === row.requestedBy)
    throw new AppError('PERMISSION_DENIED', '导出申请须由申请人以外的审核人员批准（双人复核）', {
      code: 'EXPORT_FOUR_EYES',
    });
}

/** Whether the requester may download now; the reason in Chinese when not. */
export function assertDownloadable(row: ExportRequestRow, userId: number | null, now: string): void {
  // Only the requester downloads: anyone else is told nothing about the request (404, audited as a refusal).
  if (userId === null || userId !== row.requestedBy)
    throw new AppError('OUT_OF_SCOPE', '导出申请不存在', { code: 'EXPORT_NOT_FOUND' });
  if (row.state === 'pending')
    throw new AppError('PERMISSION_DENIED', '导出申请尚未批准，不能下载', { code: 'EXPORT_NOT_APPROVED' });
  if (row.state === 'refused')
    throw new AppError('PERMISSION_DENIED', '导出申请已被拒绝', { code: 'EXPORT_REFUSED' });
  if (row.state === 'downloaded')
    throw new AppError('CONFLICT', '该导出文件已下载过，只能下载一次；如需再次导出请重新申请', {
      code: 'EXPORT_ALREADY_DOWNLOADED',
    });
  if (row.expiresAt !== null && row.expiresAt <= now)
    throw new AppError('CONFLICT', `批准后 ${EXPORT_DOWNLOAD_HOURS} 小时内未下载，已失效；请重新申请`, {
      code: 'EXPORT_EXPIRED',
    });
}

/** The visible watermark: who, when, what (case or run), and the export number. */
export function watermarkText(input: {
  exportId: number;
  userName: string;
  at: string;
  target: string;
}): string {
  const when = new Date(input.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return `核对专用 · 导出编号 ${input.exportId} · ${input.userName} · ${when} · ${input.target} · 不得外传`;
}

/** The canonical text the keyed fingerprint is computed over. */
export function fingerprintInput(
  row: Pick<ExportRequestRow, 'id' | 'requestedBy' | 'kind'>,
  at: string,
): string {
  return `hedui-export|${row.id}|${row.requestedBy}|${row.kind}|${at}`;
}

/** The recoverable mark carried in metadata, hidden sheets and zero-width text: `HEDUI-EXPORT:<id>:<fingerprint>`. */
export const MARK_PATTERN = /HEDUI-EXPORT:(\d+):([A-Za-z0-9_-]{16,64})/;
export function markOf(exportId: number, fingerprint: string): string {
  return `HEDUI-EXPORT:${exportId}:${fingerprint}`;
}

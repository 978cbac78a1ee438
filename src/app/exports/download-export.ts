import {
  assertDownloadable,
  describeTarget,
  type ExportRequestRow,
  type ExportTarget,
  fingerprintInput,
  markOf,
  watermarkText,
} from '../../domain/exports/export-request.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps } from '../ports.ts';

/** A produced export before its watermark. `layoutFixed`: a workbook whose rows must not move (a reply form). */
export interface ExportFile {
  bytes: Uint8Array;
  fileName: string;
  contentType: string;
  format: 'csv' | 'json' | 'xlsx' | 'zip';
  layoutFixed?: boolean;
}

/**
 * Makes the file of a target as the requester (the producers are the existing use cases with their own scope checks
 * and audit entries).
 */
export type ExportProducer = (target: ExportTarget, actor: Actor) => Promise<ExportFile>;

export interface ExportWatermarkPort {
  apply(file: ExportFile, text: string, mark: string): Promise<Uint8Array>;
}

/**
 * The one download of an approved export (issue #8 item 4): only the requester, once, within the window. The
 * request is claimed first (a conditional UPDATE, so racing downloads get one file), the file is produced,
 * watermarked visibly (user, time, case/run) and recoverably (export id + keyed fingerprint), and the download is
 * audited with the case. A failed production gives the claim back.
 */
export async function downloadExport(
  deps: Deps,
  id: number,
  actor: Actor,
  produce: ExportProducer,
  watermark: ExportWatermarkPort,
): Promise<{ row: ExportRequestRow; file: ExportFile; bytes: Uint8Array }> {
  const row = await deps.store.exportRequests.get(id);
  if (!row) throw new AppError('OUT_OF_SCOPE', '导出申请不存在', { code: 'EXPORT_NOT_FOUND' });
  const at = deps.clock.now().toISOString();
  const caseNumber = row.caseId === null ? null : ((await deps.store.cases.get(row.caseId))?.number ?? null);
  const audit = (outcome: 'success' | 'denied', details: Record<string, unknown>) =>
    deps.store.audit.append(
      actor,
      {
        action: 'EXPORT_DOWNLOADED',
        outcome,
        objectType: 'export_request',
        objectId: String(row.id),
        caseId: caseNumber,
        details: { kind: row.kind, recheckRunId: row.recheckRunId, ...details },
      },
      at,
    );
  try {
    assertDownloadable(row, actor.userId, at);
  } catch (e) {
    await audit('denied', { reason: e instanceof AppError ? e.message : String(e) });
    throw e;
  }
  const fingerprint = deps.crypto.blindIndex(fingerprintInput(row, at), 'export-watermark');
  if (!(await deps.store.exportRequests.claimDownload(row.id, at, fingerprint)))
    throw new AppError('CONFLICT', '该导出文件已下载过，只能下载一次', { code: 'EXPORT_ALREADY_DOWNLOADED' });
  const text = watermarkText({
    exportId: row.id,
    userName: `${row.requestedByName}（用户 ${row.requestedBy}）`,
    at,
    target: describeTarget(row.target, caseNumber),
  });
  try {
    const file = await produce(row.target, actor);
    const bytes = await watermark.apply(file, text, markOf(row.id, fingerprint));
    await deps.store.exportRequests.setFileName(row.id, file.fileName);
    await audit('success', { fileName: file.fileName, fingerprint, bytes: bytes.length });
    return { row: { ...row, state: 'downloaded', downloadedAt: at, fingerprint }, file, bytes };
  } catch (e) {
    await deps.store.exportRequests.releaseDownload(row.id);
    throw e;
  }
}

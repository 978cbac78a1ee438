import { type ExportRequestRow, fingerprintInput } from '../../domain/exports/export-request.ts';
import type { Actor, Deps } from '../ports.ts';

export type WatermarkReader = (
  bytes: Uint8Array,
) => Promise<{ exportId: number; fingerprint: string } | null>;

export type TraceResult =
  | { found: false; reason: string }
  | {
      found: true;
      genuine: boolean;
      exportId: number;
      fingerprint: string;
      request: ExportRequestRow | null;
    };

/**
 * Reads a leaked file's recoverable watermark back to its export request: who asked, why, who approved, when it was
 * downloaded. `genuine` says the fingerprint is the one the platform's key gives for that request and download, so
 * a mark copied or made up is told apart. The trace itself is audited.
 */
export async function traceExport(
  deps: Deps,
  bytes: Uint8Array,
  actor: Actor,
  read: WatermarkReader,
): Promise<TraceResult> {
  const mark = await read(bytes);
  const at = deps.clock.now().toISOString();
  if (!mark) {
    await deps.store.audit.append(
      actor,
      { action: 'EXPORT_TRACED', outcome: 'failure', details: { found: false } },
      at,
    );
    return { found: false, reason: '文件中没有找到导出水印' };
  }
  const request = (await deps.store.exportRequests.get(mark.exportId)) ?? null;
  const genuine =
    request !== null &&
    request.downloadedAt !== null &&
    request.fingerprint === mark.fingerprint &&
    deps.crypto.blindIndex(fingerprintInput(request, request.downloadedAt), 'export-watermark') ===
      mark.fingerprint;
  await deps.store.audit.append(
    actor,
    {
      action: 'EXPORT_TRACED',
      outcome: 'success',
      objectType: 'export_request',
      objectId: String(mark.exportId),
      caseId: null,
      details: { genuine, fingerprint: mark.fingerprint },
    },
    at,
  );
  return { found: true, genuine, exportId: mark.exportId, fingerprint: mark.fingerprint, request };
}

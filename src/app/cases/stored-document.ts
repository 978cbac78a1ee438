import { createHash } from 'node:crypto';
import { AppError } from '../../domain/shared/errors.ts';
import type { CaseDocumentRow, Deps } from '../ports.ts';

/**
 * A case document's PDF as it was issued: read from the file store and checked against the SM3 fingerprint taken
 * when it was stored, so that a download never hands out bytes other than those the verification code vouches
 * for. Stored documents are written once under a fresh name and never changed, so the checked bytes are kept in
 * memory (the least recently used go first past `CACHE_BYTES`): the documents of open cases are downloaded
 * again and again.
 */
const CACHE_BYTES = 32 * 1024 * 1024;
const checked = new Map<string, Buffer>();
let cachedBytes = 0;

function remember(key: string, pdf: Buffer): void {
  if (pdf.length > CACHE_BYTES / 4) return;
  checked.set(key, pdf);
  cachedBytes += pdf.length;
  for (const [oldest, bytes] of checked) {
    if (cachedBytes <= CACHE_BYTES) break;
    checked.delete(oldest);
    cachedBytes -= bytes.length;
  }
}

export async function storedDocumentPdf(
  deps: Pick<Deps, 'files'>,
  document: Pick<CaseDocumentRow, 'id' | 'storedFile' | 'sm3'>,
): Promise<Buffer> {
  const key = `${document.storedFile}:${document.sm3}`;
  const hit = checked.get(key);
  if (hit) {
    checked.delete(key);
    checked.set(key, hit);
    return hit;
  }
  const pdf = await deps.files.get('documents', document.storedFile);
  if (createHash('sm3').update(pdf).digest('hex') !== document.sm3)
    throw new AppError('INTERNAL_ERROR', '存档的文书文件与出具时登记的 SM3 指纹不符，不予提供', {
      documentId: document.id,
    });
  remember(key, pdf);
  return pdf;
}

import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, CaseDocumentRow, Deps } from '../ports.ts';
import { caseForActor } from './case-access.ts';
import { storedDocumentPdf } from './stored-document.ts';

/** What the public verification page may say about a document: whether it is genuine, never its content. */
export interface DocumentVerification {
  valid: boolean;
  /** Set when valid: the number and date printed on the document, so the reader can match the paper. */
  documentNumber?: string;
  issuedOn?: string;
  revoked?: boolean;
}

const KIND_CODE = /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/;

export async function verifyDocument(deps: Deps, code: string): Promise<DocumentVerification> {
  const normalised = code.trim().toUpperCase();
  if (!KIND_CODE.test(normalised)) return { valid: false };
  const found = await deps.store.cases.documentByShortCode(normalised);
  if (!found) {
    // A recheck report (复核情况报告) has no case; it is registered the same way.
    const report = await deps.store.recheckReports.byShortCode(normalised);
    if (!report) return { valid: false };
    return {
      valid: report.revokedAt === null,
      documentNumber: report.number,
      issuedOn: report.issuedOn,
      revoked: report.revokedAt !== null,
    };
  }
  return {
    valid: found.revokedAt === null,
    documentNumber: found.number,
    issuedOn: found.issuedAt.slice(0, 10),
    revoked: found.revokedAt !== null,
  };
}

/** A case document's PDF for the people who may see its case, audited. */
export async function downloadDocument(
  deps: Deps,
  caseId: number,
  documentId: number,
  actor: Actor,
): Promise<{ document: CaseDocumentRow; pdf: Buffer }> {
  const kase = await caseForActor(deps.store, caseId, actor);
  const document = (await deps.store.cases.documents(kase.id)).find((d) => d.id === documentId);
  if (!document) throw new AppError('NOT_FOUND', '文书不存在', { documentId });
  const pdf = await storedDocumentPdf(deps, document);
  await deps.store.audit.append(
    actor,
    {
      action: 'CASE_DOCUMENT_DOWNLOADED',
      outcome: 'success',
      objectType: 'case_document',
      objectId: String(document.id),
      caseId: kase.number,
      details: { kind: document.kind, number: document.number },
    },
    deps.clock.now().toISOString(),
  );
  return { document, pdf };
}

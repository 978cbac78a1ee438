/**
 * The PDF documents of a verification case (SPEC §5, Q§15–20): pure rendering, no database. One entry
 * point takes any document kind and returns the PDF with its SM3 fingerprint; the caller stores the
 * fingerprint and registers the verification code before handing the document out.
 */

import { assertNever } from '../../domain/shared/errors.ts';
import { renderDishonestyNotice } from './dishonesty-notice.ts';
import { renderExtensionNotice } from './extension-notice.ts';
import { renderForceMajeureNotice, renderTerminationNotice } from './force-majeure.ts';
import type { RenderOptions } from './layout.ts';
import { renderReceipt } from './receipt.ts';
import { renderRecheckReport } from './recheck-report.ts';
import { renderReturnNotice } from './return-notice.ts';
import { renderReviewResult } from './review-result.ts';
import { renderSuspensionNotice } from './suspension-notice.ts';
import type { CaseDocumentInput, RenderedCaseDocument } from './types.ts';
import { renderVerificationReport } from './verification-report.ts';

export type { CaseDocumentFonts, FontSource } from './fonts.ts';
export { DEFAULT_CASE_DOCUMENT_FONTS } from './fonts.ts';
export { formatYuan } from './format.ts';
export type { RenderOptions } from './layout.ts';
export { VERIFY_STATEMENT } from './layout.ts';
export * from './types.ts';

export function renderCaseDocument(
  doc: CaseDocumentInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  switch (doc.kind) {
    case 'receipt':
      return renderReceipt(doc, options);
    case 'return-notice':
      return renderReturnNotice(doc, options);
    case 'extension-notice':
      return renderExtensionNotice(doc, options);
    case 'force-majeure-notice':
      return renderForceMajeureNotice(doc, options);
    case 'termination-notice':
      return renderTerminationNotice(doc, options);
    case 'suspension-notice':
      return renderSuspensionNotice(doc, options);
    case 'report':
      return renderVerificationReport(doc, options);
    case 'review-result':
      return renderReviewResult(doc, options);
    case 'dishonesty-notice':
      return renderDishonestyNotice(doc, options);
    case 'recheck-report':
      return renderRecheckReport(doc, options);
    default:
      return assertNever(doc);
  }
}

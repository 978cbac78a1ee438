import type { CaseArchiveWriter } from '../app/cases/case-archive.ts';
import { renderCaseArchiveSummary } from './case-documents/case-archive-summary.ts';
import { writeZip } from './zip-writer.ts';

/** The case archive's adapters: the ZIP writer and the summary's PDF renderer (Noto CJK). */
export const caseArchiveWriter: CaseArchiveWriter = {
  zip: (entries) => writeZip(entries),
  renderSummary: (input) => renderCaseArchiveSummary(input),
};

/** The store's side of retention and erasure (issue #8 item 8), implemented in src/store/retention.repository.ts. */
import type { BatchFact, CaseClosure } from '../../domain/retention/retention.ts';

export interface CitingAssessment {
  batchIds: number[];
  createdAt: string;
  /** The assessment is a case's (its case_ref is a case number), not a recheck's. */
  isCase: boolean;
  /** The case it serves, when one with that number exists. */
  case: CaseClosure | null;
}

export interface CaseFileFact {
  kind: 'attachment' | 'document';
  id: number;
  caseId: number;
  storedFile: string;
  case: CaseClosure;
}

export interface RetentionCounts {
  batchesPurged: number;
  recordsPurged: number;
  /** Past their period but cited by a report still in force. */
  batchesKeptForReports: number;
  caseFilesPurged: number;
  auditEntriesPurged: number;
  /** The last audit entry removed (a checkpoint boundary), or null. */
  auditPurgedThrough: number | null;
}

export interface RetentionRunRecord {
  id: number;
  startedAt: string;
  finishedAt: string;
  today: string;
  dryRun: boolean;
  trigger: 'job' | 'cli';
  counts: RetentionCounts;
}

export interface RetentionRepository {
  /** Every batch not yet purged, slim (no rows). */
  unpurgedBatches(): Promise<BatchFact[]>;
  /** Every assessment with the batches it used and the closure of its case. */
  citingAssessments(): Promise<CitingAssessment[]>;
  /** Deletes the batch's records (and match decisions on them), marks it purged; returns the records removed. */
  purgeBatch(batchId: number, at: string): Promise<number>;
  /** Case files (papers, issued documents) not yet purged of cases that have a closure or a final state. */
  caseFilesOfClosedCases(): Promise<CaseFileFact[]>;
  markCaseFilePurged(kind: CaseFileFact['kind'], id: number, at: string): Promise<void>;
  addRun(run: Omit<RetentionRunRecord, 'id'>): Promise<RetentionRunRecord>;
  recentRuns(limit: number): Promise<RetentionRunRecord[]>;
}

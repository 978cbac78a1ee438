import type { Actor } from '../ports.ts';

/** queued → running → done (a committed or duplicate batch) | failed (a rejected batch, or an error). */
export type ImportJobState = 'queued' | 'running' | 'done' | 'failed';

/** An upload too large to import while the request waits (issue #9): imported by the `ingest.import` job. */
export interface ImportJobRow {
  id: string;
  dataset: string;
  period: string;
  asOf: string | null;
  departmentCode: string;
  organisationId: number | null;
  /** Who uploaded it: the job imports as them (their department, their name in the audit trail). */
  actor: Actor;
  fileName: string;
  /** The upload's name in the shared files directory while the job waits or runs; null once removed. */
  storedFile: string | null;
  bytes: number;
  state: ImportJobState;
  runnerJobId: string | null;
  /** The import's outcome once it ran: committed, duplicate (the period's identical batch) or rejected. */
  outcome: 'committed' | 'duplicate' | 'rejected' | null;
  batchId: number | null;
  /** Rows read and stored (done), or the error count (failed with a rejected batch). */
  rows: number | null;
  stored: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ImportJobRepository {
  add(
    row: Omit<
      ImportJobRow,
      | 'runnerJobId'
      | 'outcome'
      | 'batchId'
      | 'rows'
      | 'stored'
      | 'errorCode'
      | 'errorMessage'
      | 'startedAt'
      | 'finishedAt'
      | 'state'
    >,
  ): Promise<ImportJobRow>;
  get(id: string): Promise<ImportJobRow | undefined>;
  update(
    id: string,
    patch: Partial<Omit<ImportJobRow, 'id' | 'actor' | 'createdAt' | 'departmentCode' | 'organisationId'>>,
  ): Promise<void>;
}

/** Uploads waiting for their import job, kept in the shared files directory (every instance reads the same). */
export interface ImportFilesPort {
  /** Moves an uploaded temporary file in under a new unguessable name; returns that name. */
  keep(tempPath: string): Promise<string>;
  /** The path the importer reads the kept file from. */
  pathOf(name: string): string;
  /** Removes a kept file; one already gone is no error. */
  remove(name: string): Promise<void>;
}

/** Queued imports of large uploads (migration 202611270310_import_job). */
export interface ImportJobTable {
  id: string;
  dataset: string;
  period: string;
  asOf: string | null;
  departmentCode: string;
  organisationId: number | null;
  uploaderUserId: number | null;
  /** JSON: the uploader as an `Actor` (the job imports as them). */
  actor: string;
  fileName: string;
  storedFile: string | null;
  bytes: number | string;
  state: string;
  runnerJobId: string | null;
  outcome: string | null;
  batchId: number | null;
  rows: number | null;
  stored: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

import type { Generated } from 'kysely';

/** Signed checkpoints of the audit chain (migration 202611260500_audit_protection). */
export interface AuditCheckpointTable {
  number: number;
  fromSeq: number;
  toSeq: number;
  treeSize: number;
  rootHash: string;
  firstPrevHash: string;
  lastHash: string;
  lastAt: string;
  previousCheckpointHash: string;
  createdAt: string;
  keyId: number;
  publicKey: string;
  signature: string;
  hash: string;
}

/** SQLite only: the permit the retention path writes in its own transaction to delete old audit entries. */
export interface AuditPurgePermitTable {
  upToSeq: number;
}

/** One retention run (migration 202611260510_retention). */
export interface RetentionRunTable {
  id: Generated<number>;
  startedAt: string;
  finishedAt: string;
  today: string;
  dryRun: number;
  trigger: string;
  /** JSON. */
  counts: string;
}

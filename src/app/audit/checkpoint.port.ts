/**
 * Audit checkpoints and audit retention (issue #8 item 7), implemented in src/store/audit-checkpoint.repository.ts;
 * the SM2 signer in src/crypto/audit-signing-keys.ts.
 */
import type { ChainedAuditEntry } from '../../domain/audit/chain.ts';
import type { AuditCheckpoint, CheckpointKeys } from '../../domain/audit/checkpoint.ts';

export interface AuditCheckpointRepository {
  /** Every checkpoint, oldest first (they are few: one a day). */
  list(): Promise<AuditCheckpoint[]>;
  latest(): Promise<AuditCheckpoint | null>;
  add(c: AuditCheckpoint): Promise<void>;
  /** Entries seq > afterSeq up to and including toSeq, in order. */
  entries(afterSeq: number, toSeq: number): AsyncIterable<ChainedAuditEntry>;
  /** The oldest entry still kept (null when the log is empty). */
  oldestSeq(): Promise<number | null>;
  /**
   * Removes the entries up to and including upToSeq, which must be a checkpoint's last entry older than the
   * database's own 180-day floor: the database refuses anything else (docs/security.md). Returns the count.
   */
  purgeThrough(upToSeq: number): Promise<number>;
}

/** Signs checkpoint texts with the current SM2 key; verifies with any of the platform's keys. */
export interface AuditSigner extends CheckpointKeys {
  readonly currentKeyId: number | null;
  publicKeys(): { keyId: number; publicKey: string }[];
  /** Null when no signing key is configured. */
  sign(text: string): { keyId: number; publicKey: string; signature: string } | null;
}

import {
  type ChainedAuditEntry,
  type ChainStart,
  type ChainVerification,
  ChainWalker,
  canonicalJson,
  GENESIS_HASH,
  hashAuditEntry,
  sm3Hex,
} from './chain.ts';
import { MerkleTreeBuilder } from './merkle.ts';

export const CHECKPOINT_FORMAT = 'hedui-audit-checkpoint-v1';

/**
 * What a checkpoint signs: the Merkle tree head (RFC 6962, SM3) of the entries fromSeq..toSeq, whose leaves
 * are the entries' chain hashes recomputed from their content, the chain hashes at both ends, and the hash of
 * the checkpoint before it, so checkpoints form a chain of their own.
 */
export interface AuditCheckpointBody {
  format: typeof CHECKPOINT_FORMAT;
  number: number;
  fromSeq: number;
  toSeq: number;
  treeSize: number;
  rootHash: string;
  /** The chain hash before fromSeq (the genesis for the first checkpoint). */
  firstPrevHash: string;
  /** The chain hash of entry toSeq: verification starts here once retention removed the entries before. */
  lastHash: string;
  /** The time of entry toSeq: retention may remove this checkpoint's entries only once it is old enough. */
  lastAt: string;
  previousCheckpointHash: string;
  createdAt: string;
  keyId: number;
}

export interface AuditCheckpoint extends AuditCheckpointBody {
  /** SM3 of the signed text (hex): the next checkpoint's previousCheckpointHash. */
  hash: string;
  /** SM2 signature (DER, hex) over the signed text, with the standard user ID 1234567812345678 and SM3. */
  signature: string;
  /** The signer's SM2 public key (uncompressed point, hex, `04…`). */
  publicKey: string;
}

/** The exact bytes (UTF-8) that are signed and hashed: the body's canonical JSON (sorted keys, no spaces). */
export function checkpointSignedText(body: AuditCheckpointBody): string {
  return canonicalJson(body);
}

export function checkpointBodyOf(c: AuditCheckpoint): AuditCheckpointBody {
  return {
    format: c.format,
    number: c.number,
    fromSeq: c.fromSeq,
    toSeq: c.toSeq,
    treeSize: c.treeSize,
    rootHash: c.rootHash,
    firstPrevHash: c.firstPrevHash,
    lastHash: c.lastHash,
    lastAt: c.lastAt,
    previousCheckpointHash: c.previousCheckpointHash,
    createdAt: c.createdAt,
    keyId: c.keyId,
  };
}

/** The leaf of an entry: its chain hash recomputed from its content (bytes), so a changed field changes the root. */
export function checkpointLeaf(e: ChainedAuditEntry): Buffer {
  const { prevHash, hash: _h, ...body } = e;
  return Buffer.from(hashAuditEntry(prevHash, body), 'hex');
}

/** Builds the body of the next checkpoint over entries (fromSeq..toSeq, in order); null when there are none. */
export async function buildCheckpointBody(
  entries: AsyncIterable<ChainedAuditEntry> | Iterable<ChainedAuditEntry>,
  previous: AuditCheckpoint | null,
  meta: { createdAt: string; keyId: number },
): Promise<AuditCheckpointBody | null> {
  const tree = new MerkleTreeBuilder();
  let first: ChainedAuditEntry | null = null;
  let last: ChainedAuditEntry | null = null;
  for await (const e of entries) {
    first ??= e;
    last = e;
    tree.add(checkpointLeaf(e));
  }
  if (!first || !last) return null;
  return {
    format: CHECKPOINT_FORMAT,
    number: (previous?.number ?? 0) + 1,
    fromSeq: first.seq,
    toSeq: last.seq,
    treeSize: tree.size,
    rootHash: tree.root(),
    firstPrevHash: first.prevHash,
    lastHash: last.hash,
    lastAt: last.at,
    previousCheckpointHash: previous?.hash ?? GENESIS_HASH,
    createdAt: meta.createdAt,
    keyId: meta.keyId,
  };
}

export type CheckpointBreakReason =
  | 'UNKNOWN_KEY'
  | 'SIGNATURE_INVALID'
  | 'CHECKPOINT_CHAIN_BROKEN'
  | 'ROOT_MISMATCH'
  | 'ENTRIES_MISSING';

export const CHECKPOINT_BREAK_MESSAGES: Record<CheckpointBreakReason, string> = {
  UNKNOWN_KEY: '签名公钥不在本平台的密钥中',
  SIGNATURE_INVALID: 'SM2 签名无效：检查点被改动',
  CHECKPOINT_CHAIN_BROKEN: '与前一检查点不衔接：检查点被删除、插入或改动',
  ROOT_MISMATCH: '所覆盖记录的默克尔树根与签名时不符：记录被篡改',
  ENTRIES_MISSING: '所覆盖的记录缺失',
};

/** Checks SM2 signatures against the platform's own public keys (never the key stored beside the signature). */
export interface CheckpointKeys {
  publicKey(keyId: number): string | undefined;
  verify(publicKey: string, signedText: string, signature: string): boolean;
}

export interface AuditVerification extends ChainVerification {
  /** The first entry checked: 1, or the first kept after retention (from the checkpoint before it). */
  from: number;
  checkpoints: {
    total: number;
    checked: number;
    firstBroken: {
      number: number;
      fromSeq: number;
      toSeq: number;
      reason: CheckpointBreakReason;
      message: string;
    } | null;
  };
}

/**
 * Verifies the whole trail: the checkpoints' signatures and their own chain, then the entries from the
 * oldest kept one (`oldestSeq`, after retention) through the head, with each checkpoint's Merkle root
 * recomputed over the entries it covers. Entries older than oldestSeq may be missing only up to a
 * checkpoint boundary whose last entry is older than `retentionCutoff` (the legal minimum, 180 days).
 */
export async function verifyAuditTrail(input: {
  entries: AsyncIterable<ChainedAuditEntry> | Iterable<ChainedAuditEntry>;
  head: { seq: number; hash: string } | null;
  oldestSeq: number | null;
  checkpoints: readonly AuditCheckpoint[];
  keys: CheckpointKeys;
  retentionCutoff: string;
}): Promise<AuditVerification> {
  const checkpoints = [...input.checkpoints].sort((a, b) => a.number - b.number);
  let cpBroken: AuditVerification['checkpoints']['firstBroken'] = null;
  const breakCheckpoint = (c: AuditCheckpoint, reason: CheckpointBreakReason) => {
    cpBroken ??= {
      number: c.number,
      fromSeq: c.fromSeq,
      toSeq: c.toSeq,
      reason,
      message: `检查点 #${c.number}（第 ${c.fromSeq}–${c.toSeq} 条）：${CHECKPOINT_BREAK_MESSAGES[reason]}`,
    };
  };
  let previous: AuditCheckpoint | null = null;
  for (const c of checkpoints) {
    const body = checkpointBodyOf(c);
    const text = checkpointSignedText(body);
    const trusted = input.keys.publicKey(c.keyId);
    if (!trusted || trusted !== c.publicKey) breakCheckpoint(c, 'UNKNOWN_KEY');
    else if (sm3Hex(text) !== c.hash || !input.keys.verify(trusted, text, c.signature))
      breakCheckpoint(c, 'SIGNATURE_INVALID');
    else if (
      c.number !== (previous?.number ?? 0) + 1 ||
      c.previousCheckpointHash !== (previous?.hash ?? GENESIS_HASH) ||
      c.fromSeq !== (previous?.toSeq ?? 0) + 1 ||
      c.treeSize !== c.toSeq - c.fromSeq + 1
    )
      breakCheckpoint(c, 'CHECKPOINT_CHAIN_BROKEN');
    previous = c;
  }

  // Where the kept entries start: the genesis, or right after a checkpoint old enough to have been purged.
  let start: ChainStart = { seq: 1, prevHash: GENESIS_HASH };
  let startBroken = false;
  if (input.oldestSeq !== null && input.oldestSeq > 1) {
    const boundary = checkpoints.find((c) => c.toSeq === (input.oldestSeq as number) - 1);
    if (boundary && boundary.lastAt < input.retentionCutoff)
      start = { seq: boundary.toSeq + 1, prevHash: boundary.lastHash };
    else startBroken = true;
  }
  const walker = new ChainWalker(start);
  if (startBroken) walker.breakAt(1, 'RETENTION_BOUNDARY');

  const covering = checkpoints.filter((c) => c.toSeq >= start.seq);
  let index = 0;
  let tree = new MerkleTreeBuilder();
  let checked = checkpoints.length - covering.length;
  const settle = (c: AuditCheckpoint, lastHash: string | null) => {
    if (c.fromSeq < start.seq) breakCheckpoint(c, 'ENTRIES_MISSING');
    else if (tree.size !== c.treeSize || lastHash === null) breakCheckpoint(c, 'ENTRIES_MISSING');
    else if (tree.root() !== c.rootHash || lastHash !== c.lastHash) breakCheckpoint(c, 'ROOT_MISMATCH');
    checked += 1;
    index += 1;
    tree = new MerkleTreeBuilder();
  };
  for await (const e of input.entries) {
    walker.next(e);
    // Entries past a checkpoint that did not reach its last entry (it was deleted): settle it as incomplete.
    for (let c = covering[index]; c && e.seq > c.toSeq; c = covering[index]) settle(c, null);
    const c = covering[index];
    if (!c || e.seq < c.fromSeq) continue;
    tree.add(checkpointLeaf(e));
    if (e.seq === c.toSeq) settle(c, e.hash);
  }
  for (let c = covering[index]; c; c = covering[index]) settle(c, null);

  const chain = walker.finish(input.head, start);
  return {
    ...chain,
    ok: chain.ok && cpBroken === null,
    from: start.seq,
    checkpoints: { total: checkpoints.length, checked, firstBroken: cpBroken },
  };
}

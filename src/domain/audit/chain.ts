import { createHash } from 'node:crypto';

/** The fields of an audit entry that its hash covers (everything but the hash itself). */
export interface AuditEntryBody {
  seq: number;
  at: string;
  actorUserId: number | null;
  actorName: string | null;
  actorRoles: string[];
  organisationId: number | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  caseId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export interface ChainedAuditEntry extends AuditEntryBody {
  prevHash: string;
  hash: string;
}

/** The hash that precedes the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every depth, so the same entry always serialises to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sm3Hex(text: string): string {
  return createHash('sm3').update(text, 'utf8').digest('hex');
}

/** hash = SM3(previous hash ‖ canonical form of this entry). */
export function hashAuditEntry(prevHash: string, body: AuditEntryBody): string {
  return sm3Hex(prevHash + canonicalJson(body));
}

export function chainAuditEntry(prevHash: string, body: AuditEntryBody): ChainedAuditEntry {
  return { ...body, prevHash, hash: hashAuditEntry(prevHash, body) };
}

export type ChainBreakReason =
  | 'SEQUENCE_GAP'
  | 'PREVIOUS_HASH_MISMATCH'
  | 'HASH_MISMATCH'
  | 'HEAD_MISMATCH'
  | 'RETENTION_BOUNDARY';

export const CHAIN_BREAK_MESSAGES: Record<ChainBreakReason, string> = {
  SEQUENCE_GAP: '序号不连续：有记录被删除或插入',
  PREVIOUS_HASH_MISMATCH: '前序哈希不符：记录被删除、插入或调换顺序',
  HASH_MISMATCH: '记录内容与其哈希不符：记录被篡改',
  HEAD_MISMATCH: '链尾与登记的链头不符：最新记录被删除或篡改',
  RETENTION_BOUNDARY: '最早的记录缺失，且不在保存期满的已签名检查点边界上：记录被提前删除',
};

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; reason: ChainBreakReason; message: string } | null;
}

/** Where a walk begins: the genesis, or the first entry kept after audit retention removed older ones. */
export interface ChainStart {
  seq: number;
  prevHash: string;
}

export const CHAIN_GENESIS: ChainStart = { seq: 1, prevHash: GENESIS_HASH };

/**
 * Checks entries one at a time in sequence order and remembers the first that breaks the chain; it keeps
 * accepting entries after a break, so a caller can go on checking other things (checkpoints) over the rest.
 */
export class ChainWalker {
  private prevHash: string;
  private expectedSeq: number;
  private checked = 0;
  private broken: ChainVerification['firstBroken'] = null;

  constructor(start: ChainStart = CHAIN_GENESIS) {
    this.prevHash = start.prevHash;
    this.expectedSeq = start.seq;
  }

  get intact(): boolean {
    return this.broken === null;
  }

  /** Marks the chain broken at seq (first break wins). */
  breakAt(seq: number, reason: ChainBreakReason): void {
    this.broken ??= { seq, reason, message: CHAIN_BREAK_MESSAGES[reason] };
  }

  next(e: ChainedAuditEntry): void {
    if (this.broken) return;
    const { prevHash: _p, hash, ...body } = e;
    if (e.seq !== this.expectedSeq) this.breakAt(this.expectedSeq, 'SEQUENCE_GAP');
    else if (e.prevHash !== this.prevHash) this.breakAt(e.seq, 'PREVIOUS_HASH_MISMATCH');
    else if (hashAuditEntry(this.prevHash, body) !== hash) this.breakAt(e.seq, 'HASH_MISMATCH');
    if (this.broken) return;
    this.prevHash = hash;
    this.expectedSeq += 1;
    this.checked += 1;
  }

  /** `head` is the separately kept (seq, hash) of the newest entry; it catches truncation. */
  finish(head: { seq: number; hash: string } | null, start: ChainStart = CHAIN_GENESIS): ChainVerification {
    if (this.broken) return { ok: false, checked: this.checked, firstBroken: this.broken };
    const lastSeq = this.expectedSeq - 1;
    const headSeq = head?.seq ?? start.seq - 1;
    if (headSeq !== lastSeq || (head !== null && head.hash !== this.prevHash)) {
      // Truncated: the first missing entry; extended: the first entry the head does not cover;
      // same length: the newest entry, rewritten.
      this.breakAt(headSeq === lastSeq ? lastSeq : Math.min(headSeq, lastSeq) + 1, 'HEAD_MISMATCH');
      return { ok: false, checked: this.checked, firstBroken: this.broken };
    }
    return { ok: true, checked: this.checked, firstBroken: null };
  }
}

/**
 * Walks the chain in sequence order and names the first entry that breaks it.
 * `head` is the separately kept (seq, hash) of the newest entry; it catches truncation.
 */
export async function verifyAuditChain(
  entries: AsyncIterable<ChainedAuditEntry> | Iterable<ChainedAuditEntry>,
  head: { seq: number; hash: string } | null,
  start: ChainStart = CHAIN_GENESIS,
): Promise<ChainVerification> {
  const walker = new ChainWalker(start);
  for await (const e of entries) {
    walker.next(e);
    if (!walker.intact) break;
  }
  return walker.finish(head, start);
}

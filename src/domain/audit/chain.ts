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

export type ChainBreakReason = 'SEQUENCE_GAP' | 'PREVIOUS_HASH_MISMATCH' | 'HASH_MISMATCH' | 'HEAD_MISMATCH';

export const CHAIN_BREAK_MESSAGES: Record<ChainBreakReason, string> = {
  SEQUENCE_GAP: '序号不连续：有记录被删除或插入',
  PREVIOUS_HASH_MISMATCH: '前序哈希不符：记录被删除、插入或调换顺序',
  HASH_MISMATCH: '记录内容与其哈希不符：记录被篡改',
  HEAD_MISMATCH: '链尾与登记的链头不符：最新记录被删除或篡改',
};

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; reason: ChainBreakReason; message: string } | null;
}

/**
 * Walks the chain in sequence order and names the first entry that breaks it.
 * `head` is the separately kept (seq, hash) of the newest entry; it catches truncation.
 */
export async function verifyAuditChain(
  entries: AsyncIterable<ChainedAuditEntry> | Iterable<ChainedAuditEntry>,
  head: { seq: number; hash: string } | null,
): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const broken = (seq: number, reason: ChainBreakReason): ChainVerification => ({
    ok: false,
    checked,
    firstBroken: { seq, reason, message: CHAIN_BREAK_MESSAGES[reason] },
  });
  for await (const e of entries) {
    if (e.seq !== expectedSeq) return broken(expectedSeq, 'SEQUENCE_GAP');
    if (e.prevHash !== prevHash) return broken(e.seq, 'PREVIOUS_HASH_MISMATCH');
    const { prevHash: _p, hash, ...body } = e;
    if (hashAuditEntry(prevHash, body) !== hash) return broken(e.seq, 'HASH_MISMATCH');
    prevHash = hash;
    expectedSeq += 1;
    checked += 1;
  }
  const lastSeq = expectedSeq - 1;
  const headSeq = head?.seq ?? 0;
  if (headSeq !== lastSeq || (head !== null && head.hash !== prevHash)) {
    // Truncated: the first missing entry; extended: the first entry the head does not cover;
    // same length: the newest entry, rewritten.
    return broken(headSeq === lastSeq ? lastSeq : Math.min(headSeq, lastSeq) + 1, 'HEAD_MISMATCH');
  }
  return { ok: true, checked, firstBroken: null };
}

import { describe, expect, it } from 'vitest';
import {
  type AuditEntryBody,
  type ChainedAuditEntry,
  canonicalJson,
  chainAuditEntry,
  GENESIS_HASH,
  hashAuditEntry,
  verifyAuditChain,
} from './chain.ts';

function body(seq: number, overrides: Partial<AuditEntryBody> = {}): AuditEntryBody {
  return {
    seq,
    at: new Date(Date.UTC(2025, 8, 26, 2, 0, seq)).toISOString(),
    actorUserId: 7,
    actorName: '西峰区核对员',
    actorRoles: ['agency_staff'],
    organisationId: 3,
    action: 'LOGIN',
    objectType: 'user',
    objectId: '7',
    caseId: null,
    outcome: 'success',
    ip: '10.0.0.1',
    userAgent: 'vitest',
    details: { attempt: seq, nested: { b: 2, a: [1, 2] } },
    ...overrides,
  };
}

function buildChain(n: number): ChainedAuditEntry[] {
  const entries: ChainedAuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const entry = chainAuditEntry(prev, body(seq));
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}

function headOf(entries: ChainedAuditEntry[]): { seq: number; hash: string } {
  const last = entries[entries.length - 1];
  if (!last) throw new Error('empty chain has no head');
  return { seq: last.seq, hash: last.hash };
}

function at(entries: ChainedAuditEntry[], index: number): ChainedAuditEntry {
  const entry = entries[index];
  if (!entry) throw new Error(`no entry at ${index}`);
  return entry;
}

/** Re-chains entries from `from` onwards with their seq renumbered, as a forger with write access would. */
function rechain(entries: ChainedAuditEntry[], from: number): ChainedAuditEntry[] {
  const out = entries.slice(0, from);
  let prev = from === 0 ? GENESIS_HASH : at(entries, from - 1).hash;
  for (const [i, e] of entries.slice(from).entries()) {
    const { prevHash: _p, hash: _h, ...rest } = e;
    const next = chainAuditEntry(prev, { ...rest, seq: from + i + 1 });
    out.push(next);
    prev = next.hash;
  }
  return out;
}

describe(verifyAuditChain.name, () => {
  it('accepts an intact chain of entries and counts every one', async () => {
    const entries = buildChain(8);
    expect(await verifyAuditChain(entries, headOf(entries))).toEqual({
      ok: true,
      checked: 8,
      firstBroken: null,
    });
  });

  it('accepts an empty chain without a head', async () => {
    expect(await verifyAuditChain([], null)).toEqual({ ok: true, checked: 0, firstBroken: null });
  });

  it('reads entries from an async iterable as the store delivers them', async () => {
    const entries = buildChain(5);
    async function* stream() {
      yield* entries;
    }
    expect((await verifyAuditChain(stream(), headOf(entries))).ok).toBe(true);
  });

  it('names an entry whose field was modified', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    entries[3] = { ...at(entries, 3), outcome: 'failure' };
    const result = await verifyAuditChain(entries, head);
    expect(result).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 4, reason: 'HASH_MISMATCH' } });
    expect(result.firstBroken?.message).toContain('篡改');
  });

  it('names an entry whose nested details were modified', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    entries[1] = { ...at(entries, 1), details: { attempt: 2, nested: { b: 3, a: [1, 2] } } };
    expect((await verifyAuditChain(entries, head)).firstBroken).toMatchObject({
      seq: 2,
      reason: 'HASH_MISMATCH',
    });
  });

  it('names the gap left by a deleted middle entry', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    entries.splice(2, 1);
    expect((await verifyAuditChain(entries, head)).firstBroken).toMatchObject({
      seq: 3,
      reason: 'SEQUENCE_GAP',
    });
  });

  it('names the entry after a deleted one even when the later entries are renumbered', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    entries.splice(2, 1);
    const renumbered = entries.map((e, i) => (i >= 2 ? { ...e, seq: i + 1 } : e));
    expect((await verifyAuditChain(renumbered, head)).firstBroken).toMatchObject({
      seq: 3,
      reason: 'PREVIOUS_HASH_MISMATCH',
    });
  });

  it('names the entry after a forged insertion whose own hash was recomputed correctly', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    const forged = chainAuditEntry(at(entries, 2).hash, body(4, { action: 'LOGOUT', actorName: '伪造' }));
    const tampered = [
      ...entries.slice(0, 3),
      forged,
      ...entries.slice(3).map((e) => ({ ...e, seq: e.seq + 1 })),
    ];
    const result = await verifyAuditChain(tampered, { seq: head.seq + 1, hash: head.hash });
    expect(result.checked).toBe(4);
    expect(result.firstBroken).toMatchObject({ seq: 5, reason: 'PREVIOUS_HASH_MISMATCH' });
  });

  it('names a well-formed forged entry appended after the recorded head', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    entries.push(chainAuditEntry(head.hash, body(7, { action: 'LOGIN_FAILED' })));
    expect(await verifyAuditChain(entries, head)).toMatchObject({
      ok: false,
      checked: 7,
      firstBroken: { seq: 7, reason: 'HEAD_MISMATCH' },
    });
  });

  it('names the first reordered entry when two entries swap places', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    const swapped = [...entries];
    swapped[2] = at(entries, 4);
    swapped[4] = at(entries, 2);
    expect((await verifyAuditChain(swapped, head)).firstBroken).toMatchObject({
      seq: 3,
      reason: 'SEQUENCE_GAP',
    });
  });

  it('names the first reordered entry when two swapped entries also swap their seq numbers', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    const swapped = [...entries];
    swapped[2] = { ...at(entries, 3), seq: 3 };
    swapped[3] = { ...at(entries, 2), seq: 4 };
    expect((await verifyAuditChain(swapped, head)).firstBroken).toMatchObject({
      seq: 3,
      reason: 'PREVIOUS_HASH_MISMATCH',
    });
  });

  it('names the missing newest entry when the chain was truncated', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    entries.pop();
    expect(await verifyAuditChain(entries, head)).toMatchObject({
      ok: false,
      checked: 5,
      firstBroken: { seq: 6, reason: 'HEAD_MISMATCH' },
    });
  });

  it('detects a tail rewritten consistently by a forger who could not move the head', async () => {
    const entries = buildChain(6);
    const head = headOf(entries);
    entries[5] = { ...at(entries, 5), details: { attempt: 99 } };
    const rewritten = rechain(entries, 5);
    expect((await verifyAuditChain(rewritten, head)).firstBroken).toMatchObject({
      seq: 6,
      reason: 'HEAD_MISMATCH',
    });
  });

  it('detects entries whose head record is missing', async () => {
    const entries = buildChain(3);
    expect((await verifyAuditChain(entries, null)).firstBroken).toMatchObject({
      seq: 1,
      reason: 'HEAD_MISMATCH',
    });
  });

  it('detects a head that points past an empty chain', async () => {
    expect((await verifyAuditChain([], { seq: 4, hash: 'a'.repeat(64) })).firstBroken).toMatchObject({
      seq: 1,
      reason: 'HEAD_MISMATCH',
    });
  });

  it('detects a first entry that does not start from the genesis hash', async () => {
    const entries = buildChain(3);
    const head = headOf(entries);
    const forgedStart = rechain(entries, 0).map((e, i) => (i === 0 ? { ...e, prevHash: 'f'.repeat(64) } : e));
    expect((await verifyAuditChain(forgedStart, head)).firstBroken).toMatchObject({
      seq: 1,
      reason: 'PREVIOUS_HASH_MISMATCH',
    });
  });
});

describe(canonicalJson.name, () => {
  it('serialises objects the same whatever order their keys were written in, at every depth', () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: '核对' } };
    const b = { a: { c: '核对', d: [{ y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"核对","d":[{"y":2,"z":1}]},"b":1}');
  });

  it('keeps array order, since order in a list is meaningful', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('leaves out undefined properties and writes null for a bare undefined', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('makes the entry hash independent of key order', () => {
    const entry = body(1);
    const reversed = Object.fromEntries(Object.entries(entry).reverse()) as unknown as AuditEntryBody;
    expect(hashAuditEntry(GENESIS_HASH, reversed)).toBe(hashAuditEntry(GENESIS_HASH, entry));
    expect(hashAuditEntry(GENESIS_HASH, entry)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditEntry(GENESIS_HASH, { ...entry, seq: 2 })).not.toBe(hashAuditEntry(GENESIS_HASH, entry));
  });
});

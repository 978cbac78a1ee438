import { describe, expect, it } from 'vitest';
import {
  type AuditEntryBody,
  type ChainedAuditEntry,
  chainAuditEntry,
  GENESIS_HASH,
  sm3Hex,
} from './chain.ts';
import {
  type AuditCheckpoint,
  buildCheckpointBody,
  type CheckpointKeys,
  checkpointSignedText,
  verifyAuditTrail,
} from './checkpoint.ts';

// A stand-in signature scheme for the pure rules (the SM2 one is tested in src/crypto and against OpenSSL).
const KEYS: CheckpointKeys = {
  publicKey: (id) => (id === 1 ? 'pk-1' : undefined),
  verify: (pk, text, sig) => sig === sm3Hex(`${pk}|${text}`),
};
const sign = (text: string) => sm3Hex(`pk-1|${text}`);

function body(seq: number, day: number): AuditEntryBody {
  return {
    seq,
    at: new Date(Date.UTC(2025, 0, day, 2, 0, seq % 60)).toISOString(),
    actorUserId: 7,
    actorName: '审计员',
    actorRoles: ['audit_officer'],
    organisationId: 3,
    action: 'LOGIN',
    objectType: null,
    objectId: null,
    caseId: null,
    outcome: 'success',
    ip: '10.0.0.1',
    userAgent: 'vitest',
    details: { n: seq },
  };
}

function chain(n: number, from: ChainedAuditEntry[] = []): ChainedAuditEntry[] {
  const out = [...from];
  for (let seq = out.length + 1; seq <= n; seq += 1)
    out.push(chainAuditEntry(out.at(-1)?.hash ?? GENESIS_HASH, body(seq, seq)));
  return out;
}

async function checkpointsOver(entries: ChainedAuditEntry[], bounds: number[]): Promise<AuditCheckpoint[]> {
  const out: AuditCheckpoint[] = [];
  let from = 1;
  for (const to of bounds) {
    const b = await buildCheckpointBody(
      entries.filter((e) => e.seq >= from && e.seq <= to),
      out.at(-1) ?? null,
      { createdAt: '2025-06-01T00:00:00.000Z', keyId: 1 },
    );
    if (!b) throw new Error('no entries');
    const text = checkpointSignedText(b);
    out.push({ ...b, hash: sm3Hex(text), signature: sign(text), publicKey: 'pk-1' });
    from = to + 1;
  }
  return out;
}

const head = (entries: ChainedAuditEntry[]) => ({
  seq: entries.at(-1)?.seq ?? 0,
  hash: entries.at(-1)?.hash ?? '',
});
const CUTOFF = '2025-03-01T00:00:00.000Z';

async function verify(entries: ChainedAuditEntry[], checkpoints: AuditCheckpoint[], h = head(entries)) {
  return verifyAuditTrail({
    entries,
    head: h,
    oldestSeq: entries[0]?.seq ?? null,
    checkpoints,
    keys: KEYS,
    retentionCutoff: CUTOFF,
  });
}

describe(verifyAuditTrail.name, () => {
  it('accepts a chain with two checkpoints and entries after the last one', async () => {
    const entries = chain(25);
    const result = await verify(entries, await checkpointsOver(entries, [10, 20]));
    expect(result).toMatchObject({
      ok: true,
      checked: 25,
      from: 1,
      firstBroken: null,
      checkpoints: { total: 2, checked: 2, firstBroken: null },
    });
  });

  it('names the checkpoint whose entries were changed, beside the broken entry', async () => {
    const entries = chain(25);
    const checkpoints = await checkpointsOver(entries, [10, 20]);
    entries[14] = { ...(entries[14] as ChainedAuditEntry), outcome: 'failure' };
    const result = await verify(entries, checkpoints);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({ seq: 15, reason: 'HASH_MISMATCH' });
    expect(result.checkpoints.firstBroken).toMatchObject({
      number: 2,
      fromSeq: 11,
      toSeq: 20,
      reason: 'ROOT_MISMATCH',
    });
    expect(result.checkpoints.firstBroken?.message).toContain('检查点 #2（第 11–20 条）');
  });

  it('catches a forger who rewrote an entry and re-chained everything after it, head included', async () => {
    const entries = chain(25);
    const checkpoints = await checkpointsOver(entries, [10, 20]);
    const forged: ChainedAuditEntry[] = entries.slice(0, 4);
    for (const e of entries.slice(4)) {
      const { prevHash: _p, hash: _h, ...b } = e;
      forged.push(
        chainAuditEntry(forged.at(-1)?.hash ?? GENESIS_HASH, e.seq === 5 ? { ...b, actorName: '他人' } : b),
      );
    }
    const result = await verify(forged, checkpoints);
    expect(result.firstBroken).toBeNull();
    expect(result.ok).toBe(false);
    expect(result.checkpoints.firstBroken).toMatchObject({ number: 1, reason: 'ROOT_MISMATCH' });
  });

  it('refuses a checkpoint whose signed fields were changed, or signed by a key the platform does not hold', async () => {
    const entries = chain(12);
    const [first] = await checkpointsOver(entries, [10]);
    const altered = { ...(first as AuditCheckpoint), toSeq: 9 };
    expect((await verify(entries, [altered])).checkpoints.firstBroken).toMatchObject({
      reason: 'SIGNATURE_INVALID',
    });
    const foreign = { ...(first as AuditCheckpoint), publicKey: 'pk-forger' };
    expect((await verify(entries, [foreign])).checkpoints.firstBroken).toMatchObject({
      reason: 'UNKNOWN_KEY',
    });
  });

  it('names the checkpoint after one that was deleted', async () => {
    const entries = chain(30);
    const checkpoints = await checkpointsOver(entries, [10, 20, 30]);
    const result = await verify(entries, [checkpoints[0], checkpoints[2]] as AuditCheckpoint[]);
    expect(result.checkpoints.firstBroken).toMatchObject({ number: 3, reason: 'CHECKPOINT_CHAIN_BROKEN' });
  });

  it('names a checkpoint whose last entries are gone', async () => {
    const entries = chain(20);
    const checkpoints = await checkpointsOver(entries, [10, 20]);
    const truncated = entries.slice(0, 17);
    const result = await verify(truncated, checkpoints, head(entries));
    expect(result.checkpoints.firstBroken).toMatchObject({ number: 2, reason: 'ENTRIES_MISSING' });
    expect(result.firstBroken).toMatchObject({ reason: 'HEAD_MISMATCH' });
  });

  it('starts from the checkpoint before the oldest kept entry when retention removed the older ones', async () => {
    const entries = chain(25);
    const checkpoints = await checkpointsOver(entries, [10, 20]);
    const result = await verify(entries.slice(10), checkpoints);
    expect(result).toMatchObject({
      ok: true,
      from: 11,
      checked: 15,
      checkpoints: { total: 2, checked: 2, firstBroken: null },
    });
  });

  it('refuses a start that is no checkpoint boundary, or a boundary younger than the retention floor', async () => {
    const entries = chain(25);
    const checkpoints = await checkpointsOver(entries, [10, 20]);
    expect((await verify(entries.slice(5), checkpoints)).firstBroken).toMatchObject({
      seq: 1,
      reason: 'RETENTION_BOUNDARY',
    });
    const young = await verifyAuditTrail({
      entries: entries.slice(10),
      head: head(entries),
      oldestSeq: 11,
      checkpoints,
      keys: KEYS,
      retentionCutoff: '2025-01-05T00:00:00.000Z',
    });
    expect(young.firstBroken).toMatchObject({ reason: 'RETENTION_BOUNDARY' });
  });
});

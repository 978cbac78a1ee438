import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { createAuditCheckpoint } from '../../src/app/audit/checkpoints.ts';
import { sm2PublicKeyPem } from '../../src/crypto/sm2-signing.ts';
import { canonicalJson, hashAuditEntry } from '../../src/domain/audit/chain.ts';
import type { AuditCheckpoint } from '../../src/domain/audit/checkpoint.ts';
import { merkleTreeHead } from '../../src/domain/audit/merkle.ts';
import { AppError } from '../../src/domain/shared/errors.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { withoutAuditGuards } from '../support/audit-guards.ts';
import { describeEachDatabase } from '../support/databases.ts';

interface Exported {
  format: string;
  publicKeys: { keyId: number; publicKey: string }[];
  checkpoints: AuditCheckpoint[];
}

interface Verified {
  ok: boolean;
  checked: number;
  from: number;
  firstBroken: { seq: number; reason: string } | null;
  checkpoints: {
    total: number;
    checked: number;
    firstBroken: { number: number; fromSeq: number; toSeq: number; reason: string } | null;
  };
}

/** What a third party does with the export: rebuild the signed text, check it with OpenSSL and the public key. */
function opensslVerifies(c: AuditCheckpoint, publicKey: string): boolean {
  const { hash: _h, signature, publicKey: _p, ...body } = c;
  const dir = mkdtempSync(join(tmpdir(), 'hedui-cp-'));
  writeFileSync(join(dir, 'pub.pem'), sm2PublicKeyPem(publicKey));
  writeFileSync(join(dir, 'msg'), canonicalJson(body), 'utf8');
  writeFileSync(join(dir, 'sig'), Buffer.from(signature, 'hex'));
  try {
    execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'pub.pem',
        '-rawin',
        '-digest',
        'sm3',
        '-in',
        'msg',
        '-sigfile',
        'sig',
        '-pkeyopt',
        'distid:1234567812345678',
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    return true;
  } catch {
    return false;
  }
}

describeEachDatabase('signed checkpoints of the audit chain', (dialect) => {
  const t = useTestApp(dialect);
  let auditor: string;
  let first: AuditCheckpoint;

  beforeAll(async () => {
    auditor = await t.login('auditor');
    const c = await createAuditCheckpoint(t.deps, SYSTEM_ACTOR);
    if (!c) throw new Error('the prepared database has audit entries: a checkpoint was expected');
    first = c;
  });

  const verify = async () => {
    const res = await t.call('POST', '/api/audit/verify', { cookie: auditor });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Verified>();
  };

  it('signs the Merkle tree head of every entry so far, and OpenSSL verifies the exported signature', async () => {
    expect(first).toMatchObject({ number: 1, fromSeq: 1, keyId: 1 });
    const entries = [];
    for await (const e of t.deps.store.audit.all()) if (e.seq <= first.toSeq) entries.push(e);
    expect(entries).toHaveLength(first.toSeq);
    // Recomputed independently: leaves are the entries' chain hashes recomputed from their content.
    const leaves = entries.map((e) => {
      const { prevHash, hash: _h, ...body } = e;
      return Buffer.from(hashAuditEntry(prevHash, body), 'hex');
    });
    expect(first.rootHash).toBe(merkleTreeHead(leaves));

    const res = await t.call('GET', '/api/audit/checkpoints', { cookie: auditor });
    expect(res.statusCode, res.body).toBe(200);
    const exported = res.json<Exported>();
    expect(exported.format).toBe('hedui-audit-checkpoints-v1');
    const [cp] = exported.checkpoints;
    const key = exported.publicKeys.find((k) => k.keyId === cp?.keyId);
    if (!cp || !key) throw new Error('the export lacks the checkpoint or its key');
    expect(opensslVerifies(cp, key.publicKey)).toBe(true);
    expect(opensslVerifies({ ...cp, toSeq: cp.toSeq + 1 }, key.publicKey)).toBe(false);
    expect((await t.audit('AUDIT_CHECKPOINTS_EXPORTED')).length).toBe(1);
    expect((await t.audit('AUDIT_CHECKPOINT_CREATED'))[0]?.objectId).toBe('1');
  });

  it('chains the next checkpoint onto the first, over the entries since', async () => {
    const second = await createAuditCheckpoint(t.deps, SYSTEM_ACTOR);
    expect(second).toMatchObject({ number: 2, fromSeq: first.toSeq + 1, previousCheckpointHash: first.hash });
    const result = await verify();
    expect(result).toMatchObject({
      ok: true,
      from: 1,
      firstBroken: null,
      checkpoints: { total: 2, checked: 2, firstBroken: null },
    });
  });

  it('keeps checkpoints out of the system administrator’s reach', async () => {
    const admin = await t.login('admin');
    expectError(await t.call('GET', '/api/audit/checkpoints', { cookie: admin }), 403, 'PERMISSION_DENIED');
  });

  /** Changes one row's details as an intruder owning the database would, runs fn, then puts them back. */
  async function withForgedRow(seq: number, fn: () => Promise<void>) {
    const original = await t.database.db
      .selectFrom('auditLog')
      .select('details')
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    const set = (details: string) =>
      withoutAuditGuards(t.database, () =>
        t.database.db.updateTable('auditLog').set({ details }).where('seq', '=', seq).execute(),
      );
    await set('{"forged":true}');
    try {
      await fn();
    } finally {
      await set(original.details);
    }
  }

  it('names the checkpoint over a changed audit row', async () => {
    await withForgedRow(3, async () => {
      const result = await verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toMatchObject({ seq: 3 });
      expect(result.checkpoints.firstBroken).toMatchObject({ number: 1, fromSeq: 1, toSeq: first.toSeq });
      expect(result.checkpoints.firstBroken?.reason).toContain('检查点 #1');
    });
    expect((await verify()).ok).toBe(true);
  });

  it('refuses to sign a checkpoint over a broken chain', async () => {
    const head = await t.deps.store.audit.head();
    if (!head) throw new Error('no head');
    await withForgedRow(head.seq, async () => {
      await expect(createAuditCheckpoint(t.deps, SYSTEM_ACTOR)).rejects.toSatisfy(
        (e) => e instanceof AppError && e.code === 'AUDIT_CHAIN_BROKEN',
      );
    });
    expect(await t.deps.store.auditCheckpoints.latest()).toMatchObject({ number: 2 });
  });

  it('names a checkpoint whose stored root was changed without the signing key', async () => {
    await withoutAuditGuards(t.database, () =>
      t.database.db
        .updateTable('auditCheckpoint')
        .set({ rootHash: '0'.repeat(64) })
        .where('number', '=', 2)
        .execute(),
    );
    const result = await verify();
    expect(result.checkpoints.firstBroken).toMatchObject({ number: 2 });
    expect(result.checkpoints.firstBroken?.reason).toContain('SM2 签名无效');
  });
});

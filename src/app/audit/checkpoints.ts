import { CHAIN_GENESIS, ChainWalker, sm3Hex } from '../../domain/audit/chain.ts';
import {
  type AuditCheckpoint,
  type AuditVerification,
  buildCheckpointBody,
  checkpointSignedText,
  verifyAuditTrail,
} from '../../domain/audit/checkpoint.ts';
import { auditCutoff, MIN_AUDIT_RETENTION_DAYS } from '../../domain/retention/retention.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, Store } from '../ports.ts';
import type { AuditSigner } from './checkpoint.port.ts';

/**
 * Signs a checkpoint over the entries since the previous one (issue #8 item 7): the chain segment is verified
 * first, so a broken chain is never signed. Null when nothing was logged since the last checkpoint. The entries
 * are read and hashed outside any transaction (they can no longer change: the database guards them), so a large
 * first checkpoint never holds SQLite's write lock; only the insert and its audit entry are one transaction.
 */
export async function createAuditCheckpoint(deps: Deps, actor: Actor): Promise<AuditCheckpoint | null> {
  const keyId = deps.auditSigner.currentKeyId;
  if (keyId === null)
    throw new AppError(
      'AUDIT_SIGNING_KEY_MISSING',
      '密钥文件中没有审计签名密钥（SM2），请运行 hedui keys rotate --signing 生成',
    );
  const { store } = deps;
  const at = deps.clock.now().toISOString();
  const previous = await store.auditCheckpoints.latest();
  const head = await store.audit.head();
  if (!head || head.seq <= (previous?.toSeq ?? 0)) return null;
  const start = previous ? { seq: previous.toSeq + 1, prevHash: previous.lastHash } : CHAIN_GENESIS;
  const walker = new ChainWalker(start);
  async function* checked() {
    for await (const e of store.auditCheckpoints.entries(start.seq - 1, (head as { seq: number }).seq)) {
      walker.next(e);
      yield e;
    }
  }
  const body = await buildCheckpointBody(checked(), previous, { createdAt: at, keyId });
  const chain = walker.finish(head, start);
  if (!body || !chain.ok)
    throw new AppError(
      'AUDIT_CHAIN_BROKEN',
      `审计链在第 ${chain.firstBroken?.seq ?? start.seq} 条记录处断开，不能签署检查点：${chain.firstBroken?.message ?? ''}`,
      chain.firstBroken,
    );
  const text = checkpointSignedText(body);
  const signed = deps.auditSigner.sign(text);
  if (!signed) throw new AppError('AUDIT_SIGNING_KEY_MISSING', '审计签名密钥不可用');
  const checkpoint: AuditCheckpoint = {
    ...body,
    hash: sm3Hex(text),
    signature: signed.signature,
    publicKey: signed.publicKey,
  };
  return store.transaction(async (tx) => {
    // Another process may have signed meanwhile: never two checkpoints with one number (the key refuses it too).
    if ((await tx.auditCheckpoints.latest())?.number !== previous?.number)
      throw new AppError('CONFLICT', '另一个检查点刚刚签署，请稍后重试');
    await tx.auditCheckpoints.add(checkpoint);
    await tx.audit.append(
      actor,
      {
        action: 'AUDIT_CHECKPOINT_CREATED',
        outcome: 'success',
        objectType: 'audit_checkpoint',
        objectId: String(checkpoint.number),
        details: { fromSeq: checkpoint.fromSeq, toSeq: checkpoint.toSeq, rootHash: checkpoint.rootHash },
      },
      at,
    );
    return checkpoint;
  });
}

/**
 * Verifies the whole trail: checkpoints (signatures against the platform's own keys, their chain, each Merkle
 * root recomputed) and the entries from the oldest kept one to the head. Without keys (a bare store in tests)
 * any checkpoint counts as signed by an unknown key.
 */
export async function verifyAudit(
  store: Store,
  keys: Pick<AuditSigner, 'publicKey' | 'verify'> = { publicKey: () => undefined, verify: () => false },
  now: Date = new Date(),
): Promise<AuditVerification> {
  return verifyAuditTrail({
    entries: store.audit.all(),
    head: await store.audit.head(),
    oldestSeq: await store.auditCheckpoints.oldestSeq(),
    checkpoints: await store.auditCheckpoints.list(),
    keys,
    // Entries may be missing only below a checkpoint older than the legal floor, whatever the configuration.
    retentionCutoff: auditCutoff(now.toISOString(), MIN_AUDIT_RETENTION_DAYS),
  });
}

export const CHECKPOINT_EXPORT_FORMAT = 'hedui-audit-checkpoints-v1';

/** The checkpoints with the public keys that verify them, as JSON anyone can check (docs/security.md). */
export async function exportAuditCheckpoints(deps: Deps, actor: Actor) {
  const checkpoints = await deps.store.auditCheckpoints.list();
  const at = deps.clock.now().toISOString();
  await deps.store.audit.append(
    actor,
    {
      action: 'AUDIT_CHECKPOINTS_EXPORTED',
      outcome: 'success',
      details: { count: checkpoints.length, toSeq: checkpoints.at(-1)?.toSeq ?? null },
    },
    at,
  );
  return {
    format: CHECKPOINT_EXPORT_FORMAT,
    exportedAt: at,
    signature: {
      algorithm: 'SM2 (GB/T 32918.2) with SM3, DER-encoded (r, s), hex',
      userId: '1234567812345678',
      signedText:
        'canonical JSON of the checkpoint without hash, signature, publicKey (keys sorted, no spaces), UTF-8',
    },
    merkle: 'RFC 6962 tree head with SM3: leaf SM3(0x00‖entry hash), node SM3(0x01‖left‖right)',
    publicKeys: deps.auditSigner.publicKeys(),
    checkpoints,
  };
}

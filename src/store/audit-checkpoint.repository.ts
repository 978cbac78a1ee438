import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AuditCheckpointRepository } from '../app/audit/checkpoint.port.ts';
import { type AuditCheckpoint, CHECKPOINT_FORMAT } from '../domain/audit/checkpoint.ts';
import type { Dialect } from './dialect.ts';
import type { DB } from './schema.ts';
import { toAuditEntry } from './store.ts';

type Executor = Kysely<DB> | Transaction<DB>;

function toCheckpoint(r: Selectable<DB['auditCheckpoint']>): AuditCheckpoint {
  return {
    format: CHECKPOINT_FORMAT,
    number: Number(r.number),
    fromSeq: Number(r.fromSeq),
    toSeq: Number(r.toSeq),
    treeSize: Number(r.treeSize),
    rootHash: r.rootHash,
    firstPrevHash: r.firstPrevHash,
    lastHash: r.lastHash,
    lastAt: r.lastAt,
    previousCheckpointHash: r.previousCheckpointHash,
    createdAt: r.createdAt,
    keyId: Number(r.keyId),
    publicKey: r.publicKey,
    signature: r.signature,
    hash: r.hash,
  };
}

export function auditCheckpointRepository(db: Executor, dialect: Dialect): AuditCheckpointRepository {
  async function purge(tx: Executor, upToSeq: number): Promise<number> {
    if (dialect === 'postgres') {
      const r = await sql<{ n: number }>`select audit_purge_through(${upToSeq}) as n`.execute(tx);
      return Number(r.rows[0]?.n ?? 0);
    }
    // The permit lives only inside this transaction; its insert trigger checks the boundary and the 180 days.
    await tx.insertInto('auditPurgePermit').values({ upToSeq }).execute();
    const r = await tx.deleteFrom('auditLog').where('seq', '<=', upToSeq).executeTakeFirst();
    await tx.deleteFrom('auditPurgePermit').execute();
    return Number(r.numDeletedRows);
  }
  return {
    async list() {
      const rows = await db.selectFrom('auditCheckpoint').selectAll().orderBy('number').execute();
      return rows.map(toCheckpoint);
    },
    async latest() {
      const r = await db
        .selectFrom('auditCheckpoint')
        .selectAll()
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? toCheckpoint(r) : null;
    },
    async add(c) {
      const { format: _f, ...row } = c;
      await db.insertInto('auditCheckpoint').values(row).execute();
    },
    async *entries(afterSeq, toSeq) {
      const page = 1000;
      let after = afterSeq;
      for (;;) {
        const rows = await db
          .selectFrom('auditLog')
          .selectAll()
          .where('seq', '>', after)
          .where('seq', '<=', toSeq)
          .orderBy('seq')
          .limit(page)
          .execute();
        for (const r of rows) yield toAuditEntry(r);
        if (rows.length < page) return;
        after = Number(rows[rows.length - 1]?.seq);
      }
    },
    async oldestSeq() {
      const r = await db
        .selectFrom('auditLog')
        .select((eb) => eb.fn.min('seq').as('seq'))
        .executeTakeFirst();
      return r?.seq === null || r?.seq === undefined ? null : Number(r.seq);
    },
    async purgeThrough(upToSeq) {
      if (db.isTransaction) return purge(db, upToSeq);
      return (db as Kysely<DB>).transaction().execute((tx) => purge(tx, upToSeq));
    },
  };
}

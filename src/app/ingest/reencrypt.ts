import { findDataset } from '../../domain/catalog/datasets.ts';
import type { Actor, Deps } from '../ports.ts';

const PAGE = 1000;

/**
 * After a new data key becomes current (`hedui keys rotate`), re-encrypts every identifier still under
 * an older key — in the records, the batches' error lists and every other encrypted column (assessments,
 * offline exchanges, query interfaces, cases). Resumable: a row already under the current key is skipped, and old keys stay in the key
 * file so an interrupted run leaves every row readable. Blind indexes do not change (their key is separate).
 */
export async function reencryptIdentifiers(
  deps: Deps,
  actor: Actor,
): Promise<{ records: number; reencrypted: number; batches: number; others: number }> {
  const { crypto } = deps;
  const current = crypto.currentKeyId;
  const fresh = (c: string) => (crypto.keyIdOf(c) === current ? c : crypto.encrypt(crypto.decrypt(c)));
  let records = 0;
  let reencrypted = 0;
  for (let after = 0; ; ) {
    const page = await deps.store.batches.recordPage(after, PAGE);
    if (page.length === 0) break;
    await deps.store.transaction(async (tx) => {
      for (const r of page) {
        records += 1;
        const values = JSON.parse(r.values) as Record<string, unknown>;
        // Columns embedding an ID number stored in plain text before they were encrypted are encrypted now.
        const plain = (findDataset(r.dataset)?.columns ?? []).filter(
          (c) => c.identifying && typeof values[c.key] === 'string' && !crypto.isCiphertext(values[c.key]),
        );
        for (const c of plain) values[c.key] = crypto.encrypt(values[c.key] as string);
        const stale =
          plain.length > 0 ||
          (r.idEnc !== null && crypto.keyIdOf(r.idEnc) !== current) ||
          (r.nameEnc !== null && crypto.keyIdOf(r.nameEnc) !== current) ||
          Object.values(values).some((v) => crypto.isCiphertext(v) && crypto.keyIdOf(v) !== current);
        if (!stale) continue;
        for (const [k, v] of Object.entries(values)) if (crypto.isCiphertext(v)) values[k] = fresh(v);
        await tx.batches.updateRecordCiphertexts(r.id, {
          idEnc: r.idEnc === null ? null : fresh(r.idEnc),
          nameEnc: r.nameEnc === null ? null : fresh(r.nameEnc),
          values: JSON.stringify(values),
        });
        reencrypted += 1;
      }
    });
    after = page[page.length - 1]?.id ?? after;
  }
  let batches = 0;
  for (let after = 0; ; ) {
    const page = await deps.store.batches.batchPage(after, PAGE);
    if (page.length === 0) break;
    for (const b of page) {
      if (crypto.isCiphertext(b.errors) && crypto.keyIdOf(b.errors) !== current) {
        await deps.store.batches.update(b.id, { errors: fresh(b.errors) });
        batches += 1;
      }
    }
    after = page[page.length - 1]?.id ?? after;
  }
  let others = 0;
  for (const column of deps.store.ciphertexts.columns()) {
    for (let after = 0; ; ) {
      const page = await deps.store.ciphertexts.page(column, after, PAGE);
      if (page.length === 0) break;
      await deps.store.transaction(async (tx) => {
        for (const { id, value } of page) {
          if (!crypto.isCiphertext(value) || crypto.keyIdOf(value) === current) continue;
          await tx.ciphertexts.update(column, id, fresh(value));
          others += 1;
        }
      });
      after = page[page.length - 1]?.id ?? after;
    }
  }
  await deps.store.audit.append(
    actor,
    {
      action: 'KEYS_ROTATED',
      outcome: 'success',
      details: { keyId: current, records, reencrypted, batches, others },
    },
    deps.clock.now().toISOString(),
  );
  return { records, reencrypted, batches, others };
}

import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, BatchRecord, Deps } from '../ports.ts';

/**
 * A department withdraws a batch it delivered (wrong extract, wrong period). Its rows stay for the
 * provenance of anything already computed from them, but no new result uses it.
 */
export async function retractBatch(
  deps: Deps,
  input: { batchId: number; reason: string; departmentCode: string | null },
  actor: Actor,
): Promise<BatchRecord> {
  const batch = await deps.store.batches.get(input.batchId);
  if (!batch || (input.departmentCode !== null && batch.departmentCode !== input.departmentCode))
    throw new AppError('OUT_OF_SCOPE', '批次不存在或不属于您的部门');
  if (batch.status !== 'committed')
    throw new AppError('CONFLICT', `只有已入库且为当期有效的批次可以撤回（此批次状态：${batch.status}）`);
  const reason = input.reason.trim();
  if (reason.length < 2 || reason.length > 500)
    throw new AppError('VALIDATION_FAILED', '请填写撤回原因（2–500 字）');
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    await tx.batches.update(batch.id, {
      status: 'retracted',
      retractedAt: at,
      retractedBy: actor.userId,
      retractReason: reason,
    });
    await tx.audit.append(
      actor,
      {
        action: 'BATCH_RETRACTED',
        outcome: 'success',
        objectType: 'batch',
        objectId: String(batch.id),
        details: { dataset: batch.dataset, period: batch.period, reason },
      },
      at,
    );
    return (await tx.batches.get(batch.id)) as BatchRecord;
  });
}

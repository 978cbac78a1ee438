import { DEPARTMENTS, type DepartmentCode, isDepartmentCode } from '../../domain/catalog/datasets.ts';
import {
  type BatchFact,
  type DepartmentQuality,
  departmentQuality,
  needsMatching,
  REFERENCE_REGISTER,
} from '../../domain/delivery/quality.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { effectiveRules } from '../delivery/delivery-rules.ts';
import { departmentScopeOf } from '../delivery/department-scope.ts';
import type { Actor, Deps } from '../ports.ts';

/**
 * Counts, once per batch, the stored records whose person the household register does not hold, and keeps
 * the figure in batch.unmatched_rows. It reflects the register at that first computation and is not redone
 * when a newer register arrives. Without any current register nothing is computed (every record would be
 * "unmatched"), so the rate stays null until the first hukou batch is committed.
 */
export async function withUnmatchedRows(deps: Deps, facts: BatchFact[]): Promise<BatchFact[]> {
  const pending = facts.filter((f) => needsMatching(f) && f.unmatchedRows === null);
  if (pending.length === 0 || !(await deps.store.quality.hasCommitted(REFERENCE_REGISTER))) return facts;
  const computed = new Map<number, number>();
  for (const fact of pending) {
    const unmatched = await deps.store.quality.countUnmatched(fact.id, REFERENCE_REGISTER);
    // A derived figure cached on the batch, not a change of business data: no audit entry.
    await deps.store.batches.update(fact.id, { unmatchedRows: unmatched });
    computed.set(fact.id, unmatched);
  }
  return facts.map((f) => (computed.has(f.id) ? { ...f, unmatchedRows: computed.get(f.id) ?? null } : f));
}

/**
 * Data-quality figures per department (a department officer: their own only; asking for another
 * department answers OUT_OF_SCOPE), per dataset it delivers, and month by month over the last 12 months.
 */
export async function getDataQuality(
  deps: Deps,
  input: { departmentCode?: string | undefined },
  actor: Actor,
): Promise<{ departments: DepartmentQuality[] }> {
  const scope = await departmentScopeOf(deps.store, actor);
  if (scope !== null && input.departmentCode !== undefined && input.departmentCode !== scope)
    throw new AppError('OUT_OF_SCOPE', '只能查看本部门的数据质量');
  const wanted = scope ?? input.departmentCode ?? null;
  const codes: DepartmentCode[] =
    wanted === null
      ? (Object.keys(DEPARTMENTS) as DepartmentCode[])
      : isDepartmentCode(wanted)
        ? [wanted]
        : [];
  if (codes.length === 0) return { departments: [] };
  const today = shanghaiDateOf(deps.clock.now());
  const facts = await withUnmatchedRows(
    deps,
    await deps.store.deliveries.batchFacts({ departmentCodes: codes }),
  );
  const rules = await effectiveRules(deps.store);
  return {
    departments: codes.map((departmentCode) => departmentQuality({ departmentCode, facts, rules, today })),
  };
}

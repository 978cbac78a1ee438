import { isInRegionScope } from '../../domain/access/scope.ts';
import { memberIdAt } from '../../domain/assessment/household-request.ts';
import { parseIdNumber } from '../../domain/identity/id-number.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, MatchDecisionRow } from '../ports.ts';
import { decryptInput, decryptResult } from './stored-assessment.ts';

/**
 * A person confirms or rejects a possible match (a record without an ID number scored against a member): the
 * decision holds for the whole case, is audited with it, and takes effect when the assessment is re-run.
 */
export interface MatchDecisionInput {
  recordId: number;
  memberId: string;
  decision: 'confirmed' | 'rejected';
  reason: string;
}

export async function decideMatch(
  deps: Deps,
  assessmentId: number,
  input: MatchDecisionInput,
  actor: Actor,
): Promise<MatchDecisionRow> {
  const row = await deps.store.assessments.get(assessmentId);
  if (!row || !isInRegionScope(row.regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '核对结果不存在或不在您的数据范围内', { assessmentId });
  const reason = input.reason.trim();
  if (reason.length < 2)
    throw new AppError('VALIDATION_FAILED', '请填写确认或排除的理由（至少 2 个字）', { field: 'reason' });
  const result = decryptResult(deps, row);
  const proposed =
    result.possibleMatches.some(
      (match) => match.recordId === input.recordId && match.memberId === input.memberId,
    ) ||
    result.links.some(
      (link) =>
        link.recordId === input.recordId && link.memberId === input.memberId && link.basis === 'confirmed',
    );
  if (!proposed)
    throw new AppError('NOT_FOUND', '该记录不是本次核对结果中待确认的疑似匹配', {
      recordId: input.recordId,
      memberId: input.memberId,
    });
  const request = decryptInput(deps, row);
  const index = request.members.findIndex((_, position) => memberIdAt(position) === input.memberId);
  const member = request.members[index];
  const id = member === undefined ? null : parseIdNumber(member.idNumber);
  if (id === null || !id.ok)
    throw new AppError('NOT_FOUND', '核对结果中没有该成员', { memberId: input.memberId });
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const saved = await tx.assessments.saveDecision({
      caseRef: row.caseRef,
      personKey: deps.crypto.blindIndex(id.id18),
      recordId: input.recordId,
      decision: input.decision,
      reason,
      decidedAt: at,
      decidedBy: actor.userId,
      decidedByName: actor.name,
    });
    await tx.audit.append(
      actor,
      {
        action: input.decision === 'confirmed' ? 'MATCH_CONFIRMED' : 'MATCH_REJECTED',
        outcome: 'success',
        objectType: 'record',
        objectId: String(input.recordId),
        caseId: row.caseRef,
        details: { assessmentId, memberId: input.memberId, reason },
      },
      at,
    );
    return saved;
  });
}

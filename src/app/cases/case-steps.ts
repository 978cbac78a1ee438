import type { AuditAction } from '../../domain/audit/actions.ts';
import type { CaseState } from '../../domain/cases/workflow.ts';
import { type CaseStep, checkStep, nextState } from '../../domain/cases/workflow.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, CaseRow, Repositories } from '../ports.ts';
import { recordCaseEvent } from '../webhooks/outbox.ts';
import { caseForSteps, stepActorOf } from './case-access.ts';

/**
 * Taking one step of a case: the workflow rule is checked against the case as stored, the case is updated
 * only if nobody changed it meanwhile (revision), and the step is kept in the case's history and the audit log
 * — all in the caller's transaction.
 */
export async function takeStep(
  tx: Repositories,
  input: {
    kase: CaseRow;
    step: CaseStep;
    actor: Actor;
    at: string;
    action: AuditAction;
    patch?: Partial<Omit<CaseRow, 'id' | 'revision'>>;
    details?: Record<string, unknown>;
    assignment?: { handlerId: number; reviewerId: number };
  },
): Promise<CaseRow> {
  const { kase, step, actor, at } = input;
  const attachments = await tx.cases.attachments(kase.id);
  const check = checkStep(step, caseForSteps(kase, attachments), stepActorOf(actor, kase), input.assignment);
  if (!check.ok)
    throw new AppError('PERMISSION_DENIED', check.message, { code: check.code, caseId: kase.id });
  const to: CaseState = nextState(step, kase.state as CaseState);
  const patch = { ...input.patch, state: to, updatedAt: at };
  if (!(await tx.cases.update(kase.id, kase.revision, patch)))
    throw new AppError('CONFLICT', '案件已被他人更新，请刷新后重试', { caseId: kase.id });
  const details = input.details ?? {};
  await recordCaseEvent(tx, kase, {
    at,
    actorId: actor.userId,
    actorName: actor.name,
    step,
    fromState: kase.state,
    toState: to,
    details,
  });
  await tx.audit.append(
    actor,
    {
      action: input.action,
      outcome: 'success',
      objectType: 'case',
      objectId: String(kase.id),
      caseId: kase.number,
      details: { step, from: kase.state, to, ...details },
    },
    at,
  );
  return { ...kase, ...patch, revision: kase.revision + 1 };
}

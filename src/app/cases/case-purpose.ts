import { isInRegionScope } from '../../domain/access/scope.ts';
import { type CaseState, checkStep } from '../../domain/cases/workflow.ts';
import { parseIdNumber } from '../../domain/identity/id-number.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, CaseRow, Deps } from '../ports.ts';
import { caseForSteps, stepActorOf } from './case-access.ts';
import { decryptHousehold } from './case-view.ts';

/**
 * Purpose binding of every data query (Q§3, Q§14, Q§25: 无委托、不核对; 先授权、后核对): a query names the case it
 * serves, and that case must be accepted and open for verification (or review), hold an authorization for every
 * member, be in the caller's region, have the caller in its work group (the command line, run by the operator on
 * the server, is audited as the system instead), and every person queried must be a member of it.
 */
export async function requireOpenCase(
  deps: Deps,
  caseRef: string,
  idNumbers: readonly string[],
  actor: Actor,
): Promise<CaseRow> {
  const kase = await deps.store.cases.getByNumber(caseRef);
  if (!kase)
    throw new AppError(
      'PERMISSION_DENIED',
      `没有编号为 ${caseRef} 的已受理核对委托，不能查询数据（无委托、不核对）`,
      {
        code: 'NO_CASE',
        caseRef,
      },
    );
  if (actor.regionCode !== null && !isInRegionScope(kase.regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '案件不存在或不在您的数据范围内', { caseRef });
  const attachments = await deps.store.cases.attachments(kase.id);
  const steps = caseForSteps(kase, attachments);
  const systemActor = actor.userId === null;
  const check = checkStep(
    'assess',
    systemActor ? { ...steps, handlerId: -1 } : steps,
    systemActor ? { userId: -1, agency: true, requester: false } : stepActorOf(actor, kase),
  );
  if (!check.ok) throw new AppError('PERMISSION_DENIED', check.message, { code: check.code, caseRef });
  const members = new Set(
    decryptHousehold(deps, kase).members.map((member) => {
      const parsed = parseIdNumber(member.idNumber);
      return parsed.ok ? parsed.id18 : member.idNumber;
    }),
  );
  const outside = idNumbers.filter((id) => !members.has(id));
  if (outside.length > 0)
    throw new AppError(
      'PERMISSION_DENIED',
      `有 ${outside.length} 人不是案件 ${caseRef} 的家庭成员，不能查询其数据`,
      {
        code: 'MEMBER_NOT_IN_CASE',
        caseRef,
      },
    );
  return kase;
}

/** Whether a case is open for data queries (verification or review). */
export function isOpenForQueries(state: string): boolean {
  return (['verifying', 'reviewing'] as CaseState[]).includes(state as CaseState);
}

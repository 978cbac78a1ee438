/**
 * The life of a verification case (Q§14–20, SPEC §5) as a state machine: which step may be taken in which
 * state, by whom. Pure rules; the use cases load the case, ask `checkStep`, and store the step with its audit
 * entry. Four eyes: the reviewer who approves a report, an extension or a suspension is never the person who
 * asked for it (专人专岗), and a review after an appeal is done by people other than the original handler.
 */

export const CASE_STATES = [
  /** Submitted by the requester, waiting for acceptance (3 working days). */
  'submitted',
  /** Returned to the requester as incomplete, with written reasons; the requester may resubmit. */
  'returned',
  /** Accepted, work group assigned, being verified (report due in 7 working days). */
  'verifying',
  /** The handler submitted the report; the reviewer approves it or sends it back. */
  'awaiting_approval',
  /** The report was issued to the requester. */
  'reported',
  /** Returned to the requester with the recommendation to suspend the application (Q§18). Final. */
  'suspended',
  /** Ended at the requester's request after a force-majeure notice (Q§17), with the 终止核对通知书. Final. */
  'terminated',
  /** The family appealed against the report (Q§20); waiting for a review group. */
  'appealed',
  /** Being reviewed by a group without the original handler (10 working days). */
  'reviewing',
  /** The review report was submitted for approval. */
  'review_awaiting_approval',
  /** The review result was notified in writing. Final. */
  'reviewed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_STATE_LABELS: Readonly<Record<CaseState, string>> = {
  submitted: '待受理',
  returned: '已退回补正',
  verifying: '核对中',
  awaiting_approval: '报告待审核',
  reported: '已出具报告',
  suspended: '已中止',
  terminated: '已终止',
  appealed: '申诉待复核',
  reviewing: '复核中',
  review_awaiting_approval: '复核报告待审核',
  reviewed: '复核完成',
};

export const FINAL_STATES: ReadonlySet<CaseState> = new Set(['suspended', 'terminated', 'reviewed']);

export const CASE_STEPS = [
  'accept',
  'return',
  'resubmit',
  'assess',
  'submit_report',
  'approve_report',
  'send_back',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'request_suspension',
  'approve_suspension',
  'reject_suspension',
  'report_force_majeure',
  'approve_force_majeure',
  'reject_force_majeure',
  'force_majeure_extend',
  'terminate',
  'appeal',
  'assign_review',
] as const;
export type CaseStep = (typeof CASE_STEPS)[number];

/** Who is taking a step, in relation to the case. */
export interface StepActor {
  userId: number;
  /** Whether the actor works for the agency that holds the case (in its region scope). */
  agency: boolean;
  /** Whether the actor works for the requester that entrusted the case. */
  requester: boolean;
}

export interface CaseForSteps {
  state: CaseState;
  /** Current work group (the review group once an appeal is being reviewed). */
  handlerId: number | null;
  reviewerId: number | null;
  /** The handler of the original verification, who may not sit in the review group. */
  originalHandlerId: number | null;
  /** Whether every member has an authorization on file (先授权、后核对). */
  allAuthorized: boolean;
  /** Who asked for the pending extension, suspension or force-majeure notice, if one is pending. */
  pendingRequestBy: number | null;
  /**
   * `force_majeure`: the handler reported force majeure, the reviewer has not yet approved the notice;
   * `force_majeure_choice`: the notice went out and the requester has to ask for more time or termination.
   */
  pendingRequestKind: PendingRequestKind | null;
}

export const PENDING_REQUEST_KINDS = [
  'extension',
  'suspension',
  'force_majeure',
  'force_majeure_choice',
] as const;
export type PendingRequestKind = (typeof PENDING_REQUEST_KINDS)[number];

export type StepProblem =
  | 'WRONG_STATE'
  | 'NOT_REQUESTER'
  | 'NOT_AGENCY'
  | 'NOT_HANDLER'
  | 'NOT_REVIEWER'
  | 'SELF_APPROVAL'
  | 'MISSING_AUTHORIZATION'
  | 'SAME_HANDLER_AND_REVIEWER'
  | 'ORIGINAL_HANDLER_IN_REVIEW'
  | 'NO_PENDING_REQUEST'
  | 'REQUEST_PENDING';

export type StepCheck = { ok: true } | { ok: false; code: StepProblem; message: string };

const ok: StepCheck = { ok: true };
function no(code: StepProblem, message: string): StepCheck {
  return { ok: false, code, message };
}

/** The state a step leaves the case in (unchanged for steps that do not move it). */
export const NEXT_STATE: Readonly<Record<CaseStep, CaseState | null>> = {
  accept: 'verifying',
  return: 'returned',
  resubmit: 'submitted',
  assess: null,
  submit_report: 'awaiting_approval',
  approve_report: 'reported',
  send_back: 'verifying',
  request_extension: null,
  approve_extension: null,
  reject_extension: null,
  request_suspension: null,
  approve_suspension: 'suspended',
  reject_suspension: null,
  report_force_majeure: null,
  approve_force_majeure: null,
  reject_force_majeure: null,
  force_majeure_extend: null,
  terminate: 'terminated',
  appeal: 'appealed',
  assign_review: 'reviewing',
};

const FROM: Readonly<Record<CaseStep, readonly CaseState[]>> = {
  accept: ['submitted'],
  return: ['submitted'],
  resubmit: ['returned'],
  assess: ['verifying', 'reviewing'],
  submit_report: ['verifying', 'reviewing'],
  approve_report: ['awaiting_approval', 'review_awaiting_approval'],
  send_back: ['awaiting_approval', 'review_awaiting_approval'],
  request_extension: ['verifying'],
  approve_extension: ['verifying'],
  reject_extension: ['verifying'],
  request_suspension: ['verifying'],
  approve_suspension: ['verifying'],
  reject_suspension: ['verifying'],
  report_force_majeure: ['verifying'],
  approve_force_majeure: ['verifying'],
  reject_force_majeure: ['verifying'],
  force_majeure_extend: ['verifying'],
  terminate: ['verifying'],
  appeal: ['reported'],
  assign_review: ['appealed'],
};

/** Where a step leads from the state the case is in (review steps have their own targets). */
export function nextState(step: CaseStep, from: CaseState): CaseState {
  if (step === 'submit_report' && from === 'reviewing') return 'review_awaiting_approval';
  if (step === 'approve_report' && from === 'review_awaiting_approval') return 'reviewed';
  if (step === 'send_back' && from === 'review_awaiting_approval') return 'reviewing';
  return NEXT_STATE[step] ?? from;
}

/**
 * Whether `actor` may take `step` on the case. `assignment` carries the proposed work group for `accept` and
 * `assign_review`.
 */
export function checkStep(
  step: CaseStep,
  current: CaseForSteps,
  actor: StepActor,
  assignment?: { handlerId: number; reviewerId: number },
): StepCheck {
  if (!FROM[step].includes(current.state))
    return no('WRONG_STATE', `案件当前状态为「${CASE_STATE_LABELS[current.state]}」，不能进行此操作`);
  switch (step) {
    case 'resubmit':
    case 'appeal':
      return actor.requester ? ok : no('NOT_REQUESTER', '只有委托单位可以进行此操作');
    case 'force_majeure_extend':
    case 'terminate':
      // Q§17: after a force-majeure notice, the agency extends or terminates as the requester asks.
      if (!actor.requester) return no('NOT_REQUESTER', '只有委托单位可以要求延长核对时间或终止核对');
      return current.pendingRequestKind === 'force_majeure_choice'
        ? ok
        : no('NO_PENDING_REQUEST', '只有在收到不可抗力告知书后，委托单位才可以要求延长核对时间或终止核对');
    case 'return':
      return actor.agency ? ok : no('NOT_AGENCY', '只有核对机构可以退回委托');
    case 'accept':
    case 'assign_review':
      return checkAssignment(step, current, actor, assignment);
    case 'assess':
      if (current.handlerId !== actor.userId && current.reviewerId !== actor.userId)
        return no('NOT_HANDLER', '只有本案工作组成员可以核对本案数据');
      return current.allAuthorized
        ? ok
        : no('MISSING_AUTHORIZATION', '尚有家庭成员未提交授权书，不能核对（先授权、后核对）');
    case 'submit_report':
    case 'request_extension':
    case 'request_suspension':
    case 'report_force_majeure':
      if (current.handlerId !== actor.userId) return no('NOT_HANDLER', '只有本案经办人可以进行此操作');
      if (step !== 'submit_report' && current.pendingRequestKind !== null)
        return no('REQUEST_PENDING', '已有待审批的延期、中止申请或待委托单位答复的不可抗力告知');
      return ok;
    case 'approve_report':
    case 'send_back':
      return checkReviewer(current, actor, current.handlerId);
    case 'approve_extension':
    case 'reject_extension':
    case 'approve_suspension':
    case 'reject_suspension':
    case 'approve_force_majeure':
    case 'reject_force_majeure': {
      const kind = step.endsWith('extension')
        ? 'extension'
        : step.endsWith('suspension')
          ? 'suspension'
          : 'force_majeure';
      if (current.pendingRequestKind !== kind) return no('NO_PENDING_REQUEST', '没有待审批的申请');
      return checkReviewer(current, actor, current.pendingRequestBy);
    }
  }
}

/**
 * Four eyes (专人专岗): the case's reviewer approves, and never what they asked for or handled themselves. Also
 * used beside the state machine, for approvals that do not move the case (a sub-request to the city agency).
 */
export function checkReviewer(
  current: CaseForSteps,
  actor: StepActor,
  requestedBy: number | null,
): StepCheck {
  if (requestedBy === actor.userId) return no('SELF_APPROVAL', '不能审批本人经办或申请的事项（专人专岗）');
  if (current.reviewerId !== actor.userId) return no('NOT_REVIEWER', '只有本案审核人可以审批');
  return ok;
}

function checkAssignment(
  step: 'accept' | 'assign_review',
  current: CaseForSteps,
  actor: StepActor,
  assignment: { handlerId: number; reviewerId: number } | undefined,
): StepCheck {
  if (!actor.agency) return no('NOT_AGENCY', '只有核对机构可以受理案件和分配工作组');
  if (step === 'accept' && !current.allAuthorized)
    return no('MISSING_AUTHORIZATION', '每名家庭成员都须提交签字的授权书，方可受理（先授权、后核对）');
  if (assignment === undefined || assignment.handlerId === assignment.reviewerId)
    return no('SAME_HANDLER_AND_REVIEWER', '工作组至少两人：经办人和审核人必须是不同的人');
  if (
    step === 'assign_review' &&
    (assignment.handlerId === current.originalHandlerId ||
      assignment.reviewerId === current.originalHandlerId)
  )
    return no('ORIGINAL_HANDLER_IN_REVIEW', '复核工作组不得包括原经办人');
  return ok;
}

/**
 * Dishonesty records (失信记录, 庆阳细则第二十四条): a family's confirmed concealment of income or assets, drafted
 * by the agency (from a suspension for concealment, from a confirmed recheck alert, or by hand), approved by a
 * reviewer who did not draft it, notified to the family in writing, exported to credit systems while approved, and
 * revoked on appeal — a revoked record stays, with who revoked it and why. Pure rules, no I/O.
 */

import { checkReviewer, type StepCheck } from '../cases/workflow.ts';

export const DISHONESTY_STATES = ['draft', 'approved', 'rejected', 'revoked'] as const;
export type DishonestyState = (typeof DISHONESTY_STATES)[number];

export const DISHONESTY_STATE_LABELS: Readonly<Record<DishonestyState, string>> = {
  draft: '待审批',
  approved: '已生效',
  rejected: '未通过',
  revoked: '已撤销',
};

/**
 * Where a draft comes from: a case suspended for concealment (Q§18 (一)), a recheck alert the agency confirmed
 * (the monthly recheck, a later part of issue #6), or agency staff by hand from a suspended case.
 */
export const DISHONESTY_SOURCES = ['suspension', 'recheck_alert', 'manual'] as const;
export type DishonestySource = (typeof DISHONESTY_SOURCES)[number];

export const DISHONESTY_SOURCE_LABELS: Readonly<Record<DishonestySource, string>> = {
  suspension: '中止核对（隐瞒或提供虚假材料）',
  recheck_alert: '定期复核预警',
  manual: '人工登记',
};

export const DISHONESTY_STEPS = ['approve', 'reject', 'revoke'] as const;
export type DishonestyStep = (typeof DISHONESTY_STEPS)[number];

const FROM: Readonly<Record<DishonestyStep, DishonestyState>> = {
  approve: 'draft',
  reject: 'draft',
  revoke: 'approved',
};

export const DISHONESTY_NEXT_STATE: Readonly<Record<DishonestyStep, DishonestyState>> = {
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked',
};

/** The regulation's words, quoted from `regulations/004_…` (庆市民〔2022〕114号). */
export const RULES_TITLE = '《庆阳市居民家庭经济状况核对实施细则》（庆市民〔2022〕114号）';
export const ARTICLE_24 =
  '第二十四条 各级核对机构应会同有关部门建立健全失信信息披露和诚信登记制度，将申请社会救助家庭故意隐瞒收入、财产等失信和违规信息记入各相关行业或个人信用信息系统，实现多部门、跨地区信用奖惩联动。';
export const ARTICLE_18_1 = '第十八条第一项 故意隐瞒家庭户籍、收入、财产情况或提供虚假材料的';

/** The legal basis stored with a record and printed on its notice: Q§24, and Q§18 (一) for a suspension. */
export function legalBasisFor(source: DishonestySource): string {
  const articles = source === 'suspension' ? [ARTICLE_18_1, ARTICLE_24] : [ARTICLE_24];
  return `${RULES_TITLE}${articles.join('；')}`;
}

/** A person the record is about (the applicant by default; never a whole household by default). */
export interface DishonestySubject {
  name: string;
  /** The normalised 18-digit number. */
  idNumber: string;
  relation: string;
}

/** What was concealed, with references to the evidence (documents, data sources, batches). */
export interface DishonestyFacts {
  concealed: string;
  evidence: string[];
}

export interface DishonestyForDecision {
  state: DishonestyState;
  draftedBy: number;
}

export type DishonestyCheck = StepCheck;

/**
 * Never one's own draft (专人专岗): the case workflow's four-eyes rule (`checkReviewer` of
 * `domain/cases/workflow.ts`), so the rule and its words stay in one place.
 */
export function checkNotOwnWork(requestedBy: number, actorId: number): StepCheck {
  const reviewer = { handlerId: null, reviewerId: actorId, originalHandlerId: null, allAuthorized: true };
  return checkReviewer(
    { ...reviewer, state: 'verifying', pendingRequestBy: requestedBy, pendingRequestKind: null },
    { userId: actorId, agency: true, requester: false },
    requestedBy,
  );
}

/** Whether a reviewer (`isReviewer`) with id `actorId` may take `step` on the record. */
export function checkDishonestyStep(
  step: DishonestyStep,
  record: DishonestyForDecision,
  actor: { userId: number; isReviewer: boolean },
): DishonestyCheck {
  if (record.state !== FROM[step])
    return {
      ok: false,
      code: 'WRONG_STATE',
      message: `失信记录当前状态为「${DISHONESTY_STATE_LABELS[record.state]}」，不能进行此操作`,
    };
  if (!actor.isReviewer)
    return { ok: false, code: 'NOT_REVIEWER', message: '只有核对机构审核员可以审批失信记录' };
  if (step === 'revoke') return { ok: true };
  return checkNotOwnWork(record.draftedBy, actor.userId);
}

/** Written reasons, facts or grounds: at least two characters once trimmed. */
export function isWritten(text: string | undefined): boolean {
  return (text ?? '').trim().length >= 2;
}

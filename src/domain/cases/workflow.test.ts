import { describe, expect, it } from 'vitest';
import { type CaseForSteps, type CaseState, checkStep, nextState, type StepActor } from './workflow.ts';

const HANDLER = 1;
const REVIEWER = 2;
const OTHER = 3;
const FOURTH = 4;

function kase(state: CaseState, more: Partial<CaseForSteps> = {}): CaseForSteps {
  return {
    state,
    handlerId: HANDLER,
    reviewerId: REVIEWER,
    originalHandlerId: HANDLER,
    allAuthorized: true,
    pendingRequestBy: null,
    pendingRequestKind: null,
    ...more,
  };
}

function agency(userId: number): StepActor {
  return { userId, agency: true, requester: false };
}
const requester: StepActor = { userId: 9, agency: false, requester: true };

describe('checkStep', () => {
  it('accepts only with every authorization and a work group of two different people', () => {
    const group = { handlerId: HANDLER, reviewerId: REVIEWER };
    expect(checkStep('accept', kase('submitted'), agency(OTHER), group)).toEqual({ ok: true });
    expect(
      checkStep('accept', kase('submitted', { allAuthorized: false }), agency(OTHER), group),
    ).toMatchObject({
      ok: false,
      code: 'MISSING_AUTHORIZATION',
    });
    expect(
      checkStep('accept', kase('submitted'), agency(OTHER), { handlerId: HANDLER, reviewerId: HANDLER }),
    ).toMatchObject({ ok: false, code: 'SAME_HANDLER_AND_REVIEWER' });
    expect(checkStep('accept', kase('submitted'), requester, group)).toMatchObject({ code: 'NOT_AGENCY' });
    expect(checkStep('accept', kase('verifying'), agency(OTHER), group)).toMatchObject({
      code: 'WRONG_STATE',
    });
  });

  it('lets only the work group look at the data, and only with every authorization', () => {
    expect(checkStep('assess', kase('verifying'), agency(HANDLER))).toEqual({ ok: true });
    expect(checkStep('assess', kase('verifying'), agency(REVIEWER))).toEqual({ ok: true });
    expect(checkStep('assess', kase('verifying'), agency(OTHER))).toMatchObject({ code: 'NOT_HANDLER' });
    expect(checkStep('assess', kase('submitted'), agency(HANDLER))).toMatchObject({ code: 'WRONG_STATE' });
    expect(checkStep('assess', kase('verifying', { allAuthorized: false }), agency(HANDLER))).toMatchObject({
      code: 'MISSING_AUTHORIZATION',
    });
  });

  it('refuses self-approval of a report, even by a reviewer who handled the case', () => {
    const selfReviewed = kase('awaiting_approval', { handlerId: REVIEWER, reviewerId: REVIEWER });
    expect(checkStep('approve_report', selfReviewed, agency(REVIEWER))).toMatchObject({
      ok: false,
      code: 'SELF_APPROVAL',
    });
    expect(checkStep('approve_report', kase('awaiting_approval'), agency(REVIEWER))).toEqual({
      ok: true,
    });
    expect(checkStep('approve_report', kase('awaiting_approval'), agency(OTHER))).toMatchObject({
      code: 'NOT_REVIEWER',
    });
  });

  it('has extensions and suspensions asked by the handler and decided by another person', () => {
    expect(checkStep('request_extension', kase('verifying'), agency(HANDLER))).toEqual({ ok: true });
    expect(checkStep('request_extension', kase('verifying'), agency(REVIEWER))).toMatchObject({
      code: 'NOT_HANDLER',
    });
    const pending = kase('verifying', { pendingRequestBy: HANDLER, pendingRequestKind: 'extension' });
    expect(checkStep('request_suspension', pending, agency(HANDLER))).toMatchObject({
      code: 'REQUEST_PENDING',
    });
    expect(checkStep('approve_extension', pending, agency(REVIEWER))).toEqual({ ok: true });
    expect(checkStep('approve_suspension', pending, agency(REVIEWER))).toMatchObject({
      code: 'NO_PENDING_REQUEST',
    });
    const askedByReviewer = kase('verifying', {
      pendingRequestBy: REVIEWER,
      pendingRequestKind: 'suspension',
    });
    expect(checkStep('approve_suspension', askedByReviewer, agency(REVIEWER))).toMatchObject({
      code: 'SELF_APPROVAL',
    });
  });

  it('has the requester appeal a report and the review done without the original handler', () => {
    expect(checkStep('appeal', kase('reported'), requester)).toEqual({ ok: true });
    expect(checkStep('appeal', kase('reported'), agency(HANDLER))).toMatchObject({ code: 'NOT_REQUESTER' });
    expect(
      checkStep('assign_review', kase('appealed'), agency(OTHER), { handlerId: HANDLER, reviewerId: FOURTH }),
    ).toMatchObject({ code: 'ORIGINAL_HANDLER_IN_REVIEW' });
    expect(
      checkStep('assign_review', kase('appealed'), agency(OTHER), { handlerId: OTHER, reviewerId: REVIEWER }),
    ).toEqual({ ok: true });
  });
  it('has force majeure reported by the handler, approved by another person, and answered by the requester alone', () => {
    expect(checkStep('report_force_majeure', kase('verifying'), agency(HANDLER))).toEqual({ ok: true });
    expect(checkStep('report_force_majeure', kase('verifying'), agency(REVIEWER))).toMatchObject({
      code: 'NOT_HANDLER',
    });
    const reported = kase('verifying', { pendingRequestKind: 'force_majeure', pendingRequestBy: HANDLER });
    expect(checkStep('request_extension', reported, agency(HANDLER))).toMatchObject({
      code: 'REQUEST_PENDING',
    });
    expect(checkStep('approve_force_majeure', reported, agency(HANDLER))).toMatchObject({
      code: 'SELF_APPROVAL',
    });
    expect(checkStep('approve_force_majeure', reported, agency(REVIEWER))).toEqual({ ok: true });
    expect(checkStep('reject_force_majeure', reported, agency(REVIEWER))).toEqual({ ok: true });
    // The requester chooses only once the notice went out; the agency never terminates on its own.
    expect(checkStep('terminate', reported, requester)).toMatchObject({ code: 'NO_PENDING_REQUEST' });
    const noticed = kase('verifying', {
      pendingRequestKind: 'force_majeure_choice',
      pendingRequestBy: HANDLER,
    });
    expect(checkStep('terminate', noticed, requester)).toEqual({ ok: true });
    expect(checkStep('force_majeure_extend', noticed, requester)).toEqual({ ok: true });
    expect(checkStep('terminate', noticed, agency(REVIEWER))).toMatchObject({ code: 'NOT_REQUESTER' });
    expect(checkStep('terminate', kase('submitted'), requester)).toMatchObject({ code: 'WRONG_STATE' });
    expect(nextState('terminate', 'verifying')).toBe('terminated');
    expect(nextState('force_majeure_extend', 'verifying')).toBe('verifying');
  });
});

describe('nextState', () => {
  it('leads the verification and the review through their own approval states', () => {
    expect(nextState('accept', 'submitted')).toBe('verifying');
    expect(nextState('submit_report', 'verifying')).toBe('awaiting_approval');
    expect(nextState('send_back', 'awaiting_approval')).toBe('verifying');
    expect(nextState('approve_report', 'awaiting_approval')).toBe('reported');
    expect(nextState('appeal', 'reported')).toBe('appealed');
    expect(nextState('assign_review', 'appealed')).toBe('reviewing');
    expect(nextState('submit_report', 'reviewing')).toBe('review_awaiting_approval');
    expect(nextState('send_back', 'review_awaiting_approval')).toBe('reviewing');
    expect(nextState('approve_report', 'review_awaiting_approval')).toBe('reviewed');
    expect(nextState('approve_suspension', 'verifying')).toBe('suspended');
    expect(nextState('request_extension', 'verifying')).toBe('verifying');
  });
});

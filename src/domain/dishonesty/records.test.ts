import { describe, expect, it } from 'vitest';
import {
  ARTICLE_24,
  checkDishonestyStep,
  checkNotOwnWork,
  DISHONESTY_NEXT_STATE,
  DISHONESTY_STATES,
  type DishonestyState,
  isWritten,
  legalBasisFor,
} from './records.ts';

const reviewer = { userId: 7, isReviewer: true };

describe(checkDishonestyStep.name, () => {
  it('lets a reviewer approve or reject a draft someone else drafted', () => {
    for (const step of ['approve', 'reject'] as const)
      expect(checkDishonestyStep(step, { state: 'draft', draftedBy: 3 }, reviewer)).toEqual({ ok: true });
  });

  it("refuses the drafter's own approval with the case workflow's four-eyes rule and words", () => {
    const check = checkDishonestyStep('approve', { state: 'draft', draftedBy: 7 }, reviewer);
    expect(check).toEqual({
      ok: false,
      code: 'SELF_APPROVAL',
      message: '不能审批本人经办或申请的事项（专人专岗）',
    });
    expect(checkNotOwnWork(7, 7)).toEqual(check);
    expect(checkNotOwnWork(3, 7)).toEqual({ ok: true });
  });

  it('refuses anyone without the reviewer role', () => {
    expect(
      checkDishonestyStep('approve', { state: 'draft', draftedBy: 3 }, { userId: 9, isReviewer: false }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_REVIEWER',
    });
  });

  it('takes each step only from its state: approve and reject a draft, revoke an approved record', () => {
    const allowed: Record<string, DishonestyState> = {
      approve: 'draft',
      reject: 'draft',
      revoke: 'approved',
    };
    for (const [step, from] of Object.entries(allowed))
      for (const state of DISHONESTY_STATES) {
        const check = checkDishonestyStep(step as 'approve', { state, draftedBy: 3 }, reviewer);
        if (state === from) expect(check).toEqual({ ok: true });
        else expect(check).toMatchObject({ ok: false, code: 'WRONG_STATE' });
      }
  });

  it('lets the approver revoke on appeal (the record stays, revoked)', () => {
    expect(checkDishonestyStep('revoke', { state: 'approved', draftedBy: 7 }, reviewer)).toEqual({
      ok: true,
    });
    expect(DISHONESTY_NEXT_STATE).toEqual({ approve: 'approved', reject: 'rejected', revoke: 'revoked' });
  });
});

describe(legalBasisFor.name, () => {
  it('quotes article 24 for every source, and article 18 (一) for a suspension', () => {
    expect(legalBasisFor('suspension')).toContain('故意隐瞒家庭户籍、收入、财产情况或提供虚假材料的');
    for (const source of ['suspension', 'recheck_alert', 'manual'] as const) {
      expect(legalBasisFor(source)).toContain(ARTICLE_24);
      expect(legalBasisFor(source)).toMatch(/^《庆阳市居民家庭经济状况核对实施细则》/);
    }
    expect(legalBasisFor('manual')).not.toContain('第十八条');
  });
});

describe(isWritten.name, () => {
  it('asks for at least two characters once trimmed', () => {
    expect(isWritten(' 隐瞒 ')).toBe(true);
    expect(isWritten(' 瞒 ')).toBe(false);
    expect(isWritten(undefined)).toBe(false);
  });
});

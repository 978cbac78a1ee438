import { describe, expect, it } from 'vitest';
import { CASE_STEP_LABELS, caseArchiveFileName, stepLabel, workGroupMembers } from './archive.ts';
import { CASE_STEPS } from './workflow.ts';

describe(workGroupMembers.name, () => {
  it('names everyone who has been in the work group, review groups included, once each', () => {
    const events = [
      { step: 'submit', details: { members: 2 } },
      { step: 'accept', details: { handlerId: 11, reviewerId: 12 } },
      { step: 'send_back', details: { reasons: '补充', handlerId: 99 } },
      { step: 'assign_review', details: { handlerId: 21, reviewerId: 12 } },
    ];
    expect(workGroupMembers(events, { handlerId: 21, reviewerId: 12, originalHandlerId: 11 })).toEqual([
      11, 12, 21,
    ]);
  });

  it('falls back to the case row when the history names nobody', () => {
    expect(workGroupMembers([], { handlerId: 5, reviewerId: 6, originalHandlerId: null })).toEqual([5, 6]);
    expect(workGroupMembers([], { handlerId: null, reviewerId: null, originalHandlerId: null })).toEqual([]);
  });
});

describe('archive vocabulary', () => {
  it('has a Chinese label for every step of the workflow', () => {
    expect(CASE_STEPS.filter((step) => CASE_STEP_LABELS[step] === undefined)).toEqual([]);
  });

  it('labels steps in Chinese and keeps unknown codes as they are', () => {
    expect(stepLabel('approve_report')).toBe('审核通过报告');
    expect(stepLabel('submit')).toBe('提交委托');
    expect(stepLabel('future_step')).toBe('future_step');
    expect(caseArchiveFileName('HD-621002-2025-000001')).toBe('案件档案-HD-621002-2025-000001.zip');
  });
});

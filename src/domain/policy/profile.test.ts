import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE_FEN } from '../assessment/types.ts';
import { ASSISTANCE_TYPE_LABELS, ASSISTANCE_TYPES, isAssistanceType } from './assistance-types.ts';
import {
  DEFAULT_POLICY_VERSION,
  isIsoDate,
  type PolicyVersion,
  policyOf,
  resolveVersion,
  validatePolicySettings,
  versionInEffect,
  versionLabel,
} from './profile.ts';

function version(n: number, effectiveFrom: string, regionCode = '621002'): PolicyVersion {
  return {
    id: n,
    profileId: 1,
    version: n,
    label: versionLabel(regionCode, 'subsistence_allowance', n),
    windowMonths: 12,
    exemptSubsidyItems: [],
    toleranceFen: { ...DEFAULT_TOLERANCE_FEN },
    seriousMultiple: 5,
    notes: '',
    effectiveFrom,
    publishedAt: '2025-01-01T00:00:00.000Z',
    publishedBy: null,
    publishedByName: null,
  };
}

describe('assistance types', () => {
  it('has a Chinese label for each of the eight types', () => {
    expect(ASSISTANCE_TYPES).toHaveLength(8);
    expect(ASSISTANCE_TYPE_LABELS.subsistence_allowance).toBe('最低生活保障');
    expect(ASSISTANCE_TYPE_LABELS.disaster_relief).toBe('受灾人员救助');
    expect(isAssistanceType('medical_assistance')).toBe(true);
    expect(isAssistanceType('pension')).toBe(false);
  });
});

describe('version in effect', () => {
  it('takes the newest version effective on or before the date', () => {
    const versions = [version(1, '2025-01-01'), version(2, '2025-07-01'), version(3, '2026-01-01')];
    expect(versionInEffect(versions, '2024-12-31')).toBeNull();
    expect(versionInEffect(versions, '2025-01-01')?.version).toBe(1);
    expect(versionInEffect(versions, '2025-06-30')?.version).toBe(1);
    expect(versionInEffect(versions, '2025-07-01')?.version).toBe(2);
    expect(versionInEffect(versions, '2026-03-01')?.version).toBe(3);
  });

  it('prefers the higher version number when a correction is back-dated', () => {
    const versions = [version(1, '2025-07-01'), version(2, '2025-01-01')];
    expect(versionInEffect(versions, '2025-08-01')?.version).toBe(2);
    expect(versionInEffect(versions, '2025-03-01')?.version).toBe(2);
  });
});

describe('resolution up the region tree', () => {
  const chain = [
    { regionCode: '621002001', versions: [] },
    { regionCode: '621002', versions: [version(1, '2025-07-01')] },
    { regionCode: '621000', versions: [version(1, '2024-01-01', '621000')] },
    { regionCode: '620000', versions: [version(1, '2020-01-01', '620000')] },
  ];

  it('answers the nearest region with a version in effect', () => {
    expect(resolveVersion(chain, '2025-09-01')).toMatchObject({
      regionCode: '621002',
      version: { label: '621002-subsistence_allowance-v1' },
    });
  });

  it('falls through to a region above when the nearer one has nothing in effect yet', () => {
    expect(resolveVersion(chain, '2025-06-30')?.regionCode).toBe('621000');
    expect(resolveVersion(chain, '2023-06-30')?.regionCode).toBe('620000');
  });

  it('answers null (the default) when nothing applies', () => {
    expect(resolveVersion(chain, '2019-12-31')).toBeNull();
    expect(resolveVersion([], '2025-01-01')).toBeNull();
  });
});

describe('the engine policy of a version', () => {
  it('is the built-in default when there is no version', () => {
    const policy = policyOf(null);
    expect(policy.version).toBe(DEFAULT_POLICY_VERSION);
    expect(policy.version).toBe('default-v1');
    expect(policy.windowMonths).toBe(12);
    expect(policy.toleranceFen).toEqual(DEFAULT_TOLERANCE_FEN);
  });

  it('carries the version label and settings', () => {
    const v = { ...version(3, '2025-01-01'), windowMonths: 6, exemptSubsidyItems: ['高龄补贴'] };
    expect(policyOf(v)).toMatchObject({
      version: '621002-subsistence_allowance-v3',
      windowMonths: 6,
      exemptSubsidyItems: ['高龄补贴'],
      seriousMultiple: 5,
    });
  });
});

describe('validation of a version', () => {
  it('fills the defaults and trims and de-duplicates exempt items', () => {
    const r = validatePolicySettings({
      effectiveFrom: '2025-01-01',
      exemptSubsidyItems: [' 高龄补贴 ', '高龄补贴', '残疾人两项补贴'],
      tolerances: { deposits: 0 },
    });
    expect(r).toEqual({
      ok: true,
      value: {
        windowMonths: 12,
        exemptSubsidyItems: ['高龄补贴', '残疾人两项补贴'],
        toleranceFen: { ...DEFAULT_TOLERANCE_FEN, deposits: 0 },
        seriousMultiple: 5,
        notes: '',
        effectiveFrom: '2025-01-01',
      },
    });
  });

  it('lists every problem with a stable code and a Chinese message', () => {
    const r = validatePolicySettings({
      windowMonths: 37,
      seriousMultiple: 0.5,
      tolerances: { wages: -1, bonus: 10 },
      exemptSubsidyItems: ['', 'x'.repeat(51)],
      notes: '说'.repeat(2001),
      effectiveFrom: '2025-02-30',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'windowMonths WINDOW_MONTHS_INVALID',
      'seriousMultiple SERIOUS_MULTIPLE_INVALID',
      'tolerances.wages TOLERANCE_INVALID',
      'tolerances.bonus TOLERANCE_UNKNOWN_CATEGORY',
      'exemptSubsidyItems.0 EXEMPT_ITEM_INVALID',
      'exemptSubsidyItems.1 EXEMPT_ITEM_INVALID',
      'notes NOTES_TOO_LONG',
      'effectiveFrom EFFECTIVE_FROM_INVALID',
    ]);
    for (const e of r.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('accepts the window bounds 1 and 36 and refuses 0 and fractions', () => {
    const ok = (windowMonths: number) =>
      validatePolicySettings({ windowMonths, effectiveFrom: '2025-01-01' }).ok;
    expect([ok(1), ok(36), ok(0), ok(12.5)]).toEqual([true, true, false, false]);
  });

  it('refuses something that is not an object', () => {
    expect(validatePolicySettings(null)).toMatchObject({ ok: false, errors: [{ code: 'NOT_OBJECT' }] });
  });

  it('knows real dates', () => {
    expect([isIsoDate('2024-02-29'), isIsoDate('2025-02-29'), isIsoDate('2025-1-01')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});

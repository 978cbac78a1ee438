import { describe, expect, it } from 'vitest';
import { monthsBetween, RECHECK_SAFETY_MONTHS, recheckReason } from './change-driven.ts';

describe('change-driven recheck selection', () => {
  it('counts months across a year', () => {
    expect(monthsBetween('2025-09', '2025-12')).toBe(3);
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
    expect(monthsBetween('2025-10', '2025-10')).toBe(0);
  });

  it('recomputes everything in full mode', () => {
    expect(
      recheckReason('full', { marked: false, latestMonth: '2025-10', hasSummary: true }, '2025-11'),
    ).toBe('full');
  });

  it('recomputes a family without a baseline, a marked one and a stale one; carries the rest', () => {
    const family = { marked: false, latestMonth: '2025-10', hasSummary: true };
    expect(recheckReason('changed', { ...family, latestMonth: null }, '2025-11')).toBe('no_baseline');
    expect(recheckReason('changed', { ...family, hasSummary: false }, '2025-11')).toBe('no_baseline');
    expect(recheckReason('changed', { ...family, marked: true }, '2025-11')).toBe('marked');
    expect(recheckReason('changed', family, '2025-11')).toBeNull();
    expect(recheckReason('changed', family, '2025-12')).toBeNull();
    expect(RECHECK_SAFETY_MONTHS).toBe(3);
    expect(recheckReason('changed', family, '2026-01')).toBe('stale');
  });
});

/**
 * Change-driven rechecks (issue #6 item 4): which roster families a `changed` run recomputes. A `full` run
 * recomputes every family whose authorization is on file; a `changed` run only those a new batch touched (an
 * unconsumed mark), those without a computed result yet (their baseline), and — a safety net for whatever a mark
 * cannot see (a retracted batch, a new roster, a changed policy profile) — those whose latest computed result is
 * RECHECK_SAFETY_MONTHS months old or more. The others are carried forward: their previous result stands for the
 * month, no assessment is run, no alert is raised.
 */

export const RECHECK_MODES = ['full', 'changed'] as const;
export type RecheckMode = (typeof RECHECK_MODES)[number];

export const RECHECK_MODE_LABELS: Readonly<Record<RecheckMode, string>> = {
  full: '全量复核',
  changed: '按变化复核',
};

/** A computed result this many months old (or older) is recomputed even without a mark. */
export const RECHECK_SAFETY_MONTHS = 3;

export type RecheckReason = 'full' | 'marked' | 'no_baseline' | 'stale';

/** Months from `from` to `to` (`YYYY-MM`), e.g. 2025-09 → 2025-12 is 3. */
export function monthsBetween(from: string, to: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  return index(to) - index(from);
}

/** Why the family is recomputed this month, or null when its previous result is carried forward. */
export function recheckReason(
  mode: RecheckMode,
  family: { marked: boolean; latestMonth: string | null; hasSummary: boolean },
  month: string,
): RecheckReason | null {
  if (mode === 'full') return 'full';
  if (family.latestMonth === null || !family.hasSummary) return 'no_baseline';
  if (family.marked) return 'marked';
  if (monthsBetween(family.latestMonth, month) >= RECHECK_SAFETY_MONTHS) return 'stale';
  return null;
}

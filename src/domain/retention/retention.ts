import { lastDayOfMonth, shanghaiDateOf } from '../shared/clock.ts';

/**
 * Retention rules (issue #8 items 7–8, docs/security.md): pure, on Asia/Shanghai calendar dates. A day count is
 * kept in full: data whose retention starts on D goes once today is later than D + days.
 */

/** The legal floor for audit logs (等保三级: at least six months). Configuration can only raise it. */
export const MIN_AUDIT_RETENTION_DAYS = 180;

export interface RetentionPolicy {
  auditDays: number;
  /** Department records: the default, and per dataset. */
  recordDays: number;
  datasetDays: Readonly<Record<string, number>>;
  /** Case files (papers and issued documents), counted from the case's closure. */
  closedCaseDays: number;
}

export function daysBefore(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The Shanghai calendar date of an ISO-8601 instant. */
export function dateOfInstant(iso: string): string {
  return shanghaiDateOf(new Date(iso));
}

/** Older than the period: retention starting on `from` has run out by `today`. */
export function expired(from: string, days: number, today: string): boolean {
  return from < daysBefore(today, days);
}

/**
 * The instant before which audit entries may go. Never fewer than 180 days, whatever the policy says: a
 * misconfiguration must not shorten the legal minimum.
 */
export function auditCutoff(nowIso: string, auditDays: number): string {
  const days = Math.max(auditDays, MIN_AUDIT_RETENTION_DAYS);
  return new Date(Date.parse(nowIso) - days * 86_400_000).toISOString();
}

export function datasetRetentionDays(policy: RetentionPolicy, dataset: string): number {
  return policy.datasetDays[dataset] ?? policy.recordDays;
}

export interface CaseClosure {
  state: string;
  closedOn: string | null;
  appealDue: string | null;
}

/**
 * When a case's report stopped being in force: its closure (review, termination, suspension set `closed_on`), or
 * for a report not appealed, the end of the appeal period. Null while the case is open or its report can still
 * be appealed (docs/cases.md).
 */
export function caseClosedOn(c: CaseClosure, today: string): string | null {
  if (c.closedOn) return c.closedOn;
  if (c.state === 'reported' && c.appealDue !== null && c.appealDue < today) return c.appealDue;
  return null;
}

/**
 * A report (assessment) is in force — the records it cites are kept — while its case is open, and after the
 * case's closure for as long as the case's own files are kept. An assessment without a case (a monthly recheck's)
 * is in force for the same period from its creation. A case reference that names no case keeps it too.
 */
export function assessmentInForce(
  a: { createdAt: string; case: CaseClosure | null; isCase: boolean },
  policy: RetentionPolicy,
  today: string,
): boolean {
  if (a.isCase) {
    if (!a.case) return true;
    const closed = caseClosedOn(a.case, today);
    return closed === null || !expired(closed, policy.closedCaseDays, today);
  }
  return !expired(dateOfInstant(a.createdAt), policy.closedCaseDays, today);
}

export interface BatchFact {
  id: number;
  dataset: string;
  kind: string;
  status: string;
  source: string;
  periodLastMonth: string;
  createdAt: string;
  retractedAt: string | null;
  /** When the batch that superseded it was created. */
  supersededAt: string | null;
  rowsStored: number;
}

/** Case-bound batches (an offline exchange's answer, a query interface's rows) are no delivery. */
const CASE_BOUND = new Set(['offline', 'query']);

/**
 * The date from which a batch's retention counts, or null while it still stands (the newest committed delivery
 * of its dataset and kind never expires: it is the current data). Superseded: from its supersession;
 * retracted: from its retraction; rejected or duplicate: from its upload; committed: from the end of its period;
 * case-bound: from its creation.
 */
export function batchRetentionStart(b: BatchFact, newestCommitted: ReadonlySet<number>): string | null {
  switch (b.status) {
    case 'superseded':
      return dateOfInstant(b.supersededAt ?? b.createdAt);
    case 'retracted':
      return dateOfInstant(b.retractedAt ?? b.createdAt);
    case 'committed':
      if (CASE_BOUND.has(b.source)) return dateOfInstant(b.createdAt);
      return newestCommitted.has(b.id) ? null : lastDayOfMonth(b.periodLastMonth);
    default:
      return dateOfInstant(b.createdAt);
  }
}

/** The newest committed delivery (by period, then id) of each dataset and kind. */
export function newestCommittedBatches(batches: readonly BatchFact[]): Set<number> {
  const newest = new Map<string, BatchFact>();
  for (const b of batches) {
    if (b.status !== 'committed' || CASE_BOUND.has(b.source)) continue;
    const key = `${b.dataset}\u0000${b.kind}`;
    const cur = newest.get(key);
    if (
      !cur ||
      b.periodLastMonth > cur.periodLastMonth ||
      (b.periodLastMonth === cur.periodLastMonth && b.id > cur.id)
    )
      newest.set(key, b);
  }
  return new Set([...newest.values()].map((b) => b.id));
}

export type BatchDecision = 'keep' | 'purge' | 'kept_for_report';

/** Whether a batch's rows go: past its dataset's period and cited by no report in force. */
export function decideBatch(
  b: BatchFact,
  newestCommitted: ReadonlySet<number>,
  citedInForce: ReadonlySet<number>,
  policy: RetentionPolicy,
  today: string,
): BatchDecision {
  const start = batchRetentionStart(b, newestCommitted);
  if (start === null || !expired(start, datasetRetentionDays(policy, b.dataset), today)) return 'keep';
  return citedInForce.has(b.id) ? 'kept_for_report' : 'purge';
}

import {
  assessmentInForce,
  auditCutoff,
  caseClosedOn,
  decideBatch,
  expired,
  newestCommittedBatches,
} from '../../domain/retention/retention.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import type { Actor, Deps } from '../ports.ts';
import type { RetentionCounts, RetentionRunRecord } from './retention.port.ts';

export interface RetentionOptions {
  dryRun: boolean;
  trigger: 'job' | 'cli';
}

/**
 * Retention and erasure (issue #8 items 7–8, docs/security.md). Department records past their dataset's period
 * go with their batch's rows unless a report in force cites the batch; files of cases closed longer than the
 * case period go; audit entries older than the audit period go up to the newest checkpoint boundary before
 * the cutoff, so the chain still verifies from that checkpoint on. Each batch is purged in a transaction of its
 * own; the run is recorded and audited with its counts. A dry run counts and changes nothing (but is recorded).
 */
export async function runRetention(
  deps: Deps,
  options: RetentionOptions,
  actor: Actor,
): Promise<RetentionRunRecord> {
  const policy = deps.settings.retention;
  const startedAt = deps.clock.now().toISOString();
  const today = shanghaiDateOf(deps.clock.now());
  const { store } = deps;
  const counts: RetentionCounts = {
    batchesPurged: 0,
    recordsPurged: 0,
    batchesKeptForReports: 0,
    caseFilesPurged: 0,
    auditEntriesPurged: 0,
    auditPurgedThrough: null,
  };

  const batches = await store.retention.unpurgedBatches();
  const newest = newestCommittedBatches(batches);
  const citedInForce = new Set<number>();
  for (const a of await store.retention.citingAssessments())
    if (assessmentInForce(a, policy, today)) for (const id of a.batchIds) citedInForce.add(id);
  const purgedBatchIds: number[] = [];
  for (const b of batches) {
    const decision = decideBatch(b, newest, citedInForce, policy, today);
    if (decision === 'kept_for_report') counts.batchesKeptForReports += 1;
    if (decision !== 'purge') continue;
    counts.batchesPurged += 1;
    purgedBatchIds.push(b.id);
    counts.recordsPurged += options.dryRun ? b.rowsStored : await store.retention.purgeBatch(b.id, startedAt);
  }

  for (const f of await store.retention.caseFilesOfClosedCases()) {
    const closed = caseClosedOn(f.case, today);
    if (closed === null || !expired(closed, policy.closedCaseDays, today)) continue;
    counts.caseFilesPurged += 1;
    if (options.dryRun) continue;
    // Bytes first, then the mark: a run interrupted between the two removes (nothing) and marks next time.
    await deps.fileErasure.remove(f.kind === 'attachment' ? 'attachments' : 'documents', f.storedFile);
    await store.retention.markCaseFilePurged(f.kind, f.id, startedAt);
  }

  const cutoff = auditCutoff(startedAt, policy.auditDays);
  const oldest = await store.auditCheckpoints.oldestSeq();
  const boundary = (await store.auditCheckpoints.list())
    .filter((c) => c.lastAt < cutoff && oldest !== null && c.toSeq >= oldest)
    .at(-1);
  if (boundary && oldest !== null) {
    counts.auditPurgedThrough = boundary.toSeq;
    counts.auditEntriesPurged = options.dryRun
      ? boundary.toSeq - oldest + 1
      : await store.auditCheckpoints.purgeThrough(boundary.toSeq);
  }

  const finishedAt = deps.clock.now().toISOString();
  return store.transaction(async (tx) => {
    const run = await tx.retention.addRun({
      startedAt,
      finishedAt,
      today,
      dryRun: options.dryRun,
      trigger: options.trigger,
      counts,
    });
    await tx.audit.append(
      actor,
      {
        action: options.dryRun ? 'RETENTION_DRY_RUN' : 'RETENTION_PURGED',
        outcome: 'success',
        objectType: 'retention_run',
        objectId: String(run.id),
        details: { ...counts, batchIds: purgedBatchIds.slice(0, 1000), policy },
      },
      finishedAt,
    );
    return run;
  });
}

/** The settings and the last runs, for the administrators' retention page. */
export async function retentionOverview(deps: Deps) {
  return {
    settings: deps.settings.retention,
    runs: await deps.store.retention.recentRuns(20),
  };
}

import { AppError } from '../../domain/shared/errors.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { decryptInput } from '../assessment/stored-assessment.ts';
import { requireOpenCase } from '../cases/case-purpose.ts';
import type { Actor, Deps } from '../ports.ts';
import { fetchQueryInterfaceRecords, type QuerySourceOutcome } from './fetch-for-case.ts';

/**
 * A department's query interface that did not answer during a case's assessment is asked again in the
 * background (issue #9: query-interface calls on the job queue). The job carries ids only — pg-boss keeps job
 * data in plain text, so never an ID number: the members are read from the assessment's encrypted input.
 * Answers are stored as the case's evidence exactly as during the assessment (one batch per interface, one
 * `QUERY_INTERFACE_CALLED` audit entry per call); the staff member who ran the assessment gets a notice to run it
 * again on the newest data. When no source answered, the run fails and the job runner retries it with back-off
 * (pg-boss: 3 retries from 30 s, doubling; in-process the same; after the last one the failed job is listed on
 * the 后台任务 page with its Chinese message); when some answered and some did not, a new job asks only those
 * still missing.
 */
export const QUERY_RETRY_JOB = 'query-interface.retry';
export const QUERY_RETRY_NOTICE_KIND = 'query_interface_answered';

export interface QueryRetryData {
  assessmentId: number;
  interfaceIds: number[];
}

export function parseQueryRetryData(data: Record<string, unknown>): QueryRetryData {
  const assessmentId = Number(data.assessmentId);
  const ids = Array.isArray(data.interfaceIds) ? data.interfaceIds.map(Number) : [];
  if (!Number.isInteger(assessmentId) || ids.length === 0 || !ids.every(Number.isInteger))
    throw new AppError('VALIDATION_FAILED', '补查任务的参数不完整');
  return { assessmentId, interfaceIds: ids };
}

/** Queues the retry when a runner is at hand (`hedui serve`); a failure to queue never fails the assessment. */
export async function queueUnavailableRetry(
  deps: Deps,
  assessmentId: number,
  sources: readonly QuerySourceOutcome[],
): Promise<string | null> {
  const interfaceIds = sources.filter((s) => s.status === 'unavailable').map((s) => s.interfaceId);
  if (interfaceIds.length === 0 || !deps.jobs) return null;
  try {
    return await deps.jobs.send(QUERY_RETRY_JOB, { assessmentId, interfaceIds });
  } catch {
    // The assessment is stored and shows the source as unavailable; staff may re-run it by hand.
    return null;
  }
}

const retryActor: Actor = { ...SYSTEM_ACTOR, name: '系统（查询接口补查）' };

export async function retryUnavailableQueries(
  deps: Deps,
  data: QueryRetryData,
): Promise<{
  caseRef: string;
  sources: QuerySourceOutcome[];
  noticed: boolean;
  requeued: string | null;
  skipped: string | null;
}> {
  const row = await deps.store.assessments.get(data.assessmentId);
  if (!row) throw new AppError('NOT_FOUND', `核对结果 ${data.assessmentId} 不存在`);
  const members = decryptInput(deps, row).members.map((m) => ({ idNumber: m.idNumber, name: m.name }));
  // 无委托、不核对 holds for the platform too: a case since closed, returned or changed is not queried again.
  try {
    await requireOpenCase(
      deps,
      row.caseRef,
      members.map((m) => m.idNumber),
      retryActor,
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { caseRef: row.caseRef, sources: [], noticed: false, requeued: null, skipped: error.message };
  }
  const { sources } = await fetchQueryInterfaceRecords(
    deps,
    { caseRef: row.caseRef, members, interfaceIds: data.interfaceIds },
    retryActor,
  );
  const still = sources.filter((s) => s.status === 'unavailable');
  const answered = sources.filter((s) => s.status === 'ok');
  let noticed = false;
  if (answered.length > 0 && row.organisationId !== null) {
    const names = answered.map((s) => `「${s.name}」`).join('、');
    noticed = await deps.store.notices.createOnce({
      organisationId: row.organisationId,
      recipientUserId: row.createdBy,
      kind: QUERY_RETRY_NOTICE_KIND,
      dedupeKey: `${QUERY_RETRY_NOTICE_KIND}:${row.id}:${answered.map((s) => s.interfaceId).join(',')}`,
      title: `案件 ${row.caseRef}：查询接口已补查到数据`,
      body: `核对时未能返回数据的${names}已补查成功（${answered.reduce((n, s) => n + s.rowCount, 0)} 条记录）。请在该案件的核对结果中选择「按最新数据重新核对」，使结果包含这些数据。`,
      createdAt: deps.clock.now().toISOString(),
    });
  }
  if (still.length > 0 && answered.length === 0)
    // For the runner: it retries the run with back-off.
    throw new Error(
      `案件 ${row.caseRef} 的查询接口仍不可用：${still.map((s) => `${s.name}（${s.message ?? s.reason ?? '无应答'}）`).join('；')}`,
    );
  const requeued = await queueUnavailableRetry(deps, row.id, still);
  return { caseRef: row.caseRef, sources, noticed, requeued, skipped: null };
}

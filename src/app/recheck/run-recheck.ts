import { randomUUID } from 'node:crypto';
import { isInRegionScope } from '../../domain/access/scope.ts';
import type { HouseholdRequestInput } from '../../domain/assessment/household-request.ts';
import { isMonth } from '../../domain/assessment/window.ts';
import { BIRTH_KEY_PURPOSE } from '../../domain/matching/birth-date.ts';
import type { AssistanceType } from '../../domain/policy/assistance-types.ts';
import { type RecheckMode, recheckReason } from '../../domain/recheck/change-driven.ts';
import { type ChangeEvidence, detectChanges } from '../../domain/recheck/changes.ts';
import { type RecheckSummary, summarizeAssessment } from '../../domain/recheck/summary.ts';
import type { RosterMember } from '../../domain/roster/roster.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { prefetchRecords } from '../assessment/gather-records.ts';
import { assessRosterFamily, parseRequestOrThrow, recheckCaseRef } from '../assessment/run-assessment.ts';
import { memoisedPolicyReads, type SharedReads } from '../assessment/shared-reads.ts';
import type { Actor, Deps, OrganisationRecord } from '../ports.ts';
import type { RosterFamilyRow } from '../roster/roster-repository.ts';
import type { RecheckCounts, RecheckItemRow, RecheckRunRow } from './recheck-repository.ts';

/**
 * The monthly recheck (issue #6 item 2, Q§6): every family on the rosters of the requesters in an agency's
 * region is assessed again with its policy profile against the batches standing now, and compared with its
 * previous done recheck; each change becomes an alert for a handler (recheck_alert). Nothing here changes a
 * family's assistance (Q§3 只核对、不认定).
 *
 * - One run per month and scope at a time: a start while a run holds its lease is refused (RECHECK_RUNNING,
 *   backed by a unique partial index). The run's items are listed when it starts (families without their
 *   authorization on file are `skipped` there, and never queried).
 * - Each family is one transaction: its assessment, the item, its alerts and the run's heartbeat commit together,
 *   so a crash never leaves half a family. A start after a crash (lease expired) or a failure resumes the same
 *   run: only the items not yet done are assessed.
 * - Families are read a page at a time (recheckPage): the page's records in one read, standing batches, regions
 *   and policy versions once per page; a family of the page is assessed on the data standing when its page was
 *   read, and consumes only the marks read before that.
 */

/** How long a run holds its lease without a heartbeat (each family extends it). */
export const RECHECK_LEASE_MS = 5 * 60 * 1000;
const PAGE = 200;

export interface RecheckInput {
  month: string;
  scopeAgencyId: number;
  /**
   * `full` (default): every family; `changed`: the families a new batch touched, those without a result and those
   * whose result is stale; the rest carried forward (issue #6 item 4). A resumed run keeps its own mode.
   */
  mode?: RecheckMode;
}

export interface RecheckOptions {
  /** Test hook, called after each family's transaction has committed, with the families handled in this start. */
  afterFamily?: (handled: number) => Promise<void> | void;
}

/** Thrown (by a test hook) to stop a run the way a killed process would: no clean-up, the lease just runs out. */
export class RecheckInterrupted extends Error {
  constructor() {
    super('recheck interrupted');
    this.name = 'RecheckInterrupted';
  }
}

export interface RecheckRunSummary {
  runId: number;
  month: string;
  scope: { organisationId: number; name: string; regionCode: string };
  state: 'done' | 'failed' | 'running';
  mode: RecheckMode;
  resumed: boolean;
  counts: RecheckCounts;
  /** Families assessed in this start (a resumed run assesses only those not done before). */
  assessedNow: number;
  alertsByKind: Record<string, number>;
  startedAt: string;
  finishedAt: string | null;
  notice: string;
}

export const RECHECK_NOTICE =
  '每月复核只陈述数据变化及其来源，预警不改变任何家庭的救助待遇；是否调整救助由救助管理部门依法决定（只核对、不认定）。';

export async function recheckScopeAgency(deps: Deps, scopeAgencyId: number): Promise<OrganisationRecord> {
  const agency = await deps.store.organisations.get(scopeAgencyId);
  if (agency?.kind !== 'agency' || !agency.active)
    throw new AppError('VALIDATION_FAILED', '复核范围应为一个在用的核对机构', { scopeAgencyId });
  return agency;
}

function checkStart(deps: Deps, input: RecheckInput, agency: OrganisationRecord, actor: Actor): void {
  if (!isMonth(input.month))
    throw new AppError('VALIDATION_FAILED', '复核月份应为 YYYY-MM', { month: input.month });
  const thisMonth = shanghaiDateOf(deps.clock.now()).slice(0, 7);
  if (input.month > thisMonth)
    throw new AppError('VALIDATION_FAILED', `复核月份 ${input.month} 尚未开始`, { month: input.month });
  // The command line and the scheduler act as the system; a person must be a reviewer of the scope's region.
  if (actor.userId === null) return;
  if (!actor.roles.includes('agency_reviewer'))
    throw new AppError('PERMISSION_DENIED', '只有核对机构审核员可以启动每月复核');
  if (!isInRegionScope(agency.regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '该核对机构不在您的数据范围内', { scopeAgencyId: agency.id });
}

/** Requesters of the agency's region, with the roster standing for the month (or the latest before it). */
async function rosterItems(
  deps: Deps,
  agency: OrganisationRecord,
  month: string,
  at: string,
  mode: RecheckMode,
) {
  const items: (Omit<RecheckItemRow, 'id' | 'assessmentId' | 'summaryEnc' | 'errorCode' | 'runId'> & {
    summaryEnc?: string | null;
  })[] = [];
  const requesters = (await deps.store.organisations.list(agency.regionCode)).filter(
    (o) => o.kind === 'requester' && o.active,
  );
  for (const requester of requesters.sort((a, b) => a.id - b.id)) {
    const version =
      (await deps.store.rosters.currentVersion(requester.id, month)) ??
      (await deps.store.rosters.previousVersion(requester.id, month));
    if (!version) continue;
    // Change-driven: one read each of the requester's waiting marks and its families' latest results.
    const marked =
      mode === 'changed' ? await deps.store.recheckMarks.markedFamilies(requester.id) : new Set();
    const latest =
      mode === 'changed' ? await deps.store.recheckMarks.latestResults(requester.id, month, 0) : new Map();
    for (let offset = 0; ; offset += PAGE) {
      const families = await deps.store.rosters.families(version.id, offset, PAGE);
      for (const family of families) {
        const previous = latest.get(family.familyKey);
        const reason = recheckReason(
          mode,
          {
            marked: marked.has(family.familyKey),
            latestMonth: previous?.month ?? null,
            hasSummary: previous?.summaryEnc != null,
          },
          month,
        );
        items.push({
          rosterFamilyId: family.id,
          requesterOrganisationId: requester.id,
          familyKey: family.familyKey,
          // A family not queried for want of its authorization is skipped whatever the mode (先授权、后核对).
          status: !family.authorizationOnFile ? 'skipped' : reason === null ? 'carried' : 'pending',
          // A carried family keeps its previous result as this month's summary: the next comparison still works.
          ...(family.authorizationOnFile && reason === null
            ? { summaryEnc: previous?.summaryEnc ?? null }
            : {}),
          changes: [],
          updatedAt: at,
        });
      }
      if (families.length < PAGE) break;
    }
  }
  return items;
}

interface Lease {
  run: RecheckRunRow;
  token: string;
  resumed: boolean;
}

async function acquire(
  deps: Deps,
  input: RecheckInput,
  agency: OrganisationRecord,
  actor: Actor,
): Promise<Lease> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const until = new Date(now.getTime() + RECHECK_LEASE_MS).toISOString();
  const token = randomUUID();
  const latest = await deps.store.rechecks.latestRun(input.month, agency.id);
  const running = () =>
    new AppError(
      'RECHECK_RUNNING',
      `${agency.name} ${input.month} 的每月复核正在进行中，请等待其完成后再启动`,
      {
        month: input.month,
        scopeAgencyId: agency.id,
        runId: latest?.id ?? null,
      },
    );
  if (latest?.state === 'running' && latest.leaseUntil > at) throw running();
  if (latest && latest.state !== 'done') {
    // A crashed run (lease ended) or a failed one: take it over and go on where it stopped.
    return deps.store.transaction(async (tx) => {
      if (!(await tx.rechecks.takeOver(latest.id, latest, { token, until }))) throw running();
      await tx.audit.append(
        actor,
        {
          action: 'RECHECK_RESUMED',
          outcome: 'success',
          objectType: 'recheck_run',
          objectId: String(latest.id),
          caseId: recheckCaseRef(latest.id),
          details: {
            month: input.month,
            scopeAgencyId: agency.id,
            previousState: latest.state,
            done: latest.doneCount,
          },
        },
        at,
      );
      return {
        run: { ...latest, state: 'running', leaseToken: token, leaseUntil: until },
        token,
        resumed: true,
      };
    });
  }
  const mode = input.mode ?? 'full';
  const items = await rosterItems(deps, agency, input.month, at, mode);
  return deps.store.transaction(async (tx) => {
    const run = await tx.rechecks.createRun({
      month: input.month,
      scopeOrganisationId: agency.id,
      state: 'running',
      startedAt: at,
      startedBy: actor.userId,
      startedByName: actor.name,
      leaseUntil: until,
      leaseToken: token,
      mode,
    });
    await tx.rechecks.addItems(items.map((item) => ({ ...item, runId: run.id })));
    const skipped = items.filter((item) => item.status === 'skipped').length;
    const carried = items.filter((item) => item.status === 'carried').length;
    await tx.rechecks.heartbeat(run.id, token, until, {
      familyCount: items.length,
      skippedCount: skipped,
      carriedCount: carried,
    });
    await tx.audit.append(
      actor,
      {
        action: 'RECHECK_STARTED',
        outcome: 'success',
        objectType: 'recheck_run',
        objectId: String(run.id),
        caseId: recheckCaseRef(run.id),
        details: {
          month: input.month,
          scopeAgencyId: agency.id,
          families: items.length,
          skipped,
          mode,
          carried,
        },
      },
      at,
    );
    return { run, token, resumed: false };
  });
}

function lostLease(runId: number): AppError {
  return new AppError('RECHECK_RUNNING', '本次复核的租约已被其他进程接管，当前进程停止', { runId });
}

/** A family of a page, read before the page's records: its roster entry, its open marks, its previous result. */
interface PreparedFamily {
  item: RecheckItemRow;
  /** Why it cannot be assessed (thrown at its turn, so items are still handled in order). */
  error?: unknown;
  family?: RosterFamilyRow;
  markIds?: number[];
  personKeys?: string[];
  previousSummary?: RecheckSummary | null;
  input?: HouseholdRequestInput;
  /** Person and birth keys of the parsed members: what the page's records are read for. */
  keys?: { person: string[]; birth: string[] };
}

/** What a page's families need before their records are read: three reads per requester of the page. */
async function pageReads(deps: Deps, lease: Lease, items: readonly RecheckItemRow[]) {
  const { run } = lease;
  const families = new Map(
    (await deps.store.rechecks.rosterFamilies(items.map((item) => item.rosterFamilyId))).map((f) => [
      f.id,
      f,
    ]),
  );
  const byRequester = new Map<number, string[]>();
  for (const item of items) {
    const keys = byRequester.get(item.requesterOrganisationId) ?? [];
    keys.push(item.familyKey);
    byRequester.set(item.requesterOrganisationId, keys);
  }
  const marks = new Map<number, Map<string, number[]>>();
  const previous = new Map<number, Map<string, string | null>>();
  for (const [requesterId, keys] of byRequester) {
    // Read before the page's data: a batch committed after this read keeps its mark for the next run.
    marks.set(requesterId, await deps.store.recheckMarks.openMarkIdsOf(requesterId, keys));
    previous.set(
      requesterId,
      await deps.store.rechecks.previousSummaries(requesterId, keys, run.month, run.id),
    );
  }
  return {
    family: (item: RecheckItemRow) => families.get(item.rosterFamilyId),
    markIds: (item: RecheckItemRow) => marks.get(item.requesterOrganisationId)?.get(item.familyKey) ?? [],
    previousSummaryEnc: (item: RecheckItemRow) =>
      previous.get(item.requesterOrganisationId)?.get(item.familyKey) ?? null,
  };
}

function prepareFamily(
  deps: Deps,
  lease: Lease,
  item: RecheckItemRow,
  reads: Awaited<ReturnType<typeof pageReads>>,
  today: string,
): PreparedFamily {
  const { run } = lease;
  const prepared: PreparedFamily = { item };
  try {
    const family = reads.family(item);
    if (!family) throw new AppError('NOT_FOUND', '名册家庭不存在', { rosterFamilyId: item.rosterFamilyId });
    prepared.family = family;
    prepared.markIds = reads.markIds(item);
    const members = JSON.parse(deps.crypto.decrypt(family.membersEnc)) as RosterMember[];
    prepared.personKeys = members.map((m) => deps.crypto.blindIndex(m.idNumber));
    const previousEnc = reads.previousSummaryEnc(item);
    prepared.previousSummary =
      previousEnc != null ? (JSON.parse(deps.crypto.decrypt(previousEnc)) as RecheckSummary) : null;
    prepared.input = {
      caseRef: recheckCaseRef(run.id),
      regionCode: family.regionCode,
      assistanceType: family.assistanceType as AssistanceType,
      members: members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
    };
    // 先授权、后核对: only a family with its authorization on file has its records read (the engine refuses the
    // others before any read).
    if (family.authorizationOnFile) {
      const request = parseRequestOrThrow(prepared.input, today);
      prepared.keys = {
        person: request.members.map((m) => deps.crypto.blindIndex(m.idNumber)),
        birth: request.members.map((m) => deps.crypto.blindIndex(m.birthDate, BIRTH_KEY_PURPOSE)),
      };
    }
  } catch (e) {
    prepared.error = e;
  }
  return prepared;
}

/**
 * A page of families (issue #7): read first (roster entries, then open marks and previous results: one read each
 * per requester of the page), then the records of all their members in one read (gather-records.ts
 * `prefetchRecords`) with the batches, regions and policy versions standing at that moment, then each family
 * assessed, compared and stored in its own transaction, in order: the family stays the unit a crash may redo.
 */
async function recheckPage(
  deps: Deps,
  lease: Lease,
  items: readonly RecheckItemRow[],
  actor: Actor,
  afterEach: () => Promise<void>,
): Promise<void> {
  const today = shanghaiDateOf(deps.clock.now());
  const reads = await pageReads(deps, lease, items);
  const prepared = items.map((item) => prepareFamily(deps, lease, item, reads, today));
  const ready = prepared.filter((p) => p.keys !== undefined);
  const shared: SharedReads | undefined =
    ready.length === 0
      ? undefined
      : {
          ...memoisedPolicyReads(deps),
          prefetched: await prefetchRecords(deps, {
            personKeys: ready.flatMap((p) => p.keys?.person ?? []),
            birthKeys: ready.flatMap((p) => p.keys?.birth ?? []),
            caseRef: recheckCaseRef(lease.run.id),
            scope: { kind: 'standing', at: null },
          }),
        };
  for (const family of prepared) {
    await recheckFamily(deps, lease, family, actor, shared);
    await afterEach();
  }
}

/** One family: assessed, compared, stored with its alerts and the heartbeat, in one transaction. */
async function recheckFamily(
  deps: Deps,
  lease: Lease,
  prepared: PreparedFamily,
  actor: Actor,
  shared: SharedReads | undefined,
): Promise<'done' | 'failed'> {
  const { run, token } = lease;
  const { item } = prepared;
  const wasFailed = item.status === 'failed';
  try {
    if (prepared.error !== undefined) throw prepared.error;
    const family = prepared.family as RosterFamilyRow;
    const markIds = prepared.markIds ?? [];
    const personKeys = prepared.personKeys ?? [];
    const previousSummary = prepared.previousSummary ?? null;
    await assessRosterFamily(
      deps,
      prepared.input as HouseholdRequestInput,
      actor,
      {
        kind: 'recheck',
        runId: run.id,
        rosterFamilyId: family.id,
        authorizationOnFile: family.authorizationOnFile,
        personKeys,
        async record(tx, { row, result, policy }) {
          const summary = summarizeAssessment({
            assessment: result.assessment,
            civilStatus: result.civilStatus,
            personKeys: new Map(result.members.map((m, i) => [m.memberId, personKeys[i] ?? m.memberId])),
            toleranceFen: policy.toleranceFen,
          });
          const changes = detectChanges(previousSummary, summary);
          const at = deps.clock.now().toISOString();
          await tx.rechecks.updateItem(item.id, {
            status: 'done',
            assessmentId: row.id,
            summaryEnc: deps.crypto.encrypt(JSON.stringify(summary)),
            changes: [...new Set(changes.map((c) => c.kind))],
            errorCode: null,
            updatedAt: at,
          });
          await tx.rechecks.addAlerts(changes.map((change) => alertRow(deps, run.id, item, change, at)));
          await tx.recheckMarks.consume(markIds, run.id);
          const beat = await tx.rechecks.heartbeat(run.id, token, leaseUntil(deps), {
            doneCount: 1,
            failedCount: wasFailed ? -1 : 0,
            changedCount: changes.length > 0 ? 1 : 0,
          });
          if (!beat) throw lostLease(run.id);
        },
      },
      // A family refused before any read (no authorization) never had its records read with the page.
      prepared.keys !== undefined ? shared : undefined,
    );
    return 'done';
  } catch (e) {
    if (!(e instanceof AppError) || e.code === 'RECHECK_RUNNING') throw e;
    // The family's own problem (a member's ID number, a region): recorded, the run goes on.
    await deps.store.transaction(async (tx) => {
      await tx.rechecks.updateItem(item.id, {
        status: 'failed',
        errorCode: e.code,
        updatedAt: deps.clock.now().toISOString(),
      });
      if (!(await tx.rechecks.heartbeat(run.id, token, leaseUntil(deps), { failedCount: wasFailed ? 0 : 1 })))
        throw lostLease(run.id);
    });
    return 'failed';
  }
}

function leaseUntil(deps: Deps): string {
  return new Date(deps.clock.now().getTime() + RECHECK_LEASE_MS).toISOString();
}

function alertRow(deps: Deps, runId: number, item: RecheckItemRow, change: ChangeEvidence, at: string) {
  return {
    runId,
    itemId: item.id,
    requesterOrganisationId: item.requesterOrganisationId,
    familyKey: item.familyKey,
    kind: change.kind,
    evidenceEnc: deps.crypto.encrypt(JSON.stringify(change)),
    state: 'open' as const,
    caseId: null,
    reason: null,
    workedBy: null,
    workedByName: null,
    workedAt: null,
    createdAt: at,
  };
}

async function finish(
  deps: Deps,
  lease: Lease,
  agency: OrganisationRecord,
  actor: Actor,
  assessedNow: number,
): Promise<RecheckRunSummary> {
  const { run, token } = lease;
  const counts = await deps.store.rechecks.countItems(run.id);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    if (
      !(await tx.rechecks.finishRun(run.id, token, {
        state: 'done',
        finishedAt: at,
        errorCode: null,
        counts,
      }))
    )
      throw lostLease(run.id);
    await tx.audit.append(
      actor,
      {
        action: 'RECHECK_FINISHED',
        outcome: 'success',
        objectType: 'recheck_run',
        objectId: String(run.id),
        caseId: recheckCaseRef(run.id),
        details: { month: run.month, scopeAgencyId: agency.id, ...counts, assessedNow },
      },
      at,
    );
  });
  return {
    runId: run.id,
    month: run.month,
    scope: { organisationId: agency.id, name: agency.name, regionCode: agency.regionCode },
    state: 'done',
    mode: run.mode,
    resumed: lease.resumed,
    counts,
    assessedNow,
    alertsByKind: await deps.store.rechecks.alertCounts(run.id),
    startedAt: run.startedAt,
    finishedAt: at,
    notice: RECHECK_NOTICE,
  };
}

async function markFailed(deps: Deps, lease: Lease, actor: Actor, error: unknown): Promise<void> {
  const code = error instanceof AppError ? error.code : 'INTERNAL_ERROR';
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    if (
      !(await tx.rechecks.finishRun(lease.run.id, lease.token, {
        state: 'failed',
        finishedAt: at,
        errorCode: code,
        counts: null,
      }))
    )
      return;
    await tx.audit.append(
      actor,
      {
        action: 'RECHECK_FAILED',
        outcome: 'failure',
        objectType: 'recheck_run',
        objectId: String(lease.run.id),
        caseId: recheckCaseRef(lease.run.id),
        details: { month: lease.run.month, errorCode: code },
      },
      at,
    );
  });
}

/** Starts (or resumes) the recheck of a month for an agency's scope and runs it to the end. */
export async function startRecheck(
  deps: Deps,
  input: RecheckInput,
  actor: Actor,
  options: RecheckOptions = {},
): Promise<RecheckRunSummary> {
  const agency = await recheckScopeAgency(deps, input.scopeAgencyId);
  checkStart(deps, input, agency, actor);
  const lease = await acquire(deps, input, agency, actor);
  let handled = 0;
  try {
    for (let afterId = 0; ; ) {
      const items = await deps.store.rechecks.itemsToDo(lease.run.id, afterId, PAGE);
      afterId = items.at(-1)?.id ?? afterId;
      await recheckPage(deps, lease, items, actor, async () => {
        handled += 1;
        await options.afterFamily?.(handled);
      });
      if (items.length < PAGE) break;
    }
  } catch (e) {
    // A crash leaves the run as it is (its lease runs out); any other failure ends it as failed, resumable.
    if (!(e instanceof RecheckInterrupted)) await markFailed(deps, lease, actor, e);
    throw e;
  }
  return finish(deps, lease, agency, actor, handled);
}

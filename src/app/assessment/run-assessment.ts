import { isInRegionScope } from '../../domain/access/scope.ts';
import { assessCivilStatus, type CivilStatusAssessment } from '../../domain/assessment/civil-status.ts';
import { compareWithDeclaration, type Discrepancy } from '../../domain/assessment/discrepancies.ts';
import { assessHousehold } from '../../domain/assessment/household.ts';
import {
  type HouseholdRequest,
  type HouseholdRequestInput,
  parseHouseholdRequest,
} from '../../domain/assessment/household-request.ts';
import { countBySeverity } from '../../domain/assessment/result.ts';
import type { HouseholdAssessment, Policy } from '../../domain/assessment/types.ts';
import { maskIdNumber } from '../../domain/identity/id-number.ts';
import type { PossibleMatch, RecordLink } from '../../domain/matching/household.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { requireOpenCase } from '../cases/case-purpose.ts';
import { resolvePolicy } from '../policy/policy-profiles.ts';
import type { Actor, AssessmentMode, AssessmentRow, CaseRow, Deps, Repositories } from '../ports.ts';
import { fetchQueryInterfaceRecords, type QuerySourceOutcome } from '../query-interface/fetch-for-case.ts';
import { queueUnavailableRetry } from '../query-interface/retry-unavailable.ts';
import { type BatchScope, gatherRecords, type ProposedRecord } from './gather-records.ts';
import type { SharedReads } from './shared-reads.ts';
import { decryptInput, decryptResult } from './stored-assessment.ts';

/**
 * Runs the engine for one household of one case (SPEC §3–4): finds every record of every member in the batches
 * standing at the as-of date (or exactly those an earlier result used), computes the figures with the policy
 * profile in effect, compares them with the declaration, and stores the result with the batches it used and
 * the policy version, audited with its case. Facts only: nothing here decides eligibility (Q§3).
 */

export const VERIFY_ONLY_NOTICE =
  '本结果仅陈述从各部门数据中核对到的事实及其来源，不作是否给予救助的认定；是否给予救助由救助管理部门依法决定（只核对、不认定）。';

export interface SourceBatch {
  id: number;
  dataset: string;
  departmentCode: string;
  period: string;
  dataAsOf: string;
  source: string;
  status: string;
}

export interface MemberView {
  memberId: string;
  name: string;
  idNumberMasked: string;
  relation: string;
  coResiding: boolean;
  exclusion: string | null;
}

export interface PossibleMatchView extends PossibleMatch {
  record: ProposedRecord;
}

export interface StoredResult {
  members: MemberView[];
  assessment: HouseholdAssessment;
  /** Null when the request carried no declaration (nothing to compare). */
  discrepancies: Discrepancy[] | null;
  /** Civil-status facts (hukou, marriage, death, disability) and the contradictions among them. */
  civilStatus: CivilStatusAssessment;
  links: RecordLink[];
  possibleMatches: PossibleMatchView[];
  /**
   * The batches the figures rest on, and the departments' query interfaces called for this run: an
   * `unavailable` interface means that source is missing or incomplete in this result, never that it found
   * nothing. Empty when no interface is configured or the run read earlier data (an as-of date before today,
   * or the batches of an earlier result).
   */
  sources: { batches: SourceBatch[]; queryInterfaces: QuerySourceOutcome[] };
  policy: {
    label: string;
    versionId: number | null;
    source: 'profile' | 'default';
    regionCode: string | null;
  };
  notice: string;
}

export interface AssessmentView extends Omit<AssessmentRow, 'inputEnc' | 'resultEnc'> {
  result: StoredResult;
}

function checkScope(actor: Actor, regionCode: string): void {
  if (!isInRegionScope(regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '该区划不在您的数据范围内', { regionCode });
}

/** The end of a Shanghai calendar day as a UTC instant: batches created by then stood on that day. */
export function endOfShanghaiDay(date: string): string {
  const next = new Date(`${date}T00:00:00+08:00`);
  next.setUTCDate(next.getUTCDate() + 1);
  return new Date(next.getTime() - 1).toISOString();
}

function declarationGiven(request: HouseholdRequest): boolean {
  return request.declaration.members.length > 0 || request.declaration.assets !== undefined;
}

export function parseRequestOrThrow(input: unknown, today: string): HouseholdRequest {
  const parsed = parseHouseholdRequest(input, today);
  if (!parsed.ok)
    throw new AppError('VALIDATION_FAILED', `家庭信息有 ${parsed.problems.length} 处错误`, {
      errors: parsed.problems,
    });
  return parsed.request;
}

/**
 * Whom a run serves (purpose binding, Q§3 无委托、不核对): an accepted case, checked by `requireOpenCase` (every
 * HTTP and command-line assessment), or one roster family of a monthly recheck run, whose authorization must be
 * on file and whose members are exactly the persons queried. Only the recheck use case (src/app/recheck) builds
 * the second; `POST /api/assessments` cannot reach it.
 */
export type AssessmentPurpose =
  | { kind: 'case' }
  | {
      kind: 'recheck';
      runId: number;
      rosterFamilyId: number;
      authorizationOnFile: boolean;
      /** Blind indexes of the family's members' ID numbers. */
      personKeys: readonly string[];
      /** Runs inside the assessment's transaction: what the recheck stores commits with the result or not at all. */
      record(
        tx: Repositories,
        stored: { row: AssessmentRow; result: StoredResult; policy: Policy },
      ): Promise<void>;
    };

/** The case reference a recheck run's assessments and audit entries carry (no case has such a number). */
export function recheckCaseRef(runId: number): string {
  return `RECHECK-${runId}`;
}

interface ComputeOptions {
  scope: BatchScope;
  /** Call the configured query interfaces first (a run on the data standing now). */
  queryInterfaces: boolean;
  mode: AssessmentMode;
  rerunOf: number | null;
  purpose: AssessmentPurpose;
  /** Reads shared with the other families of a recheck page (regions, policy, records). */
  shared?: SharedReads;
}

async function requirePurpose(
  deps: Deps,
  request: HouseholdRequest,
  actor: Actor,
  purpose: AssessmentPurpose,
): Promise<CaseRow | null> {
  if (purpose.kind === 'case') {
    // 无委托、不核对: the case must be accepted, authorized, and the caller in its work group.
    const kase = await requireOpenCase(
      deps,
      request.caseRef,
      request.members.map((member) => member.idNumber),
      actor,
    );
    if (!isInRegionScope(kase.regionCode, request.regionCode))
      throw new AppError(
        'VALIDATION_FAILED',
        `区划 ${request.regionCode} 与案件 ${kase.number} 的区划 ${kase.regionCode} 不符`,
        { caseRef: request.caseRef },
      );
    return kase;
  }
  // 先授权、后核对: a roster family is queried only with its authorization on file, and only its own members.
  if (!purpose.authorizationOnFile)
    throw new AppError('PERMISSION_DENIED', '该家庭的授权书未在案，不能查询其数据（先授权、后核对）', {
      code: 'NO_AUTHORIZATION',
      rosterFamilyId: purpose.rosterFamilyId,
    });
  const family = new Set(purpose.personKeys);
  if (
    request.caseRef !== recheckCaseRef(purpose.runId) ||
    !request.members.every((member) => family.has(deps.crypto.blindIndex(member.idNumber)))
  )
    throw new AppError('PERMISSION_DENIED', '只能查询名册中该家庭成员的数据', {
      code: 'MEMBER_NOT_IN_FAMILY',
      rosterFamilyId: purpose.rosterFamilyId,
    });
  return null;
}

async function compute(
  deps: Deps,
  request: HouseholdRequest,
  rawInput: HouseholdRequestInput,
  actor: Actor,
  options: ComputeOptions,
): Promise<AssessmentView> {
  const kase = await requirePurpose(deps, request, actor, options.purpose);
  const region = await (options.shared?.region(request.regionCode) ??
    deps.store.regions.get(request.regionCode));
  if (!region)
    throw new AppError('INVALID_REGION', `区划代码 ${request.regionCode} 不存在`, {
      regionCode: request.regionCode,
    });
  const resolved = await (options.shared?.policy(
    request.regionCode,
    request.assistanceType,
    request.asOfDate,
  ) ?? resolvePolicy(deps.store, request.regionCode, request.assistanceType, request.asOfDate));
  const queried = options.queryInterfaces
    ? await fetchQueryInterfaceRecords(
        deps,
        {
          caseRef: request.caseRef,
          members: request.members.map(({ idNumber, name }) => ({ idNumber, name })),
        },
        actor,
      )
    : { batchIds: [], sources: [] };
  const gathered = await gatherRecords(deps, {
    members: request.members,
    caseRef: request.caseRef,
    scope: options.scope,
    ...(options.shared ? { prefetched: options.shared.prefetched } : {}),
  });
  const assessment = assessHousehold({
    members: request.members.map(({ memberId, name, relation, coResiding, exclusion }) => ({
      memberId,
      name,
      relation,
      coResiding,
      exclusion,
    })),
    recordsByMember: gathered.recordsByMember,
    asOfMonth: request.windowEndMonth,
    asOfDate: request.asOfDate,
    policy: resolved.policy,
  });
  const discrepancies = declarationGiven(request)
    ? compareWithDeclaration(assessment, request.declaration, resolved.policy)
    : null;
  const civilStatus = assessCivilStatus({
    members: request.members.map(({ memberId, name, relation, coResiding, exclusion, idNumber }) => ({
      memberId,
      name,
      relation,
      coResiding,
      exclusion,
      personKey: deps.crypto.blindIndex(idNumber),
    })),
    recordsByMember: gathered.recordsByMember,
    asOfDate: request.asOfDate,
  });
  const batches = [...gathered.batches.values()].sort((a, b) => a.id - b.id);
  const result: StoredResult = {
    members: request.members.map((member) => ({
      memberId: member.memberId,
      name: member.name,
      idNumberMasked: maskIdNumber(member.idNumber),
      relation: member.relation,
      coResiding: member.coResiding,
      exclusion: member.exclusion,
    })),
    assessment,
    discrepancies,
    civilStatus,
    links: gathered.matching.links,
    possibleMatches: gathered.matching.possible.flatMap((possible) => {
      const record = gathered.proposed.get(possible.recordId);
      return record === undefined ? [] : [{ ...possible, record }];
    }),
    sources: {
      batches: batches.map(({ id, dataset, departmentCode, period, dataAsOf, source, status }) => ({
        id,
        dataset,
        departmentCode,
        period,
        dataAsOf,
        source,
        status,
      })),
      queryInterfaces: queried.sources,
    },
    policy: {
      label: resolved.policy.version,
      versionId: resolved.version?.id ?? null,
      source: resolved.source,
      regionCode: resolved.regionCode,
    },
    notice: VERIFY_ONLY_NOTICE,
  };
  const severities = countBySeverity(discrepancies ?? []);
  const summary: Record<string, number> = {
    membersCounted: assessment.household.membersCounted,
    records: [...gathered.recordsByMember.values()].reduce((sum, list) => sum + list.length, 0),
    nameMismatches: gathered.matching.links.filter((link) => link.flag !== null).length,
    possibleMatches: gathered.matching.possible.filter((possible) => possible.status === 'pending').length,
    discrepancies: discrepancies?.length ?? 0,
    contradictions: civilStatus.contradictions.length,
    unavailableSources: queried.sources.filter((source) => source.status === 'unavailable').length,
    serious: severities.serious,
    warning: severities.warning,
  };
  const at = deps.clock.now().toISOString();
  const row = await deps.store.transaction(async (tx) => {
    const created = await tx.assessments.create({
      caseRef: request.caseRef,
      regionCode: request.regionCode,
      assistanceType: request.assistanceType,
      policyVersionId: resolved.version?.id ?? null,
      policyLabel: resolved.policy.version,
      asOfDate: request.asOfDate,
      mode: options.mode,
      rerunOf: options.rerunOf,
      batchIds: batches.map((batch) => batch.id),
      memberCount: request.members.length,
      summary,
      inputEnc: deps.crypto.encrypt(JSON.stringify(rawInput)),
      resultEnc: deps.crypto.encrypt(JSON.stringify(result)),
      organisationId: actor.organisationId,
      createdAt: at,
      createdBy: actor.userId,
      createdByName: actor.name,
    });
    if (kase === null && options.purpose.kind === 'recheck')
      await options.purpose.record(tx, { row: created, result, policy: resolved.policy });
    else if (
      kase !== null &&
      !(await tx.cases.update(kase.id, kase.revision, { assessmentId: created.id, updatedAt: at }))
    )
      throw new AppError('CONFLICT', '案件已被他人更新，请重新核对', { caseRef: kase.number });
    await tx.audit.append(
      actor,
      {
        action: 'ASSESSMENT_RUN',
        outcome: 'success',
        objectType: 'assessment',
        objectId: String(created.id),
        caseId: request.caseRef,
        details: {
          members: request.members.length,
          asOfDate: request.asOfDate,
          policy: resolved.policy.version,
          mode: options.mode,
          rerunOf: options.rerunOf,
          batches: batches.length,
          ...(options.purpose.kind === 'recheck'
            ? {
                purpose: 'recheck',
                runId: options.purpose.runId,
                rosterFamilyId: options.purpose.rosterFamilyId,
              }
            : {}),
        },
      },
      at,
    );
    return created;
  });
  await queueUnavailableRetry(deps, row.id, queried.sources);
  const { inputEnc: _input, resultEnc: _result, ...meta } = row;
  return { ...meta, result };
}

/** A new assessment: the batches standing at the as-of date (now, when the as-of date is today). */
export async function runAssessment(deps: Deps, input: unknown, actor: Actor): Promise<AssessmentView> {
  const today = shanghaiDateOf(deps.clock.now());
  const request = parseRequestOrThrow(input, today);
  checkScope(actor, request.regionCode);
  const at = request.asOfDate === today ? null : endOfShanghaiDay(request.asOfDate);
  return compute(deps, request, input as HouseholdRequestInput, actor, {
    scope: { kind: 'standing', at },
    queryInterfaces: at === null,
    mode: 'standing',
    rerunOf: null,
    purpose: { kind: 'case' },
  });
}

/**
 * One roster family of a recheck run, on the batches standing now (query interfaces are bound to a case and
 * are not called). Reached only from src/app/recheck/run-recheck.ts.
 */
export async function assessRosterFamily(
  deps: Deps,
  input: HouseholdRequestInput,
  actor: Actor,
  purpose: Extract<AssessmentPurpose, { kind: 'recheck' }>,
  shared?: SharedReads,
): Promise<AssessmentView> {
  const request = parseRequestOrThrow(input, shanghaiDateOf(deps.clock.now()));
  return compute(deps, request, input, actor, {
    scope: { kind: 'standing', at: null },
    queryInterfaces: false,
    mode: 'standing',
    rerunOf: null,
    purpose,
    ...(shared ? { shared } : {}),
  });
}

async function storedInScope(deps: Deps, id: number, actor: Actor): Promise<AssessmentRow> {
  const row = await deps.store.assessments.get(id);
  if (!row || !isInRegionScope(row.regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '核对结果不存在或不在您的数据范围内', { assessmentId: id });
  return row;
}

/** One stored result, audited as a look at personal data of its case. */
export async function getAssessment(deps: Deps, id: number, actor: Actor): Promise<AssessmentView> {
  const row = await storedInScope(deps, id, actor);
  await deps.store.audit.append(
    actor,
    {
      action: 'ASSESSMENT_VIEWED',
      outcome: 'success',
      objectType: 'assessment',
      objectId: String(id),
      caseId: row.caseRef,
    },
    deps.clock.now().toISOString(),
  );
  const { inputEnc: _input, resultEnc: _result, ...meta } = row;
  return { ...meta, result: decryptResult(deps, row) };
}

export async function listAssessments(
  deps: Deps,
  filter: { caseRef?: string; offset: number; limit: number },
  actor: Actor,
) {
  const { items, total } = await deps.store.assessments.list({ ...filter, regionScope: actor.regionCode });
  return {
    total,
    items: items.map(({ inputEnc: _input, resultEnc: _result, ...meta }) => meta),
  };
}

/**
 * Re-runs a stored assessment with its own input: `recorded` reads exactly the batches it used (the same
 * figures, unless a possible match was decided since), `standing` reads the batches standing now with the same
 * as-of date and window, showing what newer data changed.
 */
export async function rerunAssessment(
  deps: Deps,
  id: number,
  mode: AssessmentMode,
  actor: Actor,
): Promise<AssessmentView> {
  const original = await storedInScope(deps, id, actor);
  const rawInput = decryptInput(deps, original);
  const request = parseRequestOrThrow(
    { ...rawInput, asOfDate: original.asOfDate },
    shanghaiDateOf(deps.clock.now()),
  );
  checkScope(actor, request.regionCode);
  const scope: BatchScope =
    mode === 'recorded' ? { kind: 'recorded', batchIds: original.batchIds } : { kind: 'standing', at: null };
  return compute(deps, request, rawInput, actor, {
    scope,
    queryInterfaces: mode === 'standing',
    mode,
    rerunOf: original.id,
    purpose: { kind: 'case' },
  });
}

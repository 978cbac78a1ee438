import type { WorkdayCalendar } from '../../domain/calendar/working-days.ts';
import { workdaysLeft } from '../../domain/cases/deadlines.ts';
import {
  checkFindings,
  ESCALATION_CASE_STATES,
  ESCALATION_STATE_LABELS,
  type EscalationFinding,
  type EscalationRequestBody,
  type EscalationState,
  type EscalationStep,
  MAX_ESCALATION_ITEMS,
  PENDING_ESCALATION_STATES,
} from '../../domain/cases/escalation.ts';
import { CASE_STATE_LABELS, type CaseState, checkReviewer } from '../../domain/cases/workflow.ts';
import { maskIdNumber } from '../../domain/identity/id-number.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import type { Actor, CaseRow, Deps, OrganisationRecord, Repositories } from '../ports.ts';
import { recordCaseEvent } from '../webhooks/outbox.ts';
import { caseForActor, caseForSteps, isAgencyActor, stepActorOf } from './case-access.ts';
import { decryptHousehold, maskName } from './case-view.ts';
import type { EscalationRow } from './escalation.port.ts';

/**
 * Sub-requests to the agency above (庆阳细则第六条, issue #5 item 7). The case's handler names what the county
 * cannot verify (members, cross-region data items, a reason); the case's reviewer — never the proposer —
 * approves it, and it goes to the parent agency of the handler's agency; that agency's staff see only the
 * items and members named, and answer each item with its finding and its source (department, dataset, the
 * date the data stand at). The findings come back into the case for its work group; the requester never sees
 * a sub-request's content. The case's own state never moves: a sub-request lives beside it.
 */

const STEP_ACTION = {
  escalate: 'CASE_ESCALATION_PROPOSED',
  approve_escalation: 'CASE_ESCALATION_DECIDED',
  reject_escalation: 'CASE_ESCALATION_DECIDED',
  answer_escalation: 'CASE_ESCALATION_ANSWERED',
} as const satisfies Record<EscalationStep, string>;

function refuse(code: string, message: string, details: Record<string, unknown> = {}): never {
  throw new AppError('PERMISSION_DENIED', message, { code, ...details });
}

function written(text: string | undefined, what: string): string {
  const trimmed = (text ?? '').trim();
  if (trimmed.length < 2) throw new AppError('VALIDATION_FAILED', `请写明${what}`);
  return trimmed;
}

function requireCaseState(kase: CaseRow): void {
  if (!ESCALATION_CASE_STATES.includes(kase.state as CaseState))
    refuse(
      'WRONG_STATE',
      `案件当前状态为「${CASE_STATE_LABELS[kase.state as CaseState] ?? kase.state}」，只有核对中或复核中的案件可以提请上级协助核对`,
      { caseId: kase.id },
    );
}

/** The nearest agency above an organisation (organisation.parent_id chain), if any. */
async function parentAgency(
  repos: Repositories,
  organisationId: number,
): Promise<OrganisationRecord | undefined> {
  const seen = new Set<number>([organisationId]);
  let current = await repos.organisations.get(organisationId);
  while (current?.parentId != null && !seen.has(current.parentId)) {
    seen.add(current.parentId);
    current = await repos.organisations.get(current.parentId);
    if (current?.kind === 'agency' && current.active) return current;
  }
  return undefined;
}

function decryptRequest(deps: Deps, row: EscalationRow): EscalationRequestBody {
  return JSON.parse(deps.crypto.decrypt(row.itemsEnc)) as EscalationRequestBody;
}

function decryptFindings(deps: Deps, row: EscalationRow): EscalationFinding[] {
  return row.findingsEnc === null
    ? []
    : (JSON.parse(deps.crypto.decrypt(row.findingsEnc)) as EscalationFinding[]);
}

/** A sub-request step in the case's history and the audit log, in the caller's transaction. */
async function record(
  tx: Repositories,
  input: {
    kase: CaseRow;
    escalation: EscalationRow;
    step: EscalationStep;
    actor: Actor;
    at: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const { kase, escalation, step, actor, at } = input;
  // The history is shown to the requester too: it names the sub-request, never its content.
  const decision = step === 'approve_escalation' || step === 'reject_escalation';
  const eventDetails = {
    escalationId: escalation.id,
    ...(decision ? { approved: step === 'approve_escalation' } : {}),
  };
  await recordCaseEvent(tx, kase, {
    at,
    actorId: actor.userId,
    actorName: actor.name,
    step,
    fromState: kase.state,
    toState: kase.state,
    details: eventDetails,
  });
  await tx.audit.append(
    actor,
    {
      action: STEP_ACTION[step],
      outcome: 'success',
      objectType: 'case_escalation',
      objectId: String(escalation.id),
      caseId: kase.number,
      details: {
        step,
        escalationId: escalation.id,
        targetOrganisationId: escalation.targetOrganisationId,
        itemCount: escalation.itemCount,
        ...input.details,
      },
    },
    at,
  );
}

async function changeEscalation(
  tx: Repositories,
  row: EscalationRow,
  patch: Partial<Omit<EscalationRow, 'id' | 'caseId' | 'revision'>>,
): Promise<EscalationRow> {
  if (!(await tx.escalations.update(row.id, row.revision, patch)))
    throw new AppError('CONFLICT', '子请求已被他人处理，请刷新后重试', { escalationId: row.id });
  return { ...row, ...patch, revision: row.revision + 1 };
}

export interface ProposeEscalationInput {
  reason: string;
  items: { memberIndex: number; dataItem: string }[];
}

/** The case's handler proposes a sub-request to the agency above, for the reviewer to approve. */
export async function proposeEscalation(
  deps: Deps,
  caseId: number,
  input: ProposeEscalationInput,
  actor: Actor,
): Promise<EscalationRow> {
  const kase = await caseForActor(deps.store, caseId, actor);
  requireCaseState(kase);
  if (!isAgencyActor(actor) || kase.handlerId !== actor.userId || actor.organisationId === null)
    refuse('NOT_HANDLER', '只有本案经办人可以提请上级协助核对', { caseId });
  const reason = written(input.reason, '提请上级协助核对的理由（本级无法核对的原因）');
  if (input.items.length === 0 || input.items.length > MAX_ESCALATION_ITEMS)
    throw new AppError(
      'VALIDATION_FAILED',
      `请列出需要上级协助核对的事项（1 至 ${MAX_ESCALATION_ITEMS} 项）`,
    );
  const household = decryptHousehold(deps, kase);
  const seen = new Set<string>();
  const items = input.items.map((item) => {
    const member = household.members[item.memberIndex];
    const dataItem = item.dataItem.trim();
    if (!member) throw new AppError('VALIDATION_FAILED', '所列成员不属于本案家庭');
    if (dataItem === '') throw new AppError('VALIDATION_FAILED', '请写明需要核对的数据项目');
    const key = `${item.memberIndex}:${dataItem}`;
    if (seen.has(key)) throw new AppError('VALIDATION_FAILED', `「${member.name}：${dataItem}」重复列出`);
    seen.add(key);
    return {
      memberIndex: item.memberIndex,
      name: member.name,
      idNumber: member.idNumber,
      relation: member.relation,
      dataItem,
    };
  });
  const target = await parentAgency(deps.store, actor.organisationId);
  if (!target) throw new AppError('VALIDATION_FAILED', '本核对机构没有上级核对机构，不能提请协助核对');
  const due = kase.state === 'reviewing' ? kase.reviewDue : kase.reportDue;
  if (due === null) throw new AppError('VALIDATION_FAILED', '本案尚无报告期限，不能提请上级协助核对');
  const at = deps.clock.now().toISOString();
  const body: EscalationRequestBody = { reason, items };
  return deps.store.transaction(async (tx) => {
    const escalation = await tx.escalations.create({
      caseId: kase.id,
      requestingOrganisationId: actor.organisationId as number,
      targetOrganisationId: target.id,
      state: 'proposed',
      itemCount: items.length,
      itemsEnc: deps.crypto.encrypt(JSON.stringify(body)),
      findingsEnc: null,
      due,
      calendarVersion: kase.calendarVersion,
      proposedBy: actor.userId as number,
      proposedAt: at,
      approvedBy: null,
      decidedAt: null,
      decisionReason: null,
      answeredBy: null,
      answeredAt: null,
      createdAt: at,
      updatedAt: at,
    });
    await record(tx, { kase, escalation, step: 'escalate', actor, at, details: { due } });
    return escalation;
  });
}

async function escalationOfCase(deps: Deps, kase: CaseRow, escalationId: number): Promise<EscalationRow> {
  const row = await deps.store.escalations.get(escalationId);
  if (!row || row.caseId !== kase.id)
    throw new AppError('OUT_OF_SCOPE', '子请求不存在或不在您的数据范围内', { escalationId });
  return row;
}

/**
 * The case's reviewer approves the proposal (it goes to the agency above) or refuses it with a reason; never
 * the one who proposed it (the four-eyes rule of workflow.ts, same code and message).
 */
export async function decideEscalation(
  deps: Deps,
  caseId: number,
  escalationId: number,
  input: { approve: boolean; reason?: string },
  actor: Actor,
): Promise<EscalationRow> {
  const kase = await caseForActor(deps.store, caseId, actor);
  const row = await escalationOfCase(deps, kase, escalationId);
  if (row.state !== 'proposed')
    refuse('WRONG_STATE', `子请求当前状态为「${ESCALATION_STATE_LABELS[row.state]}」，不能审批`, {
      escalationId,
    });
  requireCaseState(kase);
  // The reviewer's four-eyes check of workflow.ts: never the proposer, and only the case's reviewer.
  const check = checkReviewer(caseForSteps(kase, []), stepActorOf(actor, kase), row.proposedBy);
  if (!check.ok) refuse(check.code, check.message, { caseId, escalationId });
  const reason = input.approve ? null : written(input.reason, '不同意提请上级协助核对的理由');
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const decided = await changeEscalation(tx, row, {
      state: input.approve ? 'approved' : 'rejected',
      approvedBy: actor.userId,
      decidedAt: at,
      decisionReason: reason,
      updatedAt: at,
    });
    await record(tx, {
      kase,
      escalation: decided,
      step: input.approve ? 'approve_escalation' : 'reject_escalation',
      actor,
      at,
      details: { approved: input.approve },
    });
    return decided;
  });
}

/** The sub-request as its addressee (the agency above) may see it, or OUT_OF_SCOPE for anyone else. */
async function addressedToActor(deps: Deps, escalationId: number, actor: Actor) {
  const row = await deps.store.escalations.get(escalationId);
  const visible =
    row !== undefined &&
    isAgencyActor(actor) &&
    actor.organisationId === row.targetOrganisationId &&
    row.state !== 'proposed' &&
    row.state !== 'rejected';
  if (!visible) throw new AppError('OUT_OF_SCOPE', '子请求不存在或不在您的数据范围内', { escalationId });
  const kase = await deps.store.cases.get(row.caseId);
  if (!kase) throw new AppError('OUT_OF_SCOPE', '子请求不存在或不在您的数据范围内', { escalationId });
  return { row, kase };
}

function left(calendar: WorkdayCalendar, today: string, due: string): number | null {
  try {
    return workdaysLeft(calendar, today, due);
  } catch {
    return null;
  }
}

async function names(deps: Deps, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const id of new Set(ids)) {
    if (id === null) continue;
    const user = await deps.store.users.get(id);
    if (user) out.set(id, user.displayName);
  }
  return out;
}

async function organisationName(deps: Deps, id: number): Promise<string> {
  return (await deps.store.organisations.get(id))?.name ?? '';
}

function findingView(finding: EscalationFinding | undefined) {
  return finding === undefined
    ? null
    : {
        finding: finding.finding,
        amountFen: finding.amountFen,
        sourceDepartment: finding.sourceDepartment,
        sourceDataset: finding.sourceDataset,
        dataAsOf: finding.dataAsOf,
      };
}

/**
 * How much of the members a view shows: `list` masks names and ID numbers, `case` (the case's own work group)
 * shows names as the case view does, `detail` (the addressee's audited detail view) spells out both.
 */
type Disclosure = 'list' | 'case' | 'detail';

/** One sub-request as shown. */
async function escalationView(
  deps: Deps,
  row: EscalationRow,
  kase: CaseRow,
  context: { calendar: WorkdayCalendar; today: string; disclosure: Disclosure },
) {
  const request = decryptRequest(deps, row);
  const findings = new Map(decryptFindings(deps, row).map((f) => [f.itemIndex, f]));
  const people = await names(deps, [row.proposedBy, row.approvedBy, row.answeredBy]);
  const pending = PENDING_ESCALATION_STATES.includes(row.state);
  return {
    id: row.id,
    caseId: kase.id,
    caseNumber: kase.number,
    state: row.state,
    stateLabel: ESCALATION_STATE_LABELS[row.state],
    requestingOrganisationId: row.requestingOrganisationId,
    requestingOrganisationName: await organisationName(deps, row.requestingOrganisationId),
    targetOrganisationId: row.targetOrganisationId,
    targetOrganisationName: await organisationName(deps, row.targetOrganisationId),
    due: row.due,
    calendarVersion: row.calendarVersion,
    workdaysLeft: pending ? left(context.calendar, context.today, row.due) : null,
    reason: request.reason,
    proposedByName: people.get(row.proposedBy) ?? null,
    proposedAt: row.proposedAt,
    approvedByName: row.approvedBy === null ? null : (people.get(row.approvedBy) ?? null),
    decidedAt: row.decidedAt,
    decisionReason: row.decisionReason,
    answeredByName: row.answeredBy === null ? null : (people.get(row.answeredBy) ?? null),
    answeredAt: row.answeredAt,
    items: request.items.map((item, index) => ({
      index,
      memberIndex: item.memberIndex,
      name: context.disclosure === 'list' ? maskName(item.name) : item.name,
      idNumber: context.disclosure === 'detail' ? item.idNumber : null,
      idNumberMasked: maskIdNumber(item.idNumber),
      relation: item.relation,
      dataItem: item.dataItem,
      finding: findingView(findings.get(index)),
    })),
  };
}

export type EscalationView = Awaited<ReturnType<typeof escalationView>>;

async function today(deps: Deps) {
  return { calendar: await loadWorkdayCalendar(deps.store), today: shanghaiDateOf(deps.clock.now()) };
}

/** Whether the actor works the case at the requesting agency (its work group, or its agency's staff). */
function worksCase(actor: Actor, kase: CaseRow, row: EscalationRow): boolean {
  return (
    isAgencyActor(actor) &&
    (actor.organisationId === row.requestingOrganisationId ||
      actor.userId === kase.handlerId ||
      actor.userId === kase.reviewerId)
  );
}

/**
 * The case's sub-requests for the case view (getCase): everything — the findings with their provenance
 * included — for the requesting agency's staff and the work group; nothing for anyone else (the requester
 * never sees a sub-request's content). Member names as in the case view, ID numbers masked.
 */
export async function caseEscalations(deps: Deps, kase: CaseRow, actor: Actor): Promise<EscalationView[]> {
  const rows = await deps.store.escalations.byCase(kase.id);
  const mine = rows.filter((row) => worksCase(actor, kase, row));
  if (mine.length === 0) return [];
  const context = await today(deps);
  return Promise.all(mine.map((row) => escalationView(deps, row, kase, { ...context, disclosure: 'case' })));
}

/** The earliest due date of a case's pending sub-requests (a deadline of the case), or null. */
export function pendingEscalationDue(rows: readonly Pick<EscalationRow, 'state' | 'due'>[]): string | null {
  const dues = rows.filter((row) => PENDING_ESCALATION_STATES.includes(row.state)).map((row) => row.due);
  return dues.length === 0 ? null : (dues.sort()[0] ?? null);
}

/** Pending sub-requests' earliest due date per case, for a page of cases (the list's deadlines). */
export async function pendingEscalationDues(
  deps: Deps,
  caseIds: readonly number[],
): Promise<Map<number, string>> {
  const rows = await deps.store.escalations.byCases(caseIds, PENDING_ESCALATION_STATES);
  const out = new Map<number, string>();
  for (const row of rows) {
    const current = out.get(row.caseId);
    if (current === undefined || row.due < current) out.set(row.caseId, row.due);
  }
  return out;
}

/** The queue of the agency above: the sub-requests addressed to the caller's organisation, masked. */
export async function listEscalationQueue(
  deps: Deps,
  filter: { state?: 'approved' | 'answered'; offset: number; limit: number },
  actor: Actor,
) {
  if (!isAgencyActor(actor) || actor.organisationId === null) return { items: [], total: 0 };
  const { items, total } = await deps.store.escalations.addressedTo(actor.organisationId, {
    states: filter.state === undefined ? ['approved', 'answered'] : [filter.state],
    offset: filter.offset,
    limit: filter.limit,
  });
  const context = await today(deps);
  const views = await Promise.all(
    items.map(async (row) => {
      const kase = await deps.store.cases.get(row.caseId);
      return kase ? escalationView(deps, row, kase, { ...context, disclosure: 'list' }) : null;
    }),
  );
  return { items: views.filter((view) => view !== null), total };
}

/** One sub-request in full for its addressee: names and ID numbers spelled out, audited with the case. */
export async function getEscalation(deps: Deps, escalationId: number, actor: Actor): Promise<EscalationView> {
  const { row, kase } = await addressedToActor(deps, escalationId, actor);
  const view = await escalationView(deps, row, kase, { ...(await today(deps)), disclosure: 'detail' });
  await deps.store.audit.append(
    actor,
    {
      action: 'CASE_ESCALATION_VIEWED',
      outcome: 'success',
      objectType: 'case_escalation',
      objectId: String(row.id),
      caseId: kase.number,
      details: { escalationId: row.id, itemCount: row.itemCount },
    },
    deps.clock.now().toISOString(),
  );
  return view;
}

/**
 * The agency above answers every item with its finding and provenance; the findings go into the case and the
 * case's handler and reviewer are told. Only the addressee answers: the requesting county cannot answer its
 * own sub-request.
 */
export async function answerEscalation(
  deps: Deps,
  escalationId: number,
  findings: readonly EscalationFinding[],
  actor: Actor,
): Promise<EscalationRow> {
  const row = await deps.store.escalations.get(escalationId);
  if (row && isAgencyActor(actor) && actor.organisationId === row.requestingOrganisationId)
    refuse('NOT_TARGET_AGENCY', '子请求须由上级核对机构答复，本机构不能答复自己提请的子请求', {
      escalationId,
    });
  const { row: addressed, kase } = await addressedToActor(deps, escalationId, actor);
  if (addressed.state !== 'approved')
    refuse('WRONG_STATE', `子请求当前状态为「${ESCALATION_STATE_LABELS[addressed.state]}」，不能答复`, {
      escalationId,
    });
  const now = deps.clock.now();
  const check = checkFindings(addressed.itemCount, findings, shanghaiDateOf(now));
  if (!check.ok) throw new AppError('VALIDATION_FAILED', check.message, { escalationId });
  const at = now.toISOString();
  return deps.store.transaction(async (tx) => {
    const answered = await changeEscalation(tx, addressed, {
      state: 'answered',
      findingsEnc: deps.crypto.encrypt(JSON.stringify(check.findings)),
      answeredBy: actor.userId,
      answeredAt: at,
      updatedAt: at,
    });
    await record(tx, { kase, escalation: answered, step: 'answer_escalation', actor, at });
    await tellWorkGroup(tx, kase, answered, at);
    return answered;
  });
}

/** A notice to the case's handler and reviewer, each in person; no personal data in it. */
async function tellWorkGroup(tx: Repositories, kase: CaseRow, row: EscalationRow, at: string) {
  for (const userId of new Set([kase.handlerId, kase.reviewerId])) {
    if (userId === null) continue;
    const user = await tx.users.get(userId);
    if (!user) continue;
    await tx.notices.createOnce({
      organisationId: user.organisationId,
      recipientUserId: userId,
      kind: 'case_escalation_answered',
      dedupeKey: `case-escalation-answered:${row.id}:${userId}`,
      title: `案件 ${kase.number} 的上级协助核对已答复`,
      body: `上级核对机构已答复子请求（共 ${row.itemCount} 项），请在案件中查看核对结果及数据来源。`,
      createdAt: at,
    });
  }
}

export type { EscalationState };

import { randomUUID } from 'node:crypto';
import { CASE_STATE_LABELS, type CaseState } from '../../domain/cases/workflow.ts';
import { maskIdNumber, normalizeIdNumber, parseIdNumber } from '../../domain/identity/id-number.ts';
import {
  DCI_VERSION,
  envelopeStatus,
  type ParsedSearch,
  parseSearchRequest,
  REASON_MESSAGES,
  REG_RECORD_TYPE,
  REG_TYPES,
  type ReasonCode,
  type RegistrySearch,
  type SearchStatus,
  type VerificationRecord,
  verificationRecord,
} from '../../domain/registry/dci-search.ts';
import { assessmentInForce } from '../../domain/retention/retention.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { decryptInput, decryptResult } from '../assessment/stored-assessment.ts';
import { decryptHousehold } from '../cases/case-view.ts';
import { reportBody } from '../cases/report-input.ts';
import type { Actor, CaseRow, Deps } from '../ports.ts';

/**
 * DCI `sync/search` over verification results (issue #9 item 6, docs/integration.md). A caller — a requester's
 * machine client with `registry:search`, or its staff by session — gets the result of a case only when its own
 * organisation entrusted the case, `authorize.ref` names that case, `consent.ref` is the fingerprint of the
 * searched person's authorization on file, and the case has a report in force. Each request is answered (and
 * audited, with its case) on its own; the record carries the report's own figures, never department records.
 */

export interface SearchEnvelope {
  header: {
    version: string;
    message_id: string;
    message_ts: string;
    action: 'search';
    sender_id: string;
    receiver_id?: string | undefined;
    total_count: number;
    is_msg_encrypted: false;
  };
  message: { transaction_id: string; search_request: unknown[] };
}

interface SearchResponseItem {
  reference_id: string;
  timestamp: string;
  status: SearchStatus;
  status_reason_code?: ReasonCode;
  status_reason_message?: string;
  data?: { version: string; reg_type: string; reg_record_type: string; reg_records: VerificationRecord[] };
  pagination?: { page_size: number; page_number: number; total_count: number };
  locale: 'zh';
}

type Outcome =
  | { status: 'rjct'; reason: ReasonCode; kase?: CaseRow }
  | { status: 'succ'; kase: CaseRow; record: VerificationRecord; reportId: number };

const refuse = (reason: ReasonCode, kase?: CaseRow): Outcome => ({
  status: 'rjct',
  reason,
  ...(kase ? { kase } : {}),
});

function sameId(a: string, b: string, today: string): boolean {
  const parsed = parseIdNumber(a, { today });
  return (parsed.ok ? parsed.id18 : normalizeIdNumber(a)) === b;
}

/** The report in force of a case: its latest issued report, the assessment it was approved on. */
async function reportInForce(deps: Deps, kase: CaseRow, today: string) {
  const report = (await deps.store.cases.documents(kase.id))
    .filter((d) => d.kind === 'report' && d.revokedAt === null)
    .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt))
    .at(-1);
  const approved = (await deps.store.cases.events(kase.id))
    .filter((e) => e.step === 'approve_report' && typeof e.details.assessmentId === 'number')
    .at(-1);
  if (!report || !approved) return null;
  const assessment = await deps.store.assessments.get(approved.details.assessmentId as number);
  if (!assessment) return null;
  const closure = { state: kase.state, closedOn: kase.closedOn, appealDue: kase.appealDue };
  const inForce = assessmentInForce(
    { createdAt: assessment.createdAt, isCase: true, case: closure },
    deps.settings.retention,
    today,
  );
  return inForce ? { report, assessment } : null;
}

async function answer(deps: Deps, search: RegistrySearch, actor: Actor, today: string): Promise<Outcome> {
  const kase = await deps.store.cases.getByNumber(search.authorizeRef);
  if (!kase) return refuse('rjct.authorize.invalid');
  // Another organisation's case answers exactly like one that does not exist; the audit keeps which it was.
  if (kase.requesterOrganisationId !== actor.organisationId) return refuse('rjct.authorize.invalid', kase);
  if (search.query.type === 'CASE_NUMBER' && search.query.value !== kase.number)
    return refuse('rjct.authorize.invalid', kase);
  const household = decryptHousehold(deps, kase);
  // The searched person: the member with this ID number, or for a case number the applicant (member 0).
  const memberIndex =
    search.query.type === 'UIN'
      ? household.members.findIndex((m) => sameId(m.idNumber, search.query.value, today))
      : 0;
  const member = household.members[memberIndex];
  if (!member) return refuse('rjct.query.not_in_case', kase);
  const consent = (await deps.store.cases.attachments(kase.id)).find(
    (a) => a.kind === 'authorization' && a.memberIndex === memberIndex && a.sm3 === search.consentRef,
  );
  if (!consent) return refuse('rjct.consent.invalid', kase);
  const inForce = await reportInForce(deps, kase, today);
  if (!inForce) return refuse('rjct.report.not_in_force', kase);

  const result = decryptResult(deps, inForce.assessment);
  const input = decryptInput(deps, inForce.assessment);
  const body = reportBody({
    result,
    caseNumber: kase.number,
    requester: '',
    assistanceType: kase.assistanceType,
    handler: '',
    reviewer: '',
    departmentName: (code) => code,
    datasetName: (code) => code,
  });
  const subjectId = parseIdNumber(member.idNumber, { today });
  const id18 = subjectId.ok ? subjectId.id18 : normalizeIdNumber(member.idNumber);
  const reported = body.members[input.members.findIndex((m) => sameId(m.idNumber, id18, today))];
  if (!reported) return refuse('rjct.query.not_in_case', kase);
  const record = verificationRecord({
    caseNumber: kase.number,
    state: kase.state,
    stateLabel: CASE_STATE_LABELS[kase.state as CaseState] ?? kase.state,
    subject: {
      idNumber: id18,
      relation: member.relation,
      counted: reported.counted,
      incomeFen: reported.incomeFen,
    },
    report: {
      number: inForce.report.number,
      issuedOn: shanghaiDateOf(new Date(inForce.report.issuedAt)),
      window: body.window,
      memberCount: body.members.length,
      countedMembers: body.members.filter((m) => m.counted).length,
      householdIncomeFen: body.householdIncomeFen,
      householdTotalIncomeFen: body.householdTotalIncomeFen,
      monthlyPerCapitaIncomeFen: body.monthlyPerCapitaIncomeFen,
      assets: body.assets,
      discrepancies: body.discrepancies,
      policyVersionLabel: body.policyVersionLabel,
    },
  });
  return { status: 'succ', kase, record, reportId: inForce.report.id };
}

/** Each search and each record handed out is audited with its case, in one transaction per request. */
async function audit(
  deps: Deps,
  actor: Actor,
  envelope: SearchEnvelope,
  parsed: ParsedSearch,
  outcome: Outcome,
  at: string,
): Promise<void> {
  const caseId = outcome.kase?.number ?? null;
  const search = parsed.ok ? parsed.search : null;
  const details = {
    transactionId: envelope.message.transaction_id,
    messageId: envelope.header.message_id,
    senderId: envelope.header.sender_id,
    referenceId: parsed.ok ? parsed.search.referenceId : parsed.referenceId,
    queryType: search?.query.type ?? null,
    queryValue:
      search === null
        ? null
        : search.query.type === 'UIN'
          ? maskIdNumber(search.query.value)
          : search.query.value,
    status: outcome.status,
    reasonCode: outcome.status === 'rjct' ? outcome.reason : null,
  };
  await deps.store.transaction(async (tx) => {
    await tx.audit.append(
      actor,
      {
        action: 'REGISTRY_SEARCHED',
        outcome: outcome.status === 'succ' ? 'success' : 'denied',
        objectType: 'case',
        objectId: outcome.kase ? String(outcome.kase.id) : null,
        caseId,
        details,
      },
      at,
    );
    if (outcome.status === 'succ')
      await tx.audit.append(
        actor,
        {
          action: 'REGISTRY_RECORD_RETURNED',
          outcome: 'success',
          objectType: 'case_document',
          objectId: String(outcome.reportId),
          caseId,
          details: {
            transactionId: details.transactionId,
            referenceId: details.referenceId,
            reportNumber: outcome.record.verification_result.report_number,
            member: outcome.record.member_identifier[0]?.identifier_value ?? null,
          },
        },
        at,
      );
  });
}

function responder(deps: Deps): string {
  try {
    return new URL(deps.settings.publicUrl).host || 'hedui';
  } catch {
    return 'hedui';
  }
}

export async function searchRegistry(deps: Deps, envelope: SearchEnvelope, actor: Actor) {
  const requests = envelope.message.search_request;
  if (envelope.header.total_count !== requests.length)
    throw new AppError(
      'VALIDATION_FAILED',
      `报文头 total_count（${envelope.header.total_count}）与 search_request 的条数（${requests.length}）不符`,
      { code: 'TOTAL_COUNT_MISMATCH' },
    );
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = shanghaiDateOf(now);
  const seen = new Set<string>();
  const responses: SearchResponseItem[] = [];
  for (const [index, item] of requests.entries()) {
    let parsed = parseSearchRequest(item, today);
    if (parsed.ok && seen.has(parsed.search.referenceId))
      parsed = { ok: false, referenceId: parsed.search.referenceId, reason: 'rjct.reference_id.duplicate' };
    if (parsed.ok) seen.add(parsed.search.referenceId);
    const outcome = parsed.ok ? await answer(deps, parsed.search, actor, today) : refuse(parsed.reason);
    await audit(deps, actor, envelope, parsed, outcome, at);
    const referenceId = (parsed.ok ? parsed.search.referenceId : parsed.referenceId) ?? `#${index + 1}`;
    const base = { reference_id: referenceId, timestamp: at, locale: 'zh' as const };
    responses.push(
      outcome.status === 'succ'
        ? {
            ...base,
            status: 'succ',
            data: {
              version: DCI_VERSION,
              reg_type: REG_TYPES[0],
              reg_record_type: REG_RECORD_TYPE,
              reg_records: [outcome.record],
            },
            pagination: {
              page_size: parsed.ok ? (parsed.search.pageSize ?? 1) : 1,
              page_number: 1,
              total_count: 1,
            },
          }
        : {
            ...base,
            status: 'rjct',
            status_reason_code: outcome.reason,
            status_reason_message: REASON_MESSAGES[outcome.reason],
          },
    );
  }
  const status = envelopeStatus(responses.map((r) => r.status));
  return {
    header: {
      version: DCI_VERSION,
      message_id: randomUUID(),
      message_ts: at,
      action: 'on-search' as const,
      status,
      total_count: responses.length,
      completed_count: responses.filter((r) => r.status === 'succ').length,
      sender_id: responder(deps),
      receiver_id: envelope.header.sender_id,
      is_msg_encrypted: false as const,
    },
    message: {
      transaction_id: envelope.message.transaction_id,
      correlation_id: randomUUID(),
      search_response: responses,
    },
  };
}

import { DOCUMENT_KIND_LABELS } from '../../domain/cases/archive.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { getCase, listCases } from '../cases/case-view.ts';
import { type SubmitCaseInput, submitCase } from '../cases/submit-case.ts';
import type { Actor, Deps } from '../ports.ts';

/**
 * Entrustments over the integration API (docs/integration.md): the web's case use cases, plus the requester
 * system's own reference and the idempotency of a submission — a retry with the same `Idempotency-Key` or
 * `externalRef` finds the case the first attempt made instead of entrusting the family twice.
 */

export interface EntrustmentKeys {
  externalRef: string | null;
  idempotencyKey: string | null;
  apiKeyId: number | null;
}

async function replayOf(deps: Deps, organisationId: number, keys: EntrustmentKeys): Promise<number | null> {
  const found = await deps.store.apiEntrustments.find(organisationId, keys);
  if (!found) return null;
  if (found.caseId === null)
    throw new AppError('CONFLICT', '相同的委托（externalRef 或 Idempotency-Key）正在提交中，请稍后重试');
  return found.caseId;
}

export async function submitEntrustment(
  deps: Deps,
  input: SubmitCaseInput,
  keys: EntrustmentKeys,
  actor: Actor,
): Promise<{ caseId: number; replayed: boolean }> {
  const organisationId = actor.organisationId;
  if (organisationId === null || (keys.externalRef === null && keys.idempotencyKey === null))
    return { caseId: (await submitCase(deps, input, actor)).id, replayed: false };
  const earlier = await replayOf(deps, organisationId, keys);
  if (earlier !== null) return { caseId: earlier, replayed: true };
  // The reservation comes first, so two racing retries cannot both entrust: the second finds the first's row.
  const reserved = await deps.store.apiEntrustments.reserve({
    organisationId,
    externalRef: keys.externalRef,
    idempotencyKey: keys.idempotencyKey,
    apiKeyId: keys.apiKeyId,
    createdAt: deps.clock.now().toISOString(),
  });
  if (reserved === null) {
    const raced = await replayOf(deps, organisationId, keys);
    if (raced !== null) return { caseId: raced, replayed: true };
    throw new AppError('CONFLICT', '委托提交冲突，请重试');
  }
  try {
    const kase = await submitCase(deps, input, actor);
    await deps.store.apiEntrustments.attach(reserved.id, kase.id);
    return { caseId: kase.id, replayed: false };
  } catch (error) {
    await deps.store.apiEntrustments.release(reserved.id);
    throw error;
  }
}

async function externalRefs(deps: Deps, caseIds: readonly number[]): Promise<Map<number, string>> {
  const rows = await deps.store.apiEntrustments.byCases(caseIds);
  return new Map(
    rows.flatMap((r) => (r.caseId !== null && r.externalRef !== null ? [[r.caseId, r.externalRef]] : [])),
  );
}

/** One entrustment as the requester's system sees it (the audited case view, without the work group's steps). */
export async function getEntrustment(deps: Deps, caseId: number, actor: Actor) {
  const kase = await getCase(deps, caseId, actor);
  const refs = await externalRefs(deps, [kase.id]);
  return {
    id: kase.id,
    number: kase.number,
    externalRef: refs.get(kase.id) ?? null,
    state: kase.state,
    stateLabel: kase.stateLabel,
    assistanceType: kase.assistanceType,
    memberCount: kase.memberCount,
    receivedOn: kase.receivedOn,
    acceptanceDue: kase.acceptanceDue,
    acceptedOn: kase.acceptedOn,
    reportDue: kase.reportDue,
    ceilingDate: kase.ceilingDate,
    pendingRequest: kase.pendingRequest,
    deadlines: kase.deadlines,
    updatedAt: kase.updatedAt,
    missingAuthorizations: kase.missingAuthorizations,
    attachments: kase.attachments.map(({ id, kind, memberIndex, fileName, bytes, sm3, uploadedAt }) => ({
      id,
      kind,
      memberIndex,
      fileName,
      bytes,
      sm3,
      uploadedAt,
    })),
    documents: kase.documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      kindLabel: DOCUMENT_KIND_LABELS[d.kind] ?? d.kind,
      number: d.number,
      issuedAt: d.issuedAt,
      downloadPath: `/api/v1/entrustments/${kase.id}/documents/${d.id}`,
    })),
  };
}

/** The organisation's entrustments, newest first, optionally by state and changed since an instant. */
export async function listEntrustments(
  deps: Deps,
  filter: { state?: string; updatedSince?: string; offset: number; limit: number },
  actor: Actor,
) {
  const { items, total } = await listCases(
    deps,
    {
      ...(filter.state !== undefined ? { states: [filter.state] } : {}),
      ...(filter.updatedSince !== undefined ? { updatedSince: filter.updatedSince } : {}),
      offset: filter.offset,
      limit: filter.limit,
    },
    actor,
  );
  const refs = await externalRefs(
    deps,
    items.map((c) => c.id),
  );
  return {
    total,
    items: items.map((c) => ({
      id: c.id,
      number: c.number,
      externalRef: refs.get(c.id) ?? null,
      state: c.state,
      stateLabel: c.stateLabel,
      assistanceType: c.assistanceType,
      applicant: c.applicant,
      memberCount: c.memberCount,
      receivedOn: c.receivedOn,
      acceptedOn: c.acceptedOn,
      reportDue: c.reportDue,
      pendingRequest: c.pendingRequest,
      deadlines: c.deadlines,
      updatedAt: c.updatedAt,
    })),
  };
}

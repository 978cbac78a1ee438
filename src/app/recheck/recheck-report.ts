import { isInRegionScope } from '../../domain/access/scope.ts';
import type { RecheckReportBody, RecheckReportWorkbookWriter } from '../../domain/cases/documents.ts';
import { maskIdNumber } from '../../domain/identity/id-number.ts';
import type { ChangeEvidence } from '../../domain/recheck/changes.ts';
import { describeChange, SKIP_REASONS } from '../../domain/recheck/report.ts';
import type { RosterMember } from '../../domain/roster/roster.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { recheckCaseRef } from '../assessment/run-assessment.ts';
import { isAgencyActor } from '../cases/case-access.ts';
import { numberAndRender } from '../cases/documents.ts';
import type { Actor, Deps, OrganisationRecord } from '../ports.ts';
import type { RecheckReportRow, RecheckReportWithRun } from './recheck-report.port.ts';
import type { RunWithScope } from './recheck-repository.ts';
import { RECHECK_NOTICE } from './run-recheck.ts';

/**
 * The monthly recheck report per requester (复核情况报告, issue #6 item 3, Q§6: recheck results go to the unit that
 * entrusted them). The PDF is issued once per run and requester by an agency reviewer of the run's region —
 * numbered per agency and year (核查), SM3-fingerprinted, stored and verifiable on /verify like every case
 * document; issuing it again answers the same document. The XLSX (the same facts) is built on demand.
 *
 * Who: agency staff and reviewers of the run's region see the per-requester counts and download both; the
 * requester — the recipient — downloads its own report once issued. Anyone else is told it does not exist (404).
 * Every download is audited with the run as its purpose (`RECHECK-<runId>`). The report states facts only and
 * changes no family's assistance (只核对、不认定).
 */

export type RecheckReportFormat = 'pdf' | 'xlsx';

const ALERT_PAGE = 500;

function outOfScope(runId: number, requesterId?: number): AppError {
  return new AppError('OUT_OF_SCOPE', '复核报告不存在或不在您的数据范围内', {
    runId,
    ...(requesterId === undefined ? {} : { requesterOrganisationId: requesterId }),
  });
}

function isRequesterStaff(actor: Actor): boolean {
  return actor.roles.includes('requester_staff');
}

/** The run, for agency staff and reviewers of its region. */
async function runForAgency(deps: Deps, runId: number, actor: Actor): Promise<RunWithScope> {
  if (!isAgencyActor(actor)) throw new AppError('PERMISSION_DENIED', '只有核对机构人员可以查看复核报告汇总');
  const run = await deps.store.rechecks.getRun(runId);
  if (!run || (actor.regionCode !== null && !isInRegionScope(run.scopeRegionCode, actor.regionCode)))
    throw outOfScope(runId);
  return run;
}

export function presentReport(report: RecheckReportRow) {
  return {
    id: report.id,
    runId: report.runId,
    requesterOrganisationId: report.requesterOrganisationId,
    number: report.number,
    issuedOn: report.issuedOn,
    issuedAt: report.issuedAt,
    issuedByName: report.issuedByName,
    revoked: report.revokedAt !== null,
  };
}

/** Per requester of a run: its families by status and the report's number once issued (no personal data). */
export async function listRunReports(deps: Deps, runId: number, actor: Actor) {
  const run = await runForAgency(deps, runId, actor);
  const counts = await deps.store.recheckReports.requesterCounts(run.id);
  const reports = new Map(
    (await deps.store.recheckReports.ofRun(run.id)).map((r) => [r.requesterOrganisationId, r]),
  );
  return {
    run: { id: run.id, month: run.month, scopeName: run.scopeName, state: run.state },
    requesters: counts.map((c) => {
      const report = reports.get(c.requesterOrganisationId);
      return { ...c, report: report ? presentReport(report) : null };
    }),
    notice: RECHECK_NOTICE,
  };
}

/** The report's facts for one requester of a run, decrypted (the caller has checked access). */
async function reportBody(
  deps: Deps,
  run: RunWithScope,
  requester: OrganisationRecord,
): Promise<RecheckReportBody> {
  const items = await deps.store.recheckReports.items(run.id, requester.id);
  const applicant = (membersEnc: string | null) => {
    const members =
      membersEnc === null ? [] : (JSON.parse(deps.crypto.decrypt(membersEnc)) as RosterMember[]);
    const first = members.find((m) => m.relation === '本人') ?? members[0];
    return {
      applicantName: first?.name ?? '—',
      applicantIdMasked: first ? maskIdNumber(first.idNumber) : '—',
    };
  };
  const alerts = [];
  for (let offset = 0; ; offset += ALERT_PAGE) {
    const page = await deps.store.rechecks.listAlerts({
      regionScope: null,
      runId: run.id,
      requesterOrganisationId: requester.id,
      offset,
      limit: ALERT_PAGE,
    });
    alerts.push(...page.items);
    if (page.items.length < ALERT_PAGE) break;
  }
  alerts.sort((a, b) => a.id - b.id);
  const changesByItem = new Map<number, ReturnType<typeof describeChange>[]>();
  for (const alert of alerts) {
    const evidence = JSON.parse(deps.crypto.decrypt(alert.evidenceEnc)) as ChangeEvidence;
    const list = changesByItem.get(alert.itemId) ?? [];
    list.push(describeChange(evidence));
    changesByItem.set(alert.itemId, list);
  }
  const done = items.filter((i) => i.status === 'done');
  return {
    kind: 'recheck-report',
    requester: requester.name,
    month: run.month,
    runId: run.id,
    scopeName: run.scopeName,
    startedOn: shanghaiDateOf(new Date(run.startedAt)),
    finishedOn: run.finishedAt === null ? null : shanghaiDateOf(new Date(run.finishedAt)),
    counts: {
      families: items.length,
      rechecked: done.length,
      carried: items.filter((i) => i.status === 'carried').length,
      skipped: items.filter((i) => i.status === 'skipped').length,
      failed: items.filter((i) => i.status === 'failed' || i.status === 'pending').length,
      changed: done.filter((i) => changesByItem.has(i.id)).length,
    },
    notRechecked: items
      .filter((i) => i.status !== 'done' && i.status !== 'carried')
      .map((i) => ({
        familyKey: i.familyKey,
        ...applicant(i.membersEnc),
        reason: SKIP_REASONS[i.status] ?? i.status,
      })),
    families: done
      .filter((i) => changesByItem.has(i.id))
      .map((i) => ({
        familyKey: i.familyKey,
        ...applicant(i.membersEnc),
        changes: (changesByItem.get(i.id) ?? []).map((c) => ({
          kindLabel: c.kindLabel,
          member: c.member,
          description: c.description,
          before: c.before,
          after: c.after,
          sources: c.sources,
        })),
      })),
  };
}

/** A requester of the run (it has families in it), or 404. */
async function requesterOfRun(
  deps: Deps,
  run: RunWithScope,
  requesterId: number,
): Promise<OrganisationRecord> {
  const requester = await deps.store.organisations.get(requesterId);
  const counts = await deps.store.recheckReports.requesterCounts(run.id);
  if (requester?.kind !== 'requester' || !counts.some((c) => c.requesterOrganisationId === requesterId))
    throw outOfScope(run.id, requesterId);
  return requester;
}

/** Issues the PDF for a requester of a done run, once: a second call answers the report already issued. */
export async function issueRecheckReport(deps: Deps, runId: number, requesterId: number, actor: Actor) {
  const run = await runForAgency(deps, runId, actor);
  if (!actor.roles.includes('agency_reviewer'))
    throw new AppError('PERMISSION_DENIED', '只有核对机构审核员可以出具复核情况报告');
  const requester = await requesterOfRun(deps, run, requesterId);
  const existing = await deps.store.recheckReports.get(run.id, requester.id);
  if (existing) return { report: presentReport(existing), alreadyIssued: true };
  if (run.state !== 'done')
    throw new AppError('VALIDATION_FAILED', '复核尚未完成，不能出具复核情况报告', {
      code: 'RECHECK_NOT_DONE',
      runId: run.id,
      state: run.state,
    });
  const agency = await deps.store.organisations.get(run.scopeOrganisationId);
  if (!agency) throw new AppError('INTERNAL_ERROR', '找不到出具报告的核对机构', { runId: run.id });
  const body = await reportBody(deps, run, requester);
  const now = deps.clock.now();
  const at = now.toISOString();
  const issuedOn = shanghaiDateOf(now);
  try {
    const report = await deps.store.transaction(async (tx) => {
      const document = await numberAndRender(tx, deps, {
        agency,
        recipient: requester.name,
        body,
        issuedOn,
      });
      const stored = await tx.recheckReports.add({
        runId: run.id,
        requesterOrganisationId: requester.id,
        agencyOrganisationId: agency.id,
        number: document.number,
        shortCode: document.shortCode,
        sm3: document.sm3,
        storedFile: document.storedFile,
        issuedOn,
        issuedAt: at,
        issuedBy: actor.userId,
        issuedByName: actor.name,
        revokedAt: null,
      });
      await tx.audit.append(
        actor,
        {
          action: 'RECHECK_REPORT_ISSUED',
          outcome: 'success',
          objectType: 'recheck_report',
          objectId: String(stored.id),
          caseId: recheckCaseRef(run.id),
          details: {
            runId: run.id,
            month: run.month,
            requesterOrganisationId: requester.id,
            number: stored.number,
            sm3: stored.sm3,
            families: body.counts.families,
            changed: body.counts.changed,
            skipped: body.counts.skipped,
          },
        },
        at,
      );
      return stored;
    });
    return { report: presentReport(report), alreadyIssued: false };
  } catch (e) {
    // Two reviewers at once: the second finds the first's report.
    if (!(e instanceof AppError) || (e.details as { code?: string } | null)?.code !== 'RECHECK_REPORT_ISSUED')
      throw e;
    const first = await deps.store.recheckReports.get(run.id, requester.id);
    if (!first) throw e;
    return { report: presentReport(first), alreadyIssued: true };
  }
}

/**
 * The PDF (once issued) or the XLSX of a requester's report: for agency staff and reviewers of the run's region
 * (the XLSX also before the PDF is issued, once the run is done), and for the requester itself once issued.
 */
export async function downloadRecheckReport(
  deps: Deps,
  runId: number,
  requesterId: number,
  format: RecheckReportFormat,
  actor: Actor,
  /** The XLSX writer (src/documents), handed in by the route: use cases never import adapters. */
  recheckReportWorkbook: RecheckReportWorkbookWriter,
): Promise<{ fileName: string; contentType: string; bytes: Buffer }> {
  let run: RunWithScope | undefined;
  if (isAgencyActor(actor)) run = await runForAgency(deps, runId, actor);
  else if (isRequesterStaff(actor) && actor.organisationId === requesterId)
    run = await deps.store.rechecks.getRun(runId);
  if (!run) throw outOfScope(runId, requesterId);
  const requester = await requesterOfRun(deps, run, requesterId);
  const report = await deps.store.recheckReports.get(run.id, requester.id);
  if (!report && (!isAgencyActor(actor) || format === 'pdf'))
    throw new AppError('NOT_FOUND', '该委托单位本批次的复核情况报告尚未出具', {
      runId,
      requesterOrganisationId: requesterId,
    });
  if (run.state !== 'done')
    throw new AppError('VALIDATION_FAILED', '复核尚未完成，不能导出复核情况', {
      code: 'RECHECK_NOT_DONE',
      runId: run.id,
    });
  const stem = report?.number ?? `${requester.name}${run.month}复核情况`;
  let bytes: Buffer;
  let families: number | null = null;
  if (format === 'pdf' && report) bytes = await deps.files.get('documents', report.storedFile);
  else {
    const agency = await deps.store.organisations.get(run.scopeOrganisationId);
    const body = await reportBody(deps, run, requester);
    families = body.families.length;
    bytes = await recheckReportWorkbook(body, {
      agencyName: agency?.name ?? run.scopeName,
      documentNumber: report?.number ?? null,
      generatedAt: shanghaiDateOf(deps.clock.now()),
    });
  }
  await deps.store.audit.append(
    actor,
    {
      action: 'RECHECK_REPORT_DOWNLOADED',
      outcome: 'success',
      objectType: 'recheck_report',
      objectId: report ? String(report.id) : null,
      caseId: recheckCaseRef(run.id),
      details: {
        runId: run.id,
        month: run.month,
        requesterOrganisationId: requester.id,
        format,
        number: report?.number ?? null,
        ...(families === null ? {} : { changedFamilies: families }),
      },
    },
    deps.clock.now().toISOString(),
  );
  return {
    fileName: `${stem}.${format}`,
    contentType:
      format === 'pdf'
        ? 'application/pdf'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    bytes,
  };
}

function presentListed(report: RecheckReportWithRun) {
  return {
    ...presentReport(report),
    month: report.month,
    requesterName: report.requesterName,
    agencyName: report.agencyName,
  };
}

/** The reports issued: a requester's own, or those of the requesters in an agency user's region. */
export async function listRecheckReports(
  deps: Deps,
  filter: { offset: number; limit: number },
  actor: Actor,
) {
  let scope: { requesterOrganisationId?: number; regionScope: string | null };
  if (isAgencyActor(actor)) scope = { regionScope: actor.regionCode };
  else if (isRequesterStaff(actor) && actor.organisationId !== null)
    scope = { requesterOrganisationId: actor.organisationId, regionScope: null };
  else throw new AppError('PERMISSION_DENIED', '您无权查看复核情况报告');
  const { items, total } = await deps.store.recheckReports.list({ ...scope, ...filter });
  return { items: items.map(presentListed), total, notice: RECHECK_NOTICE };
}

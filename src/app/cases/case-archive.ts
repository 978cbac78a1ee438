import { createHash } from 'node:crypto';
import {
  type CaseArchiveSummaryInput,
  caseArchiveFileName,
  documentKindLabel,
  stepLabel,
  workGroupMembers,
} from '../../domain/cases/archive.ts';
import {
  ATTACHMENT_KIND_LABELS,
  type AttachmentMediaType,
  EXTENSIONS,
} from '../../domain/cases/attachments.ts';
import { CASE_STATE_LABELS, type CaseState } from '../../domain/cases/workflow.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { getAssessment } from '../assessment/run-assessment.ts';
import type {
  Actor,
  CaseAttachmentRow,
  CaseDocumentRow,
  CaseEventRow,
  CaseRow,
  Deps,
  FileCategory,
} from '../ports.ts';
import { caseForActor, isAgencyActor, isRequesterOf } from './case-access.ts';
import { assistanceTypeLabel } from './documents.ts';

/**
 * The case archive (Q§21, issue #5 item 12): everything about a case in one ZIP — `manifest.json` (the case's
 * particulars, deadlines with their calendar version, work groups, who exported it when, and the SM3 of every
 * other entry), `history.json` (every step in order, with its remarks and reasons), every issued document and
 * every paper filed (each checked against the fingerprint stored when it was filed: an altered file stops the
 * export), the case's assessment results for the agency, and `案件档案.pdf`, the summary people read.
 *
 * Who may export: the case's work group (everyone who has been in it), the reviewers of the agencies that hold
 * the case, and the requester that entrusted it. Other agency users of the region are refused (403, audited);
 * anyone else is told the case does not exist (404). Every export is audited with its case.
 *
 * The archive is deterministic: the same case exported by the same person at the same instant gives the
 * same bytes (entries in a fixed order, fixed ZIP timestamps, deterministic PDF).
 */

export interface CaseArchiveEntry {
  name: string;
  data: Uint8Array;
}

/** The adapters that write the archive (src/documents): the ZIP and the summary PDF. */
export interface CaseArchiveWriter {
  zip(entries: readonly CaseArchiveEntry[]): Buffer;
  renderSummary(input: CaseArchiveSummaryInput): Promise<Buffer>;
}

export interface CaseArchive {
  fileName: string;
  /** `case-archive-<number>.zip`: the file name for clients that do not read RFC 5987 names. */
  asciiFileName: string;
  zip: Buffer;
  sm3: string;
}

export const ARCHIVE_FORMAT = 'hedui-case-archive/1';
export const SUMMARY_ENTRY = '案件档案.pdf';

function sm3(bytes: Uint8Array): string {
  return createHash('sm3').update(bytes).digest('hex');
}

/** An instant as Beijing time, `2025-09-26 10:00:00` (China keeps UTC+8 all year). */
function beijingTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function stateLabel(state: string | null): string {
  return state === null ? '' : (CASE_STATE_LABELS[state as CaseState] ?? state);
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

function mayExport(kase: CaseRow, events: readonly CaseEventRow[], actor: Actor) {
  if (isRequesterOf(actor, kase)) return true;
  // caseForActor has checked the region: an agency actor here works for an agency that holds the case.
  if (!isAgencyActor(actor) || actor.userId === null) return false;
  return actor.roles.includes('agency_reviewer') || workGroupMembers(events, kase).includes(actor.userId);
}

/** Reads a stored file and checks it against the fingerprint taken when it was stored. */
async function storedFile(
  deps: Deps,
  category: FileCategory,
  row: { storedFile: string; sm3: string },
): Promise<Buffer | 'missing' | 'altered'> {
  let bytes: Buffer;
  try {
    bytes = await deps.files.get(category, row.storedFile);
  } catch {
    return 'missing';
  }
  return sm3(bytes) === row.sm3 ? bytes : 'altered';
}

const DETAIL_LABELS: Readonly<Record<string, string>> = {
  remarks: '备注',
  reasons: '理由',
  reason: '理由',
  acceptanceDue: '受理期限',
  reportDue: '报告期限',
  appealDue: '申诉期限',
  reviewDue: '复核期限',
  workdays: '延期工作日',
  approve: '决定',
  grounds: '事由',
  programmeRule: '项目规定',
  assessmentId: '核对结果编号',
  onTime: '是否按期',
  members: '成员人数',
  handlerId: '经办人',
  reviewerId: '审核人',
  review: '复核',
  event: '事件',
  choice: '选择',
  requestedOn: '申请日期',
  ceilingDate: '最长期限',
};

function detailValue(key: string, value: unknown, names: ReadonlyMap<number, string>): string {
  if ((key === 'handlerId' || key === 'reviewerId') && typeof value === 'number')
    return names.get(value) ?? String(value);
  if (key === 'approve') return value === true ? '同意' : '不同意';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map((item) => String(item)).join('；');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The details of a step as one line for the summary's table (empty remarks left out). */
function note(details: Record<string, unknown>, names: ReadonlyMap<number, string>): string {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${DETAIL_LABELS[key] ?? key}：${detailValue(key, value, names)}`)
    .join('；');
}

async function userNames(deps: Deps, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (const id of ids) {
    if (id === null || names.has(id)) continue;
    const user = await deps.store.users.get(id);
    if (user) names.set(id, user.displayName);
  }
  return names;
}

async function agencyNameOf(deps: Deps, kase: CaseRow, actor: Actor): Promise<string> {
  const organisations = await deps.store.organisations.list(kase.regionCode);
  const agency = organisations.find((o) => o.kind === 'agency' && o.regionCode === kase.regionCode);
  if (agency) return agency.name;
  const own =
    actor.organisationId === null ? undefined : await deps.store.organisations.get(actor.organisationId);
  return own?.name ?? '';
}

function attachmentEntryName(attachment: CaseAttachmentRow): string {
  const member = attachment.memberIndex === null ? '' : `-成员${attachment.memberIndex + 1}`;
  const extension = EXTENSIONS[attachment.mediaType as AttachmentMediaType] ?? 'bin';
  return `attachments/${String(attachment.id).padStart(4, '0')}-${ATTACHMENT_KIND_LABELS[attachment.kind] ?? attachment.kind}${member}.${extension}`;
}

function documentEntryName(document: CaseDocumentRow): string {
  return `documents/${document.number.replace(/[/\\]/g, '_')}.pdf`;
}

export async function exportCaseArchive(
  deps: Deps,
  caseId: number,
  actor: Actor,
  writer: CaseArchiveWriter,
): Promise<CaseArchive> {
  const kase = await caseForActor(deps.store, caseId, actor);
  const at = deps.clock.now().toISOString();
  const audit = (outcome: 'success' | 'denied' | 'failure', details: Record<string, unknown>) =>
    deps.store.audit.append(
      actor,
      {
        action: 'CASE_ARCHIVE_EXPORTED',
        outcome,
        objectType: 'case',
        objectId: String(kase.id),
        caseId: kase.number,
        details,
      },
      at,
    );
  const events = await deps.store.cases.events(kase.id);
  if (!mayExport(kase, events, actor)) {
    await audit('denied', {});
    throw new AppError('PERMISSION_DENIED', '只有本案工作组成员、核对机构审核员和委托单位可以导出案件档案', {
      caseId: kase.id,
    });
  }
  const [documents, attachments, requester, agencyName] = await Promise.all([
    deps.store.cases.documents(kase.id),
    deps.store.cases.attachments(kase.id),
    deps.store.organisations.get(kase.requesterOrganisationId),
    agencyNameOf(deps, kase, actor),
  ]);

  // Every stored file is checked before anything is handed out: an altered archive is worse than none.
  const entries: CaseArchiveEntry[] = [];
  const filed = [
    ...documents.map((row) => ({
      category: 'documents' as const,
      row,
      name: documentEntryName(row),
      label: row.number,
    })),
    ...attachments.map((row) => ({
      category: 'attachments' as const,
      row,
      name: attachmentEntryName(row),
      label: row.fileName,
    })),
  ];
  for (const file of filed) {
    const bytes = await storedFile(deps, file.category, file.row);
    if (bytes === 'missing' || bytes === 'altered') {
      const code = bytes === 'missing' ? 'STORED_FILE_MISSING' : 'STORED_FILE_ALTERED';
      const details = { code, category: file.category, id: file.row.id, name: file.label };
      await audit('failure', details);
      throw new AppError(
        'INTERNAL_ERROR',
        bytes === 'missing'
          ? `案件档案导出已停止：存档文件「${file.label}」缺失，请联系系统管理员`
          : `案件档案导出已停止：存档文件「${file.label}」与存档时的 SM3 指纹不符，可能已被篡改，请联系系统管理员`,
        details,
      );
    }
    entries.push({ name: file.name, data: bytes });
  }

  // The raw results are the agency's working papers (the requester has the report): agency exports only.
  const assessmentEntries: CaseArchiveEntry[] = [];
  if (isAgencyActor(actor)) {
    const { items } = await deps.store.assessments.list({
      regionScope: null,
      caseRef: kase.number,
      offset: 0,
      limit: 10_000,
    });
    for (const row of [...items].sort((a, b) => a.id - b.id)) {
      const view = await getAssessment(deps, row.id, actor);
      assessmentEntries.push({ name: `assessments/核对结果-${row.id}.json`, data: json(view) });
    }
  }

  const names = await userNames(deps, [
    ...events.map((event) => event.actorId),
    ...workGroupMembers(events, kase),
  ]);
  const person = (id: number | null) => (id === null ? null : { id, name: names.get(id) ?? null });
  const workGroups = events
    .filter((event) => event.step === 'accept' || event.step === 'assign_review')
    .map((event) => ({
      kind: event.step === 'accept' ? 'verification' : 'review',
      assignedAt: event.at,
      handler: person(typeof event.details.handlerId === 'number' ? event.details.handlerId : null),
      reviewer: person(typeof event.details.reviewerId === 'number' ? event.details.reviewerId : null),
    }));
  const history = events.map((event, index) => ({
    sequence: index + 1,
    at: event.at,
    step: event.step,
    stepLabel: stepLabel(event.step),
    fromState: event.fromState,
    fromStateLabel: event.fromState === null ? null : stateLabel(event.fromState),
    toState: event.toState,
    toStateLabel: stateLabel(event.toState),
    actorId: event.actorId,
    actorName: event.actorName,
    details: event.details,
  }));
  const exporter = actor.name ?? '';
  const summary = await writer.renderSummary({
    caseNumber: kase.number,
    agencyName,
    exportedAt: at,
    exportedAtText: beijingTime(at),
    exporter,
    particulars: [
      ['核对编号', kase.number],
      ['核对机构', agencyName],
      ['委托单位', requester?.name ?? ''],
      ['申请人', deps.crypto.decrypt(kase.applicantNameEnc)],
      ['家庭成员人数', `${kase.memberCount} 人`],
      ['社会救助类型', assistanceTypeLabel(kase.assistanceType)],
      ['当前状态', stateLabel(kase.state)],
      ['收到委托日期', kase.receivedOn],
      ['受理期限', kase.acceptanceDue],
      ['受理日期', kase.acceptedOn ?? '—'],
      ['报告期限', kase.reportDue ?? '—'],
      ['最长期限', kase.ceilingDate ?? '—'],
      ['已延期', `${kase.extensionWorkdays} 个工作日`],
      ['报告出具日期', kase.reportedOn ?? '—'],
      ['申诉期限', kase.appealDue ?? '—'],
      ['申诉日期', kase.appealedOn ?? '—'],
      ['复核期限', kase.reviewDue ?? '—'],
      ['办结日期', kase.closedOn ?? '—'],
      ['工作日历版本', kase.calendarVersion],
      [
        '工作组',
        workGroups
          .map(
            (group) =>
              `${group.kind === 'review' ? '复核组' : '核对组'}：经办人 ${group.handler?.name ?? '—'}，审核人 ${group.reviewer?.name ?? '—'}`,
          )
          .join('；') || '—',
      ],
    ],
    history: history.map((event) => ({
      at: beijingTime(event.at),
      step: event.stepLabel,
      transition:
        event.fromState === null
          ? event.toStateLabel
          : event.fromState === event.toState
            ? `${event.toStateLabel}（不变）`
            : `${event.fromStateLabel} → ${event.toStateLabel}`,
      actor: event.actorName ?? '系统',
      note: note(event.details, names),
    })),
    documents: documents.map((d) => ({
      number: d.number,
      kind: documentKindLabel(d.kind),
      issuedAt: beijingTime(d.issuedAt),
      sm3: d.sm3,
    })),
    attachments: attachments.map((a) => ({
      file: attachmentEntryName(a).slice('attachments/'.length),
      kind: ATTACHMENT_KIND_LABELS[a.kind] ?? a.kind,
      uploadedAt: beijingTime(a.uploadedAt),
      sm3: a.sm3,
    })),
  });

  const contents: CaseArchiveEntry[] = [
    { name: 'history.json', data: json({ caseNumber: kase.number, events: history }) },
    { name: SUMMARY_ENTRY, data: summary },
    ...entries,
    ...assessmentEntries,
  ];
  const manifest = {
    format: ARCHIVE_FORMAT,
    case: {
      number: kase.number,
      agency: agencyName,
      requester: requester?.name ?? null,
      regionCode: kase.regionCode,
      assistanceType: kase.assistanceType,
      assistanceTypeLabel: assistanceTypeLabel(kase.assistanceType),
      state: kase.state,
      stateLabel: stateLabel(kase.state),
      memberCount: kase.memberCount,
    },
    dates: {
      receivedOn: kase.receivedOn,
      acceptanceDue: kase.acceptanceDue,
      acceptedOn: kase.acceptedOn,
      reportDue: kase.reportDue,
      ceilingDate: kase.ceilingDate,
      extensionWorkdays: kase.extensionWorkdays,
      reportedOn: kase.reportedOn,
      appealDue: kase.appealDue,
      appealedOn: kase.appealedOn,
      reviewDue: kase.reviewDue,
      closedOn: kase.closedOn,
      calendarVersion: kase.calendarVersion,
    },
    workGroups,
    exported: { at, by: { userId: actor.userId, name: exporter, organisationId: actor.organisationId } },
    documents: documents.map((d) => ({
      path: documentEntryName(d),
      number: d.number,
      kind: d.kind,
      kindLabel: documentKindLabel(d.kind),
      shortCode: d.shortCode,
      issuedAt: d.issuedAt,
      revokedAt: d.revokedAt,
      sm3: d.sm3,
    })),
    attachments: attachments.map((a) => ({
      path: attachmentEntryName(a),
      kind: a.kind,
      memberIndex: a.memberIndex,
      fileName: a.fileName,
      mediaType: a.mediaType,
      uploadedAt: a.uploadedAt,
      sm3: a.sm3,
    })),
    assessments: assessmentEntries.map((entry) => entry.name),
    entries: contents.map((entry) => ({ path: entry.name, bytes: entry.data.length, sm3: sm3(entry.data) })),
  };
  const zip = writer.zip([{ name: 'manifest.json', data: json(manifest) }, ...contents]);
  const digest = sm3(zip);
  await audit('success', {
    sm3: digest,
    bytes: zip.length,
    events: events.length,
    documents: documents.length,
    attachments: attachments.length,
    assessments: assessmentEntries.length,
  });
  return {
    fileName: caseArchiveFileName(kase.number),
    asciiFileName: `case-archive-${kase.number.replace(/[^A-Za-z0-9-]/g, '_')}.zip`,
    zip,
    sm3: digest,
  };
}

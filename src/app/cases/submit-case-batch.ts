import { createHash, randomUUID } from 'node:crypto';
import { parseHouseholdRequest } from '../../domain/assessment/household-request.ts';
import {
  ATTACHMENT_KIND_LABELS,
  type AttachmentKind,
  MAX_ATTACHMENT_BYTES,
  sniffAttachment,
} from '../../domain/cases/attachments.ts';
import {
  type BatchFamily,
  type BatchFileRef,
  type BatchProblem,
  type BatchProblemCode,
  type BatchSheetRow,
  capProblems,
  householdProblemsOf,
  MAX_BATCH_ROWS,
  mapBatchHeaders,
  type ParsedBatchSheet,
  parseBatchSheet,
  sortProblems,
} from '../../domain/cases/batch-entrustment.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, Repositories, Store } from '../ports.ts';
import { addAttachment } from './attachments.ts';
import { maskName } from './case-view.ts';
import { submitCase } from './submit-case.ts';

/**
 * Batch entrustment (issue #5): the month's intake as one spreadsheet, optionally zipped with the scanned
 * papers it names. Every problem is listed by sheet row; with any problem nothing is stored. Otherwise every
 * family is entrusted by the very use cases a single submission goes through (submitCase, addAttachment) —
 * same numbers, deadlines, history and audit — inside one transaction, so a failure half-way leaves nothing.
 */

/** The files of an uploaded ZIP besides the workbook (read by src/ingest/case-bundle.ts). */
export interface BatchFiles {
  /** The entry a cell names: its exact path in the ZIP, or a file name found once in any folder. */
  find(name: string): { name: string; bytes: number } | undefined;
  /** The entry's bytes; refuses (throws) beyond maxBytes, whatever the ZIP's directory claims. */
  read(name: string, maxBytes: number): Promise<Buffer>;
}

export type BatchUpload =
  | { ok: true; workbookPath: string; files: BatchFiles | null }
  /** The upload could not be opened as a batch at all (a ZIP without a workbook …). */
  | { ok: false; code: BatchProblemCode; message: string };

export interface BatchCase {
  id: number;
  number: string;
  family: string;
  firstRow: number;
  /** Masked, as lists show it. */
  applicant: string;
  memberCount: number;
  attachments: number;
}

export interface BatchResult {
  /** `valid`: a dry run found nothing wrong; `rejected`: problems, nothing stored; `created`: stored. */
  status: 'valid' | 'rejected' | 'created';
  dryRun: boolean;
  /** Identifies the batch in the audit log. */
  batchRef: string;
  rows: number;
  families: number;
  members: number;
  attachments: number;
  problems: BatchProblem[];
  cases: BatchCase[];
}

interface PlannedFile {
  kind: AttachmentKind;
  memberIndex: number | null;
  /** The ZIP entry. */
  entry: string;
}

interface Planned {
  family: BatchFamily;
  files: PlannedFile[];
}

export async function submitCaseBatch(
  deps: Deps,
  upload: BatchUpload,
  options: { dryRun: boolean },
  actor: Actor,
): Promise<BatchResult> {
  if (!actor.roles.includes('requester_staff') || actor.organisationId === null || actor.regionCode === null)
    throw new AppError('PERMISSION_DENIED', '只有委托单位经办人可以提交核对委托');
  const regionCode = actor.regionCode;
  const today = shanghaiDateOf(deps.clock.now());
  const batchRef = randomUUID();
  const result = (status: BatchResult['status'], fields: Partial<BatchResult> = {}): BatchResult => ({
    status,
    dryRun: options.dryRun,
    batchRef,
    rows: 0,
    families: 0,
    members: 0,
    attachments: 0,
    problems: [],
    cases: [],
    ...fields,
  });
  const refuse = async (fields: Partial<BatchResult>) => {
    const refused = result('rejected', fields);
    await auditOutcome(deps, actor, refused);
    return refused;
  };

  if (!upload.ok)
    return refuse({ problems: [{ row: null, column: null, code: upload.code, message: upload.message }] });
  const sheet = await readSheet(deps, upload.workbookPath);
  if (!sheet.ok) return refuse({ problems: sheet.problems });

  const parsed = parseBatchSheet(sheet.index, sheet.rows, today);
  const problems: BatchProblem[] = [...parsed.problems];
  if (sheet.truncated)
    problems.push({
      row: null,
      column: null,
      code: 'TOO_MANY_ROWS',
      message: `一次最多提交 ${MAX_BATCH_ROWS} 行（成员），请分成几个文件提交`,
    });
  for (const family of parsed.families) {
    // Exactly what submitCase checks for a single submission.
    const checked = parseHouseholdRequest({ caseRef: 'PENDING', regionCode, ...family.input }, today);
    if (!checked.ok) problems.push(...householdProblemsOf(family, checked.problems));
  }
  const plan = await checkFiles(deps, parsed, upload.files, problems);
  const counts = {
    rows: parsed.rows,
    families: parsed.families.length,
    members: parsed.families.reduce((n, f) => n + f.input.members.length, 0),
    attachments: plan.reduce((n, p) => n + p.files.length, 0),
  };
  if (problems.length > 0) return refuse({ ...counts, problems: capProblems(sortProblems(problems)) });
  if (options.dryRun) {
    const valid = result('valid', counts);
    await auditOutcome(deps, actor, valid);
    return valid;
  }
  const cases = await deps.store.transaction((tx) =>
    entrustAll({ ...deps, store: joined(deps.store, tx) }, plan, upload.files, actor, batchRef),
  );
  return result('created', { ...counts, cases });
}

/** A store whose transactions join the one already open: the single-submission use cases run inside it. */
function joined(store: Store, tx: Repositories): Store {
  return { ...tx, dialect: store.dialect, transaction: (fn) => fn(tx) };
}

async function entrustAll(
  deps: Deps,
  plan: readonly Planned[],
  files: BatchFiles | null,
  actor: Actor,
  batchRef: string,
): Promise<BatchCase[]> {
  const cases: BatchCase[] = [];
  for (const { family, files: papers } of plan) {
    const kase = await submitCase(deps, family.input, actor);
    for (const paper of papers) {
      if (!files) break;
      await addAttachment(
        deps,
        kase.id,
        {
          kind: paper.kind,
          memberIndex: paper.memberIndex,
          fileName: baseName(paper.entry),
          bytes: await files.read(paper.entry, MAX_ATTACHMENT_BYTES),
        },
        actor,
      );
    }
    cases.push({
      id: kase.id,
      number: kase.number,
      family: family.key,
      firstRow: family.firstRow,
      applicant: maskName(family.input.members[0]?.name ?? ''),
      memberCount: kase.memberCount,
      attachments: papers.length,
    });
  }
  const at = deps.clock.now().toISOString();
  await deps.store.audit.append(
    actor,
    {
      action: 'CASE_BATCH_SUBMITTED',
      outcome: 'success',
      objectType: 'case_batch',
      objectId: batchRef,
      details: {
        cases: cases.map((c) => c.number),
        families: cases.length,
        members: cases.reduce((n, c) => n + c.memberCount, 0),
        attachments: cases.reduce((n, c) => n + c.attachments, 0),
      },
    },
    at,
  );
  return cases;
}

async function auditOutcome(deps: Deps, actor: Actor, result: BatchResult): Promise<void> {
  await deps.store.audit.append(
    actor,
    {
      action: result.dryRun ? 'CASE_BATCH_CHECKED' : 'CASE_BATCH_REFUSED',
      outcome: result.status === 'rejected' ? 'failure' : 'success',
      objectType: 'case_batch',
      objectId: result.batchRef,
      // Codes and rows only: the problems' messages carry names and ID numbers.
      details: {
        rows: result.rows,
        families: result.families,
        members: result.members,
        problems: result.problems.length,
        codes: [...new Set(result.problems.map((p) => p.code))],
      },
    },
    deps.clock.now().toISOString(),
  );
}

type Sheet =
  | { ok: true; index: Map<string, number>; rows: BatchSheetRow[]; truncated: boolean }
  | { ok: false; problems: BatchProblem[] };

async function readSheet(deps: Deps, path: string): Promise<Sheet> {
  const opened = await deps.tables.open(path);
  if (!opened.ok)
    return {
      ok: false,
      problems: [{ row: null, column: null, code: 'NOT_A_WORKBOOK', message: opened.error.message }],
    };
  const headers = mapBatchHeaders(opened.table.headers);
  if (!headers.ok) return { ok: false, problems: headers.problems };
  const rows: BatchSheetRow[] = [];
  let truncated = false;
  try {
    for await (const row of opened.table.rows) {
      if (rows.length >= MAX_BATCH_ROWS) {
        truncated = true;
        break;
      }
      rows.push({ rowNumber: row.rowNumber, cells: row.cells });
    }
  } catch (e) {
    const error = deps.tables.asFileError(e);
    if (!error) throw e;
    return {
      ok: false,
      problems: [{ row: null, column: null, code: 'NOT_A_WORKBOOK', message: error.message }],
    };
  }
  return { ok: true, index: headers.index, rows, truncated };
}

function baseName(entry: string): string {
  return entry.slice(entry.lastIndexOf('/') + 1);
}

/**
 * Every file a cell names must be in the ZIP, a PDF, JPEG or PNG by its content and at most 10 MB; an
 * authorization may serve one member of one case (一事一授权): not twice in the batch, not if on file already.
 */
async function checkFiles(
  deps: Deps,
  { families, unplacedFiles }: ParsedBatchSheet,
  files: BatchFiles | null,
  problems: BatchProblem[],
): Promise<Planned[]> {
  const problem = (ref: BatchFileRef, code: BatchProblemCode, message: string) =>
    problems.push({ row: ref.row, column: ref.column, code, message });
  const checked = new Map<string, { ok: boolean; sm3: string }>();
  const authorizations = new Map<string, number>();

  const check = async (ref: BatchFileRef, kind: AttachmentKind): Promise<string | null> => {
    const label = ATTACHMENT_KIND_LABELS[kind];
    if (files === null) {
      problem(
        ref,
        'ATTACHMENT_MISSING',
        `引用了${label}文件“${ref.name}”，但上传的只是表格；请把表格和所引用的文件一起打包成 ZIP 上传`,
      );
      return null;
    }
    const entry = files.find(ref.name);
    if (!entry) {
      problem(ref, 'ATTACHMENT_MISSING', `压缩包中找不到${label}文件“${ref.name}”`);
      return null;
    }
    if (entry.bytes > MAX_ATTACHMENT_BYTES) {
      problem(
        ref,
        'ATTACHMENT_TOO_LARGE',
        `${label}文件“${ref.name}”超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
      );
      return null;
    }
    let seen = checked.get(entry.name);
    if (seen === undefined) {
      const bytes = await files.read(entry.name, MAX_ATTACHMENT_BYTES).catch(() => null);
      seen =
        bytes === null || sniffAttachment(bytes) === null
          ? { ok: false, sm3: '' }
          : { ok: true, sm3: createHash('sm3').update(bytes).digest('hex') };
      checked.set(entry.name, seen);
    }
    if (!seen.ok) {
      problem(
        ref,
        'ATTACHMENT_WRONG_TYPE',
        `${label}文件“${ref.name}”不是 PDF、JPEG 或 PNG 文件（按文件内容识别），或已损坏`,
      );
      return null;
    }
    if (kind === 'authorization') {
      const first = authorizations.get(seen.sm3);
      if (first !== undefined) {
        problem(
          ref,
          'AUTHORIZATION_REPEATED',
          `授权书文件“${ref.name}”与第 ${first} 行的授权书是同一份文件；一事一授权，每名成员须有自己签署的授权书`,
        );
        return null;
      }
      authorizations.set(seen.sm3, ref.row);
      if ((await deps.store.cases.authorizationCase(seen.sm3)) !== undefined) {
        problem(
          ref,
          'AUTHORIZATION_ON_FILE',
          `授权书文件“${ref.name}”已用于其他案件；一事一授权，不能重复使用`,
        );
        return null;
      }
    }
    return entry.name;
  };

  const plan: Planned[] = [];
  for (const family of families) {
    const planned: PlannedFile[] = [];
    for (const [index, ref] of family.authorizations.entries()) {
      const entry = ref ? await check(ref, 'authorization') : null;
      if (entry) planned.push({ kind: 'authorization', memberIndex: index, entry });
    }
    for (const [index, ref] of family.idDocuments.entries()) {
      const entry = ref ? await check(ref, 'id_document') : null;
      if (entry) planned.push({ kind: 'id_document', memberIndex: index, entry });
    }
    const pledge = family.pledge ? await check(family.pledge, 'pledge') : null;
    if (pledge) planned.push({ kind: 'pledge', memberIndex: null, entry: pledge });
    plan.push({ family, files: planned });
  }
  // Files named by rows of families with other problems are checked too, so that one upload lists everything.
  for (const { ref, kind } of unplacedFiles) await check(ref, kind);
  return plan;
}

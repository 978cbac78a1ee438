import { sm3Hex } from '../../domain/audit/chain.ts';
import type { RawCell } from '../../domain/catalog/types.ts';
import {
  MAX_ROSTER_ROWS,
  mapRosterHeaders,
  parseRoster,
  ROSTER_FIELDS,
  type RosterFamily,
  type RosterField,
  type RosterProblem,
  type RosterRowInput,
} from '../../domain/roster/roster.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, TableSource } from '../ports.ts';
import { requesterOf, townshipsOf } from './roster-access.ts';
import { authorizationIndex, authorizationOf } from './roster-authorization.ts';
import type { NewRosterFamily, RosterSource } from './roster-repository.ts';

/**
 * Importing a requester's roster for a month (issue #6 item 1), from a spreadsheet or pushed as JSON. All or
 * nothing: any problem rejects the whole roster and lists every problem with its row. A new import for the
 * same month supersedes the standing version (kept, never deleted). Each family's authorization is looked up
 * at import: it is on file when an accepted case of this requester lists every member of the family.
 */

export type RosterImportInput =
  | { source: 'upload'; month: string; fileName: string; path: string }
  | { source: 'api'; month: string; rows: unknown };

export interface RosterImportProblem {
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface RosterImportResult {
  status: 'committed' | 'rejected';
  versionId: number | null;
  month: string;
  familyCount: number;
  memberCount: number;
  authorizationMissingCount: number;
  supersededVersionId: number | null;
  problems: RosterImportProblem[];
}

/** At most this many problems are returned (the count says how many there were). */
const MAX_PROBLEMS = 1000;

async function rowsOfTable(table: TableSource): Promise<{ rows: RosterRowInput[]; missing: RosterField[] }> {
  const { columns, missing } = mapRosterHeaders(table.headers);
  const rows: RosterRowInput[] = [];
  if (missing.length > 0) return { rows, missing };
  for await (const row of table.rows) {
    const cells: Partial<Record<RosterField, RawCell>> = {};
    for (const [index, field] of columns) cells[field] = row.cells[index] ?? null;
    rows.push({ rowNumber: row.rowNumber, cells });
    // One more than allowed is enough for the parser to refuse the roster.
    if (rows.length > MAX_ROSTER_ROWS) break;
  }
  return { rows, missing };
}

/** JSON rows are numbered as a spreadsheet would show them: the first row is row 2. */
function rowsOfJson(body: unknown): RosterRowInput[] {
  if (!Array.isArray(body))
    throw new AppError('VALIDATION_FAILED', '推送的名册应为 JSON 数组：每个成员一个对象，字段同模板列名');
  if (body.length > MAX_ROSTER_ROWS + 1)
    throw new AppError('VALIDATION_FAILED', `名册超过 ${MAX_ROSTER_ROWS} 行，请按乡镇拆分后分别推送`);
  return body.map((item, index) => {
    const cells: Partial<Record<RosterField, RawCell>> = {};
    if (typeof item === 'object' && item !== null) {
      for (const field of ROSTER_FIELDS) {
        const value = (item as Record<string, unknown>)[field];
        if (typeof value === 'string' || typeof value === 'number') cells[field] = value;
      }
    }
    return { rowNumber: index + 2, cells };
  });
}

async function readInput(
  deps: Deps,
  input: RosterImportInput,
): Promise<
  | { ok: true; rows: RosterRowInput[]; missing: RosterField[]; sm3: string; fileName: string | null }
  | { ok: false; problem: RosterImportProblem }
> {
  if (input.source === 'api') {
    const rows = rowsOfJson(input.rows);
    return { ok: true, rows, missing: [], sm3: sm3Hex(JSON.stringify(input.rows)), fileName: null };
  }
  const { sm3 } = await deps.tables.fingerprint(input.path);
  const opened = await deps.tables.open(input.path);
  if (!opened.ok) return { ok: false, problem: { row: 0, column: '', ...opened.error } };
  try {
    const { rows, missing } = await rowsOfTable(opened.table);
    return { ok: true, rows, missing, sm3, fileName: input.fileName };
  } catch (e) {
    const late = deps.tables.asFileError(e);
    if (!late) throw e;
    return { ok: false, problem: { row: 0, column: '', ...late } };
  }
}

async function reject(
  deps: Deps,
  actor: Actor,
  input: RosterImportInput,
  problems: readonly RosterImportProblem[],
): Promise<RosterImportResult> {
  await deps.store.audit.append(
    actor,
    {
      action: 'ROSTER_REJECTED',
      outcome: 'failure',
      objectType: 'roster',
      objectId: null,
      details: {
        month: input.month,
        source: input.source,
        problemCount: problems.length,
        codes: [...new Set(problems.map((p) => p.code))],
      },
    },
    deps.clock.now().toISOString(),
  );
  return {
    status: 'rejected',
    versionId: null,
    month: input.month,
    familyCount: 0,
    memberCount: 0,
    authorizationMissingCount: 0,
    supersededVersionId: null,
    problems: problems.slice(0, MAX_PROBLEMS),
  };
}

export async function importRoster(
  deps: Deps,
  input: RosterImportInput,
  actor: Actor,
): Promise<RosterImportResult> {
  const requester = requesterOf(actor);
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  const read = await readInput(deps, input);
  if (!read.ok) return reject(deps, actor, input, [read.problem]);

  const townships = await townshipsOf(deps.store, requester.regionCode);
  const parsed = parseRoster(
    read.rows,
    { month: input.month, today, isRegionInScope: (code) => townships.has(code) },
    read.missing,
  );
  if (!parsed.ok) return reject(deps, actor, input, parsed.problems);

  const index = await authorizationIndex(deps, requester.organisationId);
  const problems: RosterProblem[] = [];
  const families: NewRosterFamily[] = [];
  for (const family of parsed.families) {
    const personKeys = family.members.map((m) => deps.crypto.blindIndex(m.idNumber));
    const authorization = await authorizationOf(deps, index, family, personKeys, requester.organisationId);
    if (authorization.problem) problems.push(authorization.problem);
    families.push(storedFamily(deps, family, personKeys, authorization));
  }
  if (problems.length > 0) return reject(deps, actor, input, problems);

  const missing = families.filter((f) => !f.authorizationOnFile).length;
  const at = now.toISOString();
  return deps.store.transaction(async (tx) => {
    const { version, superseded } = await tx.rosters.createVersion(
      {
        requesterOrganisationId: requester.organisationId,
        month: input.month,
        source: input.source as RosterSource,
        fileName: read.fileName,
        sm3: read.sm3,
        familyCount: families.length,
        memberCount: parsed.memberCount,
        authorizationMissingCount: missing,
        createdAt: at,
        createdBy: actor.userId,
        createdByName: actor.name,
      },
      families,
    );
    await tx.audit.append(
      actor,
      {
        action: 'ROSTER_IMPORTED',
        outcome: 'success',
        objectType: 'roster',
        objectId: String(version.id),
        details: {
          month: version.month,
          source: version.source,
          sm3: version.sm3,
          families: version.familyCount,
          members: version.memberCount,
          authorizationMissing: missing,
          supersededVersionId: superseded?.id ?? null,
        },
      },
      at,
    );
    return {
      status: 'committed',
      versionId: version.id,
      month: version.month,
      familyCount: version.familyCount,
      memberCount: version.memberCount,
      authorizationMissingCount: missing,
      supersededVersionId: superseded?.id ?? null,
      problems: [],
    };
  });
}

function storedFamily(
  deps: Deps,
  family: RosterFamily,
  personKeys: string[],
  authorization: { caseId: number | null; onFile: boolean },
): NewRosterFamily {
  return {
    familyKey: family.familyKey,
    regionCode: family.regionCode,
    assistanceType: family.assistanceType,
    startDate: family.startDate,
    monthlyAmountFen: family.monthlyAmountFen,
    memberCount: family.members.length,
    membersEnc: deps.crypto.encrypt(JSON.stringify(family.members)),
    authorizationCaseId: authorization.caseId,
    authorizationSm3: family.authorizationSm3,
    authorizationOnFile: authorization.onFile,
    personKeys,
  };
}

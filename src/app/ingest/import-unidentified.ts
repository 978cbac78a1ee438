import { findDataset } from '../../domain/catalog/datasets.ts';
import { checkPeriodForFrequency, parsePeriod } from '../../domain/catalog/period.ts';
import { checkHeaders, rowKey } from '../../domain/catalog/rows.ts';
import type { CellValue, DatasetDef, FileError, RowError } from '../../domain/catalog/types.ts';
import {
  checkAcceptsUnidentified,
  checkUnidentifiedRow,
  unidentifiedDataset,
  unidentifiedStorageDataset,
} from '../../domain/catalog/unidentified.ts';
import { matchNearbyId } from '../../domain/matching/by-id.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { usableBatches } from '../assessment/gather-records.ts';
import type { Actor, BatchRecord, Deps, NewRecordRow, Repositories, TableSource } from '../ports.ts';
import {
  departmentOf,
  type ImportInput,
  type ImportResult,
  MAX_REPORTED_ERRORS,
  newBatch,
  recordRejection,
  toRecordRow,
} from './import-batch.ts';

/**
 * 「待认定记录」补充报送 (issue #7): a department's rows whose 身份证号 is missing or fails its check, for one dataset and
 * period, as a batch of their own (`kind` `unidentified`) — all or nothing like any batch, every other cell checked
 * as in the main template. A row with a mistyped number is linked at import when exactly one person of the standing
 * register (hukou) holds a valid number one typing slip away and has the same name (`nearbyIdNumbers` +
 * `matchNearbyId`): the record gets that person's key and `idLink: 'nearby_id'`, the number as written kept
 * encrypted in `idEnc`. Every other row keeps no person key and is indexed by its birth date, and the assessment
 * links it by name + birth date (or puts it to staff as a possible match), as any record without an ID.
 * An unidentified batch supersedes only the unidentified batch of the same dataset and period, and is never
 * superseded by the main batch.
 */

export interface ImportUnidentifiedResult extends ImportResult {
  kind: 'unidentified';
  /** Rows linked at import to a person by a nearby valid ID number. */
  nearbyIdRows: number;
  /** Rows left to the assessment's name + birth-date matching. */
  nameBirthRows: number;
}

/**
 * Rows resolved at once: one register query per page. A number has at most 52 valid neighbours (two digits per
 * position, the recomputed check character, 17 swaps), so a page's keys stay under MAX_REGISTER_KEYS.
 */
const PAGE_ROWS = 500;

interface PendingRow {
  rowNumber: number;
  values: Record<string, CellValue>;
  written: string | null;
  nearby: string[];
}

export async function importUnidentified(
  deps: Deps,
  input: ImportInput,
  actor: Actor,
): Promise<ImportUnidentifiedResult> {
  const outcome = (r: ImportResult, counts = { nearbyIdRows: 0, nameBirthRows: 0 }) => ({
    ...r,
    kind: 'unidentified' as const,
    ...counts,
  });
  const early = (fileErrors: FileError[]) =>
    outcome({
      status: 'rejected',
      batchId: null,
      dataset: input.datasetCode,
      period: input.period,
      rows: 0,
      stored: 0,
      warnings: [],
      errors: [],
      fileErrors,
    });
  const dataset = findDataset(input.datasetCode);
  if (!dataset)
    return early([{ code: 'UNKNOWN_DATASET', message: `未知的数据集代码「${input.datasetCode}」` }]);
  const refused = checkAcceptsUnidentified(dataset);
  if (refused) return early([refused]);
  const period = parsePeriod(input.period);
  if (!period.ok) return early([{ code: 'INVALID_PERIOD', message: period.message }]);
  const periodProblem = checkPeriodForFrequency(dataset.frequency, period.value);
  if (periodProblem) return early([periodProblem]);
  const actorOrg = actor.organisationId
    ? await deps.store.organisations.get(actor.organisationId)
    : undefined;
  const departmentCode = departmentOf(dataset, input, actor, actorOrg?.departmentCode ?? null);
  const template = unidentifiedDataset(dataset);

  const now = deps.clock.now();
  const at = now.toISOString();
  const today = shanghaiDateOf(now);
  const label = period.value.label;
  const fp = input.pushed
    ? { sm3: input.pushed.fingerprint, bytes: input.pushed.bytes }
    : await deps.tables.fingerprint(input.path as string);

  const previous = await deps.store.unidentified.current(dataset.code, label);
  if (previous && previous.fingerprint === fp.sm3) {
    await deps.store.audit.append(
      actor,
      {
        action: 'BATCH_DUPLICATE',
        outcome: 'success',
        objectType: 'batch',
        objectId: String(previous.id),
        details: { dataset: dataset.code, period: label, kind: 'unidentified', fingerprint: fp.sm3 },
      },
      at,
    );
    return outcome(
      {
        status: 'duplicate',
        batchId: previous.id,
        dataset: dataset.code,
        period: label,
        rows: previous.rowsRead,
        stored: previous.rowsStored,
        warnings: ['该文件与本期已入库的待认定记录批次完全相同，未作任何变更'],
        errors: [],
        fileErrors: [],
      },
      { nearbyIdRows: previous.nearbyIdRows ?? 0, nameBirthRows: previous.nameBirthRows ?? 0 },
    );
  }

  const base: Omit<BatchRecord, 'id'> = {
    ...newBatch({ dataset, period: period.value, departmentCode, input, actor, fp, at, today }),
    kind: 'unidentified',
  };

  const fileErrors: FileError[] = [];
  if (dataset.kind === 'periodic') {
    const overlapping = (
      await deps.store.unidentified.committedOverlapping(
        dataset.code,
        period.value.firstMonth,
        period.value.lastMonth,
      )
    ).filter((b) => b.period !== label);
    if (overlapping.length > 0)
      fileErrors.push({
        code: 'PERIOD_OVERLAP',
        message: `报送期 ${label} 与已入库的待认定记录批次的报送期 ${overlapping.map((b) => b.period).join('、')} 部分重叠；同一报送期请整期重报以替代旧批次`,
      });
  }
  let table: TableSource | null = null;
  if (fileErrors.length === 0) {
    if (input.pushed) table = input.pushed.table;
    else {
      const opened = await deps.tables.open(input.path as string);
      if (opened.ok) table = opened.table;
      else fileErrors.push(opened.error);
    }
  }
  const headers = table ? checkHeaders(template, table.headers) : null;
  if (headers) fileErrors.push(...headers.errors);

  const errors: RowError[] = [];
  let errorCount = 0;
  let rowsRead = 0;
  if (fileErrors.length === 0 && table && headers) {
    const source = table;
    const register = await registerBatchIds(deps);
    try {
      return await deps.store.transaction(async (tx: Repositories) => {
        // Two uploads of one period's unidentified rows at once must not both become current.
        await tx.batches.lockPeriod(dataset.code, `${label}#unidentified`);
        const superseded = await tx.unidentified.current(dataset.code, label);
        const batch = await tx.batches.create({
          ...base,
          format: input.pushed?.format ?? source.format,
          encoding: source.encoding,
        });
        const counts = { stored: 0, nearbyIdRows: 0, nameBirthRows: 0 };
        const seen = new Set<string>();
        const flush = async (page: PendingRow[]) => {
          const records = await resolvePage(deps, tx, dataset, register, page);
          const fresh = records.filter((r) => !seen.has(r.rowHash));
          for (const r of fresh) {
            seen.add(r.rowHash);
            if (r.personKey !== null) counts.nearbyIdRows += 1;
            else counts.nameBirthRows += 1;
          }
          counts.stored += await tx.batches.insertRecords(batch.id, dataset.code, fresh);
        };
        let page: PendingRow[] = [];
        for await (const { rowNumber, cells } of source.rows) {
          rowsRead += 1;
          const row = checkUnidentifiedRow(template, headers.columnIndex, rowNumber, cells, {
            today,
            period: period.value,
          });
          if (row.errors.length > 0) {
            errorCount += row.errors.length;
            for (const e of row.errors) if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
            page = [];
            continue;
          }
          if (errorCount > 0) continue;
          page.push({ rowNumber, values: row.values, written: row.written, nearby: row.nearby });
          if (page.length >= PAGE_ROWS) {
            await flush(page);
            page = [];
          }
        }
        if (rowsRead === 0) fileErrors.push({ code: 'EMPTY_FILE', message: '文件只有表头，没有数据行' });
        if (errorCount > 0 || fileErrors.length > 0) throw new Rejected();
        await flush(page);
        // Change-driven rechecks: the roster families of the persons linked by a nearby number, and of those born
        // on the day of a row left to name + birth date.
        const marked =
          (await tx.recheckMarks.markForBatch(batch.id, dataset.code, at)) +
          (counts.nameBirthRows > 0 ? await tx.unidentified.markByBirthDate(batch.id, at) : 0);
        if (superseded)
          await tx.batches.update(superseded.id, { status: 'superseded', supersededBy: batch.id });
        const duplicates = rowsRead - counts.stored;
        const warnings = duplicates > 0 ? [`${duplicates} 行与文件中其他行完全相同，只保存一次`] : [];
        await tx.batches.update(batch.id, {
          rowsRead,
          rowsStored: counts.stored,
          duplicateRows: duplicates,
          nearbyIdRows: counts.nearbyIdRows,
          nameBirthRows: counts.nameBirthRows,
          errors: deps.crypto.encrypt(JSON.stringify({ errors: [], fileErrors: [], warnings })),
          finishedAt: deps.clock.now().toISOString(),
        });
        await tx.audit.append(
          actor,
          {
            action: 'BATCH_COMMITTED',
            outcome: 'success',
            objectType: 'batch',
            objectId: String(batch.id),
            details: {
              dataset: dataset.code,
              period: label,
              kind: 'unidentified',
              rows: rowsRead,
              stored: counts.stored,
              nearbyIdRows: counts.nearbyIdRows,
              nameBirthRows: counts.nameBirthRows,
              fingerprint: fp.sm3,
              supersedes: superseded ? superseded.id : null,
              recheckMarks: marked,
            },
          },
          at,
        );
        return outcome(
          {
            status: 'committed',
            batchId: batch.id,
            dataset: dataset.code,
            period: label,
            rows: rowsRead,
            stored: counts.stored,
            warnings,
            errors: [],
            fileErrors: [],
          },
          { nearbyIdRows: counts.nearbyIdRows, nameBirthRows: counts.nameBirthRows },
        );
      });
    } catch (e) {
      if (!(e instanceof Rejected)) {
        const late = deps.tables.asFileError(e);
        if (!late) throw e;
        fileErrors.push(late);
      }
    }
  }
  if (errorCount > errors.length)
    fileErrors.push({
      code: 'TOO_MANY_ERRORS',
      message: `共 ${errorCount} 处错误，报告列出前 ${errors.length} 处；请先修正这些错误后重新上传`,
    });
  return outcome(
    await recordRejection(deps, actor, template, base, {
      errors,
      errorCount,
      fileErrors,
      rowsRead,
      input,
      at,
    }),
  );
}

class Rejected extends Error {}

/** The register the nearby numbers are looked up in: the standing hukou batch (the newest main delivery). */
async function registerBatchIds(deps: Deps): Promise<number[]> {
  const standing = await deps.store.assessments.standingBatches(null);
  const deliveries = standing.filter(
    (b) =>
      b.dataset === 'hukou' && b.kind !== 'unidentified' && b.source !== 'offline' && b.source !== 'query',
  );
  return usableBatches(deliveries).map((b) => b.id);
}

/**
 * The records of a page of checked rows. The valid numbers one slip away from every mistyped number of the page are
 * looked up in the register at once; a row is linked when exactly one same-name person holds one of them.
 */
async function resolvePage(
  deps: Deps,
  tx: Repositories,
  dataset: DatasetDef,
  register: number[],
  page: PendingRow[],
): Promise<NewRecordRow[]> {
  const { crypto } = deps;
  const keyOf = new Map<string, string>();
  for (const row of page)
    for (const id of row.nearby) if (!keyOf.has(id)) keyOf.set(id, crypto.blindIndex(id));
  const found = keyOf.size === 0 ? [] : await tx.unidentified.registerNames(register, [...keyOf.values()]);
  const persons = new Map<string, { personKey: string; name: string }>();
  for (const { personKey, nameEnc } of found)
    if (!persons.has(personKey)) persons.set(personKey, { personKey, name: crypto.decrypt(nameEnc) });
  const storage = unidentifiedStorageDataset(dataset);
  return page.map((row) => {
    const candidates = row.nearby.flatMap((id) => {
      const person = persons.get(keyOf.get(id) as string);
      return person ? [person] : [];
    });
    const name = typeof row.values.name === 'string' ? row.values.name : null;
    const linked = candidates.length === 0 ? null : matchNearbyId(name, candidates).linked;
    const record = toRecordRow(deps, storage, row.rowNumber, row.values);
    const common = {
      ...record,
      // The number as written is part of the row: two rows differing only in it are not duplicates.
      rowHash: crypto.rowFingerprint(rowKey({ ...row.values, idNumber: row.written })),
      idEnc: row.written === null ? null : crypto.encrypt(row.written),
    };
    if (linked === null) return common;
    return {
      ...common,
      personKey: linked.personKey,
      birthKey: null,
      values: JSON.stringify({ ...(JSON.parse(record.values) as object), idLink: 'nearby_id' }),
    };
  });
}

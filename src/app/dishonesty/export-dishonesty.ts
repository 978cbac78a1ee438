import { randomUUID } from 'node:crypto';
import {
  type DishonestyExportRow,
  exportDocument,
  exportRows,
} from '../../domain/dishonesty/export-format.ts';
import type { Actor, Deps } from '../ports.ts';
import type { DishonestyRow } from './dishonesty.port.ts';
import { decryptFacts, decryptSubjects } from './dishonesty-access.ts';

/**
 * The export for credit systems (庆阳细则第二十四条): the approved, not revoked records of the caller's region, one
 * row per person concerned, with the full ID number. Each record exported is audited with its case and the
 * export's id, and the export itself once with what it held, in one transaction.
 */

export type DishonestyExportFormat = 'csv' | 'json';

const PAGE = 500;

export async function exportDishonestyRecords(
  deps: Deps,
  input: { format: DishonestyExportFormat; approvedFrom?: string; approvedTo?: string },
  actor: Actor,
) {
  const records: DishonestyRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await deps.store.dishonesty.list({
      regionScope: actor.regionCode,
      states: ['approved'],
      ...(input.approvedFrom !== undefined ? { approvedFrom: input.approvedFrom } : {}),
      ...(input.approvedTo !== undefined ? { approvedTo: input.approvedTo } : {}),
      offset,
      limit: PAGE,
    });
    records.push(...items);
    if (items.length < PAGE) break;
  }
  records.sort((a, b) => a.id - b.id);
  const exportId = randomUUID();
  const exportedAt = deps.clock.now().toISOString();
  const rows: DishonestyExportRow[] = [];
  const caseNumbers = new Map<number, string>();
  const agencies = new Map<number, string>();
  for (const record of records) {
    const kase = record.sourceCaseId === null ? undefined : await deps.store.cases.get(record.sourceCaseId);
    if (kase) caseNumbers.set(record.id, kase.number);
    if (!agencies.has(record.agencyOrganisationId))
      agencies.set(
        record.agencyOrganisationId,
        (await deps.store.organisations.get(record.agencyOrganisationId))?.name ?? '',
      );
    const notice =
      record.noticeDocumentId === null || !kase
        ? undefined
        : (await deps.store.cases.documents(kase.id)).find(
            (document) => document.id === record.noticeDocumentId,
          );
    rows.push(
      ...exportRows({
        number: record.number,
        regionCode: record.regionCode,
        agencyName: agencies.get(record.agencyOrganisationId) ?? '',
        sourceKind: record.sourceKind,
        caseNumber: kase?.number ?? null,
        subjects: decryptSubjects(deps, record),
        facts: decryptFacts(deps, record),
        legalBasis: record.legalBasis,
        approvedOn: record.approvedOn ?? '',
        noticeNumber: notice?.number ?? null,
      }),
    );
  }
  await deps.store.transaction(async (tx) => {
    for (const record of records)
      await tx.audit.append(
        actor,
        {
          action: 'DISHONESTY_RECORD_EXPORTED',
          outcome: 'success',
          objectType: 'dishonesty_record',
          objectId: String(record.id),
          caseId: caseNumbers.get(record.id) ?? null,
          details: {
            exportId,
            format: input.format,
            number: record.number,
            subjectCount: record.subjectCount,
          },
        },
        exportedAt,
      );
    await tx.audit.append(
      actor,
      {
        action: 'DISHONESTY_RECORDS_EXPORTED',
        outcome: 'success',
        objectType: 'dishonesty_export',
        objectId: exportId,
        details: {
          format: input.format,
          records: records.map((record) => record.number),
          rows: rows.length,
          approvedFrom: input.approvedFrom ?? null,
          approvedTo: input.approvedTo ?? null,
        },
      },
      exportedAt,
    );
  });
  return exportDocument(rows, { exportedAt, exportedBy: actor.name, exportId });
}

import type { Kysely, Transaction } from 'kysely';
import type { CaseFileFact, RetentionCounts, RetentionRepository } from '../app/retention/retention.port.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

// States whose files may go once the case is closed long enough; any other state keeps everything.
const FINAL_OR_REPORTED = ['reported', 'reviewed', 'terminated', 'suspended'];

export function retentionRepository(db: Executor): RetentionRepository {
  return {
    async unpurgedBatches() {
      const rows = await db
        .selectFrom('batch as b')
        .leftJoin('batch as s', 's.id', 'b.supersededBy')
        .select([
          'b.id',
          'b.dataset',
          'b.kind',
          'b.status',
          'b.source',
          'b.periodLastMonth',
          'b.createdAt',
          'b.retractedAt',
          's.createdAt as supersededAt',
          'b.rowsStored',
        ])
        .where('b.purgedAt', 'is', null)
        .orderBy('b.id')
        .execute();
      return rows.map((r) => ({ ...r, kind: String(r.kind), rowsStored: Number(r.rowsStored) }));
    },
    async citingAssessments() {
      const rows = await db
        .selectFrom('assessment as a')
        .leftJoin('verificationCase as c', 'c.number', 'a.caseRef')
        .select([
          'a.batchIds',
          'a.createdAt',
          'a.caseRef',
          'c.id as caseId',
          'c.state',
          'c.closedOn',
          'c.appealDue',
        ])
        .execute();
      return rows.map((r) => ({
        batchIds: JSON.parse(r.batchIds) as number[],
        createdAt: r.createdAt,
        // A monthly recheck's assessments carry `RECHECK-<run>` (recheckCaseRef); anything else names a case.
        isCase: !r.caseRef.startsWith('RECHECK-'),
        case:
          r.caseId === null
            ? null
            : { state: r.state as string, closedOn: r.closedOn ?? null, appealDue: r.appealDue ?? null },
      }));
    },
    async purgeBatch(batchId, at) {
      const run = async (tx: Executor) => {
        // The batch's dataset keeps both statements in its partition on PostgreSQL (202611270300).
        const { dataset } = await tx
          .selectFrom('batch')
          .select('dataset')
          .where('id', '=', batchId)
          .executeTakeFirstOrThrow();
        const records = tx
          .selectFrom('record')
          .select('id')
          .where('batchId', '=', batchId)
          .where('dataset', '=', dataset);
        // No foreign key guards this any more (record is partitioned): the decisions go first, in the same transaction.
        await tx.deleteFrom('matchDecision').where('recordId', 'in', records).execute();
        const r = await tx
          .deleteFrom('record')
          .where('batchId', '=', batchId)
          .where('dataset', '=', dataset)
          .executeTakeFirst();
        await tx.updateTable('batch').set({ purgedAt: at }).where('id', '=', batchId).execute();
        return Number(r.numDeletedRows);
      };
      if (db.isTransaction) return run(db);
      return (db as Kysely<DB>).transaction().execute(run);
    },
    async caseFilesOfClosedCases() {
      const cases = db
        .selectFrom('verificationCase')
        .select(['id', 'state', 'closedOn', 'appealDue'])
        .where((eb) => eb.or([eb('closedOn', 'is not', null), eb('state', 'in', FINAL_OR_REPORTED)]));
      const attachments = await db
        .selectFrom('caseAttachment as f')
        .innerJoin(cases.as('c'), 'c.id', 'f.caseId')
        .select(['f.id', 'f.caseId', 'f.storedFile', 'c.state', 'c.closedOn', 'c.appealDue'])
        .where('f.purgedAt', 'is', null)
        .execute();
      const documents = await db
        .selectFrom('caseDocument as f')
        .innerJoin(cases.as('c'), 'c.id', 'f.caseId')
        .select(['f.id', 'f.caseId', 'f.storedFile', 'c.state', 'c.closedOn', 'c.appealDue'])
        .where('f.purgedAt', 'is', null)
        .execute();
      const fact =
        (kind: CaseFileFact['kind']) =>
        (r: (typeof attachments)[number]): CaseFileFact => ({
          kind,
          id: r.id,
          caseId: r.caseId,
          storedFile: r.storedFile,
          case: { state: r.state, closedOn: r.closedOn, appealDue: r.appealDue },
        });
      return [...attachments.map(fact('attachment')), ...documents.map(fact('document'))];
    },
    async markCaseFilePurged(kind, id, at) {
      const table = kind === 'attachment' ? 'caseAttachment' : 'caseDocument';
      await db.updateTable(table).set({ purgedAt: at }).where('id', '=', id).execute();
    },
    async addRun(run) {
      const row = await db
        .insertInto('retentionRun')
        .values({ ...run, dryRun: run.dryRun ? 1 : 0, counts: JSON.stringify(run.counts) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...run, id: Number(row.id) };
    },
    async recentRuns(limit) {
      const rows = await db
        .selectFrom('retentionRun')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        today: r.today,
        dryRun: Boolean(r.dryRun),
        trigger: r.trigger as 'job' | 'cli',
        counts: JSON.parse(r.counts) as RetentionCounts,
      }));
    },
  };
}

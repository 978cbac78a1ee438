import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import type { RetentionCounts } from '../../src/app/retention/retention.port.ts';
import { runRetention } from '../../src/app/retention/run-retention.ts';
import { expectError, TEST_START, useTestApp } from '../support/app.ts';
import { openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { benefitRow, commit, deliver } from '../support/deliveries.ts';
import { idNumber, personName } from '../support/department-data.ts';

const ACTOR = { ...SYSTEM_ACTOR, name: '保存期测试' };
const members = (from: number) =>
  [from, from + 1].map((i) => ({
    idNumber: idNumber(i),
    name: personName(i),
    relation: i === from ? '本人' : '配偶',
  }));
const rows = (months: string[], from = 1) =>
  months.flatMap((m) => [from, from + 1].map((i) => benefitRow(i, m)));

describeEachDatabase('retention and erasure of department records and case files', (dialect) => {
  const t = useTestApp(dialect, {
    env: {
      HEDUI_RETENTION_RECORD_DAYS: '365',
      HEDUI_RETENTION_CASE_DAYS: '365',
      HEDUI_AUDIT_RETENTION_DAYS: '180',
    },
  });
  const ids: Record<'superseded' | 'cited' | 'closedCited' | 'newest', number> = {
    superseded: 0,
    cited: 0,
    closedCited: 0,
    newest: 0,
  };
  const cases = { open: 0, closed: 0 };

  async function recordCount(batchId: number): Promise<number> {
    const r = await t.database.db
      .selectFrom('record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('batchId', '=', batchId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async function citeFrom(caseNumber: string, batchIds: number[]) {
    await t.database.db
      .insertInto('assessment')
      .values({
        caseRef: caseNumber,
        regionCode: '621002',
        assistanceType: 'minimum_living',
        policyLabel: 'test',
        asOfDate: '2025-09-26',
        mode: 'standing',
        batchIds: JSON.stringify(batchIds),
        memberCount: 2,
        summary: '{}',
        inputEnc: 'x',
        resultEnc: 'x',
        createdAt: TEST_START,
      })
      .execute();
  }

  beforeAll(async () => {
    // 2022 delivered, then corrected a month later: the first is superseded since 2023-02-20.
    ids.superseded = await commit(t, {
      dataset: 'benefit',
      period: '2022',
      rows: rows(['2022-03']),
      at: '2023-01-20T02:00:00.000Z',
    });
    ids.cited = await commit(t, {
      dataset: 'benefit',
      period: '2022',
      rows: rows(['2022-04']),
      at: '2023-02-20T02:00:00.000Z',
    });
    ids.closedCited = await commit(t, {
      dataset: 'benefit',
      period: '2021',
      rows: rows(['2021-05']),
      at: '2022-01-20T02:00:00.000Z',
    });
    ids.newest = await commit(t, {
      dataset: 'benefit',
      period: '2025',
      rows: rows(['2025-05']),
      at: '2025-09-01T02:00:00.000Z',
    });
    t.clock.set(TEST_START);
    const open = await openCase(t.deps, members(40));
    const closed = await openCase(t.deps, members(50));
    cases.open = open.id;
    cases.closed = closed.id;
    await citeFrom(open.number, [ids.cited, ids.newest]);
    await citeFrom(closed.number, [ids.closedCited]);
    // The second case was reviewed and closed long ago: its report is no longer in force.
    await t.database.db
      .updateTable('verificationCase')
      .set({ state: 'reviewed', closedOn: '2023-06-01' })
      .where('id', '=', closed.id)
      .execute();
  });

  const expected: RetentionCounts = {
    batchesPurged: 2,
    recordsPurged: 4,
    batchesKeptForReports: 1,
    caseFilesPurged: 0,
    auditEntriesPurged: 0,
    auditPurgedThrough: null,
  };

  it('counts in a dry run what would go and changes nothing', async () => {
    const files = await t.deps.store.cases.attachments(cases.closed);
    const run = await runRetention(t.deps, { dryRun: true, trigger: 'cli' }, ACTOR);
    expect(run.counts).toEqual({
      ...expected,
      caseFilesPurged: files.length + (await t.deps.store.cases.documents(cases.closed)).length,
    });
    expect(await recordCount(ids.superseded)).toBe(2);
    expect(await recordCount(ids.closedCited)).toBe(2);
    const [audited] = await t.audit('RETENTION_DRY_RUN');
    expect(audited?.details).toMatchObject({ batchesPurged: 2, recordsPurged: 4 });
  });

  it('purges superseded and old batches with their rows, keeps what a report in force cites and the current data', async () => {
    const closedFiles = await t.deps.store.cases.attachments(cases.closed);
    const closedDocs = await t.deps.store.cases.documents(cases.closed);
    const openFiles = await t.deps.store.cases.attachments(cases.open);
    expect(closedFiles.length).toBeGreaterThan(0);
    const run = await runRetention(t.deps, { dryRun: false, trigger: 'job' }, ACTOR);
    expect(run.counts).toEqual({ ...expected, caseFilesPurged: closedFiles.length + closedDocs.length });

    expect(await recordCount(ids.superseded)).toBe(0);
    expect(await recordCount(ids.closedCited)).toBe(0);
    // Cited by the open case's report: past its period, kept for the report's provenance.
    expect(await recordCount(ids.cited)).toBe(2);
    expect(await recordCount(ids.newest)).toBe(2);
    const batches = await t.database.db
      .selectFrom('batch')
      .select(['id', 'purgedAt', 'fingerprint'])
      .execute();
    const purged = batches.filter((b) => b.purgedAt !== null).map((b) => b.id);
    expect(purged.sort()).toEqual([ids.superseded, ids.closedCited].sort());
    // The batch rows themselves stay (provenance: fingerprint, period, counts).
    expect(batches.find((b) => b.id === ids.superseded)?.fingerprint).toMatch(/\S/);

    for (const f of closedFiles)
      await expect(t.deps.files.get('attachments', f.storedFile)).rejects.toThrow();
    for (const f of openFiles)
      expect((await t.deps.files.get('attachments', f.storedFile)).length).toBeGreaterThan(0);
    const marked = await t.database.db
      .selectFrom('caseAttachment')
      .select(['caseId', 'purgedAt'])
      .where('purgedAt', 'is not', null)
      .execute();
    expect(new Set(marked.map((m) => m.caseId))).toEqual(new Set([cases.closed]));

    const [audited] = await t.audit('RETENTION_PURGED');
    expect(audited?.details).toMatchObject({ batchesPurged: 2, recordsPurged: 4, batchesKeptForReports: 1 });
    expect([...((audited?.details.batchIds ?? []) as number[])].sort()).toEqual(
      [ids.superseded, ids.closedCited].sort(),
    );
  });

  it('purges nothing more when run again', async () => {
    const run = await runRetention(t.deps, { dryRun: false, trigger: 'job' }, ACTOR);
    expect(run.counts).toMatchObject({
      batchesPurged: 0,
      recordsPurged: 0,
      caseFilesPurged: 0,
      batchesKeptForReports: 1,
    });
  });

  it('still imports and supersedes normally after a purge', async () => {
    const result = await deliver(t, {
      dataset: 'benefit',
      period: '2022',
      rows: rows(['2022-06']),
      at: TEST_START,
    });
    expect(result.status).toBe('committed');
  });

  describe('the retention page', () => {
    it('shows administrators the settings and the last runs, and nobody else', async () => {
      const admin = await t.login('admin');
      const res = await t.call('GET', '/api/retention', { cookie: admin });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{
        settings: Record<string, unknown>;
        runs: { dryRun: boolean; trigger: string }[];
      }>();
      expect(body.settings).toMatchObject({ auditDays: 180, recordDays: 365, closedCaseDays: 365 });
      expect(body.runs.map((r) => [r.trigger, r.dryRun])).toEqual([
        ['job', false],
        ['job', false],
        ['cli', true],
      ]);
      expectError(
        await t.call('GET', '/api/retention', { cookie: await t.login('auditor') }),
        403,
        'PERMISSION_DENIED',
      );
    });
  });
});

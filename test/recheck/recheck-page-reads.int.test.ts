import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { assessRosterFamily } from '../../src/app/assessment/run-assessment.ts';
import { decryptResult } from '../../src/app/assessment/stored-assessment.ts';
import type { RecordScope, StoredRecord } from '../../src/app/ports.ts';
import { startRecheck } from '../../src/app/recheck/run-recheck.ts';
import { importRoster } from '../../src/app/roster/import-roster.ts';
import { BIRTH_KEY_PURPOSE } from '../../src/domain/matching/birth-date.ts';
import type { AssistanceType } from '../../src/domain/policy/assistance-types.ts';
import type { RosterMember } from '../../src/domain/roster/roster.ts';
import { useTestApp } from '../support/app.ts';
import { actorOf } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { birthDateOf, hukouRow, idNumber, personName, tempDir } from '../support/department-data.ts';
import {
  batchLoader,
  loadMonthOneData,
  openFamilyCases,
  RECHECK_FAMILIES,
  rosterRows,
} from '../support/recheck.ts';

/**
 * The monthly recheck reads a page of families at once (issue #7): one read each of the standing batches, the
 * records of every member of the page and the name + birth-date candidates, restricted in SQL to the standing
 * batches; no per-family read of the roster entry, marks or previous result. Every family's stored result is the
 * one the one-household path (gather-records without a page) computes on the same data, including a record
 * without an ID number linked by name and birth date.
 */
describeEachDatabase('monthly recheck page reads', (dialect) => {
  const t = useTestApp(dialect);
  const dir = tempDir('hedui-recheck-page-');
  const { load } = batchLoader(t, dir);
  let agencyId: number;

  afterAll(() => dir.remove());

  beforeAll(async () => {
    agencyId = (await actorOf(t.deps, 'xifeng_reviewer')).organisationId as number;
    const requester = await actorOf(t.deps, 'xifeng_requester');
    await openFamilyCases(t);
    await loadMonthOneData(load);
    // The register delivered again: the first hukou batch is superseded, its rows are no candidates any more.
    await load(
      'hukou',
      '2025-Q3',
      Array.from({ length: 16 }, (_, i) =>
        i === 15 ? hukouRow(i, { 户籍地址: '甘肃省庆阳市西峰区合成路2号' }) : hukouRow(i),
      ),
    );
    // A department row without an ID number: person 3 (family F03) found by name and birth date.
    const { deps } = t;
    const at = t.clock.now().toISOString();
    const batch = await deps.store.batches.create({
      dataset: 'deposit',
      period: '2025-08',
      periodFirstMonth: '2025-08',
      periodLastMonth: '2025-08',
      departmentCode: 'banking',
      organisationId: null,
      uploaderUserId: null,
      apiKeyId: null,
      source: 'cli',
      fileName: null,
      fingerprint: 'test-page-reads-noid',
      bytes: 0,
      format: 'csv',
      encoding: null,
      rowsRead: 1,
      rowsStored: 1,
      duplicateRows: 0,
      unmatchedRows: null,
      errorCount: 0,
      errors: deps.crypto.encrypt('{}'),
      status: 'committed',
      supersededBy: null,
      dataAsOf: '2025-08-31',
      createdAt: at,
      finishedAt: at,
      retractedAt: null,
      retractedBy: null,
      retractReason: null,
      reportFile: null,
      exchangeId: null,
    });
    const birth = birthDateOf(idNumber(3));
    await deps.store.batches.insertRecords(batch.id, 'deposit', [
      {
        personKey: null,
        birthKey: deps.crypto.blindIndex(birth, BIRTH_KEY_PURPOSE),
        caseRef: null,
        rowNumber: 2,
        rowHash: 'page-reads-noid-1',
        idEnc: null,
        nameEnc: deps.crypto.encrypt(personName(3)),
        month: null,
        values: JSON.stringify({
          birthDate: birth,
          institution: '庆阳农商银行',
          accountNumber: '6230000000777',
          assetType: '定期存款',
          balance: 3_000_000,
          asOfDate: '2025-08-31',
        }),
      },
    ]);
    const roster = await importRoster(
      t.deps,
      { source: 'api', month: '2025-09', rows: rosterRows(RECHECK_FAMILIES) },
      requester,
    );
    expect(roster).toMatchObject({ status: 'committed', familyCount: 11 });
  });

  it('reads the page once, narrowed to the standing batches, and stores what the one-household path computes', async () => {
    const { store, crypto } = t.deps;
    const spies = {
      personKeys: vi.spyOn(store.assessments, 'recordsByPersonKeys'),
      birthKeys: vi.spyOn(store.assessments, 'recordsWithoutIdByBirthKeys'),
      namesakes: vi.spyOn(store.assessments, 'hukouByBirthKeys'),
      standing: vi.spyOn(store.assessments, 'standingBatches'),
      decisions: vi.spyOn(store.assessments, 'decisions'),
      rosterFamily: vi.spyOn(store.rechecks, 'rosterFamily'),
      previous: vi.spyOn(store.rechecks, 'previousDoneItem'),
      marks: vi.spyOn(store.recheckMarks, 'openMarkIds'),
    };
    const summary = await startRecheck(t.deps, { month: '2025-09', scopeAgencyId: agencyId }, SYSTEM_ACTOR);
    expect(summary).toMatchObject({
      state: 'done',
      counts: { familyCount: 11, doneCount: 10, skippedCount: 1, failedCount: 0 },
    });
    const calls = Object.fromEntries(
      Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length]),
    );
    // Ten families, one page: one read of each kind, and no read per family.
    expect(calls).toEqual({
      personKeys: 1,
      birthKeys: 1,
      namesakes: 1,
      standing: 1,
      decisions: 1,
      rosterFamily: 0,
      previous: 0,
      marks: 0,
    });
    const [asked, scope] = spies.personKeys.mock.calls[0] as [string[], RecordScope];
    const authorized = RECHECK_FAMILIES.filter((f) => f.authorized).flatMap((f) => f.people);
    expect([...asked].sort()).toEqual(authorized.map((p) => crypto.blindIndex(idNumber(p))).sort());
    expect(asked).not.toContain(crypto.blindIndex(idNumber(15)));
    expect(scope.caseRef).toBe(`RECHECK-${summary.runId}`);
    const standing = (await store.assessments.standingBatches(null)).map((b) => b.id);
    expect(scope.batchIds.length).toBeGreaterThan(0);
    expect(scope.batchIds.every((id) => standing.includes(id))).toBe(true);

    // The narrowed birth-date read returns exactly the candidates of the unrestricted one: rows without an ID.
    const [birthKeys, birthScope] = spies.birthKeys.mock.calls[0] as [string[], RecordScope];
    const narrowed = await store.assessments.recordsWithoutIdByBirthKeys(birthKeys, birthScope);
    const everything = await store.assessments.recordsWithoutIdByBirthKeys(birthKeys);
    const inScope = (r: StoredRecord) =>
      birthScope.batchIds.includes(r.batchId) && (r.caseRef === null || r.caseRef === birthScope.caseRef);
    expect(everything.every((r) => r.personKey === null)).toBe(true);
    expect(narrowed.map((r) => r.id)).toEqual(everything.filter(inScope).map((r) => r.id));
    // Namesakes are read only for the birth dates of such rows, and only hukou rows.
    const namesakeKeys = [...new Set(narrowed.map((r) => r.birthKey))];
    expect(namesakeKeys).toHaveLength(1);
    expect(spies.namesakes.mock.calls[0]?.[0]).toEqual(namesakeKeys);
    const allHukou = await store.assessments.hukouByBirthKeys(birthKeys);
    expect(allHukou.length).toBeGreaterThan(0);
    expect(allHukou.every((r) => r.dataset === 'hukou' && r.personKey !== null)).toBe(true);
    Object.values(spies).forEach((spy) => {
      spy.mockRestore();
    });

    const items = await sql<{ rosterFamilyId: number; assessmentId: number; familyKey: string }>`
      select roster_family_id as "rosterFamilyId", assessment_id as "assessmentId", family_key as "familyKey"
      from recheck_item where run_id = ${summary.runId} and status = 'done' order by id`.execute(
      t.database.db,
    );
    expect(items.rows).toHaveLength(10);
    for (const item of items.rows) {
      const stored = await store.assessments.get(Number(item.assessmentId));
      const family = await store.rechecks.rosterFamily(Number(item.rosterFamilyId));
      if (!stored || !family) throw new Error(`family ${item.familyKey} not stored`);
      const members = JSON.parse(crypto.decrypt(family.membersEnc)) as RosterMember[];
      const alone = await assessRosterFamily(
        t.deps,
        {
          caseRef: `RECHECK-${summary.runId}`,
          regionCode: family.regionCode,
          assistanceType: family.assistanceType as AssistanceType,
          members: members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
        },
        SYSTEM_ACTOR,
        {
          kind: 'recheck',
          runId: summary.runId,
          rosterFamilyId: family.id,
          authorizationOnFile: true,
          personKeys: members.map((m) => crypto.blindIndex(m.idNumber)),
          record: async () => {},
        },
      );
      const paged = decryptResult(t.deps, stored);
      const { sources: _a, ...pagedRest } = paged;
      const { sources: _b, ...aloneRest } = alone.result;
      expect(pagedRest, item.familyKey).toEqual(aloneRest);
      expect(paged.sources.batches, item.familyKey).toEqual(alone.result.sources.batches);
      expect(stored.batchIds, item.familyKey).toEqual(alone.batchIds);
      expect(stored.summary, item.familyKey).toEqual(alone.summary);
      if (item.familyKey === 'F03-COMPANY')
        expect(paged.links).toContainEqual(
          expect.objectContaining({ basis: 'name_and_birth_date', memberId: expect.any(String) }),
        );
    }
  });
});

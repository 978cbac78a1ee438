import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { assessRosterFamily } from '../../src/app/assessment/run-assessment.ts';
import type { Actor, CaseRow } from '../../src/app/ports.ts';
import { runMonthlyRechecks } from '../../src/app/recheck/monthly-recheck.ts';
import { RECHECK_LEASE_MS, RecheckInterrupted, startRecheck } from '../../src/app/recheck/run-recheck.ts';
import { importRoster } from '../../src/app/roster/import-roster.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName, tempDir } from '../support/department-data.ts';
import {
  batchLoader,
  creditCode,
  loadMonthOneData,
  loadMonthTwoData,
  openFamilyCases,
  PLANTED,
  RECHECK_FAMILIES,
  rosterRows,
} from '../support/recheck.ts';

/**
 * The monthly recheck (issue #6 items 2–3) over two months of synthetic department data loaded through the real
 * import path: month 1 is every family's baseline (no alerts); month 2 plants exactly one change of each kind in
 * distinct families beside unchanged ones, and the run finds exactly those. The month-2 run is first broken by a
 * failure, then by a crash (lease left held), and resumed each time without assessing a family twice; a start while
 * it runs is refused. The family without an authorization on file is skipped and never queried.
 */

interface Summary {
  runId: number;
  state: string;
  resumed: boolean;
  assessedNow: number;
  counts: {
    familyCount: number;
    doneCount: number;
    skippedCount: number;
    failedCount: number;
    changedCount: number;
  };
  alertsByKind: Record<string, number>;
}

interface Alert {
  id: number;
  runId: number;
  familyKey: string;
  kind: string;
  state: string;
  caseId: number | null;
  reason: string | null;
  evidence: {
    kind: string;
    message: string;
    memberId: string | null;
    sources: { dataset: string; batchId: number; dataAsOf: string }[];
    before: unknown;
    after: unknown;
    rises?: { category: string; riseFen: number; toleranceFen: number }[];
  };
}

describeEachDatabase('monthly recheck', (dialect) => {
  const t = useTestApp(dialect);
  const dir = tempDir('hedui-recheck-');
  const { load, batchIds } = batchLoader(t, dir);
  let cases = new Map<string, CaseRow>();
  let reviewer: string;
  let staff: string;
  let agencyId: number;
  let requester: Actor;
  let month1: number;
  let month2: number;
  let lookups: ReturnType<typeof vi.spyOn>;

  afterAll(() => dir.remove());

  const alerts = async (query: string, cookie = staff) => {
    const res = await t.call('GET', `/api/recheck-alerts?pageSize=200&${query}`, { cookie });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Alert[]; total: number }>();
  };
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
    Number((await query.execute(t.database.db)).rows[0]?.n);
  const assessmentsOf = (runId: number) =>
    count(sql<{ n: number }>`select count(*) as n from assessment where case_ref = ${`RECHECK-${runId}`}`);

  beforeAll(async () => {
    reviewer = await t.login('xifeng_reviewer');
    staff = await t.login('xifeng_staff');
    const reviewerActor = await actorOf(t.deps, 'xifeng_reviewer');
    agencyId = reviewerActor.organisationId as number;
    requester = await actorOf(t.deps, 'xifeng_requester');
    // Every authorized family has an accepted case listing all its members: its authorization is on file.
    cases = await openFamilyCases(t);
    await loadMonthOneData(load);
    const roster = await importRoster(
      t.deps,
      { source: 'api', month: '2025-09', rows: rosterRows(RECHECK_FAMILIES) },
      requester,
    );
    expect(roster).toMatchObject({ status: 'committed', familyCount: 11, authorizationMissingCount: 1 });
    lookups = vi.spyOn(t.deps.store.assessments, 'recordsByPersonKeys');
  });

  it('runs month 1 as the baseline: every authorized family assessed, no alerts, the unauthorized one skipped', async () => {
    const res = await t.call('POST', '/api/rechecks', { cookie: reviewer, body: { month: '2025-09' } });
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json<Summary>();
    expect(summary).toMatchObject({
      state: 'done',
      resumed: false,
      assessedNow: 10,
      counts: { familyCount: 11, doneCount: 10, skippedCount: 1, failedCount: 0, changedCount: 0 },
      alertsByKind: {},
    });
    month1 = summary.runId;
    expect(await assessmentsOf(month1)).toBe(10);
    expect((await alerts(`runId=${month1}`)).total).toBe(0);

    const detail = await t.call('GET', `/api/rechecks/${month1}?pageSize=50`, { cookie: staff });
    expect(detail.statusCode, detail.body).toBe(200);
    const { families, run } = detail.json<{
      run: { state: string; doneCount: number };
      families: {
        familyKey: string;
        status: string;
        assessmentId: number | null;
        members: { name: string; idNumberMasked: string }[];
      }[];
    }>();
    expect(run).toMatchObject({ state: 'done', doneCount: 10 });
    const skipped = families.filter((f) => f.status === 'skipped');
    expect(skipped.map((f) => [f.familyKey, f.assessmentId])).toEqual([['F11-NOAUTH', null]]);
    // Masked in the list: no name or ID number in clear.
    const first = families.find((f) => f.familyKey === 'F01-VEHICLE');
    expect(first?.members[0]?.name).toBe(`${personName(0).slice(0, 1)}**`);
    expect(detail.body).not.toContain(idNumber(0));
    expect(detail.body).not.toContain(personName(0));

    const [started] = await t.audit('RECHECK_STARTED');
    expect(started).toMatchObject({ objectId: String(month1), caseId: `RECHECK-${month1}` });
    expect(started?.details).toMatchObject({ month: '2025-09', families: 11, skipped: 1 });
    const runs = (await t.audit('ASSESSMENT_RUN')).filter((e) => e.caseId === `RECHECK-${month1}`);
    expect(runs).toHaveLength(10);
    expect(runs[0]?.details).toMatchObject({ purpose: 'recheck', runId: month1 });
    const [viewed] = await t.audit('RECHECK_VIEWED');
    expect(viewed).toMatchObject({ objectId: String(month1), caseId: `RECHECK-${month1}` });
  });

  it('stores the compared figures encrypted and the change kinds in clear', async () => {
    const rows = await sql<{ summaryEnc: string; changes: string }>`
      select summary_enc, changes from recheck_item where run_id = ${month1} and status = 'done'`.execute(
      t.database.db,
    );
    expect(rows.rows).toHaveLength(10);
    for (const row of rows.rows) {
      expect(row.changes).toBe('[]');
      expect(row.summaryEnc).not.toContain('甘M');
      expect(JSON.parse(t.deps.crypto.decrypt(row.summaryEnc))).toHaveProperty('income.categoriesFen');
    }
  });

  it('loads month 2 with one planted change per kind and refuses a start for a month not begun', async () => {
    t.clock.set('2025-10-03T02:00:00.000Z');
    // A week later: the sessions of month 1 have timed out.
    reviewer = await t.login('xifeng_reviewer');
    staff = await t.login('xifeng_staff');
    const future = await t.call('POST', '/api/rechecks', { cookie: reviewer, body: { month: '2025-11' } });
    expectError(future, 400, 'VALIDATION_FAILED');
    await loadMonthTwoData(load);
    const roster = await importRoster(
      t.deps,
      { source: 'api', month: '2025-10', rows: rosterRows(RECHECK_FAMILIES) },
      requester,
    );
    expect(roster.status).toBe('committed');
  });

  it('resumes after a failure and after a crash, refuses a second start while running, assesses no family twice', async () => {
    const reviewerActor = await actorOf(t.deps, 'xifeng_reviewer');
    // A failure after 2 families: the run ends as failed, resumable at once.
    await expect(
      startRecheck(t.deps, { month: '2025-10', scopeAgencyId: agencyId }, reviewerActor, {
        afterFamily: (n) => {
          if (n === 2) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    const failed = await t.deps.store.rechecks.latestRun('2025-10', agencyId);
    expect(failed).toMatchObject({ state: 'failed', doneCount: 2, familyCount: 11, skippedCount: 1 });
    month2 = failed?.id as number;
    expect((await t.audit('RECHECK_FAILED'))[0]).toMatchObject({
      objectId: String(month2),
      outcome: 'failure',
    });

    // Resumed, then a crash after 3 more: the run stays running and keeps its lease.
    await expect(
      startRecheck(t.deps, { month: '2025-10', scopeAgencyId: agencyId }, reviewerActor, {
        afterFamily: (n) => {
          if (n === 3) throw new RecheckInterrupted();
        },
      }),
    ).rejects.toBeInstanceOf(RecheckInterrupted);
    expect(await t.deps.store.rechecks.latestRun('2025-10', agencyId)).toMatchObject({
      id: month2,
      state: 'running',
      doneCount: 5,
    });

    // No double run: a start while the lease holds is refused.
    const second = await t.call('POST', '/api/rechecks', { cookie: reviewer, body: { month: '2025-10' } });
    const error = expectError(second, 409, 'RECHECK_RUNNING');
    expect(error.message).toContain('正在进行');
    await expect(
      startRecheck(t.deps, { month: '2025-10', scopeAgencyId: agencyId }, SYSTEM_ACTOR),
    ).rejects.toMatchObject({ code: 'RECHECK_RUNNING' });

    // The lease runs out: the next start resumes the same run and assesses only the families not done.
    t.clock.advance(RECHECK_LEASE_MS + 1000);
    const res = await t.call('POST', '/api/rechecks', { cookie: reviewer, body: { month: '2025-10' } });
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json<Summary>();
    expect(summary).toMatchObject({
      runId: month2,
      state: 'done',
      resumed: true,
      assessedNow: 5,
      counts: { familyCount: 11, doneCount: 10, skippedCount: 1, failedCount: 0, changedCount: 8 },
    });
    expect(await assessmentsOf(month2)).toBe(10);
    const distinct = await count(
      sql<{
        n: number;
      }>`select count(distinct assessment_id) as n from recheck_item where run_id = ${month2}`,
    );
    expect(distinct).toBe(10);
    expect((await t.audit('RECHECK_RESUMED')).filter((e) => e.objectId === String(month2))).toHaveLength(2);
    expect((await t.deps.store.rechecks.getRun(month2))?.resumedCount).toBe(2);
  });

  it('finds exactly the planted changes, each with its evidence, and nothing else', async () => {
    const { items, total } = await alerts(`runId=${month2}`);
    expect(total).toBe(PLANTED.length);
    expect(items.map((a) => [a.familyKey, a.kind]).sort()).toEqual([...PLANTED].sort());
    expect(items.every((a) => a.state === 'open')).toBe(true);
    const of = (kind: string) => items.find((a) => a.kind === kind) as Alert;

    const vehicle = of('NEW_VEHICLE').evidence;
    expect(vehicle.sources).toEqual([
      expect.objectContaining({ dataset: 'vehicle', batchId: batchIds.vehicle, dataAsOf: '2025-10-03' }),
    ]);
    expect(vehicle.before).toEqual([]);
    expect(vehicle.after).toEqual(['甘M20001']);
    expect(vehicle.memberId).toBe('m2');
    expect(of('NEW_REAL_ESTATE').evidence.sources[0]).toMatchObject({
      dataset: 'real_estate',
      batchId: batchIds.real_estate,
    });
    expect(of('NEW_MARKET_ENTITY').evidence.after).toEqual([creditCode('0000003')]);
    const rise = of('INCOME_RISE').evidence;
    expect(rise.rises).toEqual([
      expect.objectContaining({ category: 'wages', riseFen: 800_000, toleranceFen: expect.any(Number) }),
    ]);
    expect(rise.rises?.[0]?.riseFen).toBeGreaterThan(
      rise.rises?.[0]?.toleranceFen ?? Number.POSITIVE_INFINITY,
    );
    expect(rise.sources[0]).toMatchObject({ dataset: 'tax_income', batchId: batchIds.tax_income });
    expect(of('MEMBER_DECEASED').evidence).toMatchObject({
      memberId: 'm2',
      sources: [expect.objectContaining({ dataset: 'death', batchId: batchIds.death })],
    });
    expect(of('MEMBER_MOVED_OUT').evidence).toMatchObject({ before: '正常', after: '迁出', memberId: 'm2' });
    expect(of('MEMBER_MOVED_OUT').evidence.message).toContain('HUKOU_MOVED_OUT');
    expect(of('NEW_MARRIAGE').evidence).toMatchObject({
      memberId: 'm2',
      after: { status: 'married', date: '2025-09-12' },
      sources: [expect.objectContaining({ dataset: 'marriage', batchId: batchIds.marriage })],
    });
    expect(of('MEMBER_ON_PAYROLL').evidence).toMatchObject({
      after: { months: ['2025-09'] },
      sources: [expect.objectContaining({ dataset: 'payroll', batchId: batchIds.payroll })],
    });

    // Item changes (non-personal) for statistics; the unchanged families have none.
    const detail = await t.call('GET', `/api/rechecks/${month2}?changedOnly=true&pageSize=50`, {
      cookie: staff,
    });
    const changed = detail.json<{ families: { familyKey: string; changes: string[] }[] }>().families;
    expect(changed.map((f) => [f.familyKey, f.changes[0]]).sort()).toEqual([...PLANTED].sort());
    // Evidence at rest is ciphertext.
    const stored = await sql<{
      evidenceEnc: string;
    }>`select evidence_enc from recheck_alert where kind = 'NEW_VEHICLE'`.execute(t.database.db);
    expect(stored.rows[0]?.evidenceEnc).not.toContain('甘M20001');
    expect((await t.audit('RECHECK_ALERTS_VIEWED'))[0]).toMatchObject({ outcome: 'success' });
  });

  it('never queried the family without an authorization on file', () => {
    const key = t.deps.crypto.blindIndex(idNumber(15));
    const asked = lookups.mock.calls.flatMap((call: unknown[]) => call[0] as string[]);
    expect(asked).toContain(t.deps.crypto.blindIndex(idNumber(14)));
    expect(asked).not.toContain(key);
  });

  it('works alerts: dismissal needs a reason, once only, a case link must be the requester’s; all audited', async () => {
    const { items } = await alerts(`runId=${month2}&state=open`);
    const vehicle = items.find((a) => a.kind === 'NEW_VEHICLE') as Alert;
    const estate = items.find((a) => a.kind === 'NEW_REAL_ESTATE') as Alert;
    const income = items.find((a) => a.kind === 'INCOME_RISE') as Alert;
    const work = (id: number, body: unknown, cookie = staff) =>
      t.call('POST', `/api/recheck-alerts/${id}/work`, { cookie, body });

    expectError(await work(estate.id, { action: 'dismiss', reason: '  ' }), 400, 'VALIDATION_FAILED');
    const dismissed = await work(estate.id, { action: 'dismiss', reason: '该房产为继承所得，已另行核实' });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json<Alert>()).toMatchObject({
      state: 'dismissed',
      reason: '该房产为继承所得，已另行核实',
    });
    expectError(await work(estate.id, { action: 'confirm' }), 409, 'CONFLICT');

    const confirmed = await work(income.id, { action: 'confirm' }, reviewer);
    expect(confirmed.json<Alert>()).toMatchObject({ state: 'confirmed' });

    const kase = cases.get('F01-VEHICLE') as CaseRow;
    expectError(await work(vehicle.id, { action: 'open_case', caseId: 999_999 }), 400, 'VALIDATION_FAILED');
    const linked = await work(vehicle.id, { action: 'open_case', caseId: kase.id });
    expect(linked.json<Alert>()).toMatchObject({ state: 'case_opened', caseId: kase.id });

    const worked = await t.audit('RECHECK_ALERT_WORKED');
    expect(worked.map((e) => [e.objectId, e.details.state]).sort()).toEqual(
      [
        [String(estate.id), 'dismissed'],
        [String(income.id), 'confirmed'],
        [String(vehicle.id), 'case_opened'],
      ].sort(),
    );
    expect(worked.find((e) => e.objectId === String(vehicle.id))?.caseId).toBe(kase.number);
    expect(worked.find((e) => e.objectId === String(estate.id))?.caseId).toBe(`RECHECK-${month2}`);
    expect((await alerts('state=open')).total).toBe(PLANTED.length - 3);

    // No alert changes a family's assistance: the roster stands as imported.
    const amounts = await sql<{ n: number }>`
      select count(*) as n from roster_family where monthly_amount_fen <> 65000`.execute(t.database.db);
    expect(Number(amounts.rows[0]?.n)).toBe(0);
  });

  it('binds the engine to the family: no authorization or a stranger is refused, and the HTTP path needs a case', async () => {
    const reviewerActor = await actorOf(t.deps, 'xifeng_reviewer');
    const input = {
      caseRef: `RECHECK-${month2}`,
      regionCode: '621002001',
      assistanceType: 'subsistence_allowance' as const,
      members: [{ idNumber: idNumber(15), name: personName(15), relation: '本人' }],
    };
    const purpose = {
      kind: 'recheck' as const,
      runId: month2,
      rosterFamilyId: 1,
      personKeys: [t.deps.crypto.blindIndex(idNumber(15))],
      record: async () => {},
    };
    await expect(
      assessRosterFamily(t.deps, input, reviewerActor, { ...purpose, authorizationOnFile: false }),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED', details: { code: 'NO_AUTHORIZATION' } });
    await expect(
      assessRosterFamily(
        t.deps,
        { ...input, members: [{ idNumber: idNumber(14), name: personName(14), relation: '本人' }] },
        reviewerActor,
        { ...purpose, authorizationOnFile: true },
      ),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED', details: { code: 'MEMBER_NOT_IN_FAMILY' } });
    // The assessment API knows cases only: a recheck's reference is no case.
    const viaHttp = await t.call('POST', '/api/assessments', { cookie: staff, body: input });
    expect(viaHttp.statusCode).toBe(403);
    expect(await assessmentsOf(month2)).toBe(10);
  });

  it('refuses another county and other roles', async () => {
    const other = await t.login('qingcheng_reviewer');
    const otherStaff = await t.login('qingcheng_staff');
    expectError(
      await t.call('POST', '/api/rechecks', {
        cookie: other,
        body: { month: '2025-10', scopeAgencyId: agencyId },
      }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(await t.call('GET', `/api/rechecks/${month2}`, { cookie: otherStaff }), 404, 'OUT_OF_SCOPE');
    const listed = await t.call('GET', '/api/rechecks', { cookie: otherStaff });
    expect(listed.json<{ items: { id: number }[] }>().items.map((r) => r.id)).not.toContain(month2);
    expect((await alerts('', otherStaff)).total).toBe(0);
    const open = (await alerts(`runId=${month2}&state=open`)).items[0] as Alert;
    expectError(
      await t.call('POST', `/api/recheck-alerts/${open.id}/work`, {
        cookie: otherStaff,
        body: { action: 'confirm' },
      }),
      404,
      'OUT_OF_SCOPE',
    );
    const requesterCookie = await t.login('xifeng_requester');
    expectError(
      await t.call('POST', '/api/rechecks', { cookie: requesterCookie, body: { month: '2025-10' } }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(
      await t.call('POST', '/api/rechecks', { cookie: staff, body: { month: '2025-10' } }),
      403,
      'PERMISSION_DENIED',
    );
  });

  it('the daily job leaves a done month alone and starts the other county scopes', async () => {
    const result = await runMonthlyRechecks(t.deps);
    expect(result.month).toBe('2025-10');
    expect(result.skipped).toContainEqual({ scopeAgencyId: agencyId, reason: 'done' });
    expect(result.failed).toEqual([]);
    expect(result.started.length).toBeGreaterThan(0);
    expect(result.started.every((run) => run.counts.familyCount === 0 && run.state === 'done')).toBe(true);
    const again = await runMonthlyRechecks(t.deps);
    expect(again.started).toEqual([]);
  });
});

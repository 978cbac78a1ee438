import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { importBatch } from '../../src/app/ingest/import-batch.ts';
import type { Actor, CaseRow } from '../../src/app/ports.ts';
import { runMonthlyRechecks } from '../../src/app/recheck/monthly-recheck.ts';
import { RECHECK_LEASE_MS, RecheckInterrupted, startRecheck } from '../../src/app/recheck/run-recheck.ts';
import { importRoster } from '../../src/app/roster/import-roster.ts';
import { markForBatchQuery } from '../../src/store/recheck-marks.repository.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { csvBytes, hukouRow, idNumber, personName, type Row, tempDir } from '../support/department-data.ts';

/**
 * Change-driven rechecks (issue #6 item 4) and working an alert into a case (item 3), through the real import
 * path: a committed batch marks exactly the standing roster families with a member in it (same transaction, one
 * statement); a `changed` run recomputes the marked and new families and carries the others (their previous
 * result, no assessment, no alert), consuming the marks once; a crash leaves the marks of the families not done;
 * `full` recomputes everything. Then an alert is worked: the family's cases are listed, the requester is asked to
 * entrust a new verification (notice), and the alert is linked to the new case.
 */

interface Family {
  key: string;
  people: number[];
}

// A–D authorized (an accepted case lists every member), N without an authorization on file.
const A: Family = { key: 'M-A', people: [0, 1] };
const B: Family = { key: 'M-B', people: [2] };
const C: Family = { key: 'M-C', people: [3] };
const D: Family = { key: 'M-D', people: [4] };
const N: Family = { key: 'M-N', people: [5] };
// Only on the September roster: superseded for marking once October's roster stands.
const OLD: Family = { key: 'M-OLD', people: [6] };
// New on the October roster.
const E: Family = { key: 'M-E', people: [7] };

const relationOf = (index: number) => (index === 0 ? '本人' : '配偶');

function rosterRows(families: readonly Family[]) {
  return families.flatMap((f) =>
    f.people.map((p, i) => ({
      familyKey: f.key,
      ...(i === 0
        ? {
            regionCode: '621002001',
            assistanceType: '最低生活保障',
            startDate: '2025-01-01',
            monthlyAmount: '650',
          }
        : {}),
      name: personName(p),
      idNumber: idNumber(p),
      relation: relationOf(i),
    })),
  );
}

function vehicleRow(p: number, plate: string, registered: string): Row {
  return {
    身份证号: idNumber(p),
    姓名: personName(p),
    号牌号码: plate,
    车辆类型: '小型轿车',
    使用性质: '非营运',
    初次登记日期: registered,
    车辆状态: '正常',
    残疾人专用车: '否',
  };
}

interface Alert {
  id: number;
  runId: number;
  familyKey: string;
  kind: string;
  state: string;
  caseId: number | null;
}

describeEachDatabase('change-driven recheck and alert to case', (dialect) => {
  const t = useTestApp(dialect);
  const dir = tempDir('hedui-recheck-marks-');
  let agencyId: number;
  let requester: Actor;
  let reviewer: Actor;
  let staffCookie: string;
  let september: number;
  let october: number;
  let loads = 0;
  const cases = new Map<string, CaseRow>();

  afterAll(() => dir.remove());

  const load = async (dataset: string, period: string, rows: Row[]) => {
    loads += 1;
    const fileName = `${dataset}-${period}-${loads}.csv`;
    const result = await importBatch(
      t.deps,
      { datasetCode: dataset, period, source: 'cli', fileName, path: dir.write(fileName, csvBytes(rows)) },
      SYSTEM_ACTOR,
    );
    expect(result.status, JSON.stringify(result.errors.slice(0, 3)) + JSON.stringify(result.fileErrors)).toBe(
      'committed',
    );
    return result.batchId as number;
  };
  const q = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(t.database.db)).rows;
  const marks = () =>
    q<{ familyKey: string; batchId: number; consumedByRunId: number | null }>(sql`
      select family_key, batch_id, consumed_by_run_id from recheck_mark order by family_key, batch_id`).then(
      (rows) =>
        rows.map((r) => ({
          familyKey: r.familyKey,
          batchId: Number(r.batchId),
          consumedByRunId: r.consumedByRunId === null ? null : Number(r.consumedByRunId),
        })),
    );
  const openMarks = async () =>
    [...new Set((await marks()).filter((m) => m.consumedByRunId === null).map((m) => m.familyKey))].sort();
  const items = (runId: number) =>
    q<{ familyKey: string; status: string; assessmentId: number | null; summaryEnc: string | null }>(sql`
      select family_key, status, assessment_id, summary_enc from recheck_item where run_id = ${runId}
      order by family_key`);
  const statuses = async (runId: number) =>
    Object.fromEntries((await items(runId)).map((i) => [i.familyKey, i.status]));
  const assessmentsOf = async (runId: number) =>
    Number(
      (
        await q<{ n: number }>(
          sql`select count(*) as n from assessment where case_ref = ${`RECHECK-${runId}`}`,
        )
      )[0]?.n,
    );
  const run = (month: string, mode: 'full' | 'changed', options = {}) =>
    startRecheck(t.deps, { month, scopeAgencyId: agencyId, mode }, reviewer, options);

  beforeAll(async () => {
    reviewer = await actorOf(t.deps, 'xifeng_reviewer');
    agencyId = reviewer.organisationId as number;
    requester = await actorOf(t.deps, 'xifeng_requester');
    for (const f of [A, B, C, D, OLD, E])
      cases.set(
        f.key,
        await openCase(
          t.deps,
          f.people.map((p, i) => ({ idNumber: idNumber(p), name: personName(p), relation: relationOf(i) })),
        ),
      );
    // Data before any roster: nothing to mark.
    const hukou = await load(
      'hukou',
      '2025-Q3',
      Array.from({ length: 8 }, (_, i) => hukouRow(i)),
    );
    expect(hukou).toBeGreaterThan(0);
    expect(await marks()).toEqual([]);
    const roster = await importRoster(
      t.deps,
      { source: 'api', month: '2025-09', rows: rosterRows([A, B, C, D, N, OLD]) },
      requester,
    );
    expect(roster).toMatchObject({ status: 'committed', familyCount: 6, authorizationMissingCount: 1 });
  });

  it('a family’s first month is its baseline, in changed mode too', async () => {
    const summary = await run('2025-09', 'changed');
    expect(summary).toMatchObject({
      mode: 'changed',
      state: 'done',
      assessedNow: 5,
      counts: { familyCount: 6, doneCount: 5, skippedCount: 1, carriedCount: 0, changedCount: 0 },
    });
    september = summary.runId;
  });

  it('marks exactly the standing roster families with a member in a new batch, in the batch’s transaction', async () => {
    t.clock.set('2025-10-03T02:00:00.000Z');
    // October's roster: OLD left it, E joined.
    const roster = await importRoster(
      t.deps,
      { source: 'api', month: '2025-10', rows: rosterRows([A, B, C, D, N, E]) },
      requester,
    );
    expect(roster.status).toBe('committed');
    // A new car of B's member, one of OLD's (no longer on the standing roster) and one of a stranger.
    const vehicles = await load('vehicle', '2025-Q3', [
      vehicleRow(2, '甘M30002', '2025-09-20'),
      vehicleRow(6, '甘M30006', '2025-09-21'),
      vehicleRow(40, '甘M30040', '2025-09-22'),
    ]);
    expect(await marks()).toEqual([{ familyKey: B.key, batchId: vehicles, consumedByRunId: null }]);
    const [committed] = await t.audit('BATCH_COMMITTED');
    expect(committed?.details).toMatchObject({ recheckMarks: 1 });

    // A rejected batch marks nothing (its transaction, marks included, is rolled back).
    const bad = await importBatch(
      t.deps,
      {
        datasetCode: 'vehicle',
        period: '2025-Q4',
        source: 'cli',
        fileName: 'bad.csv',
        path: dir.write(
          'bad.csv',
          csvBytes([{ ...vehicleRow(0, '甘M30000', '2025-09-20'), 身份证号: '12345' }]),
        ),
      },
      SYSTEM_ACTOR,
    );
    expect(bad.status).toBe('rejected');
    expect(await openMarks()).toEqual([B.key]);

    // The marking is one statement: an insert fed by one select over the roster and the batch's records.
    const compiled = markForBatchQuery(t.database.db, vehicles, 'vehicle', 'x').compile().sql.toLowerCase();
    expect(compiled.startsWith('insert into "recheck_mark"')).toBe(true);
    expect(compiled.match(/\bselect\b/g)?.length).toBe(3);
    expect(compiled).toContain('on conflict');
  });

  it('changed mode recomputes the marked and the new families, carries the rest; a crash keeps the marks of the families not done', async () => {
    // Vehicles are a snapshot: the next batch lists every car again, now with A's new one. A and B marked, E new.
    await load('vehicle', '2025-Q3', [
      vehicleRow(2, '甘M30002', '2025-09-20'),
      vehicleRow(0, '甘M40000', '2025-09-28'),
    ]);
    expect(await openMarks()).toEqual([A.key, B.key]);

    await expect(
      run('2025-10', 'changed', {
        afterFamily: (n: number) => {
          if (n === 1) throw new RecheckInterrupted();
        },
      }),
    ).rejects.toBeInstanceOf(RecheckInterrupted);
    const crashed = await t.deps.store.rechecks.latestRun('2025-10', agencyId);
    october = crashed?.id as number;
    expect(crashed).toMatchObject({ state: 'running', mode: 'changed', doneCount: 1, carriedCount: 2 });
    expect(await statuses(october)).toEqual({
      [A.key]: 'done',
      [B.key]: 'pending',
      [C.key]: 'carried',
      [D.key]: 'carried',
      [E.key]: 'pending',
      [N.key]: 'skipped',
    });
    // A's mark consumed by this run; B's still waiting.
    expect((await marks()).filter((m) => m.familyKey === A.key).map((m) => m.consumedByRunId)).toEqual([
      october,
    ]);
    expect(await openMarks()).toEqual([B.key]);

    t.clock.advance(RECHECK_LEASE_MS + 1000);
    // Resumed in its own mode whatever is asked.
    const summary = await run('2025-10', 'full');
    expect(summary).toMatchObject({
      runId: october,
      mode: 'changed',
      resumed: true,
      assessedNow: 2,
      counts: { familyCount: 6, doneCount: 3, carriedCount: 2, skippedCount: 1, failedCount: 0 },
      alertsByKind: { NEW_VEHICLE: 2 },
    });
    expect(await assessmentsOf(october)).toBe(3);
    expect(await openMarks()).toEqual([]);
    expect((await marks()).every((m) => m.consumedByRunId === october)).toBe(true);

    // Carried: the previous result as this month's summary, no assessment, no alert.
    const september_ = await items(september);
    const october_ = await items(october);
    for (const key of [C.key, D.key]) {
      const carried = october_.find((i) => i.familyKey === key);
      expect(carried?.assessmentId ?? null).toBeNull();
      expect(carried?.summaryEnc).toBe(september_.find((i) => i.familyKey === key)?.summaryEnc);
    }
    const alerted = await q<{ familyKey: string }>(
      sql`select family_key from recheck_alert where run_id = ${october} order by family_key`,
    );
    expect(alerted.map((a) => a.familyKey)).toEqual([A.key, B.key]);
    const [started] = (await t.audit('RECHECK_STARTED')).filter((e) => e.objectId === String(october));
    expect(started?.details).toMatchObject({ mode: 'changed', carried: 2 });
  });

  it('consumes marks once: a later changed run carries everything, a carried family still compares with its last result', async () => {
    const again = await run('2025-10', 'changed');
    expect(again).toMatchObject({
      assessedNow: 0,
      counts: { doneCount: 0, carriedCount: 5, skippedCount: 1 },
    });
    expect(await assessmentsOf(again.runId)).toBe(0);
    expect((await marks()).every((m) => m.consumedByRunId === october)).toBe(true);

    // C was carried twice; a new car now is compared with its September result and raised once.
    await load('vehicle', '2025-Q3', [
      vehicleRow(2, '甘M30002', '2025-09-20'),
      vehicleRow(0, '甘M40000', '2025-09-28'),
      vehicleRow(3, '甘M50003', '2025-09-29'),
    ]);
    expect(await openMarks()).toEqual([A.key, B.key, C.key]);
    const next = await run('2025-10', 'changed');
    expect(await statuses(next.runId)).toMatchObject({
      [A.key]: 'done',
      [B.key]: 'done',
      [C.key]: 'done',
      [D.key]: 'carried',
      [E.key]: 'carried',
    });
    expect(next.alertsByKind).toEqual({ NEW_VEHICLE: 1 });
    expect(await openMarks()).toEqual([]);
  });

  it('full mode recomputes every authorized family and consumes waiting marks', async () => {
    await load('vehicle', '2025-Q3', [
      vehicleRow(2, '甘M30002', '2025-09-20'),
      vehicleRow(0, '甘M40000', '2025-09-28'),
      vehicleRow(3, '甘M50003', '2025-09-29'),
      vehicleRow(4, '甘M60004', '2025-09-25'),
    ]);
    expect(await openMarks()).toEqual([A.key, B.key, C.key, D.key]);
    const full = await run('2025-10', 'full');
    expect(full).toMatchObject({
      mode: 'full',
      assessedNow: 5,
      counts: { familyCount: 6, doneCount: 5, carriedCount: 0, skippedCount: 1 },
    });
    expect(await assessmentsOf(full.runId)).toBe(5);
    expect(await openMarks()).toEqual([]);
  });

  it('the daily job runs by change: a done month is left alone', async () => {
    const result = await runMonthlyRechecks(t.deps);
    expect(result.skipped).toContainEqual({ scopeAgencyId: agencyId, reason: 'done' });
    expect(result.started.every((r) => r.mode === 'changed')).toBe(true);
  });

  it('works an alert into a case: family cases listed, entrustment asked of the requester, then linked', async () => {
    staffCookie = await t.login('xifeng_staff');
    const res = await t.call('GET', `/api/recheck-alerts?runId=${october}&state=open`, {
      cookie: staffCookie,
    });
    const alert = res.json<{ items: Alert[] }>().items.find((a) => a.familyKey === B.key) as Alert;
    expect(alert).toMatchObject({ kind: 'NEW_VEHICLE', state: 'open' });

    // Only B's case is B's (matched by the ID number's blind index), with number, state and dates.
    const listed = await t.call('GET', `/api/recheck-alerts/${alert.id}/cases`, { cookie: staffCookie });
    expect(listed.statusCode, listed.body).toBe(200);
    const own = cases.get(B.key) as CaseRow;
    expect(listed.json<{ cases: { id: number; number: string; stateLabel: string }[] }>().cases).toEqual([
      expect.objectContaining({
        id: own.id,
        number: own.number,
        matchedMembers: 1,
        receivedOn: own.receivedOn,
      }),
    ]);
    expect(listed.body).not.toContain(idNumber(2));
    expect((await t.audit('RECHECK_ALERT_CASES_VIEWED'))[0]).toMatchObject({
      objectId: String(alert.id),
      caseId: `RECHECK-${october}`,
    });

    // No new case yet: the requester is asked to entrust one.
    const asked = await t.call('POST', `/api/recheck-alerts/${alert.id}/work`, {
      cookie: staffCookie,
      body: { action: 'request_entrustment' },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json<Alert>()).toMatchObject({ state: 'awaiting_entrustment', caseId: null });
    const requesterCookie = await t.login('xifeng_requester');
    const notices = await t.call('GET', '/api/notices', { cookie: requesterCookie });
    const notice = notices
      .json<{ items: { kind: string; title: string; body: string }[] }>()
      .items.find((n) => n.kind === 'recheck_entrustment');
    expect(notice?.title).toContain(B.key);
    expect(notice?.body).toContain('新增车辆');
    expect(notice?.body).not.toContain(personName(2));
    expectError(
      await t.call('POST', `/api/recheck-alerts/${alert.id}/work`, {
        cookie: staffCookie,
        body: { action: 'request_entrustment' },
      }),
      409,
      'CONFLICT',
    );

    // The requester entrusts B again; the handler links the alert to that new case.
    const fresh = await openCase(t.deps, [{ idNumber: idNumber(2), name: personName(2), relation: '本人' }]);
    const relisted = await t.call('GET', `/api/recheck-alerts/${alert.id}/cases`, { cookie: staffCookie });
    expect(relisted.json<{ cases: { id: number }[] }>().cases.map((c) => c.id)).toEqual([fresh.id, own.id]);
    const other = cases.get(A.key) as CaseRow;
    expect(other.requesterOrganisationId).toBe(fresh.requesterOrganisationId);
    const linked = await t.call('POST', `/api/recheck-alerts/${alert.id}/work`, {
      cookie: staffCookie,
      body: { action: 'open_case', caseId: fresh.id },
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json<Alert>()).toMatchObject({ state: 'case_opened', caseId: fresh.id });
    const worked = (await t.audit('RECHECK_ALERT_WORKED')).filter((e) => e.objectId === String(alert.id));
    expect(worked.map((e) => [e.details.state, e.caseId]).sort()).toEqual(
      [
        ['awaiting_entrustment', `RECHECK-${october}`],
        ['case_opened', fresh.number],
      ].sort(),
    );
    expect(worked.find((e) => e.details.state === 'awaiting_entrustment')?.details.entrustmentNotice).toBe(
      true,
    );

    // Out of region: the cases of an alert are not shown.
    const otherCounty = await t.login('qingcheng_staff');
    expectError(
      await t.call('GET', `/api/recheck-alerts/${alert.id}/cases`, { cookie: otherCounty }),
      404,
      'OUT_OF_SCOPE',
    );
  });
});

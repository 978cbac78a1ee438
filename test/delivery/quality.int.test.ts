import { beforeAll, describe, expect, it } from 'vitest';
import { updateDeliveryRule } from '../../src/app/delivery/update-delivery-rule.ts';
import { retractBatch } from '../../src/app/ingest/retract-batch.ts';
import { DEPARTMENTS } from '../../src/domain/catalog/datasets.ts';
import type { DepartmentQuality } from '../../src/domain/delivery/quality.ts';
import { expectError, TEST_START, type TestApp, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { benefitRow, commit, deliver, hukouRow, IMPORT_ACTOR, vehicleRow } from '../support/deliveries.ts';

/** People of the fixtures: A–F are in the household register, Z, Z1, Z2 are not. */
const [A, B, C, D, E, F] = [1, 2, 3, 4, 5, 6] as const;
const [Z, Z1, Z2] = [90, 91, 92] as const;

async function quality(t: TestApp, username: string, query = ''): Promise<DepartmentQuality[]> {
  const res = await t.call('GET', `/api/quality${query}`, { cookie: await t.login(username) });
  expect(res.statusCode).toBe(200);
  return res.json<{ departments: DepartmentQuality[] }>().departments;
}

async function department(t: TestApp, code: string): Promise<DepartmentQuality> {
  const [found] = await quality(t, 'city_staff', `?departmentCode=${code}`);
  if (!found) throw new Error(`${code} missing from the quality report`);
  return found;
}

function dataset(report: DepartmentQuality, code: string) {
  const found = report.datasets.find((d) => d.dataset === code);
  if (!found) throw new Error(`${code} missing from ${report.departmentCode}`);
  return found;
}

const EMPTY_MONTH = { batches: 0, rejected: 0, rowsStored: 0, duplicateRate: null, unmatchedRate: null };

describeEachDatabase('data quality', (dialect) => {
  const t = useTestApp(dialect);
  const ids = { benefitJuly: 0, hukouFirst: 0, hukouSecond: 0, hukouRejected: 0, hukouQ2: 0, vehicle: 0 };

  beforeAll(async () => {
    const rule = (dataset: string, frequency: 'monthly' | 'quarterly', firstPeriod: string) =>
      updateDeliveryRule(t.deps, dataset, { frequency, dueDay: 10, firstPeriod }, IMPORT_ACTOR);
    await rule('hukou', 'quarterly', '2025-Q1');
    await rule('vehicle', 'quarterly', '2025-Q2');
    await rule('exit_entry', 'monthly', '2026-01');
    await rule('benefit', 'monthly', '2025-07');
    await rule('contribution', 'monthly', '2026-01');
    await rule('employment', 'monthly', '2026-01');
    // benefit 2025-07: 4 rows, one an exact duplicate; Z1 and Z2 are not in the register. On time (due 08-10).
    ids.benefitJuly = await commit(t, {
      dataset: 'benefit',
      period: '2025-07',
      rows: [
        benefitRow(A, '2025-07'),
        benefitRow(Z1, '2025-07'),
        benefitRow(Z2, '2025-07'),
        benefitRow(A, '2025-07'),
      ],
      at: '2025-08-05T02:00:00.000Z',
    });
    t.clock.set(TEST_START);
  });

  describe('before any household register is held', () => {
    it('leaves the unmatched rate unknown and the batch uncounted', async () => {
      const benefit = dataset(await department(t, 'human_resources'), 'benefit');
      expect(benefit).toMatchObject({
        batches: 1,
        committed: 1,
        rowsStored: 3,
        duplicateRate: 0.25,
        unmatchedRate: null,
      });
      expect((await t.deps.store.batches.get(ids.benefitJuly))?.unmatchedRows).toBeNull();
    });
  });

  describe('with hand-counted deliveries', () => {
    beforeAll(async () => {
      // hukou 2025-Q1 on 04-05: A–D and a duplicate of A (5 read, 4 stored); superseded on 04-20 by A–E.
      ids.hukouFirst = await commit(t, {
        dataset: 'hukou',
        period: '2025-Q1',
        rows: [A, B, C, D, A].map(hukouRow),
        at: '2025-04-05T02:00:00.000Z',
      });
      ids.hukouSecond = await commit(t, {
        dataset: 'hukou',
        period: '2025-Q1',
        rows: [A, B, C, D, E].map(hukouRow),
        at: '2025-04-20T02:00:00.000Z',
      });
      // hukou 2025-Q2: rejected on 07-08 (one bad ID number), delivered late on 07-15 with A–F.
      const rejected = await deliver(t, {
        dataset: 'hukou',
        period: '2025-Q2',
        rows: [hukouRow(A), { ...hukouRow(B), 身份证号: '621002198001010000' }],
        at: '2025-07-08T02:00:00.000Z',
      });
      expect(rejected.status).toBe('rejected');
      ids.hukouRejected = rejected.batchId ?? 0;
      ids.hukouQ2 = await commit(t, {
        dataset: 'hukou',
        period: '2025-Q2',
        rows: [A, B, C, D, E, F].map(hukouRow),
        at: '2025-07-15T02:00:00.000Z',
      });
      // vehicle 2025-Q2 on time (07-09): A, F and Z, who is not in the register.
      ids.vehicle = await commit(t, {
        dataset: 'vehicle',
        period: '2025-Q2',
        rows: [A, F, Z].map(vehicleRow),
        at: '2025-07-09T02:00:00.000Z',
      });
      // benefit 2025-08 delivered on 09-03, then retracted: the period counts as not delivered.
      const august = await commit(t, {
        dataset: 'benefit',
        period: '2025-08',
        rows: [benefitRow(A, '2025-08')],
        at: '2025-09-03T02:00:00.000Z',
      });
      await retractBatch(
        t.deps,
        { batchId: august, reason: '报错了期间', departmentCode: null },
        IMPORT_ACTOR,
      );
      t.clock.set(TEST_START);
    });

    it('counts the household register: batches, committed, rejected, rows, duplicates and punctuality', async () => {
      const hukou = dataset(await department(t, 'public_security'), 'hukou');
      expect(hukou).toEqual({
        dataset: 'hukou',
        datasetName: '户籍人口',
        batches: 4,
        committed: 3,
        rejected: 1,
        rowsStored: 4 + 5 + 6,
        duplicateRate: 1 / 16,
        // The register is the reference for everyone else.
        unmatchedRate: null,
        // Q1 on time (first delivery 04-05), Q2 late (07-15 after 07-10).
        onTimeRate: 0.5,
        lastRejection: { batchId: ids.hukouRejected, at: '2025-07-08T02:00:00.000Z', errorCount: 1 },
      });
    });

    it("matches another dataset's people against the current register", async () => {
      const report = await department(t, 'public_security');
      expect(dataset(report, 'vehicle')).toEqual({
        dataset: 'vehicle',
        datasetName: '机动车登记',
        batches: 1,
        committed: 1,
        rejected: 0,
        rowsStored: 3,
        duplicateRate: 0,
        unmatchedRate: 1 / 3,
        onTimeRate: 1,
        lastRejection: null,
      });
      expect(dataset(report, 'exit_entry')).toMatchObject({
        batches: 0,
        duplicateRate: null,
        unmatchedRate: null,
        onTimeRate: null,
        lastRejection: null,
      });
    });

    it('sums a department over its datasets', async () => {
      expect(await department(t, 'public_security')).toMatchObject({
        departmentCode: 'public_security',
        departmentName: '公安',
        batches: 5,
        committed: 4,
        rejected: 1,
        rowsStored: 18,
        duplicateRate: 1 / 19,
        unmatchedRate: 1 / 3,
        onTimeRate: 2 / 3,
      });
      const hr = await department(t, 'human_resources');
      expect(hr).toMatchObject({
        batches: 2,
        committed: 1,
        rejected: 0,
        rowsStored: 3,
        duplicateRate: 0.25,
        onTimeRate: 0.5,
      });
      expect(hr.unmatchedRate).toBeCloseTo(2 / 3, 12);
    });

    it('trends the last 12 months by the month the batches arrived', async () => {
      const { trend } = await department(t, 'public_security');
      expect(trend.map((m) => m.month)).toEqual([
        '2024-10',
        '2024-11',
        '2024-12',
        '2025-01',
        '2025-02',
        '2025-03',
        '2025-04',
        '2025-05',
        '2025-06',
        '2025-07',
        '2025-08',
        '2025-09',
      ]);
      expect(trend.find((m) => m.month === '2025-04')).toEqual({
        month: '2025-04',
        batches: 2,
        rejected: 0,
        rowsStored: 9,
        duplicateRate: 0.1,
        unmatchedRate: null,
      });
      expect(trend.find((m) => m.month === '2025-07')).toEqual({
        month: '2025-07',
        batches: 3,
        rejected: 1,
        rowsStored: 9,
        duplicateRate: 0,
        unmatchedRate: 1 / 3,
      });
      for (const m of trend.filter((x) => x.month !== '2025-04' && x.month !== '2025-07'))
        expect(m).toEqual({ month: m.month, ...EMPTY_MONTH });
    });

    it('keeps each unmatched count in its batch, computed against the register of that moment', async () => {
      expect((await t.deps.store.batches.get(ids.vehicle))?.unmatchedRows).toBe(1);
      expect((await t.deps.store.batches.get(ids.benefitJuly))?.unmatchedRows).toBe(2);
      expect((await t.deps.store.batches.get(ids.hukouSecond))?.unmatchedRows).toBeNull();
      expect((await t.deps.store.batches.get(ids.hukouRejected))?.unmatchedRows).toBeNull();
      // Z joins the register: the count already kept for the vehicle batch is not redone.
      await commit(t, {
        dataset: 'hukou',
        period: '2024-Q4',
        rows: [hukouRow(Z)],
        at: '2025-09-20T02:00:00.000Z',
      });
      t.clock.set(TEST_START);
      expect(dataset(await department(t, 'public_security'), 'vehicle').unmatchedRate).toBe(1 / 3);
      expect(await t.deps.store.quality.countUnmatched(ids.vehicle, 'hukou')).toBe(0);
    });
  });

  describe('who may see which department', () => {
    it('shows agency staff and reviewers every department, or the one asked for', async () => {
      expect((await quality(t, 'city_staff')).map((d) => d.departmentCode)).toEqual(Object.keys(DEPARTMENTS));
      expect(
        (await quality(t, 'xifeng_reviewer', '?departmentCode=finance')).map((d) => d.departmentCode),
      ).toEqual(['finance']);
    });

    it('shows a department officer their own department only', async () => {
      expect((await quality(t, 'dept_public_security')).map((d) => d.departmentCode)).toEqual([
        'public_security',
      ]);
      expect(
        (await quality(t, 'dept_public_security', '?departmentCode=public_security')).map(
          (d) => d.departmentCode,
        ),
      ).toEqual(['public_security']);
      const finance = await t.login('dept_finance');
      expectError(
        await t.call('GET', '/api/quality?departmentCode=public_security', { cookie: finance }),
        404,
        'OUT_OF_SCOPE',
      );
      expect((await quality(t, 'dept_finance')).map((d) => d.departmentCode)).toEqual(['finance']);
    });

    it('refuses an unknown department code', async () => {
      const staff = await t.login('city_staff');
      expectError(
        await t.call('GET', '/api/quality?departmentCode=nope', { cookie: staff }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('refuses the system administrator, auditors and requesters', async () => {
      for (const username of ['admin', 'auditor', 'xifeng_requester'])
        expectError(
          await t.call('GET', '/api/quality', { cookie: await t.login(username) }),
          403,
          'PERMISSION_DENIED',
        );
    });
  });
});

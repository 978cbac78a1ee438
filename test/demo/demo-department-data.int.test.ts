import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { AssessmentView } from '../../src/app/assessment/run-assessment.ts';
import { useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

/**
 * The demo city's department data is loaded through the importer on first start, and the example family of
 * docs/examples/household.json assessed by 西峰区's staff shows the rules it was made for.
 */

const EXAMPLE = JSON.parse(readFileSync('docs/examples/household.json', 'utf8')) as Record<string, unknown>;

describeEachDatabase('demo department data', (dialect) => {
  const t = useTestApp(dialect, { env: { HEDUI_DEMO_DATA: 'on' } });

  it('commits one batch per dataset and period through the importer, as the system', async () => {
    const committed = await t.audit('BATCH_COMMITTED');
    const datasets = new Set(committed.map((e) => (e.details as { dataset: string }).dataset));
    expect(datasets).toEqual(
      new Set([
        'hukou',
        'payroll',
        'benefit',
        'contribution',
        'tax_income',
        'deposit',
        'vehicle',
        'real_estate',
        'market_entity',
        'provident_fund',
        'marriage',
        'death',
        'disability',
        'subsidy',
      ]),
    );
    expect(committed.every((e) => e.actorUserId === null)).toBe(true);
    expect(await t.audit('BATCH_REJECTED')).toEqual([]);
    // The clock is at 2025-09-26: the register is that of the latest complete quarter.
    const hukou = await t.deps.store.batches.current('hukou', '2025-Q2');
    expect(hukou).toMatchObject({ status: 'committed', source: 'cli', rowsStored: expect.any(Number) });
  });

  /** The accepted demo case whose applicant has this ID number. */
  async function caseOf(applicantId: string): Promise<string> {
    const { items } = await t.deps.store.cases.list({ regionScope: null, offset: 0, limit: 500 });
    const found = items.find(
      (kase) =>
        (JSON.parse(t.deps.crypto.decrypt(kase.householdEnc)) as { members: { idNumber: string }[] })
          .members[0]?.idNumber === applicantId,
    );
    if (!found) throw new Error(`no demo case for ${applicantId}`);
    expect(found.state).toBe('verifying');
    return found.number;
  }

  it('opens an accepted case for every family, the example family first in its county', async () => {
    const { items, total } = await t.deps.store.cases.list({ regionScope: null, offset: 0, limit: 500 });
    expect(total).toBe(40);
    expect(items.every((kase) => kase.state === 'verifying')).toBe(true);
    const members = EXAMPLE.members as { idNumber: string }[];
    expect(await caseOf(members[0]?.idNumber as string)).toBe('HD-621002-2025-000001');
  });

  it('assesses the example family: wages once from two sources, one declared category off', async () => {
    const cookie = await t.login('xifeng_staff');
    const body = { ...EXAMPLE, caseRef: 'HD-621002-2025-000001' };
    const res = await t.call('POST', '/api/assessments', { cookie, body });
    expect(res.statusCode, res.body).toBe(200);
    const { result } = res.json<{ assessment: AssessmentView }>().assessment;
    const { household, members, window } = result.assessment;
    expect(window).toMatchObject({ firstMonth: '2024-09', lastMonth: '2025-08' });

    // 李秀兰: payroll 3 600 元 and tax_income 3 800 元 a month — the larger counts, not the sum.
    expect(household.income.categories.wages.totalFen).toBe(4_560_000);
    const spouseWages = members[1]?.income.categories.wages.months ?? [];
    expect(spouseWages).toHaveLength(12);
    for (const month of spouseWages) {
      expect(month.amountFen).toBe(380_000);
      const payroll = month.evidence.find((e) => e.dataset === 'payroll');
      expect(payroll).toMatchObject({
        counted: false,
        reason: 'covered_by_larger_source',
        amountFen: 360_000,
      });
      expect(month.evidence.find((e) => e.dataset === 'tax_income')?.counted).toBe(true);
    }
    // 刘桂英's pension, 183 元 a month.
    expect(household.income.transferNet.totalFen).toBe(219_600);
    expect(household.membersCounted).toBe(4);
    expect(household.perCapitaMonthlyIncomeFen).toBe(99_575);
    expect(household.assets.deposits.totalFen).toBe(865_037);
    expect(household.assets.realEstate.count).toBe(1);
    expect(household.assets.vehicles.count).toBe(0);

    // Only the spouse's wages differ from the declaration (1 200 元 a month declared).
    expect(result.discrepancies).toEqual([
      expect.objectContaining({
        memberId: 'm2',
        category: 'wages',
        declaredFen: 1_440_000,
        foundFen: 4_560_000,
        severity: 'serious',
      }),
    ]);
    expect(result.links.filter((l) => l.flag !== null)).toEqual([]);
  });

  it("flags the homophone in XF02 and does not count QC02's disability vehicle", async () => {
    const data = (await import('../../src/app/demo/demo-department-data.ts')).buildDemoDepartmentData(
      '2025-09-26',
    );
    const family = (code: string) => data.families.find((f) => f.code === code);
    const request = (code: string, caseRef: string) => ({
      caseRef,
      regionCode: family(code)?.county,
      assistanceType: 'subsistence_allowance',
      members: family(code)?.members.map((p) => ({
        idNumber: p.idNumber,
        name: p.name,
        relation: p.relation,
        coResiding: true,
        exclusion: null,
      })),
    });
    const xifeng = await t.login('xifeng_staff');
    const xf02 = await t.call('POST', '/api/assessments', {
      cookie: xifeng,
      body: request('XF02', await caseOf(family('XF02')?.members[0]?.idNumber as string)),
    });
    expect(xf02.statusCode, xf02.body).toBe(200);
    const links = xf02.json<{ assessment: AssessmentView }>().assessment.result.links;
    expect(links.filter((l) => l.flag?.code === 'NAME_MISMATCH').length).toBe(12);

    const qingcheng = await t.login('qingcheng_staff');
    const qc02 = await t.call('POST', '/api/assessments', {
      cookie: qingcheng,
      body: request('QC02', await caseOf(family('QC02')?.members[0]?.idNumber as string)),
    });
    expect(qc02.statusCode, qc02.body).toBe(200);
    const wife = qc02.json<{ assessment: AssessmentView }>().assessment.result.assessment.members[1];
    expect(wife?.assets.vehicles.count).toBe(0);
    expect(wife?.assets.vehicles.evidence).toEqual([
      expect.objectContaining({ counted: false, reason: 'disability_vehicle', identifier: '甘M·C8K51' }),
    ]);
  });
});

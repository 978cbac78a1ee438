import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../src/app/ports.ts';
import { shanghaiDateOf } from '../../src/domain/shared/clock.ts';
import { createStore } from '../../src/store/store.ts';
import { openCaseForCli } from '../support/cases.ts';
import { cliDatabase, hedui } from '../support/cli.ts';
import { describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { csvBytes, hukouRow, idNumber, payrollRow, personName, tempDir } from '../support/department-data.ts';

interface CliAssessment {
  id: number;
  caseRef: string;
  asOfDate: string;
  policyLabel: string;
  batchIds: number[];
  result: {
    assessment: {
      window: { firstMonth: string; lastMonth: string };
      members: {
        member: { memberId: string };
        income: {
          categories: Record<
            string,
            { totalFen: number; months: { month: string; evidence: { batchId: number }[] }[] }
          >;
        };
      }[];
      household: { perCapitaMonthlyIncomeFen: number | null; income: { total: { totalFen: number } } };
    };
    discrepancies: { memberId: string; category: string; severity: string }[];
  };
}

/** `hedui assess --household FILE.json [--as-of]` on both databases, after `hedui import` of two batches. */
describeEachDatabase('hedui assess', (dialect) => {
  const dir = tempDir('hedui-cli-assess-');
  let database: TestDatabase;
  let store: Store;
  let env: Record<string, string>;
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
  const household = {
    caseRef: 'CLI-2026-0001',
    regionCode: '621002',
    assistanceType: 'subsistence_allowance',
    windowEndMonth: '2026-06',
    members: [
      {
        idNumber: idNumber(0),
        name: personName(0),
        relation: '本人',
        coResiding: true,
        exclusion: null,
        declaredIncome: { wages: 1_000_000 },
      },
      { idNumber: idNumber(1), name: personName(1), relation: '配偶', coResiding: true, exclusion: null },
    ],
  };

  let caseNumber = '';

  beforeAll(async () => {
    ({ database, env } = await cliDatabase(dialect, dir));
    store = createStore(database);
    caseNumber = await openCaseForCli(env, household.members);
    const hukou = dir.write('hukou.csv', csvBytes([hukouRow(0), hukouRow(1)]));
    const payroll = dir.write(
      'payroll.csv',
      csvBytes(months.map((month) => payrollRow(0, month, { 应发工资: '3000.00', 实发工资: '2500.00' }))),
    );
    for (const [dataset, period, file] of [
      ['hukou', '2026-Q2', hukou],
      ['payroll', '2026-H1', payroll],
    ] as const) {
      const run = await hedui(['import', '--dataset', dataset, '--period', period, file], env);
      expect(run.code, run.stdout + run.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await database?.close();
    dir.remove();
  });

  it('prints one JSON object with the figures in fen, per-capita income, discrepancies and evidence', async () => {
    const file = dir.write('household.json', Buffer.from(JSON.stringify(household)));
    const today = shanghaiDateOf(new Date());
    const run = await hedui(['assess', '--household', file, '--as-of', today, '--case', caseNumber], env);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(2);
    const out = JSON.parse(lines[0] ?? '') as CliAssessment;
    expect(out).toMatchObject({
      caseRef: caseNumber,
      asOfDate: today,
      policyLabel: 'default-v1',
    });
    expect(out.result.assessment.window).toEqual(
      expect.objectContaining({ firstMonth: '2025-07', lastMonth: '2026-06' }),
    );
    const applicant = out.result.assessment.members[0];
    expect(applicant?.income.categories.wages?.totalFen).toBe(1_800_000);
    const june = applicant?.income.categories.wages?.months.find((m) => m.month === '2026-06');
    expect(out.batchIds).toContain(june?.evidence[0]?.batchId);
    // 1 800 000 fen ÷ 12 months ÷ 2 members
    expect(out.result.assessment.household.perCapitaMonthlyIncomeFen).toBe(75_000);
    expect(out.result.discrepancies).toContainEqual(
      expect.objectContaining({ memberId: 'm1', category: 'wages', severity: 'serious' }),
    );
    expect(run.stdout).not.toContain(idNumber(0));
    const audit = await store.audit.list({ action: 'ASSESSMENT_RUN', offset: 0, limit: 5 });
    expect(audit.items[0]).toMatchObject({ caseId: caseNumber, actorName: '命令行核对' });
  });

  it('reads the data as they stood on an earlier --as-of date: batches delivered later are not used', async () => {
    const file = dir.write('household.json', Buffer.from(JSON.stringify(household)));
    const run = await hedui(
      ['assess', '--household', file, '--as-of', '2026-07-15', '--case', caseNumber],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as CliAssessment;
    expect(out.asOfDate).toBe('2026-07-15');
    expect(out.batchIds).toEqual([]);
    expect(out.result.assessment.members[0]?.income.categories.wages?.totalFen).toBe(0);
  });

  it('answers bad input with exit 3 and the list of problems, storing nothing', async () => {
    const bad = { ...household, members: [{ ...household.members[0], idNumber: '621002198001010010' }] };
    const file = dir.write('bad.json', Buffer.from(JSON.stringify(bad)));
    const before = await store.assessments.list({ regionScope: null, offset: 0, limit: 1 });
    const run = await hedui(['assess', '--household', file], env);
    expect(run.code).toBe(3);
    const out = JSON.parse(run.stdout) as {
      error: { code: string; details: { errors: { code: string }[] } };
    };
    expect(out.error.code).toBe('VALIDATION_FAILED');
    expect(out.error.details.errors.map((e) => e.code)).toEqual(['INVALID_ID_NUMBER']);
    const after = await store.assessments.list({ regionScope: null, offset: 0, limit: 1 });
    expect(after.total).toBe(before.total);
  });

  it('queries nothing without an accepted case (无委托、不核对): exit 3 and NO_CASE', async () => {
    const file = dir.write('household.json', Buffer.from(JSON.stringify(household)));
    const run = await hedui(['assess', '--household', file], env);
    expect(run.code).toBe(3);
    const out = JSON.parse(run.stdout) as { error: { code: string; details: { code: string } } };
    expect(out.error).toMatchObject({ code: 'PERMISSION_DENIED', details: { code: 'NO_CASE' } });
  });

  it('refuses a file that is not JSON with exit 2', async () => {
    const file = dir.write('broken.json', Buffer.from('{ members: '));
    const run = await hedui(['assess', '--household', file], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('不是有效的 JSON');
  });
});

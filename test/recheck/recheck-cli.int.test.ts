import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../src/app/ports.ts';
import { importRoster } from '../../src/app/roster/import-roster.ts';
import { openRuntime, prepareDatabase } from '../../src/cli/runtime.ts';
import { loadConfig } from '../../src/config.ts';
import { shanghaiDateOf } from '../../src/domain/shared/clock.ts';
import { createStore } from '../../src/store/store.ts';
import { actorOf, openCase } from '../support/cases.ts';
import { cliDatabase, hedui } from '../support/cli.ts';
import { describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { idNumber, personName, tempDir } from '../support/department-data.ts';

interface CliSummary {
  month: string;
  runs: {
    runId: number;
    state: string;
    resumed: boolean;
    mode: string;
    scope: { organisationId: number; name: string };
    counts: {
      familyCount: number;
      doneCount: number;
      skippedCount: number;
      failedCount: number;
      carriedCount: number;
    };
    alertsByKind: Record<string, number>;
  }[];
  refused: { scopeAgencyId: number; code: string }[];
}

/** `hedui recheck --month YYYY-MM [--agency ID]` prints one JSON summary of the runs, on both databases. */
describeEachDatabase('hedui recheck', (dialect) => {
  const dir = tempDir('hedui-cli-recheck-');
  const month = shanghaiDateOf(new Date()).slice(0, 7);
  let database: TestDatabase;
  let store: Store;
  let env: Record<string, string>;
  let agencyId: number;

  beforeAll(async () => {
    ({ database, env } = await cliDatabase(dialect, dir));
    store = createStore(database);
    // The demo city's users, one accepted case, and a roster of two families (one without authorization).
    const config = loadConfig({ ...env, NODE_ENV: 'test', HEDUI_DEMO: 'on', HEDUI_DEMO_DATA: 'off' });
    const runtime = openRuntime(config);
    try {
      await prepareDatabase(runtime, config);
      const members = [0, 1].map((p, i) => ({
        idNumber: idNumber(p),
        name: personName(p),
        relation: i === 0 ? '本人' : '配偶',
      }));
      await openCase(runtime.deps, members);
      const rows = [
        {
          familyKey: 'CLI-1',
          regionCode: '621002001',
          assistanceType: '低保',
          startDate: '2025-01-01',
          monthlyAmount: '600',
          ...members[0],
        },
        { familyKey: 'CLI-1', ...members[1] },
        {
          familyKey: 'CLI-2',
          regionCode: '621002001',
          assistanceType: '低保',
          startDate: '2025-01-01',
          monthlyAmount: '500',
          idNumber: idNumber(2),
          name: personName(2),
          relation: '本人',
        },
      ];
      const requester = await actorOf(runtime.deps, 'xifeng_requester');
      const roster = await importRoster(runtime.deps, { source: 'api', month, rows }, requester);
      expect(roster).toMatchObject({ status: 'committed', authorizationMissingCount: 1 });
      agencyId = (await actorOf(runtime.deps, 'xifeng_reviewer')).organisationId as number;
    } finally {
      await runtime.close();
    }
  });
  afterAll(async () => {
    await database?.close();
    dir.remove();
  });

  it('rechecks every county agency and prints the summary as JSON', async () => {
    const run = await hedui(['recheck', '--month', month], env);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const out = JSON.parse(run.stdout) as CliSummary;
    expect(out.month).toBe(month);
    expect(out.refused).toEqual([]);
    const xifeng = out.runs.find((r) => r.scope.organisationId === agencyId);
    expect(xifeng).toMatchObject({
      state: 'done',
      resumed: false,
      counts: { familyCount: 2, doneCount: 1, skippedCount: 1, failedCount: 0 },
      alertsByKind: {},
    });
    expect(
      out.runs.filter((r) => r.scope.organisationId !== agencyId).every((r) => r.counts.familyCount === 0),
    ).toBe(true);
    expect(run.stdout).not.toContain(idNumber(0));
    const audit = await store.audit.list({ action: 'ASSESSMENT_RUN', offset: 0, limit: 5 });
    expect(audit.items.map((e) => e.caseId)).toEqual([`RECHECK-${xifeng?.runId}`]);
    expect(audit.items[0]?.actorName).toBe('命令行每月复核');
  });

  it('runs one agency with --agency (by change by default, everything with --full), and refuses a bad month as a usage error', async () => {
    // No batch since the month's first run: the family is carried forward, nothing is assessed.
    const changed = await hedui(['recheck', '--month', month, '--agency', String(agencyId)], env);
    expect(changed.code, changed.stderr).toBe(0);
    const same = JSON.parse(changed.stdout) as CliSummary;
    expect(
      same.runs.map((r) => [r.scope.organisationId, r.mode, r.counts.doneCount, r.counts.carriedCount]),
    ).toEqual([[agencyId, 'changed', 0, 1]]);
    const run = await hedui(['recheck', '--month', month, '--agency', String(agencyId), '--full'], env);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as CliSummary;
    expect(out.runs.map((r) => [r.scope.organisationId, r.mode, r.counts.doneCount])).toEqual([
      [agencyId, 'full', 1],
    ]);
    const bad = await hedui(['recheck', '--month', '2025-13'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('YYYY-MM');
  });
});

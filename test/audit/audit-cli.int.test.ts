import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withoutAuditGuards } from '../support/audit-guards.ts';
import { cliDatabase, hedui } from '../support/cli.ts';
import { describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { tempDir } from '../support/department-data.ts';

/** `hedui audit checkpoint|checkpoints|verify` and `hedui retention run`, as an operator runs them, on both databases. */
describeEachDatabase('hedui audit checkpoints and retention', (dialect) => {
  const dir = tempDir('hedui-cli-audit-');
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ database, env } = await cliDatabase(dialect, dir));
  });
  afterAll(async () => {
    await database.close();
    dir.remove();
  });

  it('signs a checkpoint, exports it to a file and verifies the chain with it', async () => {
    // The first command starts the database (regions, calendar, audit entries) and adds the SM2 key to the key file.
    const made = await hedui(['audit', 'checkpoint'], env);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ number: 1, fromSeq: 1 });
    const keys = JSON.parse(readFileSync(dir.path('keys.json'), 'utf8')) as { signingKeys: unknown[] };
    expect(keys.signingKeys).toHaveLength(1);

    const out = dir.path('checkpoints.json');
    const exported = await hedui(['audit', 'checkpoints', '--out', out], env);
    expect(exported.code, exported.stderr).toBe(0);
    const file = JSON.parse(readFileSync(out, 'utf8')) as {
      format: string;
      checkpoints: { number: number }[];
    };
    expect(file.format).toBe('hedui-audit-checkpoints-v1');
    expect(file.checkpoints.map((c) => c.number)).toEqual([1]);

    const verified = await hedui(['audit', 'verify'], env);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, checkpoints: { total: 1, checked: 1 } });
  });

  it('fails verification naming the checkpoint when a covered row was changed', async () => {
    await withoutAuditGuards(database, () =>
      database.db.updateTable('auditLog').set({ outcome: 'failure' }).where('seq', '=', 2).execute(),
    );
    const broken = await hedui(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'HASH_MISMATCH' },
      checkpoints: { firstBroken: { number: 1, reason: 'ROOT_MISMATCH' } },
    });
    expect(broken.stderr).toMatch(/^AUDIT_CHAIN_BROKEN: 第 2 条记录/);
  });

  it('prints the counts of a dry run of retention and of a real one', async () => {
    const dry = await hedui(['retention', 'run', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      batchesPurged: 0,
      recordsPurged: 0,
      caseFilesPurged: 0,
      auditEntriesPurged: 0,
    });
    const real = await hedui(['retention', 'run'], env);
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ dryRun: false, batchesPurged: 0 });
    const runs = await database.db
      .selectFrom('retentionRun')
      .select(['dryRun', 'trigger'])
      .orderBy('id')
      .execute();
    expect(runs.map((r) => [Number(r.dryRun), r.trigger])).toEqual([
      [1, 'cli'],
      [0, 'cli'],
    ]);
  });
});

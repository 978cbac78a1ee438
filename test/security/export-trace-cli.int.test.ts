import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { actorOfUser } from '../../src/app/actor.ts';
import { decideExport } from '../../src/app/exports/decide-export.ts';
import { downloadExport } from '../../src/app/exports/download-export.ts';
import { requestExport } from '../../src/app/exports/request-export.ts';
import { exportWatermark } from '../../src/documents/export-watermark.ts';
import { cliDatabase, hedui } from '../support/cli.ts';
import { describeEachDatabase, type TestDatabase } from '../support/databases.ts';
import { tempDir } from '../support/department-data.ts';

/** `hedui export trace FILE` (issue #8 item 4): a leaked export is read back to who asked, why and who approved. */
describeEachDatabase('hedui export trace', (dialect) => {
  const dir = tempDir('hedui-cli-export-');
  let database: TestDatabase;
  let env: Record<string, string>;
  let exportId: number;

  beforeAll(async () => {
    ({ database, env } = await cliDatabase(dialect, dir));
    const { loadConfig } = await import('../../src/config.ts');
    const { openRuntime, prepareDatabase } = await import('../../src/cli/runtime.ts');
    const config = loadConfig({ ...env, NODE_ENV: 'test', HEDUI_DEMO: 'on', HEDUI_DEMO_DATA: 'off' });
    const runtime = openRuntime(config);
    try {
      await prepareDatabase(runtime, config);
      const { deps } = runtime;
      const staff = await actorOfUser(deps.store, 'xifeng_staff');
      const reviewer = await actorOfUser(deps.store, 'xifeng_reviewer');
      const req = await requestExport(
        deps,
        { target: { kind: 'dishonesty_records', format: 'csv' }, reason: '报送省信用信息平台' },
        staff,
      );
      exportId = req.id;
      await decideExport(deps, req.id, { approve: true }, reviewer);
      const { bytes } = await downloadExport(
        deps,
        req.id,
        staff,
        async () => ({
          bytes: Buffer.from('\ufefffield\r\nvalue\r\n'),
          fileName: 'x.csv',
          contentType: 'text/csv',
          format: 'csv',
        }),
        exportWatermark,
      );
      writeFileSync(dir.path('leaked.csv'), bytes);
      const text = Buffer.from(bytes).toString('utf8');
      // Someone edits the mark to blame another export: the fingerprint no longer fits.
      writeFileSync(
        dir.path('forged.csv'),
        text.replace(/\u2060[\u200b\u200c]+\u2060/, `HEDUI-EXPORT:${req.id}:${'A'.repeat(22)}`),
      );
      writeFileSync(dir.path('plain.csv'), 'field\r\nvalue\r\n');
    } finally {
      await runtime.close();
    }
  });
  afterAll(async () => {
    await database.close();
    dir.remove();
  });

  it('names the request, the requester, the purpose and the approver of a leaked file', async () => {
    const run = await hedui(['export', 'trace', dir.path('leaked.csv')], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      exportId,
      genuine: true,
      request: {
        kind: 'dishonesty_records',
        reason: '报送省信用信息平台',
        requestedBy: { name: '西峰区核对员（演示）' },
        decidedBy: { name: '西峰区审核员（演示）' },
      },
    });
  });

  it('tells a forged mark apart (exit 3) and a file without one (exit 1)', async () => {
    const forged = await hedui(['export', 'trace', dir.path('forged.csv')], env);
    expect(forged.code).toBe(3);
    expect(JSON.parse(forged.stdout)).toMatchObject({ exportId, genuine: false });
    expect(forged.stderr).toMatch(/^EXPORT_MARK_NOT_GENUINE/);
    const plain = await hedui(['export', 'trace', dir.path('plain.csv')], env);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^EXPORT_MARK_NOT_FOUND/);
  });
});

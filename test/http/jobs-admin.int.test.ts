import { expect, it } from 'vitest';
import { inProcessJobRunner } from '../../src/jobs/in-process-runner.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

async function until(ok: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeEachDatabase('系统管理 → 后台任务 (in-process runner)', (dialect) => {
  const t = useTestApp(dialect);

  it('lists runs with attempts and the last error, retries a failed one (audited), refuses others', async () => {
    const runner = inProcessJobRunner({}, () => new Date(), { limit: 1, baseMs: 10 });
    t.deps.jobs = runner;
    let fail = true;
    await runner.work('test.flaky', async () => {
      if (fail) throw new Error('部门接口无响应');
      return 'ok';
    });
    await runner.schedule('test.flaky', '0 3 * * *');
    const id = (await runner.list()).jobs[0]?.id as string;
    await until(async () => (await runner.get(id))?.state === 'failed');

    const cookie = await t.login('admin');
    const listed = await t.call('GET', '/api/admin/jobs', { cookie });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json()).toMatchObject({
      runner: 'in-process',
      jobs: [{ id, name: 'test.flaky', state: 'failed', attempts: 2, lastError: '部门接口无响应' }],
      schedules: [{ name: 'test.flaky', cron: '0 3 * * *' }],
    });
    expect(listed.json().schedules[0].nextRunAt).toMatch(/T19:00:00\.000Z$/);

    expectError(
      await t.call('GET', '/api/admin/jobs', { cookie: await t.login('xifeng_staff') }),
      403,
      'PERMISSION_DENIED',
    );

    fail = false;
    const retried = await t.call('POST', `/api/admin/jobs/${id}/retry`, { cookie, body: {} });
    expect(retried.statusCode, retried.body).toBe(200);
    await until(async () => (await runner.get(id))?.state === 'completed');
    expect((await runner.get(id))?.attempts).toBe(3);
    const [entry] = await t.audit('JOB_RETRIED');
    expect(entry).toMatchObject({ objectType: 'job', objectId: id, details: { name: 'test.flaky' } });

    expectError(await t.call('POST', `/api/admin/jobs/${id}/retry`, { cookie, body: {} }), 409, 'CONFLICT');
    expectError(await t.call('POST', '/api/admin/jobs/nope/retry', { cookie, body: {} }), 404, 'NOT_FOUND');
    await runner.stop();
  });
});

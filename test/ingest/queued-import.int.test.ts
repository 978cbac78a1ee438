import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IMPORT_JOB } from '../../src/app/ingest/queued-import.ts';
import type { JobRunner } from '../../src/app/jobs/job-runner.ts';
import { inProcessJobRunner } from '../../src/jobs/in-process-runner.ts';
import { platformWorkers } from '../../src/jobs/jobs.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { csvBytes, hukouRow, hukouRows, multipart } from '../support/department-data.ts';

interface ImportJobView {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  dataset: string;
  datasetName: string;
  period: string;
  fileName: string;
  bytes: number;
  batchId: number | null;
  rows: number | null;
  stored: number | null;
  error: { code: string; message: string } | null;
  errorReport: string | null;
}

describeEachDatabase('large uploads imported on the job queue', (dialect) => {
  // 0.002 MiB ≈ 2 KiB: the 20-row files below are queued, a 2-row file is imported at once.
  const t = useTestApp(dialect, { env: { HEDUI_IMPORT_QUEUE_MIN_MB: '0.002' } });
  let runner: JobRunner;
  let police: string;

  beforeAll(async () => {
    runner = inProcessJobRunner({}, () => new Date(), { limit: 0, baseMs: 10 });
    for (const worker of platformWorkers(t.deps)) await runner.work(worker.name, worker.run);
    t.deps.jobs = runner;
    police = await t.login('dept_public_security');
  });
  afterAll(async () => {
    await runner.stop();
  });

  const upload = (period: string, content: Buffer, cookie = police) => {
    const { payload, headers } = multipart({ dataset: 'hukou', period }, { name: '户籍.csv', content });
    return t.call('POST', '/api/batches', { cookie, body: payload, headers });
  };
  const status = (id: string, cookie = police) => t.call('GET', `/api/batches/imports/${id}`, { cookie });
  async function settled(id: string): Promise<ImportJobView> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await status(id);
      expect(res.statusCode, res.body).toBe(200);
      const job = res.json<ImportJobView>();
      if (job.state === 'done' || job.state === 'failed') return job;
      if (Date.now() > deadline) throw new Error(`import ${id} still ${job.state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const kept = () => {
    const dir = join(t.config.filesDir, 'imports');
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  it('answers 202 with the import, imports it on the queue as the uploader, and removes the kept file', async () => {
    const content = csvBytes(hukouRows(20, 500));
    expect(content.length).toBeGreaterThan(0.002 * 1024 * 1024);
    const res = await upload('2025-Q3', content);
    expect(res.statusCode, res.body).toBe(202);
    const queued = res.json<ImportJobView>();
    expect(queued).toMatchObject({
      dataset: 'hukou',
      period: '2025-Q3',
      fileName: '户籍.csv',
      bytes: content.length,
    });
    expect(['queued', 'running', 'done']).toContain(queued.state);
    const [entry] = await t.audit('IMPORT_QUEUED');
    expect(entry).toMatchObject({
      objectType: 'import_job',
      objectId: queued.id,
      actorUserId: await t.userId('dept_public_security'),
      details: { dataset: 'hukou', period: '2025-Q3', bytes: content.length },
    });

    const done = await settled(queued.id);
    expect(done).toMatchObject({
      state: 'done',
      outcome: 'committed',
      rows: 20,
      stored: 20,
      error: null,
      errorReport: null,
    });
    const batch = await t.deps.store.batches.get(done.batchId as number);
    expect(batch).toMatchObject({ status: 'committed', source: 'upload', departmentCode: 'public_security' });
    expect(batch?.uploaderUserId).toBe(await t.userId('dept_public_security'));
    const [committed] = await t.audit('BATCH_COMMITTED');
    expect(committed).toMatchObject({ objectId: String(done.batchId), details: { rows: 20, stored: 20 } });
    expect(kept()).toEqual([]);
    expect(
      (await runner.get((await t.deps.store.importJobs.get(queued.id))?.runnerJobId as string))?.state,
    ).toBe('completed');
  });

  it('ends a file with errors as failed, with the Chinese reason and the error report, storing nothing', async () => {
    const rows = hukouRows(20, 600);
    rows[3] = hukouRow(603, { 性别: '未知' });
    const res = await upload('2025-Q2', csvBytes(rows));
    expect(res.statusCode, res.body).toBe(202);
    const failed = await settled(res.json<ImportJobView>().id);
    expect(failed).toMatchObject({
      state: 'failed',
      outcome: 'rejected',
      stored: 0,
      error: { code: 'VALIDATION_FAILED' },
      errorReport: `/api/batches/${failed.batchId}/error-report`,
    });
    expect(failed.error?.message).toMatch(/数据校验未通过：1 处错误/);
    const report = await t.call('GET', failed.errorReport as string, { cookie: police });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/spreadsheetml/);
    const stored = await t.database.db
      .selectFrom('record')
      .select('id')
      .where('batchId', '=', failed.batchId as number)
      .execute();
    expect(stored).toEqual([]);
    expect((await t.deps.store.batches.get(failed.batchId as number))?.status).toBe('rejected');
    expect(kept()).toEqual([]);
  });

  it('imports a small file while the request waits, as before', async () => {
    const res = await upload('2025-Q1', csvBytes(hukouRows(2, 700)));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'committed', rows: 2, stored: 2 });
  });

  it("refuses a dataset the uploader's department does not deliver before queueing anything", async () => {
    const finance = await t.login('dept_finance');
    const before = (await t.audit('IMPORT_QUEUED')).length;
    expectError(await upload('2025-Q4', csvBytes(hukouRows(20, 800)), finance), 403, 'PERMISSION_DENIED');
    expect(await t.audit('IMPORT_QUEUED')).toHaveLength(before);
    expect(kept()).toEqual([]);
  });

  it('shows an import to its department and the system administrator only', async () => {
    const res = await upload('2024-Q4', csvBytes(hukouRows(20, 900)));
    const { id } = res.json<ImportJobView>();
    await settled(id);
    expectError(await status(id, await t.login('dept_finance')), 404, 'OUT_OF_SCOPE');
    expectError(await status(id, await t.login('city_staff')), 403, 'PERMISSION_DENIED');
    expect((await status(id, await t.login('admin'))).statusCode).toBe(200);
    expectError(await status('00000000-0000-0000-0000-000000000000'), 404, 'OUT_OF_SCOPE');
    expectError(await status('nope'), 404, 'OUT_OF_SCOPE');
  });

  it('records a failure when the kept file is gone, and never runs a finished import again', async () => {
    const res = await upload('2024-Q3', csvBytes(hukouRows(20, 1000)));
    const first = await settled(res.json<ImportJobView>().id);
    expect(first.state).toBe('done');
    // The queue delivers the same job again (an instance died after finishing): nothing happens.
    const again = await runner.send(IMPORT_JOB, { importJobId: first.id });
    const deadline = Date.now() + 5000;
    while ((await runner.get(again))?.state !== 'completed' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await settled(first.id)).toEqual(first);
    const batches = await t.deps.store.batches.list({ dataset: 'hukou', offset: 0, limit: 100 });
    expect(batches.items.filter((b) => b.period === '2024-Q3')).toHaveLength(1);
  });
});

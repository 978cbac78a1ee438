import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationPdf } from '../support/cases.ts';
import { cliDatabase, type Exit, startHedui } from '../support/cli.ts';
import { type TestDatabase, testDialects } from '../support/databases.ts';
import {
  csvBytes,
  hukouRow,
  hukouRows,
  idNumber,
  personName,
  type TempDir,
  tempDir,
} from '../support/department-data.ts';
import { readZip } from '../support/zip.ts';

/**
 * Issue #9: two `hedui serve` processes (two ports) on one PostgreSQL schema, one file store directory and one
 * pg-boss schema. Sessions are read from the database on every request, so a login on A works on B and a logout
 * on A ends the session on B at once; the every-minute test job runs once per tick across both instances; a job
 * whose instance is killed mid-run is retried by pg-boss on the other instance. Files uploaded on one instance are
 * read on the other (the shared files directory): a department's error report, a case attachment, a large upload
 * imported by the `ingest.import` job on whichever instance takes it.
 */
const PASSWORD = 'Instances@2026test';
const postgres = testDialects().includes('postgres');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function call(port: number, method: string, path: string, cookie?: string | null, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-hedui-csrf': '1' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    body: await res.text(),
    cookie: res.headers.get('set-cookie')?.split(';')[0] ?? null,
  };
}

async function upload(
  port: number,
  path: string,
  cookie: string | null,
  fields: Record<string, string>,
  file: { name: string; bytes: Buffer },
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { ...(cookie ? { cookie } : {}), 'x-hedui-csrf': '1' },
    body: form,
  });
  return { status: res.status, body: await res.text() };
}

/** A department's upload of a hukou file for `period`. */
const uploadHukou = (port: number, cookie: string, period: string, file: { name: string; bytes: Buffer }) =>
  upload(port, '/api/batches', cookie, { dataset: 'hukou', period }, file);

async function loginOn(port: number, username: string): Promise<string> {
  const res = await call(port, 'POST', '/api/auth/login', null, { username, password: PASSWORD });
  expect(res.status, res.body).toBe(200);
  return res.cookie as string;
}

interface Instance {
  port: number;
  pid: number;
  stdout: () => string;
  exit: () => Exit | null;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<Exit>;
}

async function start(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const server = startHedui(['serve'], { ...env, PORT: String(port) });
  let exit: Exit | null = null;
  void server.exited.then((e) => {
    exit = e;
  });
  let out = '';
  server.child.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  await until(`instance on ${port}`, () => out.includes('已启动') || exit !== null, 120_000);
  if (exit) throw new Error(`instance failed: ${(exit as Exit).stderr}`);
  return {
    port,
    pid: server.child.pid as number,
    stdout: () => out,
    exit: () => exit,
    kill: (signal) => server.child.kill(signal),
    exited: server.exited,
  };
}

const runs = (dir: TempDir, prefix: string) => {
  try {
    return readdirSync(dir.path('files/job-test-runs')).filter((f) => f.startsWith(prefix));
  } catch {
    return [];
  }
};

if (!postgres) {
  describe.skip('two hedui serve instances on one PostgreSQL (needs PostgreSQL: HEDUI_TEST_PG=off)', () => {
    it('skipped: several instances share a PostgreSQL database; SQLite is one process', () => {});
  });
} else {
  describe('two hedui serve instances on one PostgreSQL [postgres]', () => {
    let dir: TempDir;
    let database: TestDatabase;
    let env: Record<string, string>;
    let bossSchema: string;
    const instances: Instance[] = [];

    beforeAll(async () => {
      dir = tempDir('hedui-instances-');
      const opened = await cliDatabase('postgres', dir);
      database = opened.database;
      bossSchema = `${database.schema}_boss`;
      env = {
        ...opened.env,
        HEDUI_DEMO: 'on',
        HEDUI_DEMO_PASSWORD: PASSWORD,
        HEDUI_MFA: 'optional',
        HEDUI_RATE_LIMIT_PER_MINUTE: '0',
        HEDUI_RATE_LIMIT_ACCOUNT_PER_MINUTE: '0',
        HEDUI_JOB_QUEUE: 'pg-boss',
        HEDUI_JOB_SCHEMA: bossSchema,
        HEDUI_JOB_TEST: 'on',
        // ≈ 2 KiB: the 30-row upload below is queued, the 3-row one imported while the request waits.
        HEDUI_IMPORT_QUEUE_MIN_MB: '0.002',
        HOST: '127.0.0.1',
      };
      // A first: it loads the demo city and creates the key file; B then finds both.
      instances.push(await start(env));
      instances.push(await start(env));
    }, 240_000);

    afterAll(async () => {
      for (const instance of instances) {
        if (instance.exit() === null) {
          instance.kill('SIGTERM');
          await instance.exited;
        }
      }
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await admin.query(`drop schema if exists ${bossSchema} cascade`);
      await admin.end();
      await database.close();
      dir.remove();
    }, 60_000);

    it('shares sessions: a login on A works on B, and a logout on A ends it on B at once', async () => {
      const [a, b] = instances as [Instance, Instance];
      const login = await call(a.port, 'POST', '/api/auth/login', null, {
        username: 'xifeng_staff',
        password: PASSWORD,
      });
      expect(login.status, login.body).toBe(200);
      const meOnB = await call(b.port, 'GET', '/api/auth/me', login.cookie);
      expect(meOnB.status, meOnB.body).toBe(200);
      expect(JSON.parse(meOnB.body).user?.username ?? meOnB.body).toContain('xifeng_staff');
      const casesOnB = await call(b.port, 'GET', '/api/cases', login.cookie);
      expect(casesOnB.status, casesOnB.body).toBe(200);
      expect((await call(a.port, 'POST', '/api/auth/logout', login.cookie, {})).status).toBeLessThan(300);
      expect((await call(b.port, 'GET', '/api/auth/me', login.cookie)).status).toBe(401);
    });

    it('gives on B the error report of a file a department uploaded on A', async () => {
      const [a, b] = instances as [Instance, Instance];
      const officer = await loginOn(a.port, 'dept_public_security');
      const broken = csvBytes([hukouRow(1), hukouRow(2, { 性别: '未知' }), hukouRow(3)]);
      const res = await uploadHukou(a.port, officer, '2025-Q1', { name: 'broken.csv', bytes: broken });
      expect(res.status, res.body).toBe(200);
      const { status, batchId } = JSON.parse(res.body) as { status: string; batchId: number };
      expect(status).toBe('rejected');
      const report = await fetch(`http://127.0.0.1:${b.port}/api/batches/${batchId}/error-report`, {
        headers: { cookie: officer },
      });
      expect(report.status).toBe(200);
      const bytes = Buffer.from(await report.arrayBuffer());
      expect(bytes.subarray(0, 4).toString('binary')).toBe('PK\u0003\u0004');
    });

    it('lets the agency on B read the attachment a requester uploaded on A (the archive checks its SM3)', async () => {
      const [a, b] = instances as [Instance, Instance];
      const requester = await loginOn(a.port, 'xifeng_requester');
      const members = [0, 1].map((i) => ({
        idNumber: idNumber(2000 + i),
        name: personName(2000 + i),
        relation: i === 0 ? '本人' : '配偶',
        coResiding: true,
        exclusion: null,
      }));
      const submitted = await call(a.port, 'POST', '/api/cases', requester, {
        assistanceType: 'subsistence_allowance',
        members,
      });
      expect(submitted.status, submitted.body).toBe(200);
      const caseId = (JSON.parse(submitted.body) as { case: { id: number } }).case.id;
      const pdf = authorizationPdf();
      const attached = await upload(
        a.port,
        `/api/cases/${caseId}/attachments`,
        requester,
        { kind: 'authorization', memberIndex: '0' },
        {
          name: '授权书.pdf',
          bytes: pdf,
        },
      );
      expect(attached.status, attached.body).toBe(200);

      const reviewer = await loginOn(b.port, 'xifeng_reviewer');
      const detail = await call(b.port, 'GET', `/api/cases/${caseId}`, reviewer);
      expect(detail.status, detail.body).toBe(200);
      expect(detail.body).toContain('授权书.pdf');
      const requested = await call(b.port, 'POST', '/api/exports', reviewer, {
        target: { kind: 'case_archive', caseId },
        reason: '两实例共享文件目录的核验',
      });
      expect(requested.status, requested.body).toBe(201);
      const exportId = (JSON.parse(requested.body) as { id: number }).id;
      const approved = await call(
        a.port,
        'POST',
        `/api/exports/${exportId}/approve`,
        await loginOn(a.port, 'city_reviewer'),
        {},
      );
      expect(approved.status, approved.body).toBe(200);
      const download = await fetch(`http://127.0.0.1:${b.port}/api/exports/${exportId}/download`, {
        headers: { cookie: reviewer },
      });
      expect(download.status, await download.clone().text()).toBe(200);
      const entries = readZip(Buffer.from(await download.arrayBuffer()));
      expect(entries.some((e) => e.data.equals(pdf))).toBe(true);
    });

    it('completes a large upload queued on A on either instance and shows it on B', async () => {
      const [a, b] = instances as [Instance, Instance];
      const officer = await loginOn(a.port, 'dept_public_security');
      const res = await uploadHukou(a.port, officer, '2025-Q2', {
        name: 'large.csv',
        bytes: csvBytes(hukouRows(30, 3000)),
      });
      expect(res.status, res.body).toBe(202);
      const { id } = JSON.parse(res.body) as { id: string };
      let job: { state: string; batchId: number | null; stored: number | null } = {
        state: 'queued',
        batchId: null,
        stored: null,
      };
      const deadline = Date.now() + 60_000;
      while (job.state === 'queued' || job.state === 'running') {
        if (Date.now() > deadline) throw new Error(`import still ${job.state}`);
        await new Promise((r) => setTimeout(r, 250));
        const status = await call(b.port, 'GET', `/api/batches/imports/${id}`, officer);
        expect(status.status, status.body).toBe(200);
        job = JSON.parse(status.body);
      }
      expect(job).toMatchObject({ state: 'done', stored: 30 });
      const batch = await call(b.port, 'GET', `/api/batches/${job.batchId}`, officer);
      expect(batch.status, batch.body).toBe(200);
      expect(JSON.parse(batch.body).batch).toMatchObject({
        status: 'committed',
        rowsStored: 30,
        fileName: 'large.csv',
      });
      expect(readdirSync(dir.path('files/imports'))).toEqual([]);
    }, 90_000);

    it('runs the every-minute job once per tick across both instances', async () => {
      // Both instances scheduled test.tick; pg-boss sends one run per minute, fetched by one instance.
      await until('two ticks', () => runs(dir, 'tick-').length >= 2, 150_000);
      await new Promise((r) => setTimeout(r, 5_000));
      const ticks = runs(dir, 'tick-');
      const minutes = new Set(ticks.map((f) => Math.floor(Number(f.split('-')[2]) / 60_000)));
      expect(ticks.length).toBe(minutes.size);
    }, 180_000);

    it('finishes on the other instance a job whose instance was killed mid-run', async () => {
      const boss = new PgBoss({ connectionString: database.url, schema: bossSchema });
      await boss.start();
      try {
        const id = await boss.send('test.sleep', { ms: 3000, tag: 'kill' });
        expect(id).toBeTruthy();
        await until('the job to start', () => runs(dir, 'started-kill-').length === 1, 30_000);
        const first = Number(runs(dir, 'started-kill-')[0]?.split('-')[2]);
        const victim = instances.find((i) => i.pid === first) as Instance;
        const survivor = instances.find((i) => i.pid !== first) as Instance;
        expect(victim).toBeDefined();
        victim.kill('SIGKILL');
        await victim.exited;
        await until('the job to finish elsewhere', () => runs(dir, 'done-kill-').length >= 1, 60_000);
        expect(runs(dir, 'done-kill-')).toEqual([`done-kill-${survivor.pid}`]);
        const job = await boss.getJobById('test.sleep', id as string, { includeArchive: true });
        expect(job?.state).toBe('completed');
        expect(job?.retryCount).toBeGreaterThanOrEqual(1);
      } finally {
        await boss.stop({ graceful: false });
      }
    }, 120_000);
  });
}

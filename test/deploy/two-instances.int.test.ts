import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDatabase, type Exit, startHedui } from '../support/cli.ts';
import { type TestDatabase, testDialects } from '../support/databases.ts';
import { type TempDir, tempDir } from '../support/department-data.ts';

/**
 * Issue #9: two `hedui serve` processes (two ports) on one PostgreSQL schema, one file store directory and one
 * pg-boss schema. Sessions are read from the database on every request, so a login on A works on B and a logout
 * on A ends the session on B at once; the every-minute test job runs once per tick across both instances; a job
 * whose instance is killed mid-run is retried by pg-boss on the other instance.
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

import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/store.ts';
import { cliDatabase, type Exit, hedui, startHedui } from '../support/cli.ts';
import { type TestDatabase, testDialects } from '../support/databases.ts';
import { type TempDir, tempDir } from '../support/department-data.ts';

/**
 * `hedui serve --workers 2` (issue #7): two processes serve HTTP on one port while the primary runs the scheduled
 * jobs, all three appending to one audit chain. Many audited requests at once are spread over both workers; the
 * chain must then verify with one entry per request, and each job must have run once, in the primary.
 */
const PASSWORD = 'Workers@2026test';
const REQUESTS = 160;
const AT_ONCE = 16;

interface Reply {
  status: number;
  body: string;
  cookie: string | null;
}

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

function call(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  cookie: string | null,
  body?: unknown,
) {
  return new Promise<Reply>((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': payload.length, 'x-hedui-csrf': '1' }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            cookie: res.headers['set-cookie']?.[0]?.split(';')[0] ?? null,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The server's JSON log lines (pino in the workers, the primary's job lines). */
const logLines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

for (const dialect of testDialects()) {
  describe(`hedui serve --workers 2 [${dialect}]`, () => {
    let dir: TempDir;
    let database: TestDatabase;
    let env: Record<string, string>;

    beforeAll(async () => {
      dir = tempDir('hedui-workers-');
      const opened = await cliDatabase(dialect, dir);
      database = opened.database;
      env = {
        ...opened.env,
        HEDUI_DEMO: 'on',
        HEDUI_DEMO_PASSWORD: PASSWORD,
        HEDUI_MFA: 'optional',
        HEDUI_LOG_LEVEL: 'info',
        // The primary's own scheduler (pg-boss, the PostgreSQL default, runs each job once across hosts itself).
        HEDUI_JOB_QUEUE: 'in-process',
        HEDUI_RATE_LIMIT_PER_MINUTE: '0',
        HEDUI_RATE_LIMIT_ACCOUNT_PER_MINUTE: '0',
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
      };
    });
    afterAll(async () => {
      await database.close();
      dir.remove();
    });

    it('spreads audited requests over both workers, runs each job once in the primary, and keeps one chain', async () => {
      const port = Number(env.PORT);
      const server = startHedui(['serve', '--workers', '2'], env);
      let exit: Exit | null = null;
      void server.exited.then((e) => {
        exit = e;
      });
      let stdout = '';
      server.child.stdout?.on('data', (c: Buffer) => {
        stdout += c.toString('utf8');
      });
      const agent = new Agent({ keepAlive: true, maxSockets: AT_ONCE });
      try {
        await until('the server to start', () => stdout.includes('已启动') || exit !== null, 120_000);
        expect(exit).toBeNull();
        expect(stdout).toContain('2 个工作进程已就绪');
        const login = await call(agent, port, 'POST', '/api/auth/login', null, {
          username: 'auditor',
          password: PASSWORD,
        });
        expect(login.status, login.body).toBe(200);
        const statuses = await Promise.all(
          Array.from({ length: REQUESTS }, async (_, i) => {
            const r = await call(
              agent,
              port,
              'GET',
              `/api/audit?pageSize=1&page=${1 + (i % 3)}`,
              login.cookie,
            );
            return r.status;
          }),
        );
        expect(statuses.filter((s) => s !== 200)).toEqual([]);
        const primary = server.child.pid;
        // Each job once, in the primary only (they run at start, then hourly or daily).
        await until('the jobs to run', () => logLines(stdout).some((l) => l.job !== undefined), 60_000);
        const served = new Set(
          logLines(stdout)
            .filter((l) => l.res !== undefined)
            .map((l) => l.pid),
        );
        expect(served.size).toBe(2);
        expect(served.has(primary)).toBe(false);
        const jobs = logLines(stdout).filter((l) => l.job !== undefined);
        expect(new Set(jobs.map((l) => l.pid))).toEqual(new Set([primary]));
        expect(new Set(jobs.map((l) => l.job)).size).toBe(jobs.length);
      } finally {
        agent.destroy();
        server.child.kill('SIGTERM');
      }
      const ended = await server.exited;
      expect(ended.code).toBe(0);

      const verified = await hedui(['audit', 'verify'], env);
      expect(verified.code, verified.stderr).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, firstBroken: null });
      const store = createStore(database);
      let viewed = 0;
      for await (const entry of store.audit.all()) if (entry.action === 'AUDIT_LOG_VIEWED') viewed += 1;
      expect(viewed).toBe(REQUESTS);
    }, 180_000);
  });
}

/**
 * Concurrent use (BENCHMARK.md): 200 simulated staff against the real HTTP server on loopback, bounded in time.
 *
 * The server is `hedui serve` in a child process on its own database with the demo city and its department data
 * (HEDUI_DEMO_DATA=on: one accepted case per demo family, each with its 受理通知书 PDF) — the generated city has
 * no cases, and opening cases through the workflow is not what this figure measures. Each virtual user loops:
 * list cases (GET /api/cases), open one (GET /api/cases/:id, audited), download its first document's PDF
 * (GET /api/cases/:id/documents/:documentId, audited). Staff sessions: one login per demo staff account
 * (xifeng_staff, qingcheng_staff), shared by the virtual users of that account. The client is node:http with a
 * keep-alive agent (undici is not installed as a package; Node's global fetch would hide the socket pool).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { type LatencySummary, summarise } from './stats.ts';

export interface LoadOptions {
  databaseUrl: string;
  keys: string;
  filesDir: string;
  port: number;
  users: number;
  seconds: number;
  password?: string;
  /** `hedui serve --workers N|auto` (default: the server's own default, one process). */
  workers?: string;
  /** Node options for the server process (e.g. `--cpu-prof`); cluster workers inherit them. */
  nodeArgs?: string[];
}

export interface LoadResult {
  users: number;
  seconds: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  requestsPerSecond: number;
  all: LatencySummary;
  byKind: Record<string, LatencySummary>;
  serverStartSeconds: number;
  cases: number;
  workers: string;
  /**
   * CPU time the server's processes (the child and its cluster workers) spent during the load, per request, in
   * ms (Linux /proc; null elsewhere): unlike latency, it hardly moves when other work shares the machine.
   */
  serverCpuMsPerRequest: number | null;
}

/** utime + stime in seconds of a process and its direct children (cluster workers), from /proc (Linux). */
function processTreeCpuSeconds(pid: number): number | null {
  const fields = (p: string) => {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  try {
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = fields(entry);
        // After the name: state(0) ppid(1) … utime(11) stime(12).
        if (entry === String(pid) || f[1] === String(pid)) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // The process ended while /proc was read.
      }
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

interface Reply {
  status: number;
  body: Buffer;
  cookie: string | null;
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
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const set = res.headers['set-cookie']?.[0];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            cookie: set ? (set.split(';')[0] as string) : null,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function startServer(options: LoadOptions): Promise<{ child: ChildProcess; seconds: number }> {
  const t0 = performance.now();
  const workers = options.workers === undefined ? [] : ['--workers', options.workers];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'bin/hedui.mjs', 'serve', ...workers], {
    env: {
      ...process.env,
      HEDUI_DB: options.databaseUrl,
      HEDUI_KEYS: options.keys,
      HEDUI_FILES_DIR: options.filesDir,
      HEDUI_LOG_LEVEL: 'silent',
      HEDUI_DEMO: 'on',
      HEDUI_DEMO_DATA: 'on',
      // 200 simulated staff from one loopback address: the per-IP, per-account and login limits would refuse them.
      HEDUI_RATE_LIMIT_PER_MINUTE: '0',
      HEDUI_RATE_LIMIT_ACCOUNT_PER_MINUTE: '0',
      HEDUI_RATE_LIMIT_LOGIN_PER_MINUTE: '0',
      HOST: '127.0.0.1',
      PORT: String(options.port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 120 s: ${err}`)), 120_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('已启动')) {
        clearTimeout(timer);
        resolve({ child, seconds: (performance.now() - t0) / 1000 });
      }
    });
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { child, seconds: serverStartSeconds } = await startServer(options);
  const agent = new Agent({ keepAlive: true, maxSockets: options.users, maxFreeSockets: options.users });
  try {
    const password = options.password ?? process.env.HEDUI_DEMO_PASSWORD ?? 'Hedui@2026demo';
    const sessions: { cookie: string; cases: { id: number }[] }[] = [];
    for (const username of ['xifeng_staff', 'qingcheng_staff']) {
      const login = await call(agent, options.port, 'POST', '/api/auth/login', null, { username, password });
      if (login.status !== 200 || !login.cookie)
        throw new Error(`login ${username}: ${login.status} ${login.body.toString()}`);
      const list = await call(agent, options.port, 'GET', '/api/cases?offset=0&limit=50', login.cookie);
      const items = (JSON.parse(list.body.toString()) as { items: { id: number }[] }).items;
      if (items.length === 0) throw new Error(`${username} sees no cases`);
      sessions.push({ cookie: login.cookie, cases: items });
    }
    const latencies: Record<string, number[]> = { list: [], open: [], pdf: [] };
    let errors = 0;
    const errorSamples: string[] = [];
    const fail = (what: string) => {
      errors += 1;
      if (errorSamples.length < 5) errorSamples.push(what);
    };
    const timed = async (kind: string, path: string, cookie: string, expect: (r: Reply) => boolean) => {
      const t = performance.now();
      try {
        const r = await call(agent, options.port, 'GET', path, cookie);
        (latencies[kind] as number[]).push(performance.now() - t);
        if (!expect(r)) {
          fail(`${kind} ${path}: ${r.status} ${r.body.subarray(0, 200).toString()}`);
          return null;
        }
        return r;
      } catch (e) {
        fail(`${kind} ${path}: ${(e as Error).message}`);
        return null;
      }
    };
    const cpu0 = child.pid === undefined ? null : processTreeCpuSeconds(child.pid);
    const t0 = performance.now();
    const until = t0 + options.seconds * 1000;
    const user = async (n: number) => {
      const session = sessions[n % sessions.length] as (typeof sessions)[number];
      let i = n;
      while (performance.now() < until) {
        i += 1;
        const list = await timed(
          'list',
          `/api/cases?offset=${(i % 3) * 10}&limit=20`,
          session.cookie,
          (r) => r.status === 200,
        );
        if (!list) continue;
        const kase = session.cases[i % session.cases.length] as { id: number };
        const open = await timed('open', `/api/cases/${kase.id}`, session.cookie, (r) => r.status === 200);
        if (!open) continue;
        const detail = JSON.parse(open.body.toString()) as { case?: { documents?: { id: number }[] } };
        const documents = detail.case?.documents ?? [];
        const doc = documents[0];
        if (!doc) {
          fail(`case ${kase.id} has no document`);
          continue;
        }
        await timed(
          'pdf',
          `/api/cases/${kase.id}/documents/${doc.id}`,
          session.cookie,
          (r) => r.status === 200 && r.body.subarray(0, 4).toString() === '%PDF',
        );
      }
    };
    await Promise.all(Array.from({ length: options.users }, (_, n) => user(n)));
    const wall = (performance.now() - t0) / 1000;
    const cpu1 = child.pid === undefined ? null : processTreeCpuSeconds(child.pid);
    const all = Object.values(latencies).flat();
    return {
      users: options.users,
      seconds: wall,
      requests: all.length,
      errors,
      errorSamples,
      requestsPerSecond: all.length / wall,
      all: summarise(all),
      byKind: Object.fromEntries(Object.entries(latencies).map(([k, v]) => [k, summarise(v)])),
      serverStartSeconds,
      cases: sessions.reduce((n, s) => n + s.cases.length, 0),
      workers: options.workers ?? '1',
      serverCpuMsPerRequest:
        cpu0 === null || cpu1 === null || all.length === 0 ? null : ((cpu1 - cpu0) * 1000) / all.length,
    };
  } finally {
    agent.destroy();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

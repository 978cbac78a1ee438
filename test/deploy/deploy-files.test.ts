import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newKeyFile } from '../../src/crypto/key-file.ts';

/**
 * deploy/hedui.service and deploy/Containerfile (docs/deployment.md): the unit passes `systemd-analyze verify`, and
 * the commands of each — the unit's ExecStartPre/ExecStart with its Environment, the image's CMD with its ENV —
 * are run here as written, with only the paths (/opt/hedui, /var/lib/hedui, /etc/hedui) moved to a temporary
 * directory and the database an SQLite file; the server must answer /healthz, /readyz and /metrics and stop cleanly
 * on SIGTERM. (The image itself cannot be built here: no registry access to its base image.)
 */

const ROOT = resolve(import.meta.dirname, '../..');
const UNIT = readFileSync(join(ROOT, 'deploy/hedui.service'), 'utf8');
const CONTAINERFILE = readFileSync(join(ROOT, 'deploy/Containerfile'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'hedui-deploy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `Key=value` lines of the unit's [Service] section, in order. */
function unitEntries(key: string): string[] {
  const service = UNIT.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  return service
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

/** The image's ENV (one instruction, `K=V \` continued lines) and CMD (exec form). */
function containerEnv(): Record<string, string> {
  const match = /^ENV ((?:.*\\\n)*.*)$/m.exec(CONTAINERFILE);
  const text = (match?.[1] ?? '').replace(/\\\n/g, ' ');
  return Object.fromEntries(
    [...text.matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string]),
  );
}
const containerCmd = (): string[] => JSON.parse(/^CMD (\[.*\])$/m.exec(CONTAINERFILE)?.[1] ?? '[]');

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/** Moves the production paths into `dir`: the same layout, in a place this test may write. */
function relocate(value: string, dir: string): string {
  return value
    .replace('/var/lib/hedui', join(dir, 'var-lib-hedui'))
    .replace('/etc/hedui', join(dir, 'etc-hedui'))
    .replace('/opt/hedui', ROOT);
}

function prepare(dir: string): Record<string, string> {
  mkdirSync(join(dir, 'etc-hedui'), { recursive: true });
  mkdirSync(join(dir, 'var-lib-hedui', 'files'), { recursive: true });
  writeFileSync(join(dir, 'etc-hedui', 'keys.json'), JSON.stringify(newKeyFile(new Date().toISOString())), {
    mode: 0o600,
  });
  // As /etc/hedui/hedui.env would hold it (docs/deployment.md).
  return { HEDUI_DB: `sqlite:${join(dir, 'var-lib-hedui', 'hedui.sqlite')}`, HEDUI_LOG_LEVEL: 'warn' };
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output()}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer from ${url}: ${output()}`);
}

/** Starts `argv` (a server), checks the three operations endpoints, then SIGTERM: exit 0. */
async function exerciseServer(argv: string[], env: Record<string, string>, port: number) {
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  try {
    const base = `http://127.0.0.1:${port}`;
    expect(await (await waitFor(`${base}/healthz`, child, () => output)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('hedui_http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(metrics).toContain('hedui_http_requests_total{method="GET",route="/readyz",status="200"} 1');
    expect(metrics).toMatch(/^hedui_process_resident_memory_bytes \d+/m);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited, output).toBe(0);
}

describe('deploy/hedui.service', () => {
  it.skipIf(spawnSync('systemd-analyze', ['--version']).error !== undefined)(
    'passes systemd-analyze verify without a warning',
    () => {
      const run = spawnSync('systemd-analyze', ['verify', join(ROOT, 'deploy/hedui.service')], {
        encoding: 'utf8',
      });
      expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({ status: 0, stderr: '' });
    },
  );

  it('runs as written: ExecStartPre migrates, ExecStart serves /healthz, /readyz, /metrics and stops on SIGTERM', async () => {
    const dir = join(work, 'unit');
    const fileEnv = prepare(dir);
    const port = await freePort();
    const env: Record<string, string> = {};
    for (const line of unitEntries('Environment')) {
      const [key, ...value] = line.split('=');
      env[key as string] = relocate(value.join('='), dir);
    }
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '127.0.0.1' });
    // EnvironmentFile= comes after Environment= and overrides it.
    Object.assign(env, fileEnv, { PORT: String(port) });
    expect(unitEntries('WorkingDirectory')).toEqual(['/opt/hedui']);
    const [pre] = unitEntries('ExecStartPre');
    const [start] = unitEntries('ExecStart');
    expect([pre, start]).toEqual([
      '/usr/bin/node bin/hedui.mjs migrate',
      '/usr/bin/node bin/hedui.mjs serve',
    ]);
    const node = (line: string) => [process.execPath, ...line.split(' ').slice(1)];

    const migrated = JSON.parse(
      execFileSync(node(pre as string)[0] as string, node(pre as string).slice(1), {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
      }),
    ) as { applied: string[] };
    expect(migrated.applied.length).toBeGreaterThan(10);
    await exerciseServer(node(start as string), env, port);
  }, 120_000);
});

describe('deploy/Containerfile', () => {
  it('runs its CMD with its ENV as written (migrate, then serve) and answers the health, readiness and metrics probes', async () => {
    const dir = join(work, 'container');
    const fileEnv = prepare(dir);
    const port = await freePort();
    const env = Object.fromEntries(
      Object.entries(containerEnv()).map(([k, v]) => [k, relocate(v, dir)]),
    ) as Record<string, string>;
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '3000' });
    // `podman run -e HEDUI_DB=… -p 127.0.0.1:PORT:3000`: here the port is a free one on this host.
    Object.assign(env, fileEnv, { HOST: '127.0.0.1', PORT: String(port) });
    const cmd = containerCmd();
    expect(cmd).toEqual(['sh', '-c', 'node bin/hedui.mjs migrate && exec node bin/hedui.mjs serve']);
    await exerciseServer(
      cmd,
      { ...env, PATH: `${resolve(process.execPath, '..')}:${process.env.PATH}` },
      port,
    );
  }, 120_000);
});

/**
 * The concurrent-use figure of issue #7 on its own (step 5 of bench/run.ts), for working on it:
 *
 *   npm run bench:load -- [--db sqlite|postgres] [--users 200] [--seconds 15] [--workers 1|2|auto]
 *                         [--pg URL] [--out bench-results] [--cpu-prof] [--json]
 *
 * A fresh database (SQLite file or PostgreSQL schema) with the demo city and its data, `hedui serve` in a child
 * process (bench/harness/load.ts), then one line per latency kind. `--cpu-prof` writes the server's V8 CPU
 * profiles (one per process, cluster workers included) to OUT/load-work/profiles for Chrome DevTools or
 * `npx tsx bench/load.ts --summarise-profile FILE [--last SECONDS]`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { newKeyFile } from '../src/crypto/key-file.ts';
import { argReader, openBenchDatabase } from './harness/city.ts';
import { runLoad } from './harness/load.ts';
import { ms } from './harness/stats.ts';

const args = process.argv.slice(2);
const arg = argReader(args);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/**
 * Self and total time per function (top 30 each) of a .cpuprofile over its last `lastSeconds` (the load, not
 * the server's start): enough to see where a server spends its time.
 */
function summariseProfile(file: string, lastSeconds: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*\/work\/main\//, '')}:${n.callFrame.lineNumber + 1}`;
  const times: number[] = [];
  let t = 0;
  for (const d of profile.timeDeltas) {
    t += d;
    times.push(t);
  }
  const from = t - lastSeconds * 1e6;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    if ((times[i] ?? 0) < from) return;
    const us = profile.timeDeltas[i] ?? 0;
    all += us;
    const node = byId.get(id);
    if (!node) return;
    self.set(name(node), (self.get(name(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = node; n; n = byId.get(parent.get(n.id) ?? -1)) {
      const key = name(n);
      if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + us);
      seen.add(key);
    }
  });
  const top = (m: Map<string, number>, title: string) => {
    console.log(title);
    for (const [key, us] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30))
      console.log(`${((100 * us) / all).toFixed(1).padStart(5)} %  ${key}`);
  };
  top(self, `self time (${(all / 1e6).toFixed(1)} s sampled)`);
  top(total, 'total time');
}

/** A port nothing listens on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const profileFile = arg('summarise-profile', '');
if (profileFile) {
  summariseProfile(profileFile, Number(arg('last', '15')));
  process.exit(0);
}

const db = arg('db', 'sqlite');
const users = Number(arg('users', '200'));
const seconds = Number(arg('seconds', '15'));
const workersArg = arg('workers', '1');
const pgUrl = arg('pg', 'postgres://postgres@127.0.0.1:5432/test');
const outDir = resolve(arg('out', 'bench-results'));
if (!['sqlite', 'postgres'].includes(db)) throw new Error('--db sqlite|postgres');
if (!/^([1-9]\d*|auto)$/.test(workersArg)) throw new Error('--workers N|auto');

const work = join(outDir, 'load-work');
mkdirSync(work, { recursive: true });
const profiles = join(work, 'profiles');
const cpuProf = args.includes('--cpu-prof');
if (cpuProf) {
  rmSync(profiles, { recursive: true, force: true });
  mkdirSync(profiles, { recursive: true });
}
const database = openBenchDatabase(db, pgUrl, join(work, 'load.sqlite'), `bench_load_${Date.now()}`);
const filesDir = join(work, 'files');
rmSync(filesDir, { recursive: true, force: true });
try {
  const result = await runLoad({
    databaseUrl: database.url,
    keys: JSON.stringify(newKeyFile(new Date().toISOString())),
    filesDir,
    port: await freePort(),
    users,
    seconds,
    // One process is the server's default: the flag is passed only when asked for.
    ...(args.includes('--workers') ? { workers: workersArg } : {}),
    ...(cpuProf ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profiles}`] } : {}),
  });
  if (args.includes('--json')) console.log(JSON.stringify({ db, ...result }));
  const line = (
    name: string,
    s: { count: number; p50: number | null; p95: number | null; p99: number | null },
  ) =>
    `${name.padEnd(5)} ${String(s.count).padStart(6)}  p50 ${ms(s.p50).padStart(8)}  p95 ${ms(s.p95).padStart(8)}  p99 ${ms(s.p99).padStart(8)}`;
  console.log(
    `${db}, ${users} users, ${workersArg} worker(s), ${result.seconds.toFixed(1)} s (server start ${result.serverStartSeconds.toFixed(1)} s, ${result.cases} cases)`,
  );
  const cpu = result.serverCpuMsPerRequest;
  console.log(
    `${Math.round(result.requestsPerSecond)} req/s, ${result.requests} requests, ${result.errors} errors, server CPU ${cpu === null ? '—' : `${cpu.toFixed(2)} ms`}/request, load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  console.log(line('all', result.all));
  for (const [kind, s] of Object.entries(result.byKind)) console.log(line(kind, s));
  for (const sample of result.errorSamples) console.log(`  error: ${sample}`);
  if (cpuProf) for (const f of readdirSync(profiles)) console.log(`profile: ${join(profiles, f)}`);
} finally {
  database.drop();
}

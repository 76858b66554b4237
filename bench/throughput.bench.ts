/**
 * Read and write throughput: okrd against the ceiling of a bare node:http server sending the same bytes. Cases: v1
 * batch_get of 1 and 10 OKRs, the v2 objective list of a cycle of 100 objectives (page_size 100), and a v2 weight
 * update of those 100 objectives (PUT objectives_weight, a write transaction per request).
 *
 *   npm run bench              full run: 3 rounds × 10 s per case and server, then a low-load round (≥ 4 min)
 *   npm run bench -- --quick   smoke run: 1 round × 3 s
 *   npm run bench -- --sizes 10000,1000000 --databases sqlite,postgres [--pg-url URL] [--quiet-wait SECONDS]
 *                              every size on every database (default: 10,000 OKRs on SQLite), in one run
 *
 * Method (docs/benchmarks.md, and shared design/performance-notes.md for why):
 * - per database and size, one tenant made by the generator (src/demo/generator.ts, through bench/tenants.ts, which
 *   keeps generated databases between runs), served by the compiled okrd in a child process;
 * - the server under test pinned to CPU 0 and wrk pinned to CPU 1, so neither steals the other's core;
 * - the ceiling (bench/ceiling-server.ts) replays okrd's exact response bytes from memory on the same core, and
 *   only one of the two servers exists at a time;
 * - rounds alternate okrd and ceiling, so slow drift on a shared machine hits both alike; medians of the rounds;
 * - at 50 connections a saturated server's p99 is a closed-loop artifact, so one round at 4 connections reads p99
 *   below saturation;
 * - the machine is shared: each measured run waits (up to a minute) for both cores to be idle, and reports how
 *   much of the server's core other processes took while it ran.
 * It is a script, not a test: it always exits 0 once it has measured, whether or not okrd meets the targets.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CapturedResponse } from './ceiling-server.js';
import { preparedTenant, type PreparedTenant } from './tenants.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRK = '/usr/bin/wrk';
const SERVER_CPU = '0';
const LOAD_CPU = '1';
const SATURATING_CONNECTIONS = 50;
const LOW_LOAD_CONNECTIONS = 4;
/** Below this share of two cores busy, the machine counts as quiet enough to start a measured run. */
const QUIET_SHARE = 0.1;

/** The issues' targets: okrd's req/s as a share of the ceiling's (0: measured, no target). Issue 8: 10 ids ≥ 0.35. */
const TARGETS = { '1 id': 0.15, '10 ids': 0.35, 'v2 list': 0.09, 'v2 weights': 0 } as const;
/** Issue 8: p99 under 20 ms at wrk -t1 -c50 for batch_get of 10 OKRs. */
const P99_TARGET_MS = 20;
type CaseName = keyof typeof TARGETS;
type ServerName = 'okrd' | 'ceiling';

/** One benchmarked request; `script` is the wrk Lua script that sends its method and body. */
interface BenchRequest {
  path: string;
  method?: 'GET' | 'PUT';
  body?: string;
  script?: string;
}

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    // Tenant sizes in OKRs and databases to measure, comma-separated: every size on every database.
    sizes: { type: 'string', default: '10000' },
    databases: { type: 'string', default: 'sqlite' },
    'pg-url': {
      type: 'string',
      default: process.env.OKRD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    // Generated databases are kept here between runs (keyed by size, seed and schema version).
    'cache-dir': { type: 'string', default: join(tmpdir(), 'okrd-bench-cache') },
    // Seconds to wait, before each measured run, for the machine to be quiet (default 60, --quick 5).
    'quiet-wait': { type: 'string' },
  },
});
const SIZES = flags.sizes.split(',').map(Number);
const DATABASES = flags.databases.split(',') as ('sqlite' | 'postgres')[];
if (SIZES.some((n) => !Number.isInteger(n) || n < 1000) || DATABASES.some((d) => d !== 'sqlite' && d !== 'postgres')) {
  process.stderr.write('usage: npm run bench -- [--quick] [--sizes 10000,1000000] [--databases sqlite,postgres]\n');
  process.exit(2);
}
// quietWaitMs: how long a measured run may wait for other work on the machine to stop (see waitForQuiet).
const PLAN = {
  ...(flags.quick
    ? { rounds: 1, duration: '3s', warmup: '1s', quietWaitMs: 5_000 }
    : { rounds: 3, duration: '10s', warmup: '3s', quietWaitMs: 60_000 }),
  // On a machine that is never quiet, waiting a minute before every run only makes the run longer.
  ...(flags['quiet-wait'] !== undefined ? { quietWaitMs: Number(flags['quiet-wait']) * 1000 } : {}),
};

// ---------------------------------------------------------------------------------------------------------------
// Child processes and temporary files: everything started or created is recorded here and undone on any exit.

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

function cleanUpNow(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanUpNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping children and removing temporary files\n`);
    cleanUpNow();
    process.exit(130);
  });
}

interface Running {
  child: ChildProcess;
  /** The last few KB of its stdout and stderr, for error messages. */
  output: () => string;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Running {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', () => children.delete(child));
  return { child, output: () => tail };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGTERM, then SIGKILL if it has not gone after a few seconds. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited(child);
  clearTimeout(timer);
}

/** Runs a command to completion; its stdout, or an error with its output. */
async function run(command: string, args: string[]): Promise<string> {
  const p = start(command, args);
  let stdout = '';
  p.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await exited(p.child);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${p.output()}`);
  return stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until the server answers HTTP at all (any status), failing early if it died. */
async function waitUntilListening(server: Running, port: number, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${name} exited during start-up:\n${server.output()}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${name} did not listen on port ${port} within 30 s:\n${server.output()}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The servers.

interface Server {
  running: Running;
  port: number;
}

/**
 * okrd as a user runs it: compiled JavaScript, `serve`, warn-level logs. A private build (not dist/) so that the
 * benchmark measures the sources as they are and never rewrites dist/ under someone else's feet.
 */
async function startOkrd(buildDir: string, tenant: PreparedTenant): Promise<Server> {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: tenant.databaseUrl,
    IMAGE_DIR: tenant.imageDir,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    // The highest limit okrd accepts: the in-memory limiter's cost per request stays in the numbers, as in a real
    // deployment, but it never answers 429 (the default of 100 a minute would end the run in a second).
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_STORE: 'memory',
  };
  const cli = join(buildDir, 'cli', 'run.js');
  const running = start('taskset', ['-c', SERVER_CPU, process.execPath, cli, 'serve'], env);
  await waitUntilListening(running, port, 'okrd');
  return { running, port };
}

async function startCeiling(responsesFile: string): Promise<Server> {
  const port = await freePort();
  const script = join(ROOT, 'bench', 'ceiling-server.ts');
  const running = start('taskset', [
    '-c',
    SERVER_CPU,
    process.execPath,
    '--import',
    'tsx',
    script,
    responsesFile,
    String(port),
  ]);
  await waitUntilListening(running, port, 'ceiling');
  return { running, port };
}

/** VmHWM of a live process (taskset execs the server, so the child's pid is the server's), in MiB. */
function peakRssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status);
  if (!kb) throw new Error(`no VmHWM in /proc/${child.pid}/status`);
  return Number(kb[1]) / 1024;
}

// ---------------------------------------------------------------------------------------------------------------
// Interference: this machine is shared, and anything else that runs on the server's core lowers both servers'
// numbers. /proc/stat says how busy CPU 0 was; the server's own CPU time is subtracted to leave everyone else's.

interface CpuSample {
  busy: number;
  total: number;
  steal: number;
  server: number;
}

function sampleCpu(serverPid: number): CpuSample {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${SERVER_CPU} `))!;
  // user nice system idle iowait irq softirq steal …, in clock ticks
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  // utime and stime of the server (fields 14 and 15); the command name in field 2 has no spaces here (node).
  const stat = readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(' ');
  return { busy: total - f[3]! - f[4]!, total, steal: f[7]!, server: Number(stat[13]) + Number(stat[14]) };
}

/** Share of CPU 0 taken by other processes (and by the hypervisor, as steal) between two samples. */
function otherLoad(a: CpuSample, b: CpuSample): number {
  const total = b.total - a.total;
  return total > 0 ? Math.max(0, b.busy - a.busy - (b.server - a.server) + (b.steal - a.steal)) / total : 0;
}

/** Busy and total clock ticks of CPUs 0 and 1 together. */
function bothCpus(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    if (!line.startsWith(`cpu${SERVER_CPU} `) && !line.startsWith(`cpu${LOAD_CPU} `)) continue;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const all = f.slice(0, 8).reduce((a, b) => a + b, 0);
    total += all;
    busy += all - f[3]! - f[4]!;
  }
  return { busy, total };
}

/**
 * Between runs nothing of ours is working, so whatever keeps the two cores busy is someone else's (test suites,
 * builds). Waits, up to a limit, for a second in which they are nearly idle; returns how long it waited.
 */
async function waitForQuiet(limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    const a = bothCpus();
    await new Promise((r) => setTimeout(r, 1_000));
    const b = bothCpus();
    if ((b.busy - a.busy) / Math.max(1, b.total - a.total) < QUIET_SHARE) break;
  }
  return Date.now() - started;
}

// ---------------------------------------------------------------------------------------------------------------
// wrk.

interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  socketErrors: number;
  /** Share of CPU 0 other processes used during the run (0–1). */
  otherLoad: number;
  /**
   * The server's own CPU time (user + system) per request served, µs: what a request costs it, which other work on
   * the machine disturbs far less than req/s (it still adds cache misses and switches).
   */
  cpuUsPerRequest: number;
}

// /proc clock ticks (USER_HZ, 100 on Linux).
const US_PER_TICK = 10_000;

const TIME_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function wrkTimeMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) throw new Error(`unreadable wrk time "${text}"`);
  return Number(m[1]) * TIME_UNITS_MS[m[2]!]!;
}

/** Reads req/s and latency percentiles from `wrk --latency` output; non-2xx answers make the run worthless. */
function parseWrk(out: string): Omit<WrkResult, 'otherLoad' | 'cpuUsPerRequest'> {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out);
  const p50 = /^\s+50%\s+(\S+)/m.exec(out);
  const p99 = /^\s+99%\s+(\S+)/m.exec(out);
  const requests = /^\s+(\d+) requests in/m.exec(out);
  if (!rps || !p50 || !p99 || !requests) throw new Error(`unreadable wrk output:\n${out}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  if (non2xx) {
    throw new Error(`${non2xx[1]} non-2xx responses (rate limited? token expired?): not batch_get's numbers\n${out}`);
  }
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(rps[1]),
    p50Ms: wrkTimeMs(p50[1]!),
    p99Ms: wrkTimeMs(p99[1]!),
    requests: Number(requests[1]),
    socketErrors: sock ? sock.slice(1).reduce((n, s) => n + Number(s), 0) : 0,
  };
}

/**
 * One wrk run on the load core. --timeout 10s: wrk's default of 2 s would drop the slowest answers of a saturated
 * server from the latency histogram and report them as errors instead.
 */
async function wrk(
  server: Server,
  request: BenchRequest,
  token: string,
  connections: number,
  duration: string,
): Promise<WrkResult> {
  const args = ['-c', LOAD_CPU, WRK, '-t1', `-c${connections}`, `-d${duration}`, '--timeout', '10s', '--latency'];
  if (request.script) args.push('-s', request.script);
  const pid = server.running.child.pid!;
  const before = sampleCpu(pid);
  const out = await run('taskset', [
    ...args,
    '-H',
    `Authorization: Bearer ${token}`,
    `http://127.0.0.1:${server.port}${request.path}`,
  ]);
  const after = sampleCpu(pid);
  const parsed = parseWrk(out);
  return {
    ...parsed,
    otherLoad: otherLoad(before, after),
    cpuUsPerRequest: ((after.server - before.server) * US_PER_TICK) / Math.max(1, parsed.requests),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report helpers.

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fmtRps = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fmtMs = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function machine(): string {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  const wrkVersion = spawnSync(WRK, ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0]!.split(' [')[0];
  return `${nproc} CPUs, ${model}; node ${process.version}; ${wrkVersion}`;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------------------------------------------------------

/** What one tenant (database × size) measured. */
interface Measured {
  tenant: PreparedTenant;
  sizes: Record<CaseName, number>;
  results: Record<ServerName, Record<CaseName, WrkResult[]>>;
  lowLoad: Record<ServerName, Record<CaseName, WrkResult>>;
  peakRssMiB: number;
}

/** Measures every case on one tenant: okrd and the ceiling alternating, PLAN.rounds rounds, then a low-load round. */
async function measure(tenant: PreparedTenant, buildDir: string, work: string): Promise<Measured> {
  const batchGetUrl = (ids: string[]) =>
    `/open-apis/okr/v1/okrs/batch_get?${ids.map((id) => `okr_ids=${id}`).join('&')}`;
  // The weight update sends the same full list every time: each request is still a whole write transaction.
  const weightBody = JSON.stringify({
    objective_weights: tenant.bigCycle.objectiveIds.map((id, i) => ({
      objective_id: id,
      weight: i === 0 ? 0.109 : 0.009,
    })),
  });
  const weightScript = join(work, 'weights.lua');
  writeFileSync(
    weightScript,
    `wrk.method = "PUT"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(weightBody)}\n`,
  );
  const cycle = tenant.bigCycle.id;
  // 1 id: a second-quarter OKR a tenth of the way down the people list; 10 ids: spread over everyone and 3 quarters.
  const cases: Record<CaseName, BenchRequest> = {
    '1 id': { path: batchGetUrl([tenant.sampleOkrIds[1]!]) },
    '10 ids': { path: batchGetUrl(tenant.sampleOkrIds) },
    'v2 list': { path: `/open-apis/okr/v2/cycles/${cycle}/objectives?page_size=100` },
    'v2 weights': {
      path: `/open-apis/okr/v2/cycles/${cycle}/objectives_weight`,
      method: 'PUT',
      body: weightBody,
      script: weightScript,
    },
  };
  const caseNames = Object.keys(cases) as CaseName[];
  const objectives = tenant.bigCycle.objectiveIds.length;
  const expectedItems: Record<CaseName, number> = {
    '1 id': 1,
    '10 ids': 10,
    'v2 list': objectives,
    'v2 weights': objectives,
  };

  // First okrd start: the token (stored in the database, so it outlives restarts) and the bytes the ceiling replays.
  let okrd = await startOkrd(buildDir, tenant);
  const tokenRes = await fetch(`http://127.0.0.1:${okrd.port}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: tenant.appId, app_secret: tenant.appSecret }),
  });
  const token = ((await tokenRes.json()) as { tenant_access_token?: string }).tenant_access_token;
  if (!token) throw new Error(`no tenant_access_token (HTTP ${tokenRes.status})`);

  const captured: Record<string, CapturedResponse> = {};
  const sizes = {} as Record<CaseName, number>;
  for (const name of caseNames) {
    const { path, method = 'GET', body: requestBody } = cases[name];
    const res = await fetch(`http://127.0.0.1:${okrd.port}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(requestBody ? { 'content-type': 'application/json' } : {}) },
      ...(requestBody ? { body: requestBody } : {}),
    });
    const body = Buffer.from(await res.arrayBuffer());
    const envelope = JSON.parse(body.toString()) as {
      code: number;
      data?: { okr_list?: unknown[]; items?: unknown[] };
    };
    if (res.status !== 200 || envelope.code !== 0) throw new Error(`${name}: HTTP ${res.status} ${body}`);
    if ((envelope.data?.okr_list ?? envelope.data?.items)?.length !== expectedItems[name])
      throw new Error(`${name}: wrong count`);
    captured[path] = { contentType: res.headers.get('content-type') ?? '', body: body.toString('base64') };
    sizes[name] = body.length;
  }
  const responsesFile = join(work, 'responses.json');
  writeFileSync(responsesFile, JSON.stringify(captured));
  log(`response bodies: ${caseNames.map((n) => `${n} ${(sizes[n] / 1024).toFixed(1)} KiB`).join(', ')}`);

  const none = () => ({ '1 id': [], '10 ids': [], 'v2 list': [], 'v2 weights': [] });
  const results: Record<ServerName, Record<CaseName, WrkResult[]>> = { okrd: none(), ceiling: none() };
  const lowLoad = {} as Record<ServerName, Record<CaseName, WrkResult>>;
  const peakRss: number[] = [];

  /**
   * One pass over the cases on one server: warm-up runs first (JIT, database page cache, TCP), then the measured
   * runs. `okrd` is already running for the first pass; every other pass starts its server fresh.
   */
  const pass = async (name: ServerName, connections: number, record: (c: CaseName, r: WrkResult) => void) => {
    const server = name === 'okrd' ? okrd : await startCeiling(responsesFile);
    try {
      if (name === 'ceiling') {
        // Same bytes as okrd, or the comparison means nothing.
        for (const c of caseNames) {
          const path = cases[c].path;
          const body = Buffer.from(await (await fetch(`http://127.0.0.1:${server.port}${path}`)).arrayBuffer());
          if (!body.equals(Buffer.from(captured[path]!.body, 'base64'))) throw new Error(`ceiling body differs: ${c}`);
        }
      }
      for (const c of caseNames) await wrk(server, cases[c], token, connections, PLAN.warmup);
      for (const c of caseNames) {
        const waited = await waitForQuiet(PLAN.quietWaitMs);
        if (waited > 2_000)
          log(`  (waited ${(waited / 1000).toFixed(0)} s for other work on the machine to quiet down)`);
        const r = await wrk(server, cases[c], token, connections, PLAN.duration);
        record(c, r);
        const errors = r.socketErrors ? `, ${r.socketErrors} socket errors` : '';
        log(
          `  ${name.padEnd(7)} ${c.padEnd(10)} -c${connections}: ${fmtRps(r.rps)} req/s, ` +
            `p50 ${fmtMs(r.p50Ms)} ms, p99 ${fmtMs(r.p99Ms)} ms, ${r.cpuUsPerRequest.toFixed(0)} µs CPU/request; ` +
            `others on CPU ${SERVER_CPU}: ${pct(r.otherLoad)}${errors}`,
        );
      }
      if (name === 'okrd') peakRss.push(peakRssMiB(server.running.child));
    } finally {
      await stop(server.running.child);
    }
  };
  const nextOkrd = async () => {
    okrd = await startOkrd(buildDir, tenant);
  };

  for (let round = 1; round <= PLAN.rounds; round++) {
    log(`round ${round}/${PLAN.rounds} (-c${SATURATING_CONNECTIONS}, ${PLAN.duration} per run, load ${load()})`);
    if (round > 1) await nextOkrd();
    await pass('okrd', SATURATING_CONNECTIONS, (c, r) => results.okrd[c].push(r));
    await pass('ceiling', SATURATING_CONNECTIONS, (c, r) => results.ceiling[c].push(r));
  }
  log(`low-load round (-c${LOW_LOAD_CONNECTIONS}, ${PLAN.duration} per run, load ${load()})`);
  for (const name of ['okrd', 'ceiling'] as const) {
    if (name === 'okrd') await nextOkrd();
    lowLoad[name] = {} as Record<CaseName, WrkResult>;
    await pass(name, LOW_LOAD_CONNECTIONS, (c, r) => (lowLoad[name][c] = r));
  }
  return { tenant, sizes, results, lowLoad, peakRssMiB: Math.max(...peakRss) };
}

async function main(): Promise<void> {
  if (!existsSync(WRK)) {
    process.stderr.write(`${WRK} not found: apt-get install wrk\n`);
    process.exit(1);
  }
  if (spawnSync('taskset', ['-c', LOAD_CPU, 'true']).status !== 0) {
    process.stderr.write('taskset cannot pin to CPUs 0 and 1: this benchmark needs 2 cores and util-linux\n');
    process.exit(1);
  }

  log(`okrd benchmark (${flags.quick ? 'quick smoke run' : 'full run'}), ${new Date().toISOString()}`);
  log(`machine: ${machine()}`);
  log(`load average at start: ${load()} (other work on this machine skews every number)`);

  const work = mkdtempSync(join(tmpdir(), 'okrd-bench-'));
  tempDirs.push(work);
  // Under node_modules so the compiled files resolve fastify, better-sqlite3 … from the project.
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const buildDir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'okrd-bench-build-'));
  tempDirs.push(buildDir);

  const t = Date.now();
  await run(process.execPath, [
    join(ROOT, 'node_modules/typescript/bin/tsc'),
    '-p',
    'tsconfig.build.json',
    '--outDir',
    buildDir,
  ]);
  cpSync(join(ROOT, 'src/store/migrations'), join(buildDir, 'store/migrations'), { recursive: true });
  log(`built okrd from src/ in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const measured: Measured[] = [];
  for (const dialect of DATABASES) {
    for (const okrs of SIZES) {
      log('');
      const tenant = await preparedTenant(dialect, okrs, {
        cacheDir: flags['cache-dir'],
        pgUrl: flags['pg-url'],
        seed: 1,
        log,
      });
      log(`== ${dialect}, ${okrs.toLocaleString('en-US')} OKRs ==`);
      measured.push(await measure(tenant, buildDir, work));
    }
  }
  report(measured);
}

/** The markdown tables docs/benchmarks.md takes. */
function report(measured: readonly Measured[]): void {
  const caseNames = Object.keys(TARGETS) as CaseName[];
  const med = (m: Measured, s: ServerName, c: CaseName, pick: (r: WrkResult) => number) =>
    median(m.results[s][c].map(pick));
  const okrdRps = (m: Measured, c: CaseName) => med(m, 'okrd', c, (r) => r.rps);
  // CPU time per request (medians): the ratio a shared machine disturbs least; on a quiet one it tracks req/s.
  const cpu = (m: Measured, s: ServerName, c: CaseName) => med(m, s, c, (r) => r.cpuUsPerRequest);
  const smallest = (m: Measured) =>
    measured.find((o) => o.tenant.dialect === m.tenant.dialect && o.tenant.okrs === Math.min(...SIZES));
  log('');
  log(
    `Results: medians of ${PLAN.rounds} round(s), wrk -t1 -c${SATURATING_CONNECTIONS} -d${PLAN.duration}, okrd on CPU ` +
      `${SERVER_CPU}, wrk on CPU ${LOAD_CPU}. Targets (issue 8): 10 ids ≥ ${TARGETS['10 ids']} of the ceiling on ` +
      `SQLite at 1,000,000 OKRs, p99 < ${P99_TARGET_MS} ms, at most 10% slower than at ${Math.min(...SIZES).toLocaleString('en-US')}.`,
  );
  log('');
  log(
    table(
      [
        'database',
        'OKRs',
        'case',
        'body',
        'okrd req/s',
        'ceiling req/s',
        'ratio',
        'target',
        'okrd p50/p99 ms',
        'CPU µs/req okrd / ceiling',
        'CPU ratio',
        'vs smallest',
        'verdict',
      ],
      measured.flatMap((m) =>
        caseNames.map((c) => {
          const ratio = okrdRps(m, c) / med(m, 'ceiling', c, (r) => r.rps);
          const base = smallest(m);
          const vsSmallest = base && base !== m ? okrdRps(m, c) / okrdRps(base, c) - 1 : undefined;
          const p99 = med(m, 'okrd', c, (r) => r.p99Ms);
          const verdicts = [
            TARGETS[c] ? (ratio >= TARGETS[c] ? 'ratio ok' : 'ratio BELOW') : '',
            c === '10 ids' ? (p99 < P99_TARGET_MS ? 'p99 ok' : 'p99 OVER') : '',
            vsSmallest !== undefined && c !== 'v2 weights' ? (vsSmallest >= -0.1 ? 'size ok' : 'size SLOWER') : '',
          ].filter(Boolean);
          return [
            m.tenant.dialect,
            m.tenant.okrs.toLocaleString('en-US'),
            c,
            `${(m.sizes[c] / 1024).toFixed(1)} KiB`,
            fmtRps(okrdRps(m, c)),
            fmtRps(med(m, 'ceiling', c, (r) => r.rps)),
            ratio.toFixed(3),
            TARGETS[c] ? `≥ ${TARGETS[c]}` : '—',
            `${fmtMs(med(m, 'okrd', c, (r) => r.p50Ms))} / ${fmtMs(p99)}`,
            `${cpu(m, 'okrd', c).toFixed(0)} / ${cpu(m, 'ceiling', c).toFixed(0)}`,
            (cpu(m, 'ceiling', c) / cpu(m, 'okrd', c)).toFixed(3),
            vsSmallest === undefined ? '—' : `${vsSmallest >= 0 ? '+' : ''}${(vsSmallest * 100).toFixed(1)}%`,
            verdicts.join(', ') || 'measured',
          ];
        }),
      ),
    ),
  );
  log('');
  log(`Below saturation: one round, wrk -t1 -c${LOW_LOAD_CONNECTIONS} -d${PLAN.duration}`);
  log(
    table(
      ['database', 'OKRs', 'case', 'okrd req/s', 'okrd p50/p99 ms', 'ceiling req/s', 'ceiling p50/p99 ms'],
      measured.flatMap((m) =>
        caseNames.map((c) => [
          m.tenant.dialect,
          m.tenant.okrs.toLocaleString('en-US'),
          c,
          fmtRps(m.lowLoad.okrd[c].rps),
          `${fmtMs(m.lowLoad.okrd[c].p50Ms)} / ${fmtMs(m.lowLoad.okrd[c].p99Ms)}`,
          fmtRps(m.lowLoad.ceiling[c].rps),
          `${fmtMs(m.lowLoad.ceiling[c].p50Ms)} / ${fmtMs(m.lowLoad.ceiling[c].p99Ms)}`,
        ]),
      ),
    ),
  );
  const generated = measured.filter((m) => m.tenant.generatedPerSecond !== undefined);
  if (generated.length > 0) {
    log('');
    log('Generation (npm run gen), this run:');
    log(
      table(
        ['database', 'OKRs', 'rows', 'seconds', 'OKRs/s'],
        generated.map((m) => [
          m.tenant.dialect,
          m.tenant.okrs.toLocaleString('en-US'),
          Object.values(m.tenant.rows)
            .reduce((a, b) => a + b, 0)
            .toLocaleString('en-US'),
          m.tenant.generatedSeconds!.toFixed(1),
          fmtRps(m.tenant.generatedPerSecond!),
        ]),
      ),
    );
  }
  log('');
  log(
    `okrd peak RSS (VmHWM): ${measured.map((m) => `${m.tenant.dialect} ${m.tenant.okrs}: ${m.peakRssMiB.toFixed(0)} MiB`).join(', ')}`,
  );
  const all = measured.flatMap((m) =>
    [...Object.values(m.results), ...Object.values(m.lowLoad)].flatMap((byCase) => Object.values(byCase).flat()),
  );
  const worst = Math.max(...all.map((r) => r.otherLoad));
  log(`load average at end: ${load()}; other processes took up to ${pct(worst)} of CPU ${SERVER_CPU} during a run`);
  if (worst > 0.05)
    log('WARNING: the server core was shared during some runs; those numbers are low. Re-run when quiet.');
}

main()
  .then(() => cleanUpNow())
  .catch((err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    cleanUpNow();
    process.exit(1);
  });

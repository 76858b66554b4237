/**
 * The soak: a mixed read/write load at a steady rate against a real `okrd serve` for a long while, to show that
 * memory and latency stay flat.
 *
 *   npm run soak                                  10 minutes at 200 requests/s on a 10,000-OKR SQLite tenant
 *   npm run soak -- --minutes 1 --rate 100 --okrs 2000 --name soak-smoke
 *   npm run soak -- --chart docs/images/soak-2026-11-26.json      draw a saved run's chart again
 *
 * Method:
 * - okrd compiled from src/ into a private folder and started as `okrd serve` (warn-level logs, rate limit out of
 *   the way), over a fresh SQLite file holding a tenant made by the generator (src/demo/generator.ts, seed 1);
 * - an open-loop, constant-rate load generator (here, in Node): request i is due at start + i/rate whatever the
 *   server does, and its latency is counted from that due time, so a stall shows as latency instead of hiding as a
 *   lower rate (coordinated omission). The mix: v1 batch_get of 1 and of 10 OKRs, a person's v1 OKR list, a v2
 *   objective list, progress record create and update, and a v2 objective update;
 * - every 10 s: the window's latency percentiles and errors, the server's RSS (/proc/PID/status) and V8 heap in use
 *   (its /metrics);
 * - at the end: the samples as JSON and CSV and a PNG chart (bench/soak-chart.ts) under docs/images/, and a summary.
 * It is a script, not a test: it exits 0 once it has measured, whatever it measured.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderSoakChart, type SoakSample } from './soak-chart.js';
import { generateTenant, type GeneratedTenant } from '../src/demo/generator.js';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WINDOW_MS = 10_000;
/** Requests in flight beyond this are not sent (counted as dropped): the generator's own memory stays bounded. */
const MAX_IN_FLIGHT = 1000;
/** Progress records kept for updates: the latest ones created. */
const KEPT_RECORDS = 500;

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    okrs: { type: 'string', default: '10000' },
    name: { type: 'string', default: `soak-${new Date().toISOString().slice(0, 10)}` },
    chart: { type: 'string' },
  },
});
const MINUTES = Number(flags.minutes);
const RATE = Number(flags.rate);
const OKRS = Number(flags.okrs);
if (!(MINUTES > 0 && RATE > 0 && RATE <= 5000 && OKRS >= 1000)) {
  process.stderr.write(
    'usage: npm run soak -- [--minutes M (> 0)] [--rate R (1–5000)] [--okrs N (≥ 1000)] [--name NAME] | --chart FILE.json\n',
  );
  process.exit(2);
}

const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Children and temporary folders: undone on any exit.

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
function cleanUp(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Compiles src/ into a private folder (never dist/, which others may be using). */
function buildOkrd(): string {
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  // Under node_modules so the compiled files resolve fastify, better-sqlite3 … from the project.
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'okrd-soak-build-'));
  tempDirs.push(dir);
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dir],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  cpSync(join(ROOT, 'src/store/migrations'), join(dir, 'store/migrations'), { recursive: true });
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP to the server under test.

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

interface Answer {
  status: number;
  body: string;
}

function call(port: number, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The mix.

/** A deterministic stream of numbers in [0, 1) (mulberry32), so every soak sends the same requests. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planned {
  kind: string;
  method: string;
  path: string;
  body?: unknown;
}

const content = (text: string) => ({
  blocks: [{ type: 'paragraph', paragraph: { elements: [{ type: 'textRun', textRun: { text } }] } }],
});

/**
 * The soak's requests in proportion: reads four in five, writes one in five. Reads go to the generator's sample
 * OKRs (each also a v2 cycle) and to anyone's OKR list; writes to the big cycle's objectives. Every write bumps the
 * tenant's data version, so reads render afresh often, as on a busy tenant.
 */
function planner(tenant: GeneratedTenant, people: number, records: string[]): (i: number) => Planned {
  const next = random(20261126);
  const okrIds = tenant.sampleOkrIds;
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const batchGet = (ids: readonly string[]) =>
    `/open-apis/okr/v1/okrs/batch_get?${ids.map((id) => `okr_ids=${id}`).join('&')}`;
  return (i) => {
    const r = next();
    if (r < 0.25) return { kind: 'batch_get 1', method: 'GET', path: batchGet([pick(okrIds)]) };
    if (r < 0.4) return { kind: 'batch_get 10', method: 'GET', path: batchGet(okrIds) };
    if (r < 0.6) {
      const user = `e${String(Math.floor(next() * people)).padStart(7, '0')}`;
      return {
        kind: 'user okrs',
        method: 'GET',
        path: `/open-apis/okr/v1/users/${user}/okrs?user_id_type=user_id&offset=0&limit=5`,
      };
    }
    if (r < 0.8) {
      return {
        kind: 'v2 list',
        method: 'GET',
        path: `/open-apis/okr/v2/cycles/${pick(okrIds)}/objectives?page_size=20`,
      };
    }
    if (r < 0.88 || records.length === 0) {
      return {
        kind: 'record create',
        method: 'POST',
        path: '/open-apis/okr/v1/progress_records',
        body: {
          source_title: 'soak',
          source_url: `https://soak.example/${i}`,
          target_id: pick(tenant.bigCycle.objectiveIds),
          target_type: 2,
          content: content(`进展 ${i}`),
        },
      };
    }
    if (r < 0.95) {
      return {
        kind: 'record update',
        method: 'PUT',
        path: `/open-apis/okr/v1/progress_records/${pick(records)}`,
        body: { content: content(`更新 ${i}`), progress_rate: { percent: i % 100, status: 0 } },
      };
    }
    return {
      kind: 'v2 objective update',
      method: 'PATCH',
      path: `/open-apis/okr/v2/objectives/${pick(tenant.bigCycle.objectiveIds)}`,
      body: { score: (i % 11) / 10 },
    };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring.

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

function rssMiB(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : 0;
}

/** CPU seconds (user and system) the process has used so far. */
function cpuSeconds(pid: number): number {
  // Fields after the command (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** From the server's /metrics: V8 heap in use (MiB) and rendered answers kept by its caches. */
async function serverFigures(port: number, metricsToken: string): Promise<{ heapMiB: number; cacheEntries: number }> {
  const text = (await call(port, 'GET', '/metrics', metricsToken)).body;
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    heapMiB: metric('nodejs_heap_size_used_bytes') / 2 ** 20,
    cacheEntries: metric('okrd_render_cache_entries'),
  };
}

async function main(): Promise<void> {
  const started = new Date();
  log(`soak: ${MINUTES} min at ${RATE} requests/s on ${OKRS} OKRs (SQLite)`);
  const buildDir = buildOkrd();
  const work = mkdtempSync(join(tmpdir(), 'okrd-soak-'));
  tempDirs.push(work);
  const file = join(work, 'okrd.sqlite');
  const db = await openDb(`sqlite:${file}`);
  let tenant: GeneratedTenant;
  try {
    await migrate(db);
    tenant = await generateTenant(db, { okrs: OKRS, seed: 1, imageDir: join(work, 'images') });
  } finally {
    await db.close();
  }
  // Four quarters: a person per four OKRs, employee ids e0000000 upwards (src/demo/generator.ts).
  const people = Math.floor(OKRS / 4);
  log(`built okrd and generated ${OKRS} OKRs`);

  const port = await freePort();
  const metricsToken = randomBytes(16).toString('hex');
  const server = spawn(process.execPath, [join(buildDir, 'cli', 'run.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${file}`,
      IMAGE_DIR: join(work, 'images'),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      METRICS_TOKEN: metricsToken,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(server);
  let serverErr = '';
  server.stderr!.on('data', (c: Buffer) => (serverErr = (serverErr + c.toString()).slice(-4000)));
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`okrd exited during start-up:\n${serverErr}`);
    try {
      if ((await call(port, 'GET', '/healthz')).status === 200) break;
    } catch {
      if (i > 300) throw new Error(`okrd did not listen within 30 s:\n${serverErr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const tokenRes = await call(port, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', undefined, {
    app_id: tenant.appId,
    app_secret: tenant.appSecret,
  });
  const token = (JSON.parse(tokenRes.body) as { tenant_access_token: string }).tenant_access_token;

  const records: string[] = [];
  const plan = planner(tenant, people, records);
  const samples: SoakSample[] = [];
  const errorsByKind = new Map<string, number>();
  let window: number[] = [];
  let windowErrors = 0;
  let windowDropped = 0;
  let dropped = 0;
  const firstMinute: number[] = [];
  const lastWindows: number[][] = [];
  let inFlight = 0;
  let sent = 0;
  const intervalMs = 1000 / RATE;
  const durationMs = MINUTES * 60_000;
  const t0 = performance.now();

  const fail = (kind: string) => {
    windowErrors++;
    errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
  };
  const fire = (i: number, due: number) => {
    const p = plan(i);
    if (inFlight >= MAX_IN_FLIGHT) {
      windowDropped++;
      dropped++;
      return;
    }
    inFlight++;
    call(port, p.method, p.path, token, p.body)
      .then((res) => {
        const ms = performance.now() - due;
        window.push(ms);
        if (due - t0 < 60_000) firstMinute.push(ms);
        if (res.status >= 400) fail(`${p.kind}: HTTP ${res.status} ${res.body.slice(0, 80)}`);
        else if (p.kind === 'record create') {
          records.push((JSON.parse(res.body) as { data: { progress_id: string } }).data.progress_id);
          if (records.length > KEPT_RECORDS) records.shift();
        }
      })
      .catch((err: Error) => fail(`${p.kind}: ${err.message}`))
      .finally(() => inFlight--);
  };

  // Every few ms, send whatever has come due: the rate holds however long each answer takes.
  const ticker = setInterval(() => {
    const now = performance.now();
    while (sent * intervalMs <= Math.min(now - t0, durationMs - intervalMs)) {
      fire(sent, t0 + sent * intervalMs);
      sent++;
    }
  }, 2);
  let cpuBefore = cpuSeconds(server.pid!);
  let windowStart = performance.now();
  await new Promise<void>((resolve) => {
    const sampler = setInterval(() => {
      const now = performance.now();
      const cpu = cpuSeconds(server.pid!);
      const serverCpu = (cpu - cpuBefore) / ((now - windowStart) / 1000);
      cpuBefore = cpu;
      windowStart = now;
      const done = window.sort((a, b) => a - b);
      window = [];
      lastWindows.push(done);
      if (lastWindows.length > 60_000 / WINDOW_MS) lastWindows.shift();
      const errors = windowErrors;
      const droppedNow = windowDropped;
      windowErrors = 0;
      windowDropped = 0;
      void serverFigures(port, metricsToken)
        .catch(() => ({ heapMiB: 0, cacheEntries: 0 }))
        .then(({ heapMiB, cacheEntries }) => {
          const sample: SoakSample = {
            t: Math.round((now - t0) / 1000),
            requests: done.length,
            errors,
            dropped: droppedNow,
            p50: round(percentile(done, 50)),
            p90: round(percentile(done, 90)),
            p99: round(percentile(done, 99)),
            max: round(done[done.length - 1] ?? 0),
            rssMiB: round(rssMiB(server.pid!), 1),
            heapUsedMiB: round(heapMiB, 1),
            cacheEntries,
            serverCpu: round(serverCpu),
            load1: round(loadavg()[0]!),
          };
          samples.push(sample);
          log(
            `${String(sample.t).padStart(5)} s  ${String(sample.requests).padStart(5)} answers  ${errors} errors  ` +
              `${droppedNow} dropped  p50 ${sample.p50} ms  p99 ${sample.p99} ms  max ${sample.max} ms  ` +
              `RSS ${sample.rssMiB} MiB  heap ${sample.heapUsedMiB} MiB  cache ${cacheEntries}  ` +
              `server CPU ${sample.serverCpu}  load ${sample.load1}`,
          );
          if (performance.now() - t0 >= durationMs) {
            clearInterval(sampler);
            resolve();
          }
        });
    }, WINDOW_MS);
  });
  clearInterval(ticker);
  const drainUntil = Date.now() + 10_000;
  while (inFlight > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  agent.destroy();

  // Files: samples as JSON and CSV, the chart as PNG, beside the docs that show them.
  const outDir = join(ROOT, 'docs', 'images');
  mkdirSync(outDir, { recursive: true });
  const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`;
  const sortedFirst = firstMinute.sort((a, b) => a - b);
  const sortedLast = lastWindows.flat().sort((a, b) => a - b);
  const totalErrors = [...errorsByKind.values()].reduce((a, b) => a + b, 0);
  const summary = {
    started: started.toISOString(),
    machine,
    minutes: MINUTES,
    rate: RATE,
    okrs: OKRS,
    sent,
    answered: samples.reduce((a, s) => a + s.requests, 0),
    errors: totalErrors,
    errorsByKind: Object.fromEntries(errorsByKind),
    dropped,
    load1: { min: Math.min(...samples.map((x) => x.load1)), max: Math.max(...samples.map((x) => x.load1)) },
    rssMiB: { first: samples[0]?.rssMiB, last: samples.at(-1)?.rssMiB, max: Math.max(...samples.map((s) => s.rssMiB)) },
    heapUsedMiB: { first: samples[0]?.heapUsedMiB, last: samples.at(-1)?.heapUsedMiB },
    cacheEntries: { first: samples[0]?.cacheEntries, last: samples.at(-1)?.cacheEntries },
    firstMinute: { p50: round(percentile(sortedFirst, 50)), p99: round(percentile(sortedFirst, 99)) },
    lastMinute: { p50: round(percentile(sortedLast, 50)), p99: round(percentile(sortedLast, 99)) },
  };
  writeFileSync(join(outDir, `${flags.name}.json`), `${JSON.stringify({ summary, samples }, null, 2)}\n`);
  const columns = Object.keys(samples[0] ?? {}) as (keyof SoakSample)[];
  writeFileSync(
    join(outDir, `${flags.name}.csv`),
    `${columns.join(',')}\n${samples.map((s) => columns.map((c) => s[c]).join(',')).join('\n')}\n`,
  );
  await drawChart(summary, samples, join(outDir, `${flags.name}.png`));
  log(`\n${JSON.stringify(summary, null, 2)}`);
  log(`wrote docs/images/${flags.name}.{json,csv,png}`);
}

/** What a run found, as written into its JSON file. */
interface Summary {
  started: string;
  machine: string;
  minutes: number;
  rate: number;
  okrs: number;
  answered: number;
  errors: number;
  dropped: number;
  load1: { min: number; max: number };
}

function drawChart(summary: Summary, samples: SoakSample[], png: string): Promise<void> {
  const { minutes, rate, okrs, started, machine, answered, errors, dropped, load1 } = summary;
  return renderSoakChart(
    samples,
    {
      title: `okrd soak: ${minutes} min at ${rate} requests/s, ${okrs.toLocaleString('en')} OKRs on SQLite`,
      subtitle:
        `${started.slice(0, 16).replace('T', ' ')} UTC · ${machine} · ${answered} answers, ${errors} errors, ` +
        `${dropped} not sent · machine load ${load1.min}–${load1.max} (shared by other work) · mix: 40% batch_get, ` +
        `20% user OKRs, 20% v2 list, 20% writes`,
    },
    png,
  );
}

/** `--chart FILE.json`: draws FILE.png again from the samples a run saved. */
async function redraw(file: string): Promise<void> {
  const { summary, samples } = JSON.parse(readFileSync(file, 'utf8')) as { summary: Summary; samples: SoakSample[] };
  await drawChart(summary, samples, file.replace(/\.json$/, '.png'));
  log(`wrote ${file.replace(/\.json$/, '.png')}`);
}

(flags.chart ? redraw(flags.chart) : main()).then(
  () => {
    cleanUp();
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    cleanUp();
    process.exit(1);
  },
);

/**
 * `okrd serve --workers 2` against one worker (issue 8: at least 1.5×): batch_get of 10 OKRs on the generated
 * 10,000-OKR SQLite tenant of bench/tenants.ts, okrd as built in dist/ (`npm run build`), everything else at its
 * defaults — so the rate limit counts every call (limit 1,000,000 a minute: counted, never refused), with two workers
 * in the primary's memory, leased to both (src/services/rate-limit-leases.ts). RATE_LIMIT_STORE in the environment
 * measures another store.
 * This machine has two cores: the server and wrk share them in both runs (no taskset), which the figure must say.
 *
 *   npm run build && npx tsx bench/workers.bench.ts [--okrs 10000] [--duration 10s]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { preparedTenant } from './tenants.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({
  options: { okrs: { type: 'string', default: '10000' }, duration: { type: 'string', default: '10s' } },
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`okrd on port ${port} never became ready`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Requests per second of `wrk -t2 -c64` (two threads: the load generator may use both cores, as the server may). */
function wrk(url: string, token: string, duration: string): number {
  const out = spawnSync('wrk', ['-t2', '-c64', `-d${duration}`, '-H', `Authorization: Bearer ${token}`, url], {
    encoding: 'utf8',
  });
  if (/Non-2xx/.test(out.stdout)) throw new Error(`wrk saw errors:\n${out.stdout}`);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out.stdout);
  if (!m) throw new Error(`no Requests/sec in wrk output:\n${out.stdout}${out.stderr}`);
  return Number(m[1]);
}

const tenant = await preparedTenant('sqlite', Number(flags.okrs), {
  cacheDir: join(tmpdir(), 'okrd-bench-cache'),
  pgUrl: '',
  seed: 1,
  log: (line) => process.stderr.write(`${line}\n`),
});
const path = `/open-apis/okr/v1/okrs/batch_get?${tenant.sampleOkrIds.map((id) => `okr_ids=${id}`).join('&')}`;
const results: Record<number, number> = {};
for (const workers of [1, 2, 1, 2]) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'okrd.js'), 'serve', '--workers', String(workers)], {
    env: {
      ...process.env,
      DATABASE_URL: tenant.databaseUrl,
      IMAGE_DIR: tenant.imageDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitReady(port);
  const res = await fetch(`http://127.0.0.1:${port}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: tenant.appId, app_secret: tenant.appSecret }),
  });
  const token = ((await res.json()) as { tenant_access_token: string }).tenant_access_token;
  wrk(`http://127.0.0.1:${port}${path}`, token, '3s'); // warm-up: every worker's caches filled
  const rps = wrk(`http://127.0.0.1:${port}${path}`, token, flags.duration);
  results[workers] = Math.max(results[workers] ?? 0, rps);
  process.stderr.write(`workers ${workers}: ${rps.toFixed(0)} req/s\n`);
  await stop(child);
}
process.stdout.write(
  `| okrd serve | batch_get 10 ids, req/s (best of 2) |\n|---|---|\n` +
    `| --workers 1 | ${results[1]!.toFixed(0)} |\n| --workers 2 | ${results[2]!.toFixed(0)} |\n` +
    `\n--workers 2 / --workers 1 = **${(results[2]! / results[1]!).toFixed(2)}** (target 1.5; server and wrk -t2 share the two cores)\n`,
);

// /metrics: requests by route pattern, status and Feishu code, latency histograms, rate-limit refusals, the render
// cache, the PostgreSQL pool and process metrics; label values stay bounded whatever URLs and ids clients send.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEMO_APP_ID, DEMO_APP_SECRET, demoTenantDocument } from '../../src/demo/demo-tenant.js';
import { sequentialIds } from '../../src/domain/ids.js';
import { buildApp } from '../../src/http/app.js';
import { TransferService } from '../../src/services/transfer.service.js';
import { T0 } from '../helpers/app.js';
import {
  cliDatabase,
  freePort,
  httpCall,
  killOkrdChildren,
  okrdEnv,
  startOkrd,
  waitUntilServing,
} from '../helpers/cli.js';
import { DIALECTS, freshDb } from '../helpers/db.js';
import { checkedDb, type WriteCheck } from '../helpers/write-check.js';

const OKR_ID = '7072252816005349396';
const BATCH_GET = '/open-apis/okr/v1/okrs/batch_get';
const USER_OKRS = '/open-apis/okr/v1/users/:user_id/okrs';
const TOKEN_URL = '/open-apis/auth/v3/tenant_access_token/internal';
const METRICS_TOKEN = 'metrics-test-token';

/** One sample of the exposition text: metric name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text (label values here never hold quotes or commas). */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(m, `a well-formed sample: ${line}`);
      const labels = Object.fromEntries(
        (m[2] ? m[2].split(/,(?=[a-z_]+=")/) : []).map((kv) => {
          const eq = kv.indexOf('=');
          return [kv.slice(0, eq), JSON.parse(kv.slice(eq + 1)) as string];
        }),
      );
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** The value of `name` with exactly `labels` (0 when the series does not exist). */
function value(all: Sample[], name: string, labels: Record<string, string> = {}): number {
  const want = JSON.stringify(Object.entries(labels).sort());
  const found = all.filter((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want);
  assert.ok(found.length <= 1, `one series of ${name} ${want}`);
  return found[0]?.value ?? 0;
}

for (const dialect of DIALECTS) {
  describe(`metrics (${dialect})`, () => {
    let app: FastifyInstance;
    let drop: () => Promise<void>;
    let imageDir: string;
    const clock = { now: T0 };
    const statements: WriteCheck = { count: 0, violations: [] };
    let token: string;

    const scrape = async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
      return { text: res.body, all: samples(res.body) };
    };
    const get = (url: string, auth = token) =>
      app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${auth}` } });

    before(async () => {
      const fresh = await freshDb(dialect);
      drop = fresh.drop;
      imageDir = await mkdtemp(join(tmpdir(), 'okrd-images-'));
      await new TransferService(fresh.db).importTenant(demoTenantDocument());
      // The checked database, with the pool figures of the real one (PostgreSQL) passed through.
      const db = Object.assign(checkedDb(fresh.db, statements), { poolStats: fresh.db.poolStats?.bind(fresh.db) });
      app = await buildApp({
        config: { imageDir, rateLimitPerMinute: 100, metricsToken: METRICS_TOKEN },
        db,
        clock: () => clock.now,
        ids: sequentialIds(8_100_000_000_000_000_001n),
        logger: false,
      });
      const res = await app.inject({
        method: 'POST',
        url: TOKEN_URL,
        payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
      });
      token = res.json().tenant_access_token;
    });
    after(async () => {
      await app.close();
      await drop();
      await rm(imageDir, { recursive: true, force: true });
      assert.deepEqual(statements.violations, []);
    });

    it('counts answers by route pattern, status and Feishu code, with a latency histogram per route', async () => {
      const before = (await scrape()).all;
      for (let i = 0; i < 3; i++) assert.equal((await get(`${BATCH_GET}?okr_ids=${OKR_ID}`)).statusCode, 200);
      const unknown = await get(`${BATCH_GET}?okr_ids=1`);
      const forged = await get(`${BATCH_GET}?okr_ids=${OKR_ID}`, 't-forged');
      const nowhere = await app.inject({ method: 'POST', url: '/no/such/page', payload: {} });
      assert.equal(nowhere.statusCode, 404);
      const badSecret = await app.inject({
        method: 'POST',
        url: TOKEN_URL,
        payload: { app_id: DEMO_APP_ID, app_secret: 'wrong' },
      });
      assert.equal(badSecret.statusCode, 200);
      assert.equal(badSecret.json().code, 10003);

      const all = (await scrape()).all;
      const requests = (labels: Record<string, string>) =>
        value(all, 'okrd_http_requests_total', labels) - value(before, 'okrd_http_requests_total', labels);
      const route = { method: 'GET', route: BATCH_GET };
      assert.equal(requests({ ...route, status: '200', code: '0' }), 3);
      assert.equal(requests({ ...route, status: String(unknown.statusCode), code: String(unknown.json().code) }), 1);
      assert.equal(requests({ ...route, status: String(forged.statusCode), code: String(forged.json().code) }), 1);
      assert.notEqual(forged.json().code, unknown.json().code);
      // The text 404 has no envelope; the token endpoint's refusal is HTTP 200 with its code.
      assert.equal(requests({ method: 'POST', route: 'unmatched', status: '404', code: 'none' }), 1);
      assert.equal(requests({ method: 'POST', route: TOKEN_URL, status: '200', code: '10003' }), 1);

      const count = value(all, 'okrd_http_request_duration_seconds_count', route);
      assert.equal(count - value(before, 'okrd_http_request_duration_seconds_count', route), 5);
      assert.equal(value(all, 'okrd_http_request_duration_seconds_bucket', { ...route, le: '+Inf' }), count);
      assert.ok(value(all, 'okrd_http_request_duration_seconds_sum', route) > 0);
      const buckets = all.filter(
        (s) => s.name === 'okrd_http_request_duration_seconds_bucket' && s.labels.route === BATCH_GET,
      );
      assert.equal(buckets.length, 15);
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, 'cumulative');
    });

    it('keeps label values bounded: route patterns, never raw URLs or ids', async () => {
      clock.now += 60_000; // a fresh rate-limit minute
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) {
        const id = String(7_100_000_000_000_000_000n + BigInt(i) * 7919n);
        ids.push(id);
        await get(`${BATCH_GET}?okr_ids=${id}&user_id_type=open_id`);
        await get(`/open-apis/okr/v1/users/ou_${id}/okrs?offset=0&limit=10`);
        await get(`/open-apis/no-such-thing/${id}?x=${id}`);
        await app.inject({ method: 'POST', url: `/okrd/${id}`, payload: {} });
      }
      const { text, all } = await scrape();
      for (const id of ids) assert.ok(!text.includes(id), `no id in the metrics (${id})`);
      const series = all.filter((s) => s.name === 'okrd_http_requests_total');
      const routes = new Set(series.map((s) => `${s.labels.method} ${s.labels.route}`));
      assert.ok(routes.has(`GET ${USER_OKRS}`));
      // Unknown GETs end in the web UI's catch-all route (its text 404), other methods in no route at all.
      assert.ok(routes.has('GET /*') && routes.has('POST unmatched'));
      assert.ok(routes.size <= 8, `few routes: ${[...routes].join(', ')}`);
      assert.ok(series.length <= 16, `few series: ${series.length}`);
      const durations = all.filter((s) => s.name === 'okrd_http_request_duration_seconds_count');
      assert.equal(durations.length, routes.size);
    });

    it('counts rate-limit refusals by route', async () => {
      clock.now += 60_000;
      const before = (await scrape()).all;
      const url = `/open-apis/okr/v1/periods?page_size=1`;
      const answers = [];
      for (let i = 0; i < 102; i++) answers.push((await get(url)).statusCode);
      assert.deepEqual(
        answers.filter((s) => s === 429),
        [429, 429],
      );
      const all = (await scrape()).all;
      const labels = { method: 'GET', route: '/open-apis/okr/v1/periods' };
      const refusals = (s: Sample[]) => value(s, 'okrd_rate_limit_refusals_total', labels);
      assert.equal(refusals(all) - refusals(before), 2);
      const limited = { ...labels, status: '429', code: '99991400' };
      assert.equal(
        value(all, 'okrd_http_requests_total', limited) - value(before, 'okrd_http_requests_total', limited),
        2,
      );
    });

    it('reports the render cache, the database pool and the process', async () => {
      clock.now += 60_000;
      const before = (await scrape()).all;
      for (let i = 0; i < 3; i++)
        assert.equal((await get(`${BATCH_GET}?okr_ids=${OKR_ID}&lang=en_us`)).statusCode, 200);
      const all = (await scrape()).all;
      const delta = (name: string) => value(all, name) - value(before, name);
      // The first read may render (a language not read before); the next two are served from the cache.
      assert.ok(delta('okrd_render_cache_hits_total') >= 2);
      assert.ok(value(all, 'okrd_render_cache_entries') >= 1);
      assert.ok(value(all, 'okrd_render_cache_misses_total') >= 1);
      if (dialect === 'postgres') {
        const idle = value(all, 'okrd_db_pool_connections', { state: 'idle' });
        assert.ok(idle >= 1, 'the pool keeps the connections it opened');
        assert.equal(value(all, 'okrd_db_pool_connections', { state: 'busy' }), 0);
        assert.equal(value(all, 'okrd_db_pool_waiting'), 0);
      } else {
        assert.ok(!all.some((s) => s.name.startsWith('okrd_db_pool')), 'SQLite has no pool to report');
      }
      assert.ok(value(all, 'process_resident_memory_bytes') > 10_000_000);
      assert.ok(all.some((s) => s.name === 'nodejs_heap_size_used_bytes'));
    });

    it('answers /metrics only with the METRICS_TOKEN when one is set', async () => {
      const noAuth = await app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(noAuth.statusCode, 401);
      assert.equal(noAuth.body, '401 unauthorized\n');
      assert.equal(noAuth.headers['www-authenticate'], 'Bearer');
      const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      assert.equal(wrong.statusCode, 401);
      assert.ok(!wrong.body.includes('okrd_'));
    });
  });
}

describe('metrics without METRICS_TOKEN', () => {
  it('are open', async () => {
    const { db, drop } = await freshDb('sqlite');
    const app = await buildApp({
      config: { imageDir: tmpdir() },
      db,
      clock: () => T0,
      ids: sequentialIds(1n),
      logger: false,
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /^# HELP /m);
      assert.match(res.body, /okrd_http_requests_total/);
    } finally {
      await app.close();
      await drop();
    }
  });
});

describe('metrics of `okrd serve --workers 2`', () => {
  after(killOkrdChildren);

  it('are the sum over the workers, whichever worker a scrape reaches', async () => {
    const db = await cliDatabase('sqlite');
    const port = await freePort();
    const primary = startOkrd(['serve', '--workers', '2'], okrdEnv(db.url, { PORT: String(port) }));
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntilServing(primary, `${base}/healthz`, 30_000);
      // Both workers listening: the primary hands connections out in turn, one per request here.
      await new Promise((r) => setTimeout(r, 2000));
      for (let i = 0; i < 20; i++) assert.equal((await httpCall('POST', `${base}/nowhere/${i}`)).status, 404);
      for (let scrape = 0; scrape < 4; scrape++) {
        const res = await httpCall('GET', `${base}/metrics`);
        assert.equal(res.status, 200);
        const all = samples(res.body as string);
        const labels = { method: 'POST', route: 'unmatched', status: '404', code: 'none' };
        assert.equal(value(all, 'okrd_http_requests_total', labels), 20, `scrape ${scrape}: every worker counted`);
        // Process figures add up too: the resident memory reported is the two workers' together.
        const ps = spawnSync('ps', ['-o', 'rss=', '--ppid', String(primary.child.pid)], { encoding: 'utf8' });
        const workers = ps.stdout
          .trim()
          .split(/\s+/)
          .map((kb) => Number(kb) * 1024);
        assert.equal(workers.length, 2);
        assert.ok(value(all, 'process_resident_memory_bytes') > 1.5 * Math.max(...workers), "the workers' sum");
      }
    } finally {
      primary.child.kill('SIGTERM');
      await primary.exited;
      await db.drop();
    }
  });
});

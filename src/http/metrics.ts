/**
 * Prometheus metrics at `/metrics` (prom-client): requests by route pattern, HTTP status and Feishu `code`, latency
 * histograms per route, rate-limit refusals per route, the render cache, the PostgreSQL pool and the default process
 * metrics. Label values are route patterns, methods, statuses and okrd's own codes: never a raw URL, an id, a tenant
 * or an app, so the number of series is bounded by the route table whatever clients send.
 *
 * The hot path only bumps plain numbers of a per-route tally (no label hashing, no allocation); prom-client reads
 * the tallies when /metrics is scraped. Under `okrd serve --workers N` a worker answers /metrics with the sum over
 * every worker, which the primary gathers with prom-client's AggregatorRegistry (`serveClusterMetrics`).
 */
import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import client from 'prom-client';
import { renderCacheStats } from '../services/render-cache.js';
import type { Db } from '../store/db.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Feishu `code` of the answer's envelope, -1 when the answer is not one (pages, images, text 404). */
    feishuCode: number;
  }
}

/** Latency buckets, seconds: a cached read takes well under a millisecond, a slow write tens of milliseconds. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The code of the rate-limit refusal (HTTP 429). */
const RATE_LIMITED = 99991400;

/** Requests that matched no route share one label, whatever their URL. */
const UNMATCHED = 'unmatched';

/** How many answers of one route had one status and code. */
interface Outcome {
  status: number;
  code: number;
  n: number;
}

/** Everything counted of one route (method and pattern). */
class RouteTally {
  /** Observations per bucket (not cumulative); the last slot is above the largest bound. */
  readonly buckets = new Float64Array(BUCKETS.length + 1);
  sum = 0;
  count = 0;
  /** Few per route (its statuses and codes), so a scan beats a map and allocates nothing. */
  readonly outcomes: Outcome[] = [];

  constructor(
    readonly method: string,
    readonly route: string,
  ) {}

  record(seconds: number, status: number, code: number): void {
    let b = 0;
    while (b < BUCKETS.length && seconds > BUCKETS[b]!) b++;
    this.buckets[b]!++;
    this.sum += seconds;
    this.count++;
    for (const o of this.outcomes) {
      if (o.status === status && o.code === code) {
        o.n++;
        return;
      }
    }
    this.outcomes.push({ status, code, n: 1 });
  }
}

/** The tallies of one app: one per method and route pattern (the same pattern in two contexts shares one). */
class Tallies {
  private readonly byLabels = new Map<string, RouteTally>();
  readonly all: RouteTally[] = [];

  /** Called when a route is registered or on a route's first request, never on the hot path of an answer. */
  of(method: string, route: string): RouteTally {
    const key = `${method} ${route}`;
    let tally = this.byLabels.get(key);
    if (!tally) {
      tally = new RouteTally(method, route);
      this.byLabels.set(key, tally);
      this.all.push(tally);
    }
    return tally;
  }
}

/** The per-route onResponse hooks okrd adds (so that a HEAD twin copying a GET route's hooks is not counted twice). */
const COUNTING = Symbol('okrd.metrics.counting');

/**
 * The hook counting one route's answers, its tallies found once per method (node's HTTP parser admits only the
 * methods it knows, so the map stays small), not looked up per request.
 */
function countingHook(tallies: Tallies, route: string): onResponseHookHandler {
  const byMethod = new Map<string, RouteTally>();
  const hook: onResponseHookHandler = (request, reply, done) => {
    let tally = byMethod.get(request.method);
    if (!tally) byMethod.set(request.method, (tally = tallies.of(request.method, route)));
    tally.record(reply.elapsedTime / 1000, reply.statusCode, request.feishuCode);
    done();
  };
  return Object.assign(hook, { [COUNTING]: true });
}

/** How every envelope okrd sends begins, as character codes. */
const HEAD = [...'{"code":'].map((c) => c.charCodeAt(0));
/** The head plus the longest code (8 digits) and the character after it. */
const CODE_HEAD = HEAD.length + 9;

/**
 * The Feishu `code` an answer starts with (`{"code":123,…`, as okrd serialises every envelope, as text or as
 * bytes), else -1. Reads at most CODE_HEAD characters, allocates nothing.
 */
function envelopeCode(payload: unknown): number {
  const text = typeof payload === 'string';
  if (!text && !Buffer.isBuffer(payload)) return -1;
  const p = payload as string | Buffer;
  let code = 0;
  for (let i = 0; i < p.length && i < CODE_HEAD; i++) {
    const c = text ? (p as string).charCodeAt(i) : (p as Buffer)[i]!;
    if (i < HEAD.length) {
      if (c !== HEAD[i]) return -1;
      continue;
    }
    const digit = c - 48;
    if (digit < 0 || digit > 9) return i > HEAD.length ? code : -1;
    code = code * 10 + digit;
  }
  return -1;
}

const codeLabel = (code: number) => (code === -1 ? 'none' : String(code));

const DURATION = 'okrd_http_request_duration_seconds';
const DURATION_HELP = 'Time from a request arriving to its answer being written, by route pattern';

/** The latency histogram, its values read from the tallies at scrape time (prom-client's own would hash labels). */
class TalliedHistogram extends client.Histogram<'method' | 'route' | 'le'> {
  constructor(private readonly tallies: Tallies) {
    super({
      name: DURATION,
      help: DURATION_HELP,
      labelNames: ['method', 'route'],
      buckets: BUCKETS,
      registers: [],
    });
  }

  override async get() {
    const values: { value: number; labels: Record<string, string | number>; metricName: string }[] = [];
    for (const t of this.tallies.all) {
      const labels = { method: t.method, route: t.route };
      let cumulative = 0;
      BUCKETS.forEach((le, i) => {
        cumulative += t.buckets[i]!;
        values.push({ value: cumulative, labels: { ...labels, le }, metricName: `${DURATION}_bucket` });
      });
      values.push(
        { value: t.count, labels: { ...labels, le: '+Inf' }, metricName: `${DURATION}_bucket` },
        { value: t.sum, labels, metricName: `${DURATION}_sum` },
        { value: t.count, labels, metricName: `${DURATION}_count` },
      );
    }
    // prom-client's typings declare the type as an enum that does not exist at run time; its code reads the name.
    const type = 'histogram' as unknown as client.MetricType;
    return { name: DURATION, help: DURATION_HELP, type, aggregator: 'sum' as const, values, collect: () => undefined };
  }

  /** What Registry.metrics() reads (prom-client prefers it to get() when a metric has it). */
  getForPromString() {
    return this.get();
  }
}

/** Process-wide: one set of default metrics (memory, CPU, event loop, GC) whatever the number of apps. */
let processRegistry: client.Registry | undefined;
function processMetrics(): client.Registry {
  if (!processRegistry) {
    processRegistry = new client.Registry();
    client.collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The app's own metrics, read from `tallies`, the render cache and the database pool. */
function appMetrics(tallies: Tallies, db: Db): client.Registry {
  const registry = new client.Registry();
  registry.registerMetric(new TalliedHistogram(tallies));
  new client.Counter({
    name: 'okrd_http_requests_total',
    help: 'Answers by route pattern, HTTP status and Feishu code ("none": not an envelope)',
    labelNames: ['method', 'route', 'status', 'code'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of tallies.all) {
        for (const o of t.outcomes) {
          this.inc({ method: t.method, route: t.route, status: String(o.status), code: codeLabel(o.code) }, o.n);
        }
      }
    },
  });
  new client.Counter({
    name: 'okrd_rate_limit_refusals_total',
    help: 'Requests refused with 99991400 (HTTP 429) by route pattern',
    labelNames: ['method', 'route'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of tallies.all) {
        const refused = t.outcomes.find((o) => o.code === RATE_LIMITED);
        if (refused) this.inc({ method: t.method, route: t.route }, refused.n);
      }
    },
  });
  const fromStats = (name: string, help: string, read: () => number) =>
    new client.Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  fromStats(
    'okrd_render_cache_hits_total',
    'Reads answered from a render cache of this process',
    () => renderCacheStats.hits,
  );
  fromStats(
    'okrd_render_cache_misses_total',
    'Reads that had to render (absent or stale)',
    () => renderCacheStats.misses,
  );
  new client.Gauge({
    name: 'okrd_render_cache_entries',
    help: 'Rendered answers kept by the render caches of this process',
    registers: [registry],
    collect() {
      this.set(renderCacheStats.entries);
    },
  });
  // SQLite has one connection per process and no queue to watch, so only PostgreSQL reports a pool.
  const pool = db.poolStats?.bind(db);
  if (pool) {
    new client.Gauge({
      name: 'okrd_db_pool_connections',
      help: 'PostgreSQL connections of this process, by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const s = pool();
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'busy' }, s.total - s.idle);
      },
    });
    new client.Gauge({
      name: 'okrd_db_pool_waiting',
      help: 'Transactions waiting for a PostgreSQL connection of this process',
      registers: [registry],
      collect() {
        this.set(pool().waiting);
      },
    });
  }
  return registry;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when `authorization` is `Bearer <token>`; constant-time. */
function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  return timingSafeEqual(digest(given), digest(token));
}

// The IPC messages between a worker answering /metrics and the primary that gathers every worker's metrics.
const ASK_PRIMARY = 'okrd:metrics?';
const PRIMARY_ANSWER = 'okrd:metrics';
/** How long a worker waits for the primary before answering with its own metrics alone. */
const PRIMARY_TIMEOUT_MS = 3000;

interface PrimaryAnswer {
  type: typeof PRIMARY_ANSWER;
  id: number;
  text?: string;
}

/** This worker asks the primary for every worker's metrics; undefined when no answer comes in time. */
function fromPrimary(): Promise<string | undefined> {
  const id = nextAsk++;
  return new Promise((resolve) => {
    const done = (text: string | undefined) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(text);
    };
    const onMessage = (message: PrimaryAnswer) => {
      if (message?.type === PRIMARY_ANSWER && message.id === id) done(message.text);
    };
    const timer = setTimeout(() => done(undefined), PRIMARY_TIMEOUT_MS);
    process.on('message', onMessage);
    process.send!({ type: ASK_PRIMARY, id });
  });
}
let nextAsk = 0;

/**
 * In the primary of `okrd serve --workers N` (src/cli/cluster.ts): answers a worker's request for the metrics of
 * every worker, summed by prom-client's AggregatorRegistry (process metrics included, per metric as prom-client
 * aggregates them).
 */
export function serveClusterMetrics(): void {
  const aggregator = new client.AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK_PRIMARY) return;
    const answer = (text?: string) => worker.send({ type: PRIMARY_ANSWER, id: message.id, text });
    aggregator.clusterMetrics().then(answer, () => answer(undefined));
  });
}

/** Options of /metrics. */
export interface MetricsOptions {
  db: Db;
  /** When set, /metrics requires `Authorization: Bearer <token>` (METRICS_TOKEN); when empty, it is open. */
  token: string;
}

/** Counts every answer of `app` and serves `/metrics`; install it before any route, so that each is counted. */
export function installMetrics(app: FastifyInstance, opts: MetricsOptions): void {
  const tallies = new Tallies();
  const registries = [processMetrics(), appMetrics(tallies, opts.db)];
  if (cluster.isWorker) {
    // The primary's AggregatorRegistry asks each worker for these (prom-client's cluster protocol).
    client.AggregatorRegistry.setRegistries(registries);
    new client.AggregatorRegistry();
  }

  app.decorateRequest('feishuCode', -1);
  // The answer's code is only visible in its bytes; every envelope okrd sends starts with it.
  app.addHook('onSend', (request, _reply, payload, done) => {
    request.feishuCode = envelopeCode(payload);
    done(null, payload);
  });
  // Each route gets its own counting hook, bound to its tallies: nothing to look up when it answers.
  app.addHook('onRoute', (route) => {
    const hooks = route.onResponse === undefined ? [] : [route.onResponse].flat();
    if (hooks.some((h) => COUNTING in h)) return;
    route.onResponse = [...hooks, countingHook(tallies, route.url)];
  });
  // Requests no route took share one label per method; for every other request this is a single boolean test.
  const unmatched = countingHook(tallies, UNMATCHED);
  app.addHook('onResponse', (request, reply, done) =>
    request.is404 ? unmatched.call(app, request, reply, done) : done(),
  );

  // /metrics is for a scraper, not a Feishu client: a failure is plain text too.
  const failed = (err: Error, request: FastifyRequest, reply: FastifyReply): void => {
    request.log.error({ err }, 'metrics failed');
    void reply.code(500).type('text/plain').send('500 metrics unavailable\n');
  };
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn', errorHandler: failed }, async (request, reply) => {
    if (opts.token && !bearerMatches(request.headers.authorization, opts.token)) {
      return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain').send('401 unauthorized\n');
    }
    const merged = client.Registry.merge(registries);
    const text = (cluster.isWorker && process.send && (await fromPrimary())) || (await merged.metrics());
    return reply.type(merged.contentType).send(text);
  });
}

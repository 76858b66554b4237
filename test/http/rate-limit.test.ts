import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ConfigError, ENV_HELP, loadConfig, type Config } from '../../src/config.js';
import { DEMO_APP_ID, DEMO_APP_SECRET, DEMO_TENANT_ID, demoTenantDocument } from '../../src/demo/demo-tenant.js';
import { sequentialIds } from '../../src/domain/ids.js';
import { buildApp, type AppDeps } from '../../src/http/app.js';
import { buildServices } from '../../src/services/index.js';
import { TransferService } from '../../src/services/transfer.service.js';
import { openDb, type Db, type Dialect } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { T0, testApp } from '../helpers/app.js';
import { DIALECTS, freshDb } from '../helpers/db.js';
import { demoUser } from '../helpers/demo.js';

const TOKEN_URL = '/open-apis/auth/v3/tenant_access_token/internal';
const PERIODS = '/open-apis/okr/v1/periods';
const RULES = '/open-apis/okr/v1/period_rules';
const userOkrs = (openId: string) => `/open-apis/okr/v1/users/${openId}/okrs?offset=0&limit=10`;
const REDIS_URL = process.env.OKRD_TEST_REDIS_URL;
const LIMITED = { code: 99991400, msg: 'request trigger frequency limit' };

type RateLimitConfig = Partial<Pick<Config, 'rateLimitPerMinute' | 'rateLimitStore' | 'redisUrl' | 'redisKeyPrefix'>>;

/** An okrd app over `db` (which already holds the demo tenant) with the given rate-limit settings. */
class Client {
  private constructor(
    readonly app: FastifyInstance,
    private readonly token: string,
  ) {}

  static async start(
    db: Db,
    clock: { now: number },
    config: RateLimitConfig,
    extra: Partial<AppDeps> = {},
    credentials: { app_id: string; app_secret: string } = { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
  ): Promise<Client> {
    const app = await buildApp({
      config: { logLevel: 'silent', tokenTtlSeconds: 7200, ...config },
      db,
      clock: () => clock.now,
      ids: sequentialIds(8_000_000_000_000_000_001n),
      logger: false,
      ...extra,
    });
    const res = await app.inject({ method: 'POST', url: TOKEN_URL, payload: credentials });
    return new Client(app, res.json().tenant_access_token);
  }

  /** Another app's client on the same server. */
  as(token: string): Client {
    return new Client(this.app, token);
  }

  async get(url: string): Promise<{ status: number; body: any; res: LightMyRequestResponse }> {
    const res = await this.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${this.token}` } });
    return { status: res.statusCode, body: res.json(), res };
  }

  /** Statuses of `n` calls of `url`, one after the other. */
  async statuses(url: string, n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await this.get(url)).status);
    return out;
  }
}

const times = (n: number, status: number) => Array<number>(n).fill(status);

/** Asserts the whole 429 answer: status, envelope (with the request's log id) and the two rate-limit headers. */
function assertLimited(r: { status: number; body: any; res: LightMyRequestResponse }, limit: number, reset: number) {
  assert.equal(r.status, 429);
  assert.deepEqual(r.body, { ...LIMITED, error: { log_id: r.res.headers['x-tt-logid'] } });
  assert.match(String(r.body.error.log_id), /^[0-9a-f]{24}$/);
  assert.equal(r.res.headers['x-ogw-ratelimit-limit'], String(limit));
  assert.equal(r.res.headers['x-ogw-ratelimit-reset'], String(reset));
  assert.match(String(r.res.headers['content-type']), /^application\/json/);
}

/** Asserts a successful OKR answer without rate-limit headers. */
function assertOk(r: { status: number; body: any; res: LightMyRequestResponse }) {
  assert.equal(r.status, 200);
  assert.equal(r.body.code, 0);
  assert.equal(r.res.headers['x-ogw-ratelimit-limit'], undefined);
  assert.equal(r.res.headers['x-ogw-ratelimit-reset'], undefined);
}

/** A migrated SQLite database with the demo tenant. */
async function demoSqlite(): Promise<Db> {
  const db = await openDb('sqlite::memory:');
  await migrate(db);
  await new TransferService(db).importTenant(demoTenantDocument());
  return db;
}

describe('rate limits: memory store', () => {
  it('answers the 101st call of a minute with 429, the Feishu envelope and x-ogw-ratelimit-* headers (defaults)', async () => {
    const t = await testApp('sqlite');
    try {
      const token = await t.tenantToken();
      t.clock.now = T0 + 15_500; // 44.5 s of the window left
      for (let i = 0; i < 100; i++) assertOk(await t.get(PERIODS, token));
      const over = await t.get(PERIODS, token);
      assertLimited(over, 100, 45);
      t.clock.now = T0 + 59_001;
      assertLimited(await t.get(PERIODS, token), 100, 1);
      t.clock.now = T0 + 60_000; // the next window
      assertOk(await t.get(PERIODS, token));
    } finally {
      await t.close();
    }
  });

  describe('with a limit of 3', () => {
    let db: Db;
    const clock = { now: T0 };
    let c: Client;
    before(async () => {
      db = await demoSqlite();
      c = await Client.start(db, clock, { rateLimitPerMinute: 3, rateLimitStore: 'memory' });
    });
    after(async () => {
      await c.app.close();
      await db.close();
    });

    it('counts each endpoint of each app on its own, and starts again in the next window', async () => {
      clock.now = T0 + 10 * 60_000 + 20_000;
      assert.deepEqual(await c.statuses(PERIODS, 4), [200, 200, 200, 429]);
      assertLimited(await c.get(PERIODS), 3, 40);
      // Another endpoint of the same app has its own count.
      assert.deepEqual(await c.statuses(RULES, 4), [200, 200, 200, 429]);
      // Another app has its own count on the same endpoint.
      const { admin } = buildServices({ db, clock: () => clock.now, ids: sequentialIds(8_100_000_000_000_000_001n) });
      const other = await admin.createApp(DEMO_TENANT_ID, 'second app');
      const res = await c.app.inject({ method: 'POST', url: TOKEN_URL, payload: other });
      const second = c.as(res.json().tenant_access_token);
      assert.deepEqual(await second.statuses(PERIODS, 4), [200, 200, 200, 429]);
      // A new minute, a new count for everyone.
      clock.now = T0 + 11 * 60_000;
      assert.deepEqual(await c.statuses(PERIODS, 4), [200, 200, 200, 429]);
      assert.deepEqual(await second.statuses(PERIODS, 1), [200]);
      assert.deepEqual(await c.statuses(RULES, 1), [200]);
    });

    it('counts an endpoint by its route pattern, whatever the path parameters', async () => {
      clock.now = T0 + 20 * 60_000;
      const a = demoUser('wangwei').open_id;
      const b = demoUser('lina').open_id;
      assert.deepEqual([(await c.get(userOkrs(a))).status, (await c.get(userOkrs(b))).status], [200, 200]);
      assert.deepEqual([(await c.get(userOkrs(a))).status, (await c.get(userOkrs(b))).status], [200, 429]);
    });

    it('does not limit the token endpoints, and counts only authenticated calls', async () => {
      clock.now = T0 + 30 * 60_000;
      for (let i = 0; i < 6; i++) {
        const res = await c.app.inject({
          method: 'POST',
          url: TOKEN_URL,
          payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
        });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().code, 0);
      }
      // Calls refused by auth come first and use up nothing.
      for (let i = 0; i < 5; i++) {
        const res = await c.app.inject({ method: 'GET', url: PERIODS });
        assert.deepEqual([res.statusCode, res.json().code], [400, 99991661]);
      }
      assert.deepEqual(await c.statuses(PERIODS, 4), [200, 200, 200, 429]);
      // Over the limit, a bad token is still an auth error, not a 429.
      const bad = await c.as('t-' + 'A'.repeat(43)).get(PERIODS);
      assert.deepEqual([bad.status, bad.body.code], [400, 99991663]);
    });
  });

  it('RATE_LIMIT_PER_MINUTE=0 turns rate limiting off', async () => {
    const db = await demoSqlite();
    const c = await Client.start(db, { now: T0 }, { rateLimitPerMinute: 0, rateLimitStore: 'memory' });
    try {
      assert.deepEqual(await c.statuses(PERIODS, 150), times(150, 200));
    } finally {
      await c.app.close();
      await db.close();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`rate limits: database store, two okrd processes on one ${dialect} database`, () => {
    const clock = { now: T0 };
    let dbA: Db;
    let dbB: Db;
    let a: Client;
    let b: Client;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ dbA, dbB, cleanup } = await sharedDatabase(dialect));
      await new TransferService(dbA).importTenant(demoTenantDocument());
      a = await Client.start(dbA, clock, { rateLimitPerMinute: 3, rateLimitStore: 'database' });
      b = await Client.start(dbB, clock, { rateLimitPerMinute: 3, rateLimitStore: 'database' });
    });
    after(async () => {
      await a.app.close();
      await b.app.close();
      await cleanup();
    });

    const counters = () =>
      dbA.read((tx) =>
        tx.all<{ bucket: string; window_start: number; count: number }>(
          'SELECT bucket, window_start, count FROM rate_limit_counters ORDER BY bucket',
        ),
      );

    it('shares the count: the 4th call of a window, on either process, is refused', async () => {
      clock.now = T0 + 30_000;
      assert.deepEqual([...(await a.statuses(PERIODS, 2)), ...(await b.statuses(PERIODS, 1))], [200, 200, 200]);
      assertLimited(await a.get(PERIODS), 3, 30);
      assertLimited(await b.get(PERIODS), 3, 30);
      assert.deepEqual(await counters(), [{ bucket: `${DEMO_APP_ID} GET ${PERIODS}`, window_start: T0, count: 5 }]);
      assert.deepEqual(await b.statuses(RULES, 1), [200]);
      assert.deepEqual(await counters(), [
        { bucket: `${DEMO_APP_ID} GET ${RULES}`, window_start: T0, count: 1 },
        { bucket: `${DEMO_APP_ID} GET ${PERIODS}`, window_start: T0, count: 5 },
      ]);
    });

    it('starts the next window in the same row, so the table does not grow', async () => {
      clock.now = T0 + 3 * 60_000 + 1;
      assert.deepEqual(await b.statuses(PERIODS, 1), [200]);
      assert.deepEqual(await a.statuses(PERIODS, 3), [200, 200, 429]);
      assert.deepEqual(await counters(), [
        { bucket: `${DEMO_APP_ID} GET ${RULES}`, window_start: T0, count: 1 },
        { bucket: `${DEMO_APP_ID} GET ${PERIODS}`, window_start: T0 + 3 * 60_000, count: 4 },
      ]);
      // A process whose clock lags behind counts in the newer window instead of restarting an old one.
      clock.now = T0 + 3 * 60_000 - 2_000;
      assertLimited(await b.get(PERIODS), 3, 62);
      assert.deepEqual((await counters())[1], {
        bucket: `${DEMO_APP_ID} GET ${PERIODS}`,
        window_start: T0 + 3 * 60_000,
        count: 5,
      });
    });

    it('loses no count when both processes are called at once', async () => {
      clock.now = T0 + 10 * 60_000;
      // On SQLite both handles live in this one process, and a write transaction waiting on the file lock blocks the
      // event loop the other handle needs to commit; separate processes don't, so there the calls go through one.
      const calls = Array.from({ length: 20 }, (_, i) => (i % 2 && dialect === 'postgres' ? a : b).get(RULES));
      const statuses = (await Promise.all(calls)).map((r) => r.status).sort();
      assert.deepEqual(statuses, [...times(3, 200), ...times(17, 429)]);
      assert.deepEqual((await counters())[0], {
        bucket: `${DEMO_APP_ID} GET ${RULES}`,
        window_start: T0 + 10 * 60_000,
        count: 20,
      });
    });
  });
}

/** Two Db handles on one database of `dialect`, as two okrd processes would have. */
async function sharedDatabase(dialect: Dialect): Promise<{ dbA: Db; dbB: Db; cleanup: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'okrd-rate-limit-'));
    const url = `sqlite:${join(dir, 'okrd.sqlite')}`;
    const dbA = await openDb(url);
    await migrate(dbA);
    const dbB = await openDb(url);
    return {
      dbA,
      dbB,
      cleanup: async () => {
        await dbB.close();
        await dbA.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { db: dbA, url, drop } = await freshDb(dialect);
  const dbB = await openDb(url);
  return {
    dbA,
    dbB,
    cleanup: async () => {
      await dbB.close();
      await drop();
    },
  };
}

describe('rate limits: redis store', { skip: REDIS_URL ? false : 'OKRD_TEST_REDIS_URL is not set' }, () => {
  // A prefix of its own per run, so runs (and other users of the server) never share keys.
  const prefix = `okrd-test-${randomBytes(6).toString('hex')}:`;
  const clock = { now: T0 };
  let db: Db;
  let a: Client;
  let b: Client;
  before(async () => {
    db = await demoSqlite();
    const config = {
      rateLimitPerMinute: 3,
      rateLimitStore: 'redis',
      redisUrl: REDIS_URL,
      redisKeyPrefix: prefix,
    } as const;
    a = await Client.start(db, clock, config);
    b = await Client.start(db, clock, config);
  });
  after(async () => {
    await a?.app.close();
    await b?.app.close();
    await db?.close();
    await withRedis(async (redis) => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    });
  });

  it('shares the count between two okrd processes, in one key per bucket and window that expires', async () => {
    clock.now = T0 + 45_000;
    assert.deepEqual([...(await a.statuses(PERIODS, 2)), ...(await b.statuses(PERIODS, 1))], [200, 200, 200]);
    assertLimited(await b.get(PERIODS), 3, 15);
    assertLimited(await a.get(PERIODS), 3, 15);
    assert.deepEqual(await a.statuses(RULES, 1), [200]);
    await withRedis(async (redis) => {
      const key = `${prefix}ratelimit:${DEMO_APP_ID} GET ${PERIODS}:${T0}`;
      assert.deepEqual((await redis.keys(`${prefix}*`)).sort(), [
        `${prefix}ratelimit:${DEMO_APP_ID} GET ${RULES}:${T0}`,
        key,
      ]);
      assert.equal(await redis.get(key), '5');
      const ttl = await redis.pttl(key);
      assert.ok(ttl > 15_000 && ttl <= 25_000, `PTTL ${ttl}: the rest of the window plus 10 s`);
    });
    clock.now = T0 + 60_000;
    assert.deepEqual(await b.statuses(PERIODS, 4), [200, 200, 200, 429]);
  });
});

async function withRedis(fn: (redis: import('ioredis').Redis) => Promise<void>): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL!);
  try {
    await fn(redis);
  } finally {
    redis.disconnect();
  }
}

describe('rate limits: a failing store lets requests through', () => {
  it('answers normally and logs the failure once while Redis cannot be reached', async () => {
    const db = await demoSqlite();
    const lines: string[] = [];
    const c = await Client.start(
      db,
      { now: T0 },
      { rateLimitPerMinute: 2, rateLimitStore: 'redis', redisUrl: 'redis://127.0.0.1:1' },
      { logger: { level: 'error', stream: { write: (line: string) => lines.push(line) } } },
    );
    try {
      for (let i = 0; i < 5; i++) assertOk(await c.get(PERIODS));
      const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
      assert.deepEqual(
        logged.map((l) => [l.level, l.msg]),
        [[50, 'rate limit store failed: requests are let through unlimited while it fails']],
      );
    } finally {
      await c.app.close();
      await db.close();
    }
  });
});

describe('rate limit settings', () => {
  const sqlite = { DATABASE_URL: 'sqlite:./x.sqlite' };
  const postgres = { DATABASE_URL: 'postgres://u@h:5432/d' };
  const pick = (c: Config) => [c.rateLimitPerMinute, c.rateLimitStore, c.redisUrl, c.redisKeyPrefix];

  it('default to 100 a minute, in memory on SQLite and in the database on PostgreSQL', () => {
    assert.deepEqual(pick(loadConfig(sqlite)), [100, 'memory', 'redis://127.0.0.1:6379', 'okrd:']);
    assert.deepEqual(pick(loadConfig(postgres)), [100, 'database', 'redis://127.0.0.1:6379', 'okrd:']);
  });

  it('take any store on either database, and 0 to turn limiting off', () => {
    const env = { ...sqlite, RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_STORE: 'database' };
    assert.deepEqual(pick(loadConfig(env)), [0, 'database', 'redis://127.0.0.1:6379', 'okrd:']);
    assert.equal(loadConfig({ ...postgres, RATE_LIMIT_STORE: 'memory' }).rateLimitStore, 'memory');
    const redis = { ...postgres, RATE_LIMIT_STORE: 'redis', REDIS_URL: 'rediss://r:6380/2', REDIS_KEY_PREFIX: 'a:' };
    assert.deepEqual(pick(loadConfig(redis)), [100, 'redis', 'rediss://r:6380/2', 'a:']);
  });

  for (const [env, message] of [
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE must be a whole number from 0 to 1000000, got "-1"'],
    [{ RATE_LIMIT_PER_MINUTE: '1e3' }, 'RATE_LIMIT_PER_MINUTE must be a whole number from 0 to 1000000, got "1e3"'],
    [{ RATE_LIMIT_STORE: 'file' }, 'RATE_LIMIT_STORE must be one of memory, database, redis, got "file"'],
    [
      { RATE_LIMIT_STORE: 'redis', REDIS_URL: 'http://127.0.0.1:6379' },
      'RATE_LIMIT_STORE=redis needs REDIS_URL to be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), got "http://127.0.0.1:6379"',
    ],
  ] as const) {
    it(`refuse ${JSON.stringify(env)}`, () => {
      assert.throws(
        () => loadConfig({ ...sqlite, ...env }),
        (err) => err instanceof ConfigError && err.message === message,
      );
    });
  }

  it('ignore REDIS_URL unless the store is redis', () => {
    assert.equal(loadConfig({ ...sqlite, REDIS_URL: 'not a url' }).rateLimitStore, 'memory');
  });

  it('are listed by okrd --help', () => {
    const names = ENV_HELP.map(([name]) => name);
    for (const name of ['RATE_LIMIT_PER_MINUTE', 'RATE_LIMIT_STORE', 'REDIS_URL', 'REDIS_KEY_PREFIX']) {
      assert.ok(names.includes(name), name);
    }
  });
});

/**
 * Rate limits (spec §2.5, decisions.md OQ-9): each app may call each endpoint `limit` times per fixed one-minute
 * window. Counts live in okrd's memory (the cluster primary's under --workers), in the database or in Redis; a
 * failing store lets requests through.
 */
// A type-only import: ioredis itself is loaded only when the redis store is chosen.
import type { Redis } from 'ioredis';
import type { RateLimitStore } from '../config.js';
import cluster from 'node:cluster';
import type { Db } from '../store/db.js';
import { hitCounter } from '../store/rate-limit.repository.js';
import {
  MEMORY_BUCKETS_MAX,
  WindowedBuckets,
  WINDOW_MS,
  windowStart,
  type RateLimiter,
  type RateLimitHit,
} from './rate-limit-buckets.js';
import { leasesFromPrimary } from './rate-limit-leases.js';

/** Counts in this process only: right for one process (a cluster's workers lease from the primary instead). */
export class MemoryRateLimiter implements RateLimiter {
  // One entry per bucket (app × endpoint, × person for user tokens), reused by the next window. Buckets come only
  // from authenticated callers, but people are many: the map is bounded (see WindowedBuckets).
  private readonly counts: WindowedBuckets<{ windowStart: number; count: number }>;

  constructor(maxBuckets = MEMORY_BUCKETS_MAX) {
    this.counts = new WindowedBuckets(maxBuckets);
  }

  async hit(bucket: string, now: number): Promise<RateLimitHit> {
    const start = windowStart(now);
    const entry = this.counts.get(bucket);
    if (!entry || entry.windowStart < start) {
      this.counts.set(bucket, { windowStart: start, count: 1 }, start);
      return { count: 1, resetAt: start + WINDOW_MS };
    }
    entry.count += 1;
    return { count: entry.count, resetAt: entry.windowStart + WINDOW_MS };
  }

  /** How many buckets are kept (tests check the bound). */
  get size(): number {
    return this.counts.size;
  }

  async close(): Promise<void> {}
}

/** Counts in the `rate_limit_counters` table: one atomic upsert per request, shared by every process on the database. */
export class DatabaseRateLimiter implements RateLimiter {
  constructor(private readonly db: Db) {}

  async hit(bucket: string, now: number): Promise<RateLimitHit> {
    const row = await this.db.write((tx) => hitCounter(tx, bucket, windowStart(now)));
    return { count: row.count, resetAt: row.window_start + WINDOW_MS };
  }

  async close(): Promise<void> {}
}

// Keys outlive their window a little, so a process whose clock lags a few seconds still finds the count.
const KEY_SLACK_MS = 10_000;

/** Counts in Redis: INCR and PEXPIRE of one key per bucket and window, in one MULTI, shared by every process. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly client: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** Connects to `url` (ioredis is loaded only here); a server that is down now is retried in the background. */
  static async connect(url: string, keyPrefix: string, onError: (err: unknown) => void): Promise<RedisRateLimiter> {
    const { Redis } = await import('ioredis');
    const client = new Redis(url, {
      lazyConnect: true,
      // Fail at once while disconnected instead of queueing, so requests are let through without waiting.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
    });
    client.on('error', onError);
    await client.connect().catch(onError);
    return new RedisRateLimiter(client, keyPrefix);
  }

  async hit(bucket: string, now: number): Promise<RateLimitHit> {
    const start = windowStart(now);
    const resetAt = start + WINDOW_MS;
    const key = `${this.keyPrefix}ratelimit:${bucket}:${start}`;
    const replies = await this.client
      .multi()
      .incr(key)
      .pexpire(key, resetAt - now + KEY_SLACK_MS)
      .exec();
    const incr = replies?.[0];
    if (!incr) throw new Error('redis MULTI gave no reply');
    const [err, count] = incr;
    if (err) throw err;
    return { count: Number(count), resetAt };
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

/** The rate-limit settings buildApp passes on (see config.ts). */
export interface RateLimitSettings {
  perMinute: number;
  store: RateLimitStore;
  redisUrl: string;
  redisKeyPrefix: string;
}

/** What the rate limit says about one request. */
export type RateLimitVerdict = { limited: false } | { limited: true; limit: number; resetSeconds: number };

// While a store is down every request fails the same way: report the first failure, then one a minute.
const ERROR_LOG_INTERVAL_MS = 60_000;

/** `report`, called at most once per ERROR_LOG_INTERVAL_MS of `clock`. */
function throttled(report: (err: unknown) => void, clock: () => number): (err: unknown) => void {
  let last = -Infinity;
  return (err) => {
    const now = clock();
    if (now - last < ERROR_LOG_INTERVAL_MS) return;
    last = now;
    report(err);
  };
}

/** Decides whether a request is over its app's limit for its endpoint. */
export class RateLimitService {
  constructor(
    private readonly limiter: RateLimiter,
    /** Requests per app, endpoint and window. */
    readonly limit: number,
    private readonly clock: () => number,
    /** Called with every store failure (create() passes a throttled logger). */
    private readonly onStoreError: (err: unknown) => void,
  ) {}

  /**
   * Builds the service over the store the settings name; undefined when rate limiting is off (limit 0).
   * `onStoreError` hears of store failures (Redis connection errors included) at most once a minute.
   */
  static async create(
    settings: RateLimitSettings,
    db: Db,
    clock: () => number,
    onStoreError: (err: unknown) => void,
  ): Promise<RateLimitService | undefined> {
    if (settings.perMinute === 0) return undefined;
    const report = throttled(onStoreError, clock);
    const limiter =
      settings.store === 'memory'
        ? // In a worker of `okrd serve --workers N` "this process's memory" is the primary's (rate-limit-leases.ts).
          cluster.isWorker
          ? leasesFromPrimary()
          : new MemoryRateLimiter()
        : settings.store === 'database'
          ? new DatabaseRateLimiter(db)
          : await RedisRateLimiter.connect(settings.redisUrl, settings.redisKeyPrefix, report);
    return new RateLimitService(limiter, settings.perMinute, clock, report);
  }

  /**
   * Counts a request of `appId` to `endpoint` (method and route pattern), for person `userRef` when a user token
   * made it (each person has a count of their own, decisions.md OQ-37). When the store fails the request is let
   * through (fail open): a broken counter should not take the OKR API down with it.
   */
  async check(appId: string, endpoint: string, userRef?: string): Promise<RateLimitVerdict> {
    const now = this.clock();
    let hit: RateLimitHit;
    try {
      hit = await this.limiter.hit(userRef ? `${appId} ${endpoint} ${userRef}` : `${appId} ${endpoint}`, now);
    } catch (err) {
      this.onStoreError(err);
      return { limited: false };
    }
    if (hit.count <= this.limit) return { limited: false };
    return { limited: true, limit: this.limit, resetSeconds: Math.max(1, Math.ceil((hit.resetAt - now) / 1000)) };
  }

  /** Releases the store's connections. */
  close(): Promise<void> {
    return this.limiter.close();
  }
}

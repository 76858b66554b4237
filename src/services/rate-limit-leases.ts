/**
 * Rate-limit counts of `okrd serve --workers N` with RATE_LIMIT_STORE=memory (the SQLite default): the counts live in
 * the primary's memory, and workers take leases of calls from it over the cluster's IPC channel, so the workers
 * share one count without a database write per request (the database store made two workers slower than one on
 * SQLite: every call queued on the file's write lock).
 *
 * Exact both ways:
 * - never more than the limit: the primary's ledger grants calls only while it has granted fewer than the limit;
 * - never refused early: when a worker finds the ledger spent while other workers still hold unused calls, the
 *   primary takes those back first (a reclaim round trip) and grants from them. Only calls that were answered, or
 *   that a dead worker held, stay counted.
 * Leases shrink as the window fills (a share of what is left per worker), so at the limit workers ask one call at a
 * time, and far from it one message covers up to LEASE_MAX calls.
 */
import cluster, { type Worker } from 'node:cluster';
import {
  MEMORY_BUCKETS_MAX,
  WindowedBuckets,
  WINDOW_MS,
  windowStart,
  type RateLimitHit,
  type RateLimiter,
} from './rate-limit-buckets.js';

/** Most calls one lease grants: one message per this many calls when the limit is far away. */
export const LEASE_MAX = 256;
/** A worker waits this long for a lease before letting the request through (the store failed: fail open). */
const LEASE_TIMEOUT_MS = 2_000;
/** The primary waits this long for a worker to give back calls; one that does not answer keeps them counted. */
const RECLAIM_TIMEOUT_MS = 1_000;

/** The messages of the lease protocol; `id` pairs a question with its answer. */
export type LeaseMessage =
  /** worker → primary: my lease of `bucket` in `window` is spent (or I have none); grant me more. */
  | { type: 'okrd:rate-lease'; id: number; bucket: string; window: number }
  /** primary → worker: `calls` more calls (0: the window is spent); `granted` calls of the window are now out. */
  | { type: 'okrd:rate-grant'; id: number; calls: number; granted: number }
  /** primary → worker: give back what you have not used of `bucket` in `window`. */
  | { type: 'okrd:rate-reclaim'; id: number; bucket: string; window: number }
  /** worker → primary: the calls given back. */
  | { type: 'okrd:rate-return'; id: number; unused: number };

const TYPES = new Set(['okrd:rate-lease', 'okrd:rate-grant', 'okrd:rate-reclaim', 'okrd:rate-return']);

/** Whether an IPC message belongs to the lease protocol (the channel also carries prom-client's and Node's own). */
export function isLeaseMessage(m: unknown): m is LeaseMessage {
  return typeof m === 'object' && m !== null && TYPES.has((m as { type?: unknown }).type as string);
}

/** One bucket's window as the primary sees it. */
interface LedgerEntry {
  windowStart: number;
  /** Calls granted in this window, whether used or still held by a worker. */
  granted: number;
  /** Calls granted to each worker since its last request or reclaim: what it may still hold unused. */
  held: Map<number, number>;
}

/** The primary's side: how many calls of each bucket's window are out, and with whom. */
export class RateLimitLedger {
  private readonly entries: WindowedBuckets<LedgerEntry>;
  // Requests of one bucket are answered one after the other, since a reclaim makes one wait for workers' answers.
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly limit: number,
    /** How many workers share the limit (sizes the leases). */
    private readonly workers: number,
    /** Asks worker `holder` for its unused calls of `bucket` in `window`; resolves to how many it gave back. */
    private readonly reclaim: (holder: number, bucket: string, window: number) => Promise<number>,
    maxBuckets = MEMORY_BUCKETS_MAX,
  ) {
    this.entries = new WindowedBuckets(maxBuckets);
  }

  /** Worker `worker`'s request for calls of `bucket` in `window`. */
  lease(worker: number, bucket: string, window: number): Promise<{ calls: number; granted: number }> {
    const before = this.queues.get(bucket) ?? Promise.resolve();
    const answer = before.then(() => this.leaseNow(worker, bucket, window));
    const settled = answer.catch(() => undefined);
    this.queues.set(bucket, settled);
    void settled.then(() => {
      if (this.queues.get(bucket) === settled) this.queues.delete(bucket);
    });
    return answer;
  }

  private async leaseNow(worker: number, bucket: string, window: number): Promise<{ calls: number; granted: number }> {
    let entry = this.entries.get(bucket);
    // A call that began just before the minute turned, asking after another worker's call began the next minute:
    // its window's count is gone, so it goes through, one call at a time, without touching the new window's.
    if (entry && window < entry.windowStart) return { calls: 1, granted: 1 };
    if (!entry || entry.windowStart < window) {
      entry = { windowStart: window, granted: 0, held: new Map() };
      this.entries.set(bucket, entry, window);
    }
    // A worker asks only once it has spent what it held.
    entry.held.delete(worker);
    if (entry.granted >= this.limit && entry.held.size > 0) {
      const holders = [...entry.held.keys()];
      const returned = await Promise.all(holders.map((h) => this.reclaim(h, bucket, window).catch(() => 0)));
      holders.forEach((h, i) => {
        entry.held.delete(h);
        entry.granted -= Math.min(returned[i]!, entry.granted);
      });
    }
    const left = this.limit - entry.granted;
    if (left <= 0) return { calls: 0, granted: entry.granted };
    const calls = Math.min(LEASE_MAX, Math.max(1, Math.floor(left / (2 * this.workers))));
    entry.granted += calls;
    entry.held.set(worker, calls);
    return { calls, granted: entry.granted };
  }

  /** How many buckets are kept (tests check the bound). */
  get size(): number {
    return this.entries.size;
  }
}

/** One bucket's lease in a worker: it may number calls `next` to `last` of the window itself. */
interface Lease {
  windowStart: number;
  next: number;
  last: number;
  /** The primary said the window is spent: every further call of it is over the limit. */
  spent: boolean;
  /** The request for more calls in flight, shared by the calls that wait for it. */
  asking?: Promise<void>;
}

/** A worker's side: counts calls against the leases it holds and asks the primary when one runs out. */
export class LeasedRateLimiter implements RateLimiter {
  private readonly leases: WindowedBuckets<Lease>;
  private readonly waiting = new Map<number, (grant: { calls: number; granted: number }) => void>();
  private nextId = 1;

  constructor(
    private readonly send: (message: LeaseMessage) => void,
    private readonly timeoutMs = LEASE_TIMEOUT_MS,
    maxBuckets = MEMORY_BUCKETS_MAX,
  ) {
    this.leases = new WindowedBuckets(maxBuckets);
  }

  /** Handles a message from the primary (grants and reclaims). */
  receive(message: LeaseMessage): void {
    if (message.type === 'okrd:rate-grant') {
      this.waiting.get(message.id)?.(message);
      this.waiting.delete(message.id);
    } else if (message.type === 'okrd:rate-reclaim') {
      const lease = this.leases.get(message.bucket);
      let unused = 0;
      if (lease && lease.windowStart === message.window && !lease.spent) {
        unused = Math.max(0, lease.last - lease.next + 1);
        lease.last = lease.next - 1;
      }
      this.send({ type: 'okrd:rate-return', id: message.id, unused });
    }
  }

  async hit(bucket: string, now: number): Promise<RateLimitHit> {
    const start = windowStart(now);
    const resetAt = start + WINDOW_MS;
    for (;;) {
      let lease = this.leases.get(bucket);
      if (!lease || lease.windowStart !== start) {
        lease = { windowStart: start, next: 1, last: 0, spent: false };
        this.leases.set(bucket, lease, start);
      }
      // Within a lease, or past the limit for good: numbered here, without a message.
      if (lease.next <= lease.last || lease.spent) return { count: lease.next++, resetAt };
      const current = lease;
      current.asking ??= this.ask(bucket, start)
        .then(({ calls, granted }) => {
          // The calls granted are the last `calls` of the `granted` out: numbered so, a refusal counts limit + 1.
          current.next = granted - calls + 1;
          current.last = granted;
          current.spent = calls === 0;
        })
        .finally(() => (current.asking = undefined));
      await current.asking;
    }
  }

  private ask(bucket: string, window: number): Promise<{ calls: number; granted: number }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the cluster primary gave no rate-limit lease within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiting.set(id, (grant) => {
        clearTimeout(timer);
        resolve(grant);
      });
      try {
        this.send({ type: 'okrd:rate-lease', id, bucket, window });
      } catch (err) {
        clearTimeout(timer);
        this.waiting.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  async close(): Promise<void> {}
}

/** In a cluster worker: a limiter that takes its leases from the primary over the IPC channel. */
export function leasesFromPrimary(): LeasedRateLimiter {
  const limiter = new LeasedRateLimiter((message) => {
    if (!process.send?.(message)) throw new Error('the IPC channel to the cluster primary is closed');
  });
  process.on('message', (message: unknown) => {
    if (isLeaseMessage(message)) limiter.receive(message);
  });
  return limiter;
}

/** In the cluster primary: keeps the ledger of `limit` calls per bucket and window and answers the workers. */
export function serveLeases(limit: number, workers: number): RateLimitLedger {
  const returns = new Map<number, { worker: number; resolve: (unused: number) => void }>();
  let nextId = 1;
  const reclaim = (holder: number, bucket: string, window: number): Promise<number> => {
    const worker = cluster.workers?.[holder];
    if (!worker?.isConnected()) return Promise.resolve(0);
    const id = nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(0), RECLAIM_TIMEOUT_MS);
      const settle = (unused: number) => {
        clearTimeout(timer);
        returns.delete(id);
        resolve(unused);
      };
      returns.set(id, { worker: holder, resolve: settle });
      worker.send({ type: 'okrd:rate-reclaim', id, bucket, window } satisfies LeaseMessage);
    });
  };
  const ledger = new RateLimitLedger(limit, workers, reclaim);
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isLeaseMessage(message)) return;
    if (message.type === 'okrd:rate-return') {
      const pending = returns.get(message.id);
      if (pending?.worker === worker.id) pending.resolve(message.unused);
    } else if (message.type === 'okrd:rate-lease') {
      const { id, bucket, window } = message;
      void ledger.lease(worker.id, bucket, window).then(({ calls, granted }) => {
        if (worker.isConnected()) worker.send({ type: 'okrd:rate-grant', id, calls, granted } satisfies LeaseMessage);
      });
    }
  });
  // A worker that exits holds nothing any more: what it held stays counted (it may have answered those calls).
  cluster.on('exit', (worker: Worker) => {
    for (const pending of returns.values()) if (pending.worker === worker.id) pending.resolve(0);
  });
  return ledger;
}

/**
 * What every rate-limit store shares: fixed one-minute windows, the limiter interface, and a bounded map of buckets
 * for the stores that count in memory (this process's, or the cluster primary's and its workers' leases).
 */

/** Length of a rate-limit window, milliseconds (Feishu's limits are per minute). */
export const WINDOW_MS = 60_000;

/** Start of the window `now` falls in. */
export function windowStart(now: number): number {
  return now - (now % WINDOW_MS);
}

/** A call's place in its bucket's window (at most the limit when it may proceed), and when the window ends (ms). */
export interface RateLimitHit {
  count: number;
  resetAt: number;
}

/** Counts requests per bucket and fixed window. */
export interface RateLimiter {
  /** Counts one request in `bucket` at time `now`. */
  hit(bucket: string, now: number): Promise<RateLimitHit>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Most buckets a memory store keeps (each a few hundred bytes): far more than apps × endpoints × active people. */
export const MEMORY_BUCKETS_MAX = 100_000;

/**
 * One entry per bucket, reused by the bucket's next window, and at most `maxBuckets` of them: when a new bucket
 * finds the map full, the buckets of past windows go, and if the current window alone fills it, the oldest tenth
 * too (their counts start again: a bounded process lets a few requests more through rather than run out of memory).
 */
export class WindowedBuckets<T extends { windowStart: number }> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly maxBuckets = MEMORY_BUCKETS_MAX) {}

  get(bucket: string): T | undefined {
    return this.entries.get(bucket);
  }

  /** Keeps `entry` for `bucket`; `currentWindow` tells which entries are past when room must be made. */
  set(bucket: string, entry: T, currentWindow: number): void {
    if (!this.entries.has(bucket) && this.entries.size >= this.maxBuckets) this.makeRoom(currentWindow);
    this.entries.set(bucket, entry);
  }

  private makeRoom(currentWindow: number): void {
    for (const [bucket, entry] of this.entries) if (entry.windowStart < currentWindow) this.entries.delete(bucket);
    if (this.entries.size < this.maxBuckets) return;
    let drop = Math.ceil(this.maxBuckets / 10);
    for (const bucket of this.entries.keys()) {
      if (drop-- <= 0) break;
      this.entries.delete(bucket);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

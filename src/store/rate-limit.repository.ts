/** Rate-limit counters (RATE_LIMIT_STORE=database): one row per bucket, counting the requests of its current window. */
import type { Tx } from './db.js';

/** A `rate_limit_counters` row. */
export interface RateLimitCounterRow {
  bucket: string;
  window_start: number;
  count: number;
}

// One statement, so concurrent requests of several processes cannot lose a count: PostgreSQL and SQLite both
// insert-or-update atomically. A row of a past window restarts at 1; a row already in a later window (another
// process whose clock runs a little ahead) keeps counting there, so windows never move backwards. SET expressions
// read the row as it was before the update, on both engines.
const HIT = `
INSERT INTO rate_limit_counters (bucket, window_start, count) VALUES (?, ?, 1)
ON CONFLICT (bucket) DO UPDATE SET
  count = CASE WHEN rate_limit_counters.window_start < excluded.window_start THEN 1
               ELSE rate_limit_counters.count + 1 END,
  window_start = CASE WHEN rate_limit_counters.window_start < excluded.window_start THEN excluded.window_start
                      ELSE rate_limit_counters.window_start END
RETURNING bucket, window_start, count`;

/** Counts one request in `bucket` for the window starting at `windowStart`; resolves to the row after counting. */
export async function hitCounter(tx: Tx, bucket: string, windowStart: number): Promise<RateLimitCounterRow> {
  const row = await tx.get<RateLimitCounterRow>(HIT, [bucket, windowStart]);
  return row!;
}

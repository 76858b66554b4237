// The lease protocol of the memory rate-limit store under `okrd serve --workers N`, with the primary's ledger and
// the workers' limiters joined by an in-process channel that, like IPC, delivers each message on a later turn of
// the event loop. (test/cli/scale-out.test.ts runs it over the real cluster channel.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { WINDOW_MS } from '../../src/services/rate-limit-buckets.js';
import {
  LEASE_MAX,
  LeasedRateLimiter,
  RateLimitLedger,
  type LeaseMessage,
} from '../../src/services/rate-limit-leases.js';

/** A primary and `n` workers; `dead` workers receive nothing (their process is gone). */
function cluster(limit: number, n: number) {
  const later = (f: () => void) => setImmediate(f);
  const dead = new Set<number>();
  const messages = { lease: 0, reclaim: 0 };
  const returns = new Map<number, (unused: number) => void>();
  let reclaimId = 1;
  const workers: LeasedRateLimiter[] = [];
  const ledger = new RateLimitLedger(limit, n, (holder, bucket, window) => {
    messages.reclaim++;
    if (dead.has(holder)) return Promise.resolve(0);
    const id = reclaimId++;
    return new Promise((resolve) => {
      returns.set(id, resolve);
      later(() => workers[holder]!.receive({ type: 'okrd:rate-reclaim', id, bucket, window }));
    });
  });
  for (let w = 0; w < n; w++) {
    const worker: LeasedRateLimiter = new LeasedRateLimiter((m: LeaseMessage) => {
      later(() => {
        if (m.type === 'okrd:rate-return') {
          returns.get(m.id)?.(m.unused);
          returns.delete(m.id);
        } else if (m.type === 'okrd:rate-lease') {
          messages.lease++;
          void ledger.lease(w, m.bucket, m.window).then(({ calls, granted }) =>
            later(() => {
              if (!dead.has(w)) worker.receive({ type: 'okrd:rate-grant', id: m.id, calls, granted });
            }),
          );
        }
      });
    });
    workers.push(worker);
  }
  return { ledger, workers, dead, messages };
}

async function allowed(limiter: LeasedRateLimiter, limit: number, bucket: string, now: number): Promise<boolean> {
  return (await limiter.hit(bucket, now)).count <= limit;
}

describe('rate-limit leases (memory store under --workers)', () => {
  it('exactly the limit is let through, whichever workers the calls reach and however they interleave', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 4 }),
        // Rounds of calls; each round's calls run concurrently, each on the worker it names.
        fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 25 }),
        async (limit, n, rounds) => {
          const { workers } = cluster(limit, n);
          let ok = 0;
          let calls = 0;
          for (const round of rounds) {
            calls += round.length;
            const answers = await Promise.all(round.map((w) => allowed(workers[w % n]!, limit, 'app GET /x', 5)));
            ok += answers.filter(Boolean).length;
          }
          assert.equal(ok, Math.min(limit, calls), `limit ${limit}, ${n} workers, ${calls} calls`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a worker that holds unused calls does not make another one refuse early', async () => {
    const limit = 100;
    const { workers, messages } = cluster(limit, 2);
    // Worker 0 takes one call, and with it a lease of more; worker 1 then uses everything else.
    assert.ok(await allowed(workers[0]!, limit, 'b', 0), 'first call');
    let ok = 1;
    for (let i = 0; i < 200; i++) if (await allowed(workers[1]!, limit, 'b', 0)) ok++;
    assert.equal(ok, limit, 'worker 1 got every call worker 0 did not use');
    assert.ok(messages.reclaim >= 1, 'the unused calls were taken back');
    assert.equal(await allowed(workers[0]!, limit, 'b', 0), false, 'worker 0 gave its lease back');
  });

  it('one message covers many calls far from the limit', async () => {
    const limit = 1_000_000;
    const { workers, messages } = cluster(limit, 2);
    for (let i = 0; i < 10_000; i++) assert.ok(await allowed(workers[i % 2]!, limit, 'b', 0));
    assert.ok(messages.lease <= Math.ceil(10_000 / LEASE_MAX) + 2, `${messages.lease} lease messages`);
  });

  it('each bucket and each window counts apart', async () => {
    const { workers } = cluster(3, 2);
    for (const bucket of ['a', 'b'])
      for (let i = 0; i < 3; i++) assert.ok(await allowed(workers[i % 2]!, 3, bucket, 10), `${bucket} ${i}`);
    assert.equal(await allowed(workers[0]!, 3, 'a', 10), false);
    assert.equal(await allowed(workers[1]!, 3, 'b', 10), false);
    const refused = await workers[1]!.hit('a', 10);
    assert.ok(refused.count > 3, `a refusal numbers past the limit (${refused.count})`);
    assert.equal(refused.resetAt, WINDOW_MS);
    // The next window starts again; a straggler of the last one does not disturb it.
    assert.ok(await allowed(workers[0]!, 3, 'a', WINDOW_MS + 10));
    assert.ok(await allowed(workers[1]!, 3, 'a', WINDOW_MS + 20));
    assert.ok(await allowed(workers[0]!, 3, 'a', WINDOW_MS + 30));
    assert.equal(await allowed(workers[1]!, 3, 'a', WINDOW_MS + 40), false);
  });

  it('a call of the last minute that asks after the next began goes through and leaves the new count alone', async () => {
    const ledger = new RateLimitLedger(3, 2, async () => 0);
    assert.deepEqual(await ledger.lease(0, 'a', WINDOW_MS), { calls: 1, granted: 1 });
    assert.deepEqual(await ledger.lease(1, 'a', 0), { calls: 1, granted: 1 }, 'the straggler');
    assert.deepEqual(await ledger.lease(1, 'a', WINDOW_MS), { calls: 1, granted: 2 });
    assert.deepEqual(await ledger.lease(0, 'a', WINDOW_MS), { calls: 1, granted: 3 });
    assert.deepEqual(await ledger.lease(0, 'a', WINDOW_MS), { calls: 0, granted: 3 });
  });

  it("a dead worker's calls stay counted, and nobody waits for it", async () => {
    const limit = 40;
    const { workers, dead } = cluster(limit, 2);
    assert.ok(await allowed(workers[0]!, limit, 'b', 0));
    dead.add(0);
    let ok = 1;
    for (let i = 0; i < 100; i++) if (await allowed(workers[1]!, limit, 'b', 0)) ok++;
    assert.ok(ok <= limit && ok >= limit - LEASE_MAX, `${ok} calls let through`);
  });

  it('a primary that does not answer lets the call through after the timeout (the store failed: fail open)', async () => {
    const silent = new LeasedRateLimiter(() => undefined, 20);
    await assert.rejects(silent.hit('b', 0), /gave no rate-limit lease within 20 ms/);
    const closed = new LeasedRateLimiter(() => {
      throw new Error('the IPC channel to the cluster primary is closed');
    });
    await assert.rejects(closed.hit('b', 0), /IPC channel/);
  });

  it('the ledger keeps a bounded number of buckets', async () => {
    const ledger = new RateLimitLedger(10, 1, async () => 0, 50);
    for (let i = 0; i < 500; i++) await ledger.lease(0, `b${i}`, 0);
    assert.ok(ledger.size <= 50, `${ledger.size} buckets`);
  });
});

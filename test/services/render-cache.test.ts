// The render cache stays within its entry and byte budgets whatever is put in, puts the oldest out first, and keeps
// the /metrics counts right.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RenderCache, entryBytes, renderCacheStats, type Rendering } from '../../src/services/render-cache.js';

/** A deterministic pseudo-random source (xorshift), so a failure can be replayed. */
function random(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

/** A rendering of about `size` characters or bytes, of one of the shapes answers take. */
function rendering(shape: number, size: number): Rendering {
  if (shape === 0) return 'a'.repeat(size); // ASCII JSON
  if (shape === 1) return '目'.repeat(size); // Chinese text: two bytes a character in memory
  return Buffer.alloc(size, 0x7b); // a whole answer as bytes
}

describe('render cache', () => {
  it('stays within its entry and byte budgets whatever is put in', () => {
    const next = random(20_261_126);
    for (const [maxEntries, maxBytes] of [
      [50, 64 * 1024],
      [1000, 16 * 1024],
      [3, 1024 * 1024],
    ] as const) {
      const cache = new RenderCache<Rendering>(maxEntries, maxBytes);
      const before = renderCacheStats.entries;
      for (let i = 0; i < 5000; i++) {
        // Sizes from empty to twice the budget; keys often repeated, sometimes long.
        const size = next(4) === 0 ? next(maxBytes * 2) : next(maxBytes / 20);
        const key = next(2) === 0 ? `k${next(200)}` : `key-${i}-${'x'.repeat(next(300))}`;
        cache.set(key, next(3), rendering(next(3), size));
        assert.ok(cache.size <= maxEntries, `${cache.size} entries, budget ${maxEntries}`);
        assert.ok(cache.bytes <= maxBytes, `${cache.bytes} bytes, budget ${maxBytes}`);
      }
      assert.ok(cache.size > 0, 'it kept something');
      assert.equal(renderCacheStats.entries - before, cache.size, '/metrics counts the entries kept');
    }
  });

  it('counts a string by what V8 keeps of it, a key and an entry’s overhead too', () => {
    const ascii = entryBytes('k', 'abcd');
    assert.equal(entryBytes('k', '目目目目') - ascii, 4, 'two bytes a character beyond Latin-1');
    assert.equal(entryBytes('k', 'äöüß') - ascii, 0, 'one byte a Latin-1 character');
    assert.equal(entryBytes('k', Buffer.alloc(4)) - ascii, 0, 'a buffer by its length');
    assert.equal(entryBytes('kkkk', 'abcd') - ascii, 3, 'the key counts');
    assert.ok(ascii > 5, 'an entry costs more than its text');
  });

  it('puts the oldest out first and refuses a rendering of more than a tenth of the budget', () => {
    const text = 'x'.repeat(100);
    const keys = [...'abcdefghij'];
    // Room for exactly ten renderings, each exactly a tenth of the budget.
    const cache = new RenderCache(100, entryBytes('a', text) * 10);
    for (const key of keys) cache.set(key, 1, text);
    cache.set('a', 2, text); // replacing a key makes it the newest
    cache.set('k', 1, text);
    assert.equal(cache.get('b', 1), undefined, 'b was the oldest');
    for (const key of [...'acdefghijk']) assert.equal(cache.get(key, key === 'a' ? 2 : 1), text, key);
    cache.set('c', 1, text + 'x'); // too big: not kept, and the stale rendering under its key goes
    assert.equal(cache.get('c', 1), undefined, 'c is gone');
    assert.equal(cache.size, 9);
    assert.equal(new RenderCache(0, 1024).get('a', 1), undefined, 'a cache of no entries keeps nothing');
  });

  it('answers only at the version a rendering was made at, from the first key that has one', () => {
    const cache = new RenderCache<Buffer>(10, 1024 * 1024);
    const shared = Buffer.from('{"shared":1}');
    const own = Buffer.from('{"own":1}');
    cache.set('page|*', 7, shared);
    cache.set('page|user:1', 7, own);
    const { hits, misses } = renderCacheStats;
    assert.equal(cache.get(['page|*', 'page|user:1'], 7), shared);
    assert.equal(cache.get(['page|none', 'page|user:1'], 7), own);
    assert.equal(cache.get(['page|*', 'page|user:1'], 8), undefined, 'a newer version is a miss');
    assert.deepEqual(
      [renderCacheStats.hits - hits, renderCacheStats.misses - misses],
      [2, 1],
      'one hit or one miss per look-up',
    );
  });
});

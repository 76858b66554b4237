import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkWeightSum,
  parseWeight,
  WEIGHT_TOTAL,
  weightsAfterCreate,
  weightsAfterDelete,
} from '../../src/domain/weights.js';

/** A deterministic pseudo-random source (mulberry32), so a failing case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** Asserts the invariant every output keeps: non-negative integers summing to exactly 1000. */
const assertValid = (xs: readonly number[], label: string) => {
  for (const x of xs) assert.ok(Number.isInteger(x) && x >= 0, `${label}: ${x} is a non-negative integer`);
  assert.equal(sum(xs), WEIGHT_TOTAL, `${label}: ${JSON.stringify(xs)} sums to 1000`);
};
/** Random sibling weights: sometimes all zero, sometimes a valid set summing to 1000, sometimes anything. */
const randomWeights = (next: () => number): number[] => {
  const n = 1 + Math.floor(next() * 12);
  const mode = next();
  if (mode < 0.15) return Array.from({ length: n }, () => 0);
  if (mode < 0.6) return Array.from({ length: n }, () => (next() < 0.2 ? 0 : Math.floor(next() * 1001)));
  // Random cuts of [0, 1000] give n weights that already sum to 1000, as stored siblings normally do.
  const cuts = Array.from({ length: n - 1 }, () => Math.floor(next() * 1001)).sort((a, b) => a - b);
  return [...cuts, 1000].map((c, i) => c - (i === 0 ? 0 : cuts[i - 1]!));
};

describe('parseWeight', () => {
  it('turns weights with at most 3 decimals into milli', () => {
    const table: [number, number][] = [
      [0, 0],
      [1, 1000],
      [0.125, 125],
      [0.5, 500],
      [0.001, 1],
      [0.999, 999],
      [0.3, 300],
    ];
    for (const [w, milli] of table) assert.equal(parseWeight(w), milli, String(w));
  });

  it('tolerates float noise from client arithmetic', () => {
    assert.equal(parseWeight(0.1 + 0.2), 300);
    assert.equal(parseWeight(1 - 0.9), 100);
    assert.equal(parseWeight(0.7 * 3 - 1.4), 700);
    assert.ok(Object.is(parseWeight(-0), 0), '-0 becomes 0');
  });

  it('refuses values out of [0, 1], with a fourth decimal, or not finite', () => {
    for (const bad of [-0.001, 1.001, 2, -1, 0.1234, 0.0005, 0.9999, NaN, Infinity, -Infinity]) {
      assert.equal(parseWeight(bad), undefined, String(bad));
    }
  });

  it('accepts every 3-decimal weight written as a decimal literal', () => {
    for (let m = 0; m <= 1000; m++) assert.equal(parseWeight(Number((m / 1000).toFixed(3))), m, String(m));
  });
});

describe('checkWeightSum', () => {
  it('accepts weights summing to exactly 1000', () => {
    assert.equal(checkWeightSum([1000]), undefined);
    assert.equal(checkWeightSum([125, 375, 500]), undefined);
    assert.equal(checkWeightSum([0, 1000, 0]), undefined);
  });

  it('names the sum as a decimal otherwise', () => {
    assert.equal(checkWeightSum([500, 450]), 'weights must sum to 1 (they sum to 0.95)');
    assert.equal(checkWeightSum([500, 501]), 'weights must sum to 1 (they sum to 1.001)');
    assert.equal(checkWeightSum([999]), 'weights must sum to 1 (they sum to 0.999)');
    assert.equal(checkWeightSum([1000, 1000]), 'weights must sum to 1 (they sum to 2)');
    assert.equal(checkWeightSum([]), 'weights must sum to 1 (they sum to 0)');
  });
});

describe('weightsAfterCreate', () => {
  it('gives a first item 1000, whatever weight was asked for', () => {
    assert.deepEqual(weightsAfterCreate([]), { siblings: [], created: 1000 });
    assert.deepEqual(weightsAfterCreate([], 300), { siblings: [], created: 1000 });
    assert.deepEqual(weightsAfterCreate([], 0), { siblings: [], created: 1000 });
  });

  it('without a weight splits evenly, the remainder going to the first items', () => {
    assert.deepEqual(weightsAfterCreate([1000]), { siblings: [500], created: 500 });
    assert.deepEqual(weightsAfterCreate([500, 500]), { siblings: [334, 333], created: 333 });
    assert.deepEqual(weightsAfterCreate([900, 100, 0]), { siblings: [250, 250, 250], created: 250 });
    assert.deepEqual(weightsAfterCreate([100, 200, 300, 400, 0, 0]), {
      siblings: [143, 143, 143, 143, 143, 143],
      created: 142,
    });
  });

  it('with a weight keeps it and shares the rest in proportion', () => {
    assert.deepEqual(weightsAfterCreate([1000], 250), { siblings: [750], created: 250 });
    assert.deepEqual(weightsAfterCreate([600, 400], 500), { siblings: [300, 200], created: 500 });
    assert.deepEqual(weightsAfterCreate([750, 250], 200), { siblings: [600, 200], created: 200 });
    assert.deepEqual(weightsAfterCreate([500, 500], 1000), { siblings: [0, 0], created: 1000 });
    assert.deepEqual(weightsAfterCreate([500, 500], 0), { siblings: [500, 500], created: 0 });
  });

  it('rounds by largest remainder, ties to the earlier item', () => {
    // 900 over 1:1:1 is exact; 998 over 1:1:1 is 332.67 each, so the two spare units go to the first two.
    assert.deepEqual(weightsAfterCreate([1, 1, 1], 100), { siblings: [300, 300, 300], created: 100 });
    assert.deepEqual(weightsAfterCreate([1, 1, 1], 2), { siblings: [333, 333, 332], created: 2 });
    // 700 over 333:667 is 233.1 / 466.9: the larger remainder (the second) gets the spare unit.
    assert.deepEqual(weightsAfterCreate([333, 667], 300), { siblings: [233, 467], created: 300 });
  });

  it('shares evenly when every sibling weighs 0', () => {
    assert.deepEqual(weightsAfterCreate([0, 0, 0], 400), { siblings: [200, 200, 200], created: 400 });
    assert.deepEqual(weightsAfterCreate([0, 0, 0], 1), { siblings: [333, 333, 333], created: 1 });
  });

  it('keeps every result a set of non-negative integers summing to 1000 (2000 random cases)', () => {
    const next = rng(20261125);
    for (let k = 0; k < 2000; k++) {
      const siblings = randomWeights(next);
      const given = next() < 0.4 ? undefined : Math.floor(next() * 1001);
      const out = weightsAfterCreate(siblings, given);
      const label = `${JSON.stringify(siblings)} + ${given}`;
      assert.equal(out.siblings.length, siblings.length, label);
      assertValid([...out.siblings, out.created], label);
      if (given !== undefined) assert.equal(out.created, given, label);
      else assert.ok(Math.max(...out.siblings, out.created) - Math.min(...out.siblings, out.created) <= 1, label);
    }
  });

  it('stays within one unit of the exact proportional share (2000 random cases)', () => {
    const next = rng(7);
    for (let k = 0; k < 2000; k++) {
      const siblings = randomWeights(next);
      const given = Math.floor(next() * 1001);
      const total = sum(siblings);
      const out = weightsAfterCreate(siblings, given);
      siblings.forEach((w, i) => {
        const exact = total === 0 ? (1000 - given) / siblings.length : (w * (1000 - given)) / total;
        assert.ok(Math.abs(out.siblings[i]! - exact) < 1, `${JSON.stringify(siblings)} + ${given} at ${i}`);
      });
    }
  });
});

describe('weightsAfterDelete', () => {
  it('leaves nothing when nothing remains', () => {
    assert.deepEqual(weightsAfterDelete([]), []);
  });

  it('gives a lone survivor 1000', () => {
    assert.deepEqual(weightsAfterDelete([200]), [1000]);
    assert.deepEqual(weightsAfterDelete([0]), [1000]);
  });

  it('scales the survivors up in proportion', () => {
    assert.deepEqual(weightsAfterDelete([300, 200]), [600, 400]);
    assert.deepEqual(weightsAfterDelete([250, 250, 250]), [334, 333, 333]);
    assert.deepEqual(weightsAfterDelete([100, 0, 300]), [250, 0, 750]);
    assert.deepEqual(weightsAfterDelete([600, 400]), [600, 400], 'already summing to 1000: unchanged');
  });

  it('shares evenly when every survivor weighs 0', () => {
    assert.deepEqual(weightsAfterDelete([0, 0, 0]), [334, 333, 333]);
  });

  it('ignores negative or fractional stored weights rather than drifting', () => {
    assert.deepEqual(weightsAfterDelete([-5, 500]), [0, 1000]);
    assertValid(weightsAfterDelete([0.4, 333.3, 666.6]), 'fractions');
  });

  it('keeps every result a set of non-negative integers summing to 1000 (2000 random cases)', () => {
    const next = rng(42);
    for (let k = 0; k < 2000; k++) {
      const remaining = randomWeights(next);
      const out = weightsAfterDelete(remaining);
      assert.equal(out.length, remaining.length);
      assertValid(out, JSON.stringify(remaining));
      if (sum(remaining) === 1000) assert.deepEqual(out, remaining, 'a valid set is left alone');
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEntityId, sequentialIds, snowflakeIds } from '../../src/domain/ids.js';

const MAR_2022 = Date.parse('2022-03-01T00:00:00Z');
const SNOWFLAKE_EPOCH = 1288834974657n;

/** Decodes a snowflake id into its time (epoch ms), worker and sequence. */
const decode = (id: string) => {
  const n = BigInt(id);
  return { ms: Number((n >> 22n) + SNOWFLAKE_EPOCH), worker: Number((n >> 12n) & 0x3ffn), seq: Number(n & 0xfffn) };
};

/** Asserts that every id is larger than the one before it (and so all are distinct). */
const assertIncreasing = (ids: string[]) => {
  for (let i = 1; i < ids.length; i++) {
    assert.ok(BigInt(ids[i]!) > BigInt(ids[i - 1]!), `id ${i} (${ids[i]}) > id ${i - 1} (${ids[i - 1]})`);
  }
  assert.equal(new Set(ids).size, ids.length);
};

describe('snowflakeIds', () => {
  it('makes 19-digit entity ids carrying the time, the worker and a sequence', () => {
    const next = snowflakeIds(() => MAR_2022, 5);
    const [a, b] = [next(), next()];
    assert.match(a, /^[1-9]\d{18}$/);
    assert.ok(isEntityId(a));
    assert.deepEqual(decode(a), { ms: MAR_2022, worker: 5, seq: 0 });
    assert.deepEqual(decode(b), { ms: MAR_2022, worker: 5, seq: 1 });
  });

  it('stays a 19-digit int64 from 2022 to 2080 (41 bits of milliseconds run out in July 2080)', () => {
    for (const t of [MAR_2022, Date.parse('2030-01-01'), Date.parse('2080-01-01')]) {
      const id = snowflakeIds(() => t, 1023)();
      assert.match(id, /^[1-9]\d{18}$/, new Date(t).toISOString());
      assert.ok(isEntityId(id), id);
    }
  });

  it('keeps only 10 bits of the worker number', () => {
    assert.equal(decode(snowflakeIds(() => MAR_2022, 1024 + 7)()).worker, 7);
  });

  it('stays increasing and unique through a burst of more than 4096 ids in one millisecond', () => {
    const now = { ms: MAR_2022 };
    const next = snowflakeIds(() => now.ms, 3);
    const ids = Array.from({ length: 10_000 }, () => next());
    assertIncreasing(ids);
    // 4096 per millisecond: the burst borrows the next two milliseconds.
    assert.deepEqual(decode(ids[4095]!), { ms: MAR_2022, worker: 3, seq: 4095 });
    assert.deepEqual(decode(ids[4096]!), { ms: MAR_2022 + 1, worker: 3, seq: 0 });
    assert.equal(decode(ids[9999]!).ms, MAR_2022 + 2);

    // When the clock catches up with the borrowed milliseconds, ids keep going up.
    now.ms = MAR_2022 + 1;
    const later = [ids[9999]!, next(), next()];
    now.ms = MAR_2022 + 3;
    later.push(next(), next());
    assertIncreasing(later);
    assert.deepEqual(decode(later[3]!), { ms: MAR_2022 + 3, worker: 3, seq: 0 });
  });

  it('stays increasing when the clock goes back', () => {
    const now = { ms: MAR_2022 + 1000 };
    const next = snowflakeIds(() => now.ms, 1);
    const ids = [next()];
    now.ms = MAR_2022;
    ids.push(next(), next());
    assertIncreasing(ids);
  });

  it('is increasing and unique with the real clock', () => {
    const next = snowflakeIds(() => Date.now(), 9);
    assertIncreasing(Array.from({ length: 20_000 }, () => next()));
  });
});

describe('sequentialIds', () => {
  it('counts up from its start, beyond the exact range of a JS number', () => {
    const next = sequentialIds(9_007_199_254_740_991n);
    assert.deepEqual([next(), next(), next()], ['9007199254740991', '9007199254740992', '9007199254740993']);
  });
});

describe('isEntityId', () => {
  it('accepts positive int64 values in canonical decimal form', () => {
    for (const ok of ['1', '9', '10', '7072252816005349396', '999999999999999999', '9223372036854775807']) {
      assert.equal(isEntityId(ok), true, ok);
    }
  });

  it('rejects zero, leading zeros, signs, non-digits and values past int64', () => {
    const bad = [
      '',
      '0',
      '00',
      '01',
      '0007072252816005349396',
      '-1',
      '+1',
      '1.0',
      '1e3',
      ' 1',
      '1 ',
      '12a',
      '０１', // full-width digits
      '9223372036854775808', // int64 max + 1
      '9999999999999999999',
      '10000000000000000000', // 20 digits
      '18446744073709551615', // uint64 max
    ];
    for (const s of bad) assert.equal(isEntityId(s), false, JSON.stringify(s));
  });
});

/** Time-ordered 64-bit ids (snowflake layout), rendered as decimal strings as Feishu does. */

/** A source of new entity ids; injected so tests can be deterministic. */
export type IdSource = () => string;

// Twitter's snowflake epoch keeps our ids 19 digits long (like Feishu's) until well past 2080.
const EPOCH_MS = 1288834974657n;
const MAX_INT64 = 9223372036854775807n;

/** Makes an id source: 41 bits of milliseconds, 10 bits of worker, 12 bits of sequence. */
export function snowflakeIds(now: () => number, worker: number): IdSource {
  let lastMs = -1n;
  let seq = 0n;
  const workerBits = BigInt(worker & 0x3ff) << 12n;
  return () => {
    let ms = BigInt(now()) - EPOCH_MS;
    if (ms < lastMs) ms = lastMs; // clock went back: keep ids increasing
    if (ms === lastMs) {
      seq = (seq + 1n) & 0xfffn;
      if (seq === 0n) ms = lastMs + 1n; // sequence exhausted in this millisecond: borrow the next one
    } else {
      seq = 0n;
    }
    lastMs = ms;
    return ((ms << 22n) | workerBits | seq).toString();
  };
}

/** Makes an id source counting up from `start`; for tests and fixtures. */
export function sequentialIds(start: bigint): IdSource {
  let next = start;
  return () => (next++).toString();
}

const ID_PATTERN = /^[1-9][0-9]{0,18}$/;

/** True when `s` is a positive int64 in canonical decimal form, the only shape an entity id can take. */
export function isEntityId(s: string): boolean {
  return ID_PATTERN.test(s) && (s.length < 19 || BigInt(s) <= MAX_INT64);
}

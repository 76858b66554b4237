/** The current time in epoch milliseconds; injected so tests can be deterministic. */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();
